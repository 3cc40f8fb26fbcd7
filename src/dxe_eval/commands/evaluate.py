"""``dxe-eval evaluate``: score, assess and commend; print or write a report."""

from __future__ import annotations

import argparse

from dxe_eval.commands.common import (
    add_data_options,
    add_lang,
    evaluate,
    note_rejections,
    write_text,
)

NAME = "evaluate"
HELP = "评分、预警、表彰 / score, assess and commend"
FORMATS = ("table", "json")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_options(p)
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="输出格式 / output format (default: table)",
    )
    p.add_argument("--output", metavar="FILE", help="写入文件（默认标准输出） / write to FILE")
    add_lang(p)


def run(args: argparse.Namespace) -> int:
    ev = evaluate(args)
    if args.format == "json":
        write_text(ev.to_json() + "\n", args.output)
    else:
        write_text(ev.to_table(lang=args.lang), args.output)
    note_rejections(ev)
    return 0
