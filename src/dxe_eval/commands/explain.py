"""``dxe-eval explain ID``: why a candidate got its score, or what a record (a request, a
rating, a ledger entry, a visit…) counted in; by id or name, case-insensitive."""

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
HELP = "解释某个对象的得分或某条记录的计入情况 / explain a candidate's score or a record"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "candidate_id",
        metavar="ID",
        help="单位、人员、项目的编号或名称，或需求、评价、台账、回访等记录的编号（不区分大小写） "
        "/ a candidate's id or name, or a record's id (request, rating, ledger entry, visit…)",
    )
    add_data_options(p)
    add_lang(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.report.registry import reporters
    from dxe_eval.report.reporter import ReportOptions

    explain = reporters(disabled=args.disable_plugin)["explain"]

    ev = evaluate(args)
    note_rejections(ev)  # first: a candidate not found may be one whose row was rejected
    assert explain.render is not None
    text = explain.render(ev, ReportOptions(lang=args.lang, candidate=args.candidate_id))
    note_warnings(ev)  # an explanation has no 提示 part; after it, so an error stands alone
    args.stdout.write(text)
    return 0
