"""``dxe-eval compare --ruleset A --ruleset B``: what changes when the ruleset changes.

Either side may be ``run:ID``, a run of the archive (``--archive``): a stored result
compared with another, or with a fresh evaluation under a ruleset.
"""

from __future__ import annotations

import argparse
import sys

from dxe_eval.commands.common import (
    add_data,
    add_disable,
    add_lang,
    note_rejections,
    note_warnings,
    reading,
    registry,
)

NAME = "compare"
HELP = "比较两个规则集下的得分、名次、表彰名单与预警 / compare two rulesets"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--ruleset",
        action="append",
        required=True,
        metavar="FILE",
        help="规则集 A，再写一次为规则集 B；run:ID 为评价档案中的一次评价 / ruleset A, then "
        "ruleset B (give it twice); run:ID is a run of the archive",
    )
    p.add_argument(
        "--archive",
        metavar="TARGET",
        default="dxe-eval.sqlite",
        help="run:ID 所在的评价档案（默认当前文件夹的 dxe-eval.sqlite） / the archive of run:ID",
    )
    add_data(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--changed-only",
        action="store_true",
        help="只列出得分、名次或表彰有变化的对象 / list only candidates that change",
    )
    add_lang(p)
    add_disable(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.engine import default_data, prepare
    from dxe_eval.engine import run as run_under
    from dxe_eval.report.json import dumps
    from dxe_eval.rescore import quick_comparison
    from dxe_eval.ruleset import load_ruleset, validity_warnings
    from dxe_eval.whatif import compare, comparison_table, comparison_to_dict

    if len(args.ruleset) != 2:
        print(
            "dxe-eval compare: 请给出两个规则集 / give exactly two rulesets: "
            "--ruleset A --ruleset B",
            file=sys.stderr,
        )
        return 2
    if any(side.startswith("run:") for side in args.ruleset):
        # SQLAlchemy is imported only for run:ID: keeps start-up fast
        from dxe_eval.commands.archive import compare_with_runs

        return compare_with_runs(args)
    reg = registry(args)
    a = load_ruleset(args.ruleset[0], reg)
    b = load_ruleset(args.ruleset[1], reg)
    prepared = prepare(args.data or default_data(), a, reg, **reading(args))  # read once
    ev_a = run_under(prepared, a, reg)
    # as whatif.compare_to, keeping B's warnings: B's scorecards and lists are made only
    # when more than rules' parameters change
    comparison = quick_comparison(prepared, ev_a, b, reg)
    if comparison is None:
        ev_b = run_under(prepared, b, reg)
        comparison = compare(ev_a, ev_b)
        note_warnings(ev_a, ev_b)
    else:  # B read the same data under the same calendar: A's warnings and its own validity
        note_warnings(ev_a, more=validity_warnings(b))
    if args.format == "json":
        # json.dumps(indent=2)'s text, in C
        print(dumps(comparison_to_dict(comparison)), file=args.stdout)
    else:
        args.stdout.write(
            comparison_table(comparison, lang=args.lang, changed_only=args.changed_only)
        )
    note_rejections(ev_a)  # one data set, read once: the same rows under A and B
    return 0
