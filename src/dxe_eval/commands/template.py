"""``dxe-eval template --output 模板.xlsx``: an empty input workbook to fill in."""

from __future__ import annotations

import argparse

from dxe_eval.commands.common import add_disable, add_ruleset, registry

NAME = "template"
HELP = "生成 Excel 数据填报模板 / write an empty input workbook"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        default="模板.xlsx",
        help="模板文件（默认 模板.xlsx） / the workbook to write (default: 模板.xlsx)",
    )
    p.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite an existing file")
    add_ruleset(p)
    add_disable(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.peer_groups import with_categories
    from dxe_eval.ruleset import DEFAULT_RULESET, load_ruleset
    from dxe_eval.template import write_template

    reg = registry(args)
    # the ruleset's unit categories are the 类别 column's drop-down list
    ruleset = load_ruleset(args.ruleset or DEFAULT_RULESET, reg)
    types = with_categories(reg.record_types, ruleset.peer_groups.categories)
    # the 填报说明 sheet names the ruleset's time zone, in which times without an offset are read
    path = write_template(args.output, types, force=args.force, timezone=ruleset.timezone)
    print(f"已生成模板 / template written: {path}", file=args.stdout)
    return 0
