"""``dxe-eval explain ID``: why a candidate got its score."""

from __future__ import annotations

import argparse

from dxe_eval.commands.common import (
    add_data_options,
    add_lang,
    evaluate,
    note_rejections,
    note_warnings,
)

NAME = "explain"
HELP = "解释某个对象的得分 / explain one candidate's score"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("candidate_id", metavar="ID", help="单位、人员或项目编号 / candidate id")
    add_data_options(p)
    add_lang(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.report.explain import explain

    ev = evaluate(args)
    note_rejections(ev)  # first: a candidate not found may be one whose row was rejected
    text = explain(ev, args.candidate_id, lang=args.lang)
    note_warnings(ev)  # an explanation has no 提示 part; after it, so an error stands alone
    args.stdout.write(text)
    return 0
