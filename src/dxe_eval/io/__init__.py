"""Files in (:mod:`dxe_eval.io.read`) and reports out (:mod:`dxe_eval.io.render`)."""
