"""``dxe-eval evaluate``: score, assess and commend; print or write a report.

Formats (all rendered from the same evaluation):

- ``table`` (default): aligned Chinese tables on standard output;
- ``json``: the JSON contract (``docs/json.md``);
- ``csv``: the score summary (总分) as UTF-8 CSV with a byte order mark, to standard
  output or ``--output FILE``; with ``--output DIR/`` (an existing folder or a path
  ending in ``/``) every report table as its own ``.csv`` file in that folder;
- ``xlsx``: one workbook, a sheet per report table (needs ``--output``);
- ``html``: one self-contained HTML report with charts (needs ``--output``).

``--archive [TARGET]`` reads the earlier findings of the archive's published runs as
sanctions, then stores the result there as a draft run (``docs/archive.md``).

A progress line appears on stderr when stderr is a terminal and the run takes
more than a second; never when a machine-read format goes to standard output.
The evaluation's warnings (a period outside the ruleset's validity, a period
holding none of the data, ignored columns…) are in the table's 提示 part; when
the report is not that table on standard output, they are also printed on
stderr, as ``提示 / note: …``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, Any

from dxe_eval.commands.common import (
    add_data_options,
    add_lang,
    evaluate,
    note_rejections,
    note_warnings,
    write_text,
)
from dxe_eval.io.atomic import refuse_inputs

NAME = "evaluate"
HELP = "评分、预警、表彰 / score, assess and commend"
FORMATS = ("table", "json", "csv", "xlsx", "html")
#: formats written only to a file
FILE_ONLY = ("xlsx", "html")
EXIT_USAGE = 2


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_options(p)
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="输出格式 / output format: table, json, csv, xlsx, html (default: table)",
    )
    p.add_argument(
        "--output",
        metavar="FILE",
        help="写入文件（默认标准输出；xlsx、html 必须指定；csv 可为文件夹/） "
        "/ write to FILE (xlsx and html need it; for csv a folder/ gets every table)",
    )
    p.add_argument(
        "--archive",
        nargs="?",
        const="",
        metavar="TARGET",
        help="读取评价档案中已发布的既往处理，并把结果存为草稿；TARGET 为 SQLite 文件或 "
        "postgresql:// 地址（默认数据旁的 dxe-eval.sqlite） / use and store into the archive",
    )
    p.add_argument(
        "--no-progress",
        action="store_true",
        help="不显示进度 / no progress line on stderr",
    )
    add_lang(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.progress import Progress

    fmt = args.format
    if fmt in FILE_ONLY and not args.output:
        print(
            f"dxe-eval: --format {fmt} 需要 --output 文件，例如 --output 报告.{fmt} "
            f"| --format {fmt} needs --output FILE",
            file=sys.stderr,
        )
        return EXIT_USAGE
    quiet = args.no_progress or (fmt in ("json", "csv") and not args.output)
    notes: tuple[str, ...] = ()
    previous = None
    with Progress(enabled=False if quiet else None) as progress:
        if args.archive is None:
            ev = evaluate(args, progress=progress)
        else:
            # SQLAlchemy is imported only with --archive: keeps start-up fast
            from dxe_eval.archive.evaluation import evaluate_and_archive
            from dxe_eval.commands.common import registry

            archived = evaluate_and_archive(
                args.data, args.ruleset, args.archive, registry=registry(args),
                strict=args.strict, progress=progress,
            )
            ev, notes, previous = archived.evaluation, archived.notes, archived.yoy()
        progress("write")
        if args.output:
            refuse_inputs(args.output, inputs_of(ev), folders=data_folders(ev))
        written = _write(ev, fmt, args.output, args.lang, args.stdout, previous)
    for path in written:
        print(f"已写出 / written: {path}", file=sys.stderr)
    for note in notes:
        print(f"提示 / note: {note}", file=sys.stderr)
    if fmt != "table" or args.output:  # the table on the terminal has them in its 提示 part
        note_warnings(ev)
    note_rejections(ev)
    return 0


def inputs_of(ev: Any) -> list[Path]:
    """The files an evaluation read: its ruleset and its data files (or workbook)."""
    out = [Path(ev.ruleset.file)] if ev.ruleset.file else []
    origin = ev.dataset.origin
    if origin and Path(origin).is_dir():
        # a sheet's source is ``book.xlsx:sheet``
        out += [Path(origin) / src.path.split(":")[0] for src in ev.dataset.sources]
    elif origin:
        out.append(Path(origin))
    return out


def data_folders(ev: Any) -> list[Path]:
    origin = ev.dataset.origin
    return [Path(origin)] if origin and Path(origin).is_dir() else []


def _write(
    ev: Any, fmt: str, output: str | None, lang: str, stdout: IO[str], previous: Any = None
) -> list[str]:
    """Render ``ev`` in ``fmt``; the files written (none when it went to standard output).
    ``previous``: the previous period's published totals, for the 同比 of xlsx and html."""
    from dxe_eval.report.json import to_json
    from dxe_eval.report.table import to_table

    if fmt == "json":
        if output:
            from dxe_eval.report.json import write_json

            write_json(ev, output)
        else:
            write_text(to_json(ev) + "\n", output, stdout)
        return []
    if fmt == "table":
        write_text(to_table(ev, lang=lang), output, stdout)
        return []
    if fmt == "csv":
        from dxe_eval.report.sheets import csv_text, summary_table, write_csv

        if not output:
            text = csv_text(summary_table(ev))
            buffer = getattr(stdout, "buffer", None)
            if buffer is not None:  # bytes, so that the line ends stay \r\n on every system
                stdout.flush()
                buffer.write(text.encode("utf-8"))
                buffer.flush()
            else:
                stdout.write(text)
            return []
        return [str(p) for p in write_csv(ev, output)]
    assert output is not None
    if fmt == "xlsx":
        from dxe_eval.report.sheets import write_xlsx

        return [str(write_xlsx(ev, output, previous=previous))]
    from dxe_eval.report.html import to_html

    write_text(to_html(ev, previous=previous), output, stdout)
    return [output]
