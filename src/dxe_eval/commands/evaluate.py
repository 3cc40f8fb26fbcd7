"""``dxe-eval evaluate``: score, assess and commend; print or write a report.

Formats (all rendered from the same evaluation) are reporters looked up by name
(:func:`dxe_eval.report.registry.reporters`); the built-in ones:

- ``table`` (default): aligned Chinese tables on standard output;
- ``json``: the JSON contract (``docs/json.md``);
- ``csv``: the score summary (总分) as UTF-8 CSV with a byte order mark, to standard
  output or ``--output FILE``; with ``--output DIR/`` (an existing folder or a path
  ending in ``/``) every report table as its own ``.csv`` file in that folder;
- ``xlsx``: one workbook, a sheet per report table (needs ``--output``);
- ``html``: one self-contained HTML report with charts (needs ``--output``);

and any a plugin registers (``docs/plugins.md``).

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
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from dxe_eval.commands.common import (
    add_data_options,
    add_lang,
    date_arg,
    evaluate,
    note_rejections,
    note_warnings,
    write_text,
)
from dxe_eval.errors import did_you_mean
from dxe_eval.files import refuse_inputs

if TYPE_CHECKING:
    from dxe_eval.report.reporter import Reporter, ReportOptions

NAME = "evaluate"
HELP = "评分、预警、表彰 / score, assess and commend"
#: the built-in formats, for --help (a plugin's format is accepted too)
FORMATS = ("table", "json", "csv", "xlsx", "html")
EXIT_USAGE = 2


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_data_options(p)
    p.add_argument(
        "--format",
        default="table",
        metavar="FORMAT",
        help="输出格式 / output format: table, json, csv, xlsx, html, or a plugin's "
        "(default: table)",
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
        "--full",
        action="store_true",
        help="终端表格：全部行和列（默认为适合终端宽度的摘要） / every row and column of the "
        "table (default: a summary that fits the terminal)",
    )
    p.add_argument(
        "--top",
        type=_positive,
        default=5,
        metavar="N",
        help="摘要中每组显示前 N 名（默认 5） / the summary shows the first N of each group",
    )
    p.add_argument(
        "--previous",
        metavar="RESULT.json",
        help="与此前发布的结果（JSON）比较：HTML 概要写明变化，并有同比 / compare with a "
        "published result (JSON): what changed, in the HTML summary, and year over year",
    )
    p.add_argument(
        "--summary",
        action="store_true",
        help="HTML 只含前几页：概要、图表、名单、预警 / HTML: the first pages only",
    )
    for flag, zh in (("issuer", "制表单位"), ("reviewer", "审核"), ("signer", "签发")):
        p.add_argument(
            f"--{flag}",
            metavar="TEXT",
            help=f"HTML 签署栏的{zh}（默认取规则集 [report] 的 {flag}，都没有则留空，"
            "打印后手写） / "
            f"the signature block's {flag} (default: the ruleset's [report] {flag}, else blank, "
            "to write on the printed page)",
        )
    p.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        type=date_arg,
        help="HTML 签署栏的制表日期（默认为运行当天） / the signature block's date "
        "(default: today)",
    )
    p.add_argument(
        "--evidence",
        default="all",
        type=_evidence,
        metavar="all|first:N|none",
        help="JSON 中每条规则、每条处理列出的依据记录编号：全部（默认）、前 N 个或不列；"
        "总数总会给出 / the evidence ids the JSON lists per rule and finding: all (default), "
        "the first N or none; the count is always given",
    )
    p.add_argument(
        "--compact",
        action="store_true",
        help="JSON 不缩进、不换行，约小 30%%，键和值不变 / JSON on one line, no indentation: "
        "about 30%% smaller, the same keys and values",
    )
    p.add_argument(
        "--no-progress",
        action="store_true",
        help="不显示进度 / no progress line on stderr",
    )
    add_lang(p)


def _evidence(text: str) -> str:
    """``--evidence``'s value as given, once it is one the JSON writer takes."""
    from dxe_eval.report.json import evidence_limit

    try:
        evidence_limit(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def run(args: argparse.Namespace) -> int:
    from dxe_eval.progress import Progress
    from dxe_eval.report.registry import reporters
    from dxe_eval.report.reporter import ReportOptions

    found = reporters(disabled=args.disable_plugin)
    reporter = found.get(args.format)
    if reporter is None or reporter.per_candidate:
        names = [n for n, r in found.items() if not r.per_candidate]
        print(
            f"dxe-eval evaluate: --format {args.format!r} 不是可用的输出格式（{', '.join(names)}）"
            f"{did_you_mean(args.format, names)} | not an output format: choose from "
            f"{', '.join(names)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    fmt = reporter.name
    if (reporter.render is None or reporter.file_only) and not args.output:
        print(
            f"dxe-eval: --format {fmt} 需要 --output 文件，例如 --output 报告.{fmt} "
            f"| --format {fmt} needs --output FILE",
            file=sys.stderr,
        )
        return EXIT_USAGE
    quiet = args.no_progress or (reporter.machine and not args.output)
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
                args.data,
                args.ruleset,
                args.archive,
                registry=registry(args),
                strict=args.strict,
                progress=progress,
            )
            ev, notes, previous = archived.evaluation, archived.notes, archived.yoy()
        progress("write")
        if args.output:
            refuse_inputs(args.output, inputs_of(ev), folders=data_folders(ev))
        options = ReportOptions(
            lang=args.lang,
            previous=previous,
            full=args.full,
            top=args.top,
            evidence=args.evidence,
            compact=args.compact,
            **report_extras(args, ev),
        )
        # the report goes out once the progress line is cleared: never drawn over it
        written = _write(reporter, ev, options, args.output, args.stdout, clear=progress.close)
    for path in written:
        print(f"已写出 / written: {path}", file=sys.stderr)
    for note in notes:
        print(f"提示 / note: {note}", file=sys.stderr)
    if fmt != "table" or args.output:  # the table on the terminal has them in its 提示 part
        note_warnings(ev)
    note_rejections(ev)
    return 0


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"需要正整数 / a positive whole number: {text!r}")
    return n


