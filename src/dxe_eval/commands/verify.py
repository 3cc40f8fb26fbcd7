"""``dxe-eval verify RESULT.json``: re-run a saved result and say whether it is reproduced."""

from __future__ import annotations

import argparse

from dxe_eval.commands.common import add_disable, add_reading, reading, registry

NAME = "verify"
HELP = "复核已保存的 JSON 结果能否复现 / re-run a saved JSON result and compare"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "result", metavar="RESULT.json", help="evaluate --format json 的输出 / a saved result"
    )
    p.add_argument(
        "--data",
        metavar="PATH",
        help="数据（默认：结果清单中记录的数据） / data (default: as the manifest says)",
    )
    p.add_argument(
        "--ruleset",
        metavar="FILE",
        help="规则集（默认：结果清单中记录的规则集） / ruleset (default: as the manifest says)",
    )
    add_reading(p)
    add_disable(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.verify import verify

    found = verify(
        args.result,
        data=args.data,
        ruleset=args.ruleset,
        registry=registry(args),
        **reading(args),
    )
    args.stdout.write(found.report())
    return 0 if found.reproduced else 1
