"""``dxe-eval archive list|show|publish|diff|export|rectify``: the runs kept in an archive.

The archive is ``--archive TARGET``: a SQLite file (default ``dxe-eval.sqlite`` in the
current folder) or a ``postgresql://`` URL. Every command that reads a run re-checks
it against its stored hashes first and stops, naming the run, table and row, when
the archive was changed (``docs/archive.md``).

The archive's modules (and SQLAlchemy with them, 0.3 s) are imported inside the
functions, never at the top: every ``dxe-eval`` command imports this module to build
its parser, and ``--version`` and ``evaluate`` must not pay for them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from dxe_eval.commands.common import date_arg, write_text

NAME = "archive"
HELP = "评价档案：列出、查看、发布、比较、导出历年评价与整改记录 / the evaluation archive"
EXIT_USAGE = 2


def add_target(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--archive",
        metavar="TARGET",
        default="dxe-eval.sqlite",
        help="评价档案：SQLite 文件或 postgresql:// 地址（默认当前文件夹的 dxe-eval.sqlite） "
        "/ the archive: a SQLite file or a postgresql:// URL",
    )


def add_format(p: argparse.ArgumentParser, choices: tuple[str, ...] = ("table", "json")) -> None:
    p.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help="输出格式 / output format: " + ", ".join(choices),
    )


def _run_id(text: str) -> int:
    try:
        value = int(text.removeprefix("run:"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"run 编号应为整数 / expected a run id (a whole number), got {text!r}"
        ) from None
    return value


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = sub.add_parser("list", help="列出所有评价 run / list the runs")
    add_target(ls)
    add_format(ls)
    show = sub.add_parser("show", help="查看一次评价 / show a run")
    show.add_argument("run", type=_run_id, metavar="RUN")
    add_target(show)
    add_format(show)
    pub = sub.add_parser("publish", help="发布一次评价 / publish a run")
    pub.add_argument("run", type=_run_id, metavar="RUN")
    pub.add_argument("--by", required=True, metavar="NAME", help="发布人 / who publishes it")
    pub.add_argument(
        "--on",
        type=date_arg,
        metavar="DATE",
        help="发布（处理签发）日期，默认评价期间结束的次日 / the date it is issued "
        "(default: the day after the period ends)",
    )
    pub.add_argument(
        "--supersede",
        action="store_true",
        help="取代同一规则集在重叠期间已发布的评价 / replace the published run of the same period",
    )
    pub.add_argument("--reason", metavar="TEXT", help="取代的原因 / why it is replaced")
    add_target(pub)
    diff = sub.add_parser("diff", help="比较两次评价 / compare two runs")
    diff.add_argument("runs", type=_run_id, nargs=2, metavar="RUN")
    diff.add_argument(
        "--changed-only",
        action="store_true",
        help="只列出有变化的对象 / only candidates that change",
    )
    add_target(diff)
    add_format(diff)
    exp = sub.add_parser("export", help="导出一次评价的报告 / export a run's report")
    exp.add_argument("run", type=_run_id, metavar="RUN")
    add_format(exp, ("json", "xlsx", "html"))
    exp.add_argument(
        "--output",
        metavar="FILE",
        help="写入文件（xlsx、html 必须指定） / write to FILE (xlsx and html need it)",
    )
    add_target(exp)
    rect = sub.add_parser("rectify", help="登记整改 / record a rectification")
    rect.add_argument("run", type=_run_id, nargs="?", metavar="RUN")
    rect.add_argument("candidate", nargs="?", metavar="CANDIDATE")
    rect.add_argument("--on", type=date_arg, metavar="DATE", help="整改日期 / rectified on")
    rect.add_argument("--note", metavar="TEXT", default="", help="整改说明 / what was done")
    rect.add_argument("--by", metavar="NAME", default="", help="登记人 / who records it")
    rect.add_argument(
        "--file",
        metavar="FILE",
        help="从 CSV 文件批量登记（列：run_id, candidate_id, rectified_on, note） "
        "/ record the rows of a CSV file",
    )
    add_target(rect)


def run(args: argparse.Namespace) -> int:
    # SQLAlchemy is imported only by the archive's commands: keeps start-up fast
    from dxe_eval.archive.store import open_archive

    with open_archive(args.archive, create=False) as archive:  # made by evaluate --archive
        return int(ACTIONS[args.action](archive, args))


def _table(rows: list[list[Any]], headers: list[str]) -> str:
    from tabulate import tabulate

    if not rows:
        return "（无 none）\n"
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True) + "\n"


def _dumps(value: Any) -> str:
    from dxe_eval.report.json import dumps

    return dumps(value) + "\n"


def _list(archive: Any, args: argparse.Namespace) -> int:
    from dxe_eval.archive.runs import STATUS_ZH, list_runs

    runs = list_runs(archive)
    if args.format == "json":
        args.stdout.write(
            _dumps([{k: v for k, v in r.to_dict().items() if k != "digests"} for r in runs])
        )
        return 0
    rows = [
        [
            r.id,
            r.period,
            r.ruleset_id,
            STATUS_ZH[r.status],
            r.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            r.published_by or "",
            r.published_on or "",
            _replaced(r),
            r.reason or "",
        ]
        for r in runs
    ]
    args.stdout.write(f"评价档案 {archive.label}\n")
    args.stdout.write(
        _table(
            rows,
            ["run", "期间", "规则集", "状态", "存档时间", "发布人", "发布日期", "取代关系", "原因"],
        )
    )
    return 0


def _replaced(r: Any) -> str:
    parts = []
    if r.supersedes:
        parts.append(f"取代 run {r.supersedes}")
    if r.superseded_by:
        parts.append(f"被 run {r.superseded_by} 取代")
    return "，".join(parts)


def _show(archive: Any, args: argparse.Namespace) -> int:
    from dxe_eval.archive.runs import STATUS_ZH, load_document
    from dxe_eval.model import LEVEL_ZH

    run, doc = load_document(archive, args.run)
    if args.format == "json":
        args.stdout.write(
            _dumps(
                {
                    "run": run.to_dict(),
                    "records": doc.get("records", {}),
                    "findings": doc.get("findings", []),
                    "commendation": doc.get("commendation", {}),
                }
            )
        )
        return 0
    lines = [
        f"run {run.id}：{run.ruleset_title}",
        f"  期间 period        {run.period}",
        f"  规则集 ruleset     {run.ruleset_id}（{run.ruleset_source}）",
        f"  规则集指纹         {run.ruleset_fingerprint}",
        f"  状态 status        {STATUS_ZH[run.status]} {run.status}",
        f"  存档 stored        {run.created_at.isoformat()}，dxe-eval {run.dxe_eval_version}",
        f"  数据 data          {run.data_origin or '（内存中的记录）'}",
    ]
    if run.published_on:
        lines.append(f"  发布 published     {run.published_on} 由 {run.published_by}")
    if run.supersedes or run.superseded_by:
        lines.append(f"  取代 supersede     {_replaced(run)}；原因：{run.reason or ''}")
    lines.append(f"  校验 row_hash      {run.row_hash}（已核对全部行 / every row checked）")
    counts = "，".join(f"{k} {v['rows']}" for k, v in run.digests.items())
    lines.append(f"  行数 rows          {counts}")
    args.stdout.write("\n".join(lines) + "\n\n预警与通报 findings:\n")
    args.stdout.write(
        _table(
            [
                [
                    LEVEL_ZH.get(f["level"], f["level"]),
                    f["candidate_id"],
                    f["threshold"],
                    f["reason"],
                ]
                for f in doc.get("findings", [])
            ],
            ["等级", "编号", "阈值", "原因"],
        )
    )
    entries = [
        [kind, e["group"], e["rank"], e["candidate_id"], e["name"], f"{e['total']:g}"]
        for kind, es in doc.get("commendation", {}).items()
        for e in es
    ]
    args.stdout.write("\n表彰建议名单 commendation:\n")
    args.stdout.write(_table(entries, ["类型", "类别", "名次", "编号", "名称", "总分"]))
    return 0


def _publish(archive: Any, args: argparse.Namespace) -> int:
    from dxe_eval.archive.runs import publish

    run = publish(
        archive, args.run, by=args.by, on=args.on, supersede=args.supersede, reason=args.reason
    )
    extra = f"，取代 run {run.supersedes}" if run.supersedes else ""
    print(
        f"已发布 / published: run {run.id}（{run.period}，{run.ruleset_id}）"
        f"发布日期 {run.published_on}，发布人 {run.published_by}{extra}",
        file=args.stdout,
    )
    return 0


def _diff(archive: Any, args: argparse.Namespace) -> int:
    from dxe_eval.archive.runs import load_document
    from dxe_eval.archive.stored import stored_evaluation
    from dxe_eval.whatif import compare, comparison_table, comparison_to_dict

    a, b = (stored_evaluation(*load_document(archive, rid)) for rid in args.runs)
    comparison = compare(a, b)  # type: ignore[arg-type]
    if args.format == "json":
        args.stdout.write(
            _dumps({"run_a": a.run.id, "run_b": b.run.id, **comparison_to_dict(comparison)})
        )
        return 0
    args.stdout.write(f"run {a.run.id}（{a.run.period}）→ run {b.run.id}（{b.run.period}）\n")
    args.stdout.write(comparison_table(comparison, changed_only=args.changed_only))
    return 0


def _export(archive: Any, args: argparse.Namespace) -> int:
    from dxe_eval.archive.runs import load_document
    from dxe_eval.archive.stored import stored_evaluation
    from dxe_eval.report.registry import reporters
    from dxe_eval.report.reporter import ReportOptions

    # json: the stored document itself; any other format: its reporter, by name
    reporter = None if args.format == "json" else reporters()[args.format]
    if reporter is not None and (reporter.render is None or reporter.file_only) and not args.output:
        print(
            f"dxe-eval: --format {args.format} 需要 --output 文件 "
            f"| --format {args.format} needs --output FILE",
            file=sys.stderr,
        )
        return EXIT_USAGE
    run, document = load_document(archive, args.run)
    if reporter is None:
        write_text(_dumps(document), args.output, args.stdout)
        return 0
    from dxe_eval.archive.evaluation import to_previous
    from dxe_eval.archive.history import previous_run, previous_totals

    before = previous_run(archive, run.period_start, run.period_end)
    previous = to_previous(before, previous_totals(archive, before) if before else None)
    stored: Any = stored_evaluation(run, document)
    options = ReportOptions(previous=previous)
    if reporter.write is not None:
        reporter.write(stored, args.output, options)
    else:
        assert reporter.render is not None
        write_text(reporter.render(stored, options), args.output, args.stdout)
    if args.output:
        print(f"已写出 / written: {args.output}", file=sys.stderr)
    return 0


#: the columns of a rectifications file, by English name and Chinese label
RECTIFY_COLUMNS = {
    "run_id": ("run_id", "评价编号", "run"),
    "candidate_id": ("candidate_id", "对象编号"),
    "rectified_on": ("rectified_on", "整改日期"),
    "note": ("note", "整改说明", "说明"),
}


def _rectify(archive: Any, args: argparse.Namespace) -> int:
    from dxe_eval.archive.runs import rectify, rectify_many

    if args.file:
        if args.run is not None or args.candidate is not None:
            print(
                "dxe-eval archive rectify: --file 与 RUN CANDIDATE 只能选一 "
                "/ give --file or RUN CANDIDATE, not both",
                file=sys.stderr,
            )
            return EXIT_USAGE
        rows = read_rectifications(Path(args.file))
        n = rectify_many(archive, rows, by=args.by)
        print(f"已登记整改 / recorded: {n} 条（{args.file}）", file=args.stdout)
        return 0
    if args.run is None or args.candidate is None or args.on is None:
        print(
            "dxe-eval archive rectify: 需要 RUN CANDIDATE --on DATE（或 --file FILE） "
            "/ give RUN CANDIDATE --on DATE, or --file FILE",
            file=sys.stderr,
        )
        return EXIT_USAGE
    r = rectify(archive, args.run, args.candidate, on=args.on, note=args.note, by=args.by)
    print(
        f"已登记整改 / recorded: run {r.run_id} {r.candidate_id} 整改日期 {r.rectified_on}",
        file=args.stdout,
    )
    return 0


def read_rectifications(path: Path) -> list[dict[str, Any]]:
    """The rows of a rectifications CSV file (UTF-8 or GB18030), each with ``where`` (file
    and row) for the error that refuses it; a missing column or a bad value is a
    :class:`~dxe_eval.errors.DataError` naming file, row and column."""
    from dxe_eval.errors import DataError
    from dxe_eval.read.raw import decode

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError("no such file", file=str(path), zh="找不到整改记录文件") from None
    text, _ = decode(data, path.name)
    reader = csv.reader(text.splitlines())
    header = [h.strip() for h in next(reader, [])]
    index: dict[str, int] = {}
    for name, spellings in RECTIFY_COLUMNS.items():
        for i, h in enumerate(header):
            if h in spellings:
                index[name] = i
    for name in ("run_id", "candidate_id", "rectified_on"):
        if name not in index:
            raise DataError(
                f"missing column {name}",
                file=path.name,
                column=name,
                zh=f"缺少列 {name}（{RECTIFY_COLUMNS[name][1]}）",
            )
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = index.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        try:
            run_id = int(cell("run_id").removeprefix("run:"))
        except ValueError:
            raise DataError(
                f"not a run id: {cell('run_id')!r}",
                file=path.name,
                row=number,
                column="run_id",
                zh=f"run 编号无效：{cell('run_id')}",
            ) from None
        try:
            on = dt.date.fromisoformat(cell("rectified_on").replace("/", "-"))
        except ValueError:
            raise DataError(
                f"not a date: {cell('rectified_on')!r}",
                file=path.name,
                row=number,
                column="rectified_on",
                zh=f"整改日期无效：{cell('rectified_on')}",
            ) from None
        if not cell("candidate_id"):
            raise DataError(
                "empty candidate_id",
                file=path.name,
                row=number,
                column="candidate_id",
                zh="对象编号为空",
            )
        rows.append(
            {
                "run_id": run_id,
                "candidate_id": cell("candidate_id"),
                "rectified_on": on,
                "note": cell("note"),
                "where": f"{path.name} row {number}",
            }
        )
    return rows


def compare_with_runs(args: argparse.Namespace) -> int:
    """``compare`` with ``run:ID`` on either side: the stored run against another stored run
    or against a fresh evaluation of ``--data`` under a ruleset."""
    from dxe_eval.archive.runs import load_document
    from dxe_eval.archive.store import open_archive
    from dxe_eval.archive.stored import stored_evaluation
    from dxe_eval.commands.common import note_rejections, note_warnings, registry
    from dxe_eval.engine import evaluate
    from dxe_eval.whatif import compare, comparison_table, comparison_to_dict

    sides: list[Any] = []
    fresh = None
    with open_archive(args.archive, create=False) as archive:
        for side in args.ruleset:
            if side.startswith("run:"):
                sides.append(stored_evaluation(*load_document(archive, _run_id(side))))
            else:
                fresh = evaluate(args.data, side, registry=registry(args))
                sides.append(fresh)
    comparison = compare(sides[0], sides[1])
    if args.format == "json":
        args.stdout.write(_dumps(comparison_to_dict(comparison)))
    else:
        names = [
            f"run {s.run.id}（{s.run.period}）" if hasattr(s, "run") else s.ruleset.id
            for s in sides
        ]
        args.stdout.write(f"A：{names[0]}　B：{names[1]}\n")
        args.stdout.write(
            comparison_table(comparison, lang=args.lang, changed_only=args.changed_only)
        )
    if fresh is not None:
        note_warnings(fresh)
        note_rejections(fresh)
    return 0


ACTIONS = {
    "list": _list,
    "show": _show,
    "publish": _publish,
    "diff": _diff,
    "export": _export,
    "rectify": _rectify,
}
