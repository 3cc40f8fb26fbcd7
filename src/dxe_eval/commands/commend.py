"""``dxe-eval commend``: just the commendation lists, near misses and exclusions."""

from __future__ import annotations

import argparse

from dxe_eval.commands.common import (
    add_data_options,
    add_lang,
    evaluate,
    note_rejections,
    note_warnings,
)

NAME = "commend"
HELP = "只显示表彰建议名单 / print the commendation lists only"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_options(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    add_lang(p)


def run(args: argparse.Namespace) -> int:
    ev = evaluate(args)
    note_warnings(ev)  # neither the lists nor their JSON have a 提示 part
    if args.format == "json":
        from dxe_eval.report.json import dumps, to_dict

        d = to_dict(ev, scorecards=False)  # the lists only: no scorecard is turned into JSON
        keys = ("ruleset", "commendation", "near_misses", "excluded")
        args.stdout.write(dumps({k: d[k] for k in keys}) + "\n")
    else:
        from dxe_eval.report.table import commendation_table

        args.stdout.write(commendation_table(ev, args.lang).lstrip("\n") + "\n")
    note_rejections(ev)
    return 0
