"""The terminal tables of one :class:`~dxe_eval.result.Evaluation`.

Chinese first (``lang="en"`` for English), aligned by display width through
tabulate's wide-character mode (wcwidth).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any, Final

from tabulate import tabulate

from dxe_eval.commend import Entry
from dxe_eval.model import KIND_LIST_ZH, KIND_ZH, KINDS, LEVEL_RANK, LEVELS
from dxe_eval.report.present import (
    PENDING,
    count_text,
    decided_text,
    evidence_item,
    level_name,
    rank_text,
    record_type_name,
    title_of,
    titled,
)
from dxe_eval.report.reporter import Reporter, ReportOptions
from dxe_eval.result import Evaluation
from dxe_eval.terminal import terminal_safe

L = {
    "zh": {
        "records": "数据读取",
        "type": "记录类型",
        "read": "读取",
        "accepted": "接收",
        "rejected": "拒收",
        "file": "文件",
        "row": "行",
        "column": "列",
        "reason": "原因",
        "id": "编号",
        "name": "名称",
        "category": "类别",
        "base": "基础分",
        "bonus": "加分",
        "deductions": "扣分",
        "total": "总分",
        "scores": "得分",
        "findings": "预警与通报",
        "level": "等级",
        "threshold": "阈值",
        "rank": "名次",
        "decided": "决定因素",
        "note": "说明",
        "commend": "表彰建议名单",
        "excluded": "未入选（按总分）",
        "near": "名额外候选",
        "none": "（无）",
        "more": "另有 {n} 条，见 --format json",
        "warnings": "提示",
        "unit": "单位",
        "blanked": "取值无效、已置空的单元格（所在行照常接收）",
        "evidence": "依据记录",
    },
    "en": {
        "records": "Records",
        "type": "record type",
        "read": "read",
        "accepted": "accepted",
        "rejected": "rejected",
        "file": "file",
        "row": "row",
        "column": "column",
        "reason": "reason",
        "id": "id",
        "name": "name",
        "category": "group",
        "base": "base",
        "bonus": "bonus",
        "deductions": "deductions",
        "total": "total",
        "scores": "scores",
        "findings": "Findings",
        "level": "level",
        "threshold": "threshold",
        "rank": "rank",
        "decided": "decided by",
        "note": "note",
        "commend": "Commendation",
        "excluded": "Not eligible (by total)",
        "near": "Over quota",
        "none": "(none)",
        "more": "{n} more, see --format json",
        "warnings": "Warnings",
        "unit": "unit",
        "blanked": "Cells left empty: a value that cannot be read (the rows are kept)",
        "evidence": "evidence",
    },
}
KIND_EN = {"unit": "Units", "person": "People", "project": "Projects"}
LIST_EN = {
    "unit": "Advanced units",
    "person": "Advanced individuals",
    "project": "Excellent projects",
}


def _section(title: str) -> str:
    return f"\n== {title} =="


def _kind_title(kind: str, lang: str) -> str:
    return KIND_ZH[kind] if lang == "zh" else KIND_EN[kind]


def records_table(ev: Evaluation, lang: str = "zh", limit: int = 20) -> str:
    t = L[lang]
    rows = [
        [
            record_type_name(ev, name) if lang == "zh" else name,
            c.read,
            c.accepted,
            c.rejected,
        ]
        for name, c in ev.dataset.counts.items()
    ]
    out = [
        _section(t["records"]),
        tabulate(
            rows,
            headers=[t["type"], t["read"], t["accepted"], t["rejected"]],
            tablefmt="simple",
            colalign=("left", "right", "right", "right"),
        ),
    ]
    if ev.dataset.rejected:
        rej = [[r.file, r.row, r.column or "", r.reason] for r in ev.dataset.rejected[:limit]]
        out.append(
            tabulate(
                rej, headers=[t["file"], t["row"], t["column"], t["reason"]], tablefmt="simple"
            )
        )
        if len(ev.dataset.rejected) > limit:
            out.append(t["more"].format(n=len(ev.dataset.rejected) - limit))
    blanked = ev.dataset.blanked
    if blanked:
        out.append(f"{t['blanked']}:")
        out.append(
            tabulate(
                [[b.file, b.row, b.header, b.reason] for b in blanked[:limit]],
                headers=[t["file"], t["row"], t["column"], t["reason"]],
                tablefmt="simple",
            )
        )
        if len(blanked) > limit:
            out.append(t["more"].format(n=len(blanked) - limit))
    return "\n".join(out)


def scores_table(ev: Evaluation, kind: str, lang: str = "zh") -> str:
    t = L[lang]
    cards = [c for c in ev.scorecards if c.candidate.kind == kind]
    if not cards:
        return ""
    rule_ids: list[str] = []
    for c in cards:
        rule_ids += [r.rule for r in c.rules if r.rule not in rule_ids]
    titles = {
        r.rule: (r.title if lang == "zh" else title_of("rule", r.rule, lang, registry=ev.registry))
        for c in cards
        for r in c.rules
    }
    headers = [
        t["id"],
        t["name"],
        t["category"],
        *(titles[r] for r in rule_ids),
        t["base"],
        t["bonus"],
        t["deductions"],
        t["total"],
    ]
    rows = []
    for c in sorted(cards, key=lambda c: (-c.total, c.candidate.candidate_id)):
        cells: list[Any] = [c.candidate.candidate_id, c.candidate.name, c.candidate.category]
        for rid in rule_ids:
            r = c.get_rule(rid)
            if r is None:
                cells.append("")
            elif not r.result.applicable:
                cells.append("—")
            else:
                cells.append(f"{r.result.points:g}")
        cells += [f"{c.base:g}", f"{c.bonus:g}", f"{c.deductions:g}", f"{c.total:g}"]
        rows.append(cells)
    title = (
        f"{_kind_title(kind, lang)}{t['scores']}"
        if lang == "zh"
        else f"{KIND_EN[kind]} {t['scores']}"
    )
    return "\n".join(
        [
            _section(title),
            tabulate(
                rows,
                headers=headers,
                tablefmt="simple",
                disable_numparse=True,
                colalign=("left", "left", "left", *(["right"] * (len(headers) - 3))),
            ),
        ]
    )


def findings_table(ev: Evaluation, lang: str = "zh") -> str:
    t = L[lang]
    out = [_section(t["findings"])]
    if not ev.findings:
        out.append(t["none"])
        return "\n".join(out)
    rows = []
    for level in reversed(LEVELS):
        for f in ev.findings:
            if f.level != level:
                continue
            reason = f.reason if lang == "zh" else f.reason_en
            rows.append(
                [
                    level_name(level, lang),
                    f.unit_id,
                    f.candidate_id,
                    titled("threshold", f.threshold, lang, registry=ev.registry),
                    reason,
                    ", ".join(evidence_item(ev, x, lang) for x in f.evidence[:3])
                    + (
                        f" …（{count_text(len(f.evidence[:3]), f.count, lang)}）"
                        if f.count > 3
                        else ""
                    ),
                ]
            )
    out.append(
        tabulate(
            rows,
            headers=[t["level"], t["unit"], t["id"], t["threshold"], t["reason"], t["evidence"]],
            tablefmt="simple",
        )
    )
    return "\n".join(out)


def _entries_table(
    ev: Evaluation, entries: Iterable[Entry], t: Mapping[str, str], lang: str, *, last: str
) -> str:
    """A list's entries (or its near misses) as a table: group, rank, id, name, total,
    决定因素 in words and the note, under the header ``t[last]``."""
    rows = [
        [
            e.group,
            rank_text(e.rank, e.tied, lang),
            e.candidate_id,
            e.name,
            f"{e.total:g}",
            decided_text(ev, e, lang),
            e.note,
        ]
        for e in entries
    ]
    keys = ("category", "rank", "id", "name", "total", "decided", last)
    return tabulate(rows, headers=[t[k] for k in keys], tablefmt="simple", disable_numparse=True)


def commendation_table(ev: Evaluation, lang: str = "zh", excluded_limit: int = 10) -> str:
    t = L[lang]
    out = []
    for kind in KINDS:
        entries = ev.commendation.lists.get(kind)
        if entries is None:
            continue
        title = KIND_LIST_ZH[kind] if lang == "zh" else LIST_EN[kind]
        out.append(
            _section(f"{t['commend']}：{title}" if lang == "zh" else f"{t['commend']}: {title}")
        )
        if not entries:
            out.append(t["none"])
        else:
            out.append(_entries_table(ev, entries, t, lang, last="note"))
        near = ev.commendation.near_misses.get(kind, ())
        if near:
            out.append(f"{t['near']}:")
            out.append(_entries_table(ev, near[:excluded_limit], t, lang, last="reason"))
        excluded = [x for x in ev.commendation.excluded if x.kind == kind][:excluded_limit]
        if excluded:
            out.append(f"{t['excluded']}:")
            out.append(
                tabulate(
                    [
                        [x.candidate_id, x.name, f"{x.total:g}", "\n".join(x.reasons)]
                        for x in excluded
                    ],
                    headers=[t["id"], t["name"], t["total"], t["reason"]],
                    tablefmt="simple",
                    disable_numparse=True,
                )
            )
    return terminal_safe("\n".join(out))


def to_table(ev: Evaluation, *, lang: str = "zh") -> str:
    """Aligned terminal tables: records, scores per kind, findings, commendation."""
    head = (
        f"{ev.ruleset.title}（{ev.ruleset.id}，{ev.ruleset.source}）"
        if lang == "zh"
        else f"{ev.ruleset.title} ({ev.ruleset.id}, {ev.ruleset.source})"
    )
    parts = [head, records_table(ev, lang)]
    parts += [scores_table(ev, kind, lang) for kind in KINDS]
    parts += [findings_table(ev, lang), commendation_table(ev, lang)]
    if ev.warnings:
        parts.append(_section(L[lang]["warnings"]))
        parts += [f"- {w}" for w in ev.warnings]
    return terminal_safe("\n".join(p for p in parts if p) + "\n")


# the summary view ------------------------------------------------------------

S = {
    "zh": {
        "read_line": "读取 {read} 行：接收 {accepted}，拒收 {rejected}",
        "rejected_more": "拒收 {n} 行，前 {k} 行如下（全部见 --full）",
        "list": "{title}：建议表彰 {listed} 名，并列待定 {pending} 名，名额外 {near} 名，"
        "不符合条件 {excluded} 名",
        "shown": "显示每组前 {top} 名，共 {n} 名（全部见 --full 或 --top N）",
        "pending": "并列待定",
        "near": "名额外",
        "colon": "：",
        "blanked": "取值无效、已置空的单元格 {n} 个（所在行照常接收；明细见 --full）",
        "findings_line": "预警与通报 {n} 条：{levels}",
        "by_threshold": "按阈值",
        "worst": "最严重的 {k} 条（共 {n} 条，全部见 --full）：",
        "count": "条数",
        "warnings_more": "另有 {n} 条提示，见 --full",
        "full": "完整表格：--full；机读结果：--format json",
    },
    "en": {
        "read_line": "read {read} rows: {accepted} accepted, {rejected} rejected",
        "rejected_more": "{n} rows rejected, the first {k} below (all with --full)",
        "list": "{title}: {listed} listed, {pending} pending a tie, {near} over the quota, "
        "{excluded} not eligible",
        "shown": "the first {top} of each group shown, {n} in all (all with --full or --top N)",
        "pending": "pending",
        "near": "over the quota",
        "colon": ": ",
        "blanked": "{n} cells left empty: values that cannot be read (rows kept; see --full)",
        "findings_line": "{n} findings: {levels}",
        "by_threshold": "threshold",
        "worst": "the {k} most severe ({n} in all, every one with --full):",
        "count": "count",
        "warnings_more": "{n} more warnings, see --full",
        "full": "every table: --full; machine-read: --format json",
    },
}


def _console(width: int) -> Any:
    from rich.console import Console  # lazy: start-up

    return Console(
        file=io.StringIO(),
        width=width,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def _rich_table(headers: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> Any:
    """A table for the summary, laid out to the console's width: ``right``-aligned columns;
    a cell too wide for its column wraps."""
    from rich import box  # lazy: start-up
    from rich.table import Table as RichTable  # lazy: start-up
    from rich.text import Text  # lazy: start-up

    table = RichTable(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1))
    for i, h in enumerate(headers):
        table.add_column(Text(h), justify="right" if i in right else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text(terminal_safe(c)) for c in row))
    return table


def _summary_note(e: Any, over_quota: bool, s: dict[str, str]) -> str:
    """The summary's 说明 of one entry: 名额外 or 并列待定, with the entry's note."""
    if over_quota:
        return s["near"] + (s["colon"] + e.note if e.note else "")
    if e.status == PENDING:
        return s["pending"] + (s["colon"] + e.note if e.note else "")
    return ""


def terminal_width() -> int:
    """The terminal's width in columns (``COLUMNS`` first; 100 when not known)."""
    import shutil  # lazy: start-up

    return max(40, shutil.get_terminal_size((100, 24)).columns)


