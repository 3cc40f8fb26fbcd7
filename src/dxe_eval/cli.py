"""The ``dxe-eval`` command.

Every user mistake ends with a one-line message (Chinese, then English) on
stderr and a non-zero exit, never a traceback: 1 for bad data, rulesets or
plugins, 2 for bad command-line usage. Each subcommand is a module in
:mod:`dxe_eval.commands`, listed in :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from dxe_eval import __version__
from dxe_eval.errors import DxeEvalError
from dxe_eval.terminal import terminal_safe

EXIT_ERROR = 1

#: subcommand modules, in the order ``--help`` lists them
COMMANDS: tuple[str, ...] = (
    "dxe_eval.commands.evaluate",
    "dxe_eval.commands.commend",
    "dxe_eval.commands.explain",
    "dxe_eval.commands.check",
    "dxe_eval.commands.plugins",
    "dxe_eval.commands.compare",
    "dxe_eval.commands.sensitivity",
    "dxe_eval.commands.cases_cmd",
    "dxe_eval.commands.generate",
    "dxe_eval.commands.template",
    "dxe_eval.commands.verify",
    "dxe_eval.commands.archive",
    "dxe_eval.commands.history",
    "dxe_eval.commands.example",
)


def _modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in COMMANDS]


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, ModuleType]]:
    parser = argparse.ArgumentParser(
        prog="dxe-eval",
        description="金牌“店小二”服务年度绩效评价 / "
        "annual evaluation of the 店小二 service programme",
    )
    parser.add_argument("--version", action="version", version=f"dxe-eval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    by_name: dict[str, ModuleType] = {}
    for module in _modules():
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        by_name[module.NAME] = module
    return parser, by_name


def _version_only(argv: Sequence[str]) -> bool:
    return list(argv) == ["--version"]


def main(argv: Sequence[str] | None = None) -> int:
    """The ``dxe-eval`` program; ``argv`` given: the same, called from Python."""
    if argv is not None:
        return _main(list(argv))
    # A command's process is short and makes no reference cycles worth collecting: the
    # cycle collector stays off (each pass walked the millions of objects a province's
    # evaluation holds), and what is left is frozen out of the final pass at exit.
    gc.disable()
    try:
        code = _main(sys.argv[1:])
    finally:
        gc.freeze()
    # The answer is out (files closed, streams flushed below): the process ends here,
    # without the interpreter freeing one by one the hundreds of thousands of objects a
    # province's evaluation made (0.2 s). A Python caller passes ``argv`` and returns.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``| head``) or stream: nothing to lose
            pass
    os._exit(code)


def _main(argv: list[str]) -> int:
    if _version_only(argv):  # answer without importing any command module
        print(f"dxe-eval {__version__}")
        return 0
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    # Reports go to the standard output as it is now (``args.stdout``); while a command
    # runs, anything else printed there (a plugin's print()) goes to stderr, so it can
    # never corrupt a machine-read report.
    args.stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return int(commands[args.command].run(args))
    except DxeEvalError as exc:
        print(f"dxe-eval: {terminal_safe(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(
            f"dxe-eval: 文件操作失败 / cannot read or write: {terminal_safe(str(exc))}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except KeyboardInterrupt:  # pragma: no cover
        print("dxe-eval: 已中断 / interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
