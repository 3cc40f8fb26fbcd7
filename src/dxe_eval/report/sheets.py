"""The tables of the spreadsheet reports (CSV and XLSX) of one :class:`~dxe_eval.result.Evaluation`.

Both formats (:mod:`dxe_eval.report.csv`, :mod:`dxe_eval.report.xlsx`) render the same
tables (:func:`report_tables`), Chinese headers, one table per sheet or file:

========== ==================================================================
总分        one row per candidate: points per rule, base, bonus, deductions, total,
           findings and commendation status
明细        one row per candidate and rule: points, maximum, reason, evidence ids
预警与通报  the findings (警示 / 责令改正 / 通报批评)
表彰建议名单 the commendation lists and the near misses over the quota
未入选原因  candidates that are not eligible, with every reason
数据问题    rejected rows (file, row, column, reason) and the run's warnings
运行信息    the ruleset, period, versions and input files (XLSX only)
========== ==================================================================

**Safe export**: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is written with a leading ``'`` so that Excel and other
spreadsheets never run it as a formula; numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from dxe_eval.model import KIND_LIST_ZH, KIND_ZH, KINDS
from dxe_eval.report.json import manifest
from dxe_eval.report.present import (
    Cell,
    Table,
    decided_link,
    entry_status,
    evidence_item,
    level_name,
    levels_by_candidate,
    record_type_name,
    standings,
    status_text,
    titled,
)
from dxe_eval.result import Evaluation

__all__ = ["Cell", "Table"]

#: a text cell starting with one of these could run as a formula in a spreadsheet
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
#: how many evidence ids a cell lists before it says how many more there are
EVIDENCE_SHOWN: Final = 20
#: the table written by ``--format csv`` to one file or to standard output
SUMMARY: Final = "总分"
NOT_APPLICABLE: Final = "不适用"


def safe(value: Any) -> Cell:
    """A cell value that no spreadsheet runs as a formula; numbers are kept as numbers."""
    if value is None or isinstance(value, bool):
        return None if value is None else ("是" if value else "否")
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _ids(ids: Sequence[str], count: int | None = None, ev: Evaluation | None = None) -> str:
    total = max(len(ids), count or 0)
    first = ids[:EVIDENCE_SHOWN]
    shown = ", ".join(evidence_item(ev, i) for i in first) if ev else ", ".join(first)
    if total > min(len(ids), EVIDENCE_SHOWN):
        shown += f" 等共 {total} 条"
    return shown


def _rule_columns(ev: Evaluation) -> list[tuple[str, str]]:
    """(rule id, title) in the order the scorecards list them."""
    seen: dict[str, str] = {}
    for card in ev.scorecards:
        for r in card.rules:
            seen.setdefault(r.rule, r.title)
    return list(seen.items())


def _kind_order(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def summary_table(ev: Evaluation) -> Table:
    rules = _rule_columns(ev)
    status = {key: status_text(s) for key, s in standings(ev).items()}
    levels = levels_by_candidate(ev)
    headers = (
        "类型",
        "编号",
        "名称",
        "类别",
        "所属单位",
        *(title for _, title in rules),
        "基础分",
        "加分",
        "扣分",
        "总分",
        "预警与通报",
        "表彰",
    )
    cards = sorted(
        ev.scorecards,
        key=lambda c: (_kind_order(c.candidate.kind), -c.total, c.candidate.candidate_id),
    )
    rows = []
    for card in cards:
        c = card.candidate
        cells: list[Cell] = [KIND_ZH.get(c.kind, c.kind), c.candidate_id, c.name, c.category]
        cells.append(c.unit_id)
        for rule_id, _ in rules:
            r = card.get_rule(rule_id)
            if r is None:
                cells.append(None)
            elif not r.result.applicable:
                cells.append(NOT_APPLICABLE)
            else:
                cells.append(r.result.points)
        key = (c.kind, c.candidate_id)
        cells += [card.base, card.bonus, card.deductions, card.total]
        cells += [levels.get(key, ""), status.get(key, "")]
        rows.append(tuple(safe(v) for v in cells))
    return Table(SUMMARY, headers, tuple(rows))


def detail_table(ev: Evaluation) -> Table:
    headers = (
        "类型",
        "编号",
        "名称",
        "规则",
        "得分",
        "满分",
        "适用",
        "加分项",
        "理由",
        "依据记录",
        "插件",
    )
    cards = sorted(
        ev.scorecards, key=lambda c: (_kind_order(c.candidate.kind), c.candidate.candidate_id)
    )
    rows = []
    for card in cards:
        c = card.candidate
        for r in card.rules:
            res = r.result
            cells: list[Any] = [KIND_ZH.get(c.kind, c.kind), c.candidate_id, c.name]
            cells += [
                titled("rule", r.rule, registry=ev.registry),
                res.points if res.applicable else NOT_APPLICABLE,
                res.max,
            ]
            cells += [res.applicable, r.bonus, res.reason, _ids(res.evidence), r.plugin]
            rows.append(tuple(safe(v) for v in cells))
    return Table("明细", headers, tuple(rows))


def findings_table(ev: Evaluation) -> Table:
    headers = (
        "等级",
        "单位编号",
        "类型",
        "编号",
        "阈值",
        "数值",
        "限值",
        "原因",
        "依据记录",
        "件数",
    )
    rows = []
    for f in ev.findings:
        cells: list[Any] = [level_name(f.level), f.unit_id, KIND_ZH.get(f.kind, f.kind)]
        cells += [f.candidate_id, titled("threshold", f.threshold, registry=ev.registry)]
        cells += [f.value, f.limit, f.reason, _ids(f.evidence, f.count, ev), f.count]
        rows.append(tuple(safe(v) for v in cells))
    return Table("预警与通报", headers, tuple(rows))


def commendation_table(ev: Evaluation) -> Table:
    headers = (
        "名单",
        "状态",
        "分组",
        "名次",
        "并列",
        "编号",
        "名称",
        "类别",
        "单位编号",
        "总分",
        "决定因素",
        "备注",
    )
    rows = []
    for kind in KINDS:
        for source in (ev.commendation.lists, ev.commendation.near_misses):
            for e in source.get(kind, ()):
                status = entry_status(e.status)
                cells: list[Any] = [KIND_LIST_ZH.get(kind, kind), status, e.group, e.rank, e.tied]
                cells += [e.candidate_id, e.name, e.category, e.unit_id, e.total]
                cells += [decided_link(ev, e.decided_by), e.note]
                rows.append(tuple(safe(v) for v in cells))
    return Table("表彰建议名单", headers, tuple(rows))


def excluded_table(ev: Evaluation) -> Table:
    headers = ("类型", "编号", "名称", "类别", "总分", "原因")
    rows = tuple(
        tuple(
            safe(v)
            for v in (
                KIND_ZH.get(x.kind, x.kind),
                x.candidate_id,
                x.name,
                x.category,
                x.total,
                "；".join(x.reasons),
            )
        )
        for x in sorted(
            ev.commendation.excluded, key=lambda x: (_kind_order(x.kind), x.candidate_id)
        )
    )
    return Table("未入选原因", headers, rows)


def problems_table(ev: Evaluation) -> Table:
    headers = ("类别", "记录类型", "文件", "行", "列", "原因")
    rows = [
        tuple(
            safe(v)
            for v in (
                "拒收",
                record_type_name(ev, r.record_type),
                r.file,
                r.row,
                r.column,
                r.reason,
            )
        )
        for r in ev.dataset.rejected
    ]
    rows += [tuple(safe(v) for v in ("提示", None, None, None, None, w)) for w in ev.warnings]
    return Table("数据问题", headers, tuple(rows))


def run_table(ev: Evaluation) -> Table:
    """What the run used: ruleset, period, versions, inputs and read counts."""
    m = manifest(ev)
    rs = ev.ruleset
    rows: list[tuple[Any, ...]] = [
        ("规则集", rs.id, rs.title),
        ("依据文件", rs.source, None),
        ("考评期间", m["period"]["start"], m["period"]["end"]),
        ("规则集指纹", rs.fingerprint, rs.file),
        ("时区", m["timezone"], None),
        ("工作日历", m["calendar"]["id"], m["calendar"]["version"]),
        ("dxe_eval 版本", m["dxe_eval"], f"Python {m['python']}"),
    ]
    rows += [("插件", p["name"], f"{p['distribution']} {p['version']}") for p in m["plugins"]]
    rows += [
        (
            f"输入 {record_type_name(ev, i['record_type'])}",
            i["file"],
            f"{i['rows']} 行 sha256 {i['sha256']}",
        )
        for i in m["inputs"]
    ]
    rows += [
        (f"读取 {record_type_name(ev, name)}", c.read, f"接收 {c.accepted}，拒收 {c.rejected}")
        for name, c in ev.dataset.counts.items()
    ]
    return Table("运行信息", ("项目", "值", "说明"), tuple(tuple(safe(v) for v in r) for r in rows))


def report_tables(ev: Evaluation) -> tuple[Table, ...]:
    """The tables every spreadsheet report holds, in sheet order."""
    return (
        summary_table(ev),
        detail_table(ev),
        findings_table(ev),
        commendation_table(ev),
        excluded_table(ev),
        problems_table(ev),
    )
