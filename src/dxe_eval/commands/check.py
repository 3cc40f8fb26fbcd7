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
    from dxe_eval.ruleset import check_ruleset, load_ruleset, ruleset_notes

    reg = registry(args)
    problems = check_ruleset(args.ruleset, reg)
    if not problems:
        print(f"规则集无误 / ruleset OK: {args.ruleset}", file=args.stdout)
        for note in ruleset_notes(args.ruleset, reg):
            print(f"提示 / note: {note}", file=args.stdout)
        if not load_ruleset(args.ruleset, reg).peer_groups.categories:
            print(
                "提示：规则集没有声明单位类别（[peer_groups] categories），任何类别都被接受，"
                "各成一组，写错的类别不会被发现 / note: the ruleset declares no unit categories "
                "([peer_groups] categories): any category is accepted as a peer group of its "
                "own, and a mistyped one goes unnoticed",
                file=args.stdout,
            )
        return 0
    for p in problems:
        print(str(p), file=sys.stderr)
    print(f"共 {len(problems)} 个问题 / {len(problems)} problem(s)", file=sys.stderr)
    return 1
