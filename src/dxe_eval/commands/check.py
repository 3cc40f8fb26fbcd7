"""``dxe-eval check RULESET``: every problem of a ruleset at once."""

from __future__ import annotations

import argparse
import sys

from dxe_eval.commands.common import add_disable, registry

NAME = "check"
HELP = "检查规则集 / check a ruleset"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ruleset", metavar="RULESET", help="规则集文件或名称 / ruleset file or name")
    add_disable(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.ruleset import check_ruleset

    problems = check_ruleset(args.ruleset, registry(args))
    if not problems:
        print(f"规则集无误 / ruleset OK: {args.ruleset}", file=args.stdout)
        return 0
    for p in problems:
        print(str(p), file=sys.stderr)
    print(f"共 {len(problems)} 个问题 / {len(problems)} problem(s)", file=sys.stderr)
    return 1