def to_summary(ev: Evaluation, *, lang: str = "zh", top: int = 5, width: int | None = None) -> str:
    """The terminal's default view, fitted to ``width`` columns: per list the first
    ``top`` of each group and every entry pending a tie, the findings counted by level and
    threshold, the counts of the excluded, the warnings one line each. ``--full`` gives
    :func:`to_table`, every row and column."""
    from rich.text import Text  # lazy: start-up

    t, s = L[lang], S[lang]
    width = width or terminal_width()
    con = _console(width)

    def line(text: str) -> None:
        con.print(Text(terminal_safe(text)), overflow="ellipsis", no_wrap=True, crop=True)

    line(
        f"{ev.ruleset.title}（{ev.ruleset.id}）"
        if lang == "zh"
        else f"{ev.ruleset.title} ({ev.ruleset.id})"
    )
    counts = ev.dataset.counts.values()
    line(
        f"\n{t['records']}{s['colon']}"
        + s["read_line"].format(
            read=sum(c.read for c in counts),
            accepted=sum(c.accepted for c in counts),
            rejected=sum(c.rejected for c in counts),
        )
    )
    rejected = ev.dataset.rejected
    if rejected:
        k = min(top, len(rejected))
        line(s["rejected_more"].format(n=len(rejected), k=k))
        con.print(
            _rich_table(
                [t["file"], t["row"], t["column"], t["reason"]],
                [[r.file, str(r.row), r.column or "", r.reason] for r in rejected[:k]],
                right=(1,),
            )
        )
    if ev.dataset.blanked:
        line(s["blanked"].format(n=len(ev.dataset.blanked)))
    for kind in KINDS:
        entries = ev.commendation.lists.get(kind)
        if entries is None:
            continue
        near = ev.commendation.near_misses.get(kind, ())
        excluded = sum(1 for x in ev.commendation.excluded if x.kind == kind)
        pending = [e for e in entries if e.status == PENDING]
        title = KIND_LIST_ZH[kind] if lang == "zh" else LIST_EN[kind]
        line(
            "\n"
            + s["list"].format(
                title=title,
                listed=len(entries) - len(pending),
                pending=len(pending),
                near=len(near),
                excluded=excluded,
            )
        )
        # over the quota on a tie-break: the same total as one listed, ordered after it by
        # the chain (满意度, 时效…), shown so that what decided is seen
        listed_totals = {(e.group, e.total) for e in entries}
        lost = [
            e
            for e in near
            if e.decided_by not in ("", "total") and (e.group, e.total) in listed_totals
        ]
        shown = [e for e in entries if e.rank <= top or e.status == PENDING]
        shown = sorted([*shown, *lost], key=lambda e: (e.group, e.rank, e in lost))

        if shown:
            con.print(
                _rich_table(
                    [
                        t["category"],
                        t["rank"],
                        t["id"],
                        t["name"],
                        t["total"],
                        t["decided"],
                        t["note"],
                    ],
                    [
                        [
                            e.group,
                            rank_text(e.rank, e.tied, lang),
                            e.candidate_id,
                            e.name,
                            f"{e.total:g}",
                            decided_text(ev, e, lang),
                            _summary_note(e, e in lost, s),
                        ]
                        for e in shown
                    ],
                    right=(4,),
                )
            )
        if len(shown) - len(lost) < len(entries):
            line(s["shown"].format(top=top, n=len(entries)))
    levels = {lv: sum(1 for f in ev.findings if f.level == lv) for lv in reversed(LEVELS)}
    sep = "，" if lang == "zh" else ", "
    line(
        "\n"
        + s["findings_line"].format(
            n=len(ev.findings),
            levels=sep.join(f"{level_name(lv, lang)} {n}" for lv, n in levels.items() if n)
            or t["none"],
        )
    )
    by: dict[tuple[str, str], int] = {}
    for f in ev.findings:
        by[(f.level, f.threshold)] = by.get((f.level, f.threshold), 0) + 1
    if by:
        con.print(
            _rich_table(
                [t["level"], s["by_threshold"], s["count"]],
                [
                    [
                        level_name(lv, lang),
                        titled("threshold", th, lang, registry=ev.registry),
                        str(n),
                    ]
                    for (lv, th), n in sorted(
                        by.items(), key=lambda kv: (-LEVEL_RANK[kv[0][0]], kv[0][1])
                    )
                ],
                right=(2,),
            )
        )
    if ev.findings:
        # the most severe first, the first ``top`` of them, one line each
        worst = sorted(ev.findings, key=lambda f: -LEVEL_RANK[f.level])[:top]
        names = {c.candidate.candidate_id: c.candidate.name for c in ev.scorecards}
        line(s["worst"].format(k=len(worst), n=len(ev.findings)))
        sep = "：" if lang == "zh" else ": "
        for f in worst:
            what = titled("threshold", f.threshold, lang, registry=ev.registry)
            why = f.reason if lang == "zh" else f.reason_en
            line(
                f"- {level_name(f.level, lang)} {f.candidate_id} {names.get(f.candidate_id, '')} "
                f"{what}{sep}{why}"
            )
    if ev.warnings:
        line(f"\n{t['warnings']}{s['colon']}")
        for w in ev.warnings[:top]:
            line(f"- {w}")
        if len(ev.warnings) > top:
            line(s["warnings_more"].format(n=len(ev.warnings) - top))
    line("\n" + s["full"])
    out: str = con.file.getvalue()
    return "\n".join(x.rstrip() for x in out.splitlines()) + "\n"


def render_table(ev: Evaluation, options: ReportOptions) -> str:
    """The ``table`` format: the summary, or every table with ``full``."""
    if options.full:
        return to_table(ev, lang=options.lang)
    return to_summary(ev, lang=options.lang, top=options.top, width=options.width)


REPORTER: Final = Reporter(
    name="table",
    title="终端摘要（默认；--full 为完整表格） / a terminal summary (default; --full: all)",
    render=render_table,
)
