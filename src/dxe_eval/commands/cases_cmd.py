"""``dxe-eval test PATH``: run the hand-worked ruleset cases (``*.cases.toml``)."""

from __future__ import annotations

import argparse
import sys

from dxe_eval.commands.common import add_disable, registry

NAME = "test"
HELP = "运行规则集测试用例（*.cases.toml） / run ruleset test cases"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path",
        metavar="PATH",
        help="用例文件，或含 *.cases.toml 的文件夹 / a case file or a folder of them",
    )
    add_disable(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.cases import find_case_files, run_cases

    if not find_case_files(args.path):
        print(f"未找到测试用例 / no *.cases.toml under {args.path}", file=sys.stderr)
        return 1
    passed = failed = 0
    for result in run_cases(args.path, registry(args)):
        case = result.case
        if result.ok:
            passed += 1
            print(f"通过 PASS  {case.file} :: {case.name}", file=args.stdout)
            continue
        failed += 1
        print(f"失败 FAIL  {case.file} :: {case.name}", file=args.stdout)
        for line in result.failures:
            print(f"    {line}", file=args.stdout)
    summary = f"{passed} 通过 passed, {failed} 失败 failed"
    print(summary, file=sys.stderr if failed else args.stdout)
    return 1 if failed else 0