def report_extras(args: argparse.Namespace, ev: Any) -> dict[str, Any]:
    """``--previous``, ``--summary`` and the signature block, as :class:`ReportOptions` fields:
    the flags' values, else the ruleset's ``[report]`` table's; the date defaults to today."""
    import datetime

    from dxe_eval.report.yoy import Signature, load_previous

    extras: dict[str, Any] = {"summary": args.summary}
    if args.previous:
        extras["previous_result"] = load_previous(args.previous)
    table = getattr(ev.ruleset, "report", None)
    extras["signature"] = Signature(
        issuer=args.issuer or getattr(table, "issuer", ""),
        reviewer=args.reviewer or getattr(table, "reviewer", ""),
        signer=args.signer or getattr(table, "signer", ""),
        date=(args.date or datetime.date.today()).isoformat(),
    )
    return extras


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
    reporter: Reporter,
    ev: Any,
    options: ReportOptions,
    output: str | None,
    stdout: IO[str],
    *,
    clear: Callable[[], None] = lambda: None,
) -> list[str]:
    """Render ``ev`` with ``reporter``; the files written (none when it went to standard
    output). A reporter without a ``write`` of its own has its text written to the file.
    ``clear`` (the progress line's ``close``) is called after rendering and before the
    text goes to standard output, so the report never shares a line with the progress."""
    if output:
        if reporter.write is not None:
            return [str(p) for p in reporter.write(ev, output, options)]
        assert reporter.render is not None
        write_text(reporter.render(ev, options), output, stdout)
        return [output]
    assert reporter.render is not None
    text = reporter.render(ev, options)
    clear()
    buffer = getattr(stdout, "buffer", None)
    if buffer is not None:  # bytes, so that the line ends stay as written on every system
        stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stdout.write(text)
    return []
