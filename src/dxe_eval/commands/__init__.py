"""One module per ``dxe-eval`` subcommand.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``; :mod:`dxe_eval.cli` lists them in ``COMMANDS``. Shared
options (``--data``, ``--ruleset``, ``--disable-plugin``, ``--strict``) and the
evaluation they lead to live in :mod:`dxe_eval.commands.common`.
"""
