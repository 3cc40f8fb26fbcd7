"""``dxe-eval explain ID``: why a candidate got its score, findings and commendation place.

Every rule's points, maximum, reason, parameters (with their source) and the
evidence ids behind it; every threshold's judgement with its evidence; where
the candidate stands in the commendation and why.
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from dxe_eval.commend import TIE
from dxe_eval.errors import DxeEvalError, did_you_mean
from dxe_eval.model import KIND_LIST_ZH, KIND_ZH
from dxe_eval.report.present import level_name, tie_note
from dxe_eval.report.reporter import Reporter, ReportOptions
from dxe_eval.result import Evaluation
from dxe_eval.terminal import terminal_safe

EVIDENCE_SHOWN = 50


def _params(params: Any) -> str:
    parts = []
    for a in attrs.fields(type(params)):
        parts.append(f"{a.name}={getattr(params, a.name)!r}")
    return ", ".join(parts)


def _refuse_rejected(ev: Evaluation, candidate_id: str) -> None:
    """Raise, naming the file, row and reason, when ``candidate_id`` is the id of a
    candidate row (a unit, person or project) that was rejected."""
    types = ev.registry.record_types
    for r in ev.dataset.rejected:
        rt = types.get(r.record_type)
        if r.ident == candidate_id and rt is not None and rt.candidate_kind:
            raise DxeEvalError(
                f"{candidate_id!r} was not evaluated: its row was rejected "
                f"({r.file} row {r.row}: {r.reason})",
                zh=f"对象 {candidate_id} 未参加评价：其数据行被拒收（{r.file} 第 {r.row} 行："
                f"{r.reason}）",
            )


def explain(ev: Evaluation, candidate_id: str, *, lang: str = "zh") -> str:
    """A plain-text explanation of one candidate, Chinese by default, ``lang="en"`` for English.

    The id is stripped of surrounding spaces (full-width ones too), as data cells are."""
    candidate_id = candidate_id.strip()
    card = ev.get_scorecard(candidate_id)
    if card is None:
        _refuse_rejected(ev, candidate_id)
        ids = [c.candidate.candidate_id for c in ev.scorecards]
        raise DxeEvalError(
            f"no candidate {candidate_id!r}{did_you_mean(candidate_id, ids)}",
            zh=f"找不到对象 {candidate_id}",
        )
    zh = lang == "zh"
    c = card.candidate
    rs = ev.ruleset
    lines = [
        f"{c.candidate_id} {c.name}（{KIND_ZH[c.kind]}，{c.category}）"
        if zh
        else f"{c.candidate_id} {c.name} ({c.kind}, {c.category})",
        (
            f"规则集 {rs.id}（{rs.source}），期间 {rs.period.start} 至 {rs.period.end}"
            if zh
            else f"ruleset {rs.id} ({rs.source}), period {rs.period.start} to {rs.period.end}"
        ),
        (
            f"总分 {card.total:g} = 基础分 {card.base:g} + 加分 {card.bonus:g} − 扣分 "
            f"{card.deductions:g}"
            if zh
            else f"total {card.total:g} = base {card.base:g} + bonus {card.bonus:g} − deductions "
            f"{card.deductions:g}"
        ),
    ]
    weighted = [r for r in card.rules if not r.bonus and r.result.applicable]
    most = sum(r.result.max for r in weighted)
    if weighted and abs(most - rs.total) > 1e-9:
        lines.append(
            f"（适用规则满分合计 {most:g}，按 {rs.total:g} 分折算：基础分 = 得分合计 × "
            f"{rs.total:g} / {most:g}）"
            if zh
            else f"(applicable rules add up to {most:g}; scaled to {rs.total:g})"
        )
    lines.append(
        "（每项得分先四舍五入到 0.01 分再相加；基础分、总分同样四舍五入到 0.01 分）"
        if zh
        else "(each rule's points are rounded half-up to cents, then added; the base and "
        "the total are rounded half-up to cents too)"
    )
    lines.append("")
    lines.append("【各项得分】" if zh else "[Rules]")
    for r in card.rules:
        res = r.result
        title = f"{r.title}（{r.rule}）" if zh else r.rule
        pts = (
            "不适用"
            if not res.applicable and zh
            else ("n/a" if not res.applicable else f"{res.points:g} / {res.max:g}")
        )
        lines.append(f"- {title}: {pts}")
        lines.append(f"    {'理由' if zh else 'why'}: {res.reason if zh else res.reason_en}")
        params = rs.rules.get(r.rule)
        if params is not None:
            source = rs.sources.get(f"rules.{r.rule}") or rs.source
            cite = (f"（依据 {source}）" if zh else f" (source: {source})") if source else ""
            lines.append(f"    {'参数' if zh else 'parameters'}: {_params(params)}{cite}")
        if res.evidence:
            shown = ", ".join(res.evidence[:EVIDENCE_SHOWN])
            more = len(res.evidence) - EVIDENCE_SHOWN
            tail = (
                (f" 等 {len(res.evidence)} 条" if zh else f" … {len(res.evidence)} in all")
                if more > 0
                else ""
            )
            lines.append(f"    {'依据记录' if zh else 'evidence'}: {shown}{tail}")
        lines.append(f"    {'插件' if zh else 'plugin'}: {r.plugin}")
    lines.append("")
    lines.append("【预警与通报】" if zh else "[Thresholds]")
    if not card.assessments:
        lines.append("（无适用阈值）" if zh else "(no threshold applies)")
    for tid, a in sorted(card.assessments.items()):
        level = level_name(a.level, lang) if a.level else ("无" if zh else "none")
        judged = "" if a.judged else ("（未判定）" if zh else " (not judged)")
        lines.append(f"- {tid}: {level}{judged} — {a.reason if zh else a.reason_en}")
        if a.evidence:
            lines.append(
                f"    {'依据记录' if zh else 'evidence'}: {', '.join(a.evidence)}"
                + (f"（共 {a.count} 条）" if zh else f" ({a.count} in all)")
            )
    aside = ev.evidence.set_aside_of(c.kind, c.candidate_id)
    if aside:
        lines.append("")
        lines.append("【不计入的记录】" if zh else "[Records not counted]")
        types = ev.registry.record_types
        for name, rows in aside.items():
            label = types[name].label if name in types else name
            column = "set_aside_zh" if zh else "set_aside_en"
            for what, why in rows.select("set_aside_what", column).iter_rows():
                lines.append(f"- {label if zh else name} {what}: {why}")
    lines.append("")
    lines.append("【年度表彰】" if zh else "[Commendation]")
    com = ev.commendation
    entry = com.entry(c.candidate_id)
    near = next(
        (e for e in com.near_misses.get(c.kind, ()) if e.candidate_id == c.candidate_id), None
    )
    excluded = next(
        (x for x in com.excluded if x.candidate_id == c.candidate_id and x.kind == c.kind), None
    )
    list_name = KIND_LIST_ZH[c.kind]
    if c.kind not in com.lists:
        lines.append("本类名单未启用" if zh else "this list is not enabled")
    elif entry is not None:
        tie = tie_note(entry.tied, lang)
        if entry.decided_by == TIE:  # equal on the total and the whole chain
            how = "，与前一名完全相同" if zh else ", equal to the one above"
        elif entry.decided_by:
            how = (
                f"，与前一名由 {entry.decided_by} 区分"
                if zh
                else f", ordered against the one above by {entry.decided_by}"
            )
        else:
            how = ""
        if entry.status == "pending":
            lines.append(
                f"{list_name}建议名单：{entry.group} 第 {entry.rank} 名，{entry.note}"
                if zh
                else f"in the list, pending: {entry.group} rank {entry.rank}: {entry.note}"
            )
        else:
            lines.append(
                f"入选{list_name}建议名单：{entry.group} 第 {entry.rank} 名{tie}{how}"
                if zh
                else f"commended: {entry.group} rank {entry.rank}{tie}{how}"
            )
    elif near is not None:
        lines.append(
            f"符合条件但未入选：{near.group} 第 {near.rank} 名，{near.note}"
            if zh
            else f"eligible, not commended: {near.group} rank {near.rank}: {near.note}"
        )
    elif excluded is not None:
        lines.append("不符合表彰条件：" if zh else "not eligible:")
        lines += [f"- {reason}" for reason in excluded.reasons]
    return terminal_safe("\n".join(lines) + "\n")


def _render(ev: Evaluation, options: ReportOptions) -> str:
    if options.candidate is None:
        raise DxeEvalError("explain needs a candidate id", zh="explain 需要对象编号")
    return explain(ev, options.candidate, lang=options.lang)


REPORTER: Final = Reporter(
    name="explain",
    title="一个对象的得分、预警与表彰说明 / why one candidate got its score",
    render=_render,
    per_candidate=True,
)
