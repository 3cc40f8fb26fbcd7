"""Helpers the built-in rules and thresholds share, below the plugin folders: a share of
points and its reasons (:mod:`~dxe_eval.scoring.share`), small samples completed at the
peer group's pooled rate (:mod:`~dxe_eval.scoring.small_sample`), and rate bands of the
thresholds (:mod:`~dxe_eval.scoring.bands`). Plugins reach them through
:mod:`dxe_eval.plugin`."""
