"""``dxe-eval explain ID``: why a candidate got its score, findings and commendation place.

Every rule's points, maximum, reason, parameters (with their source) and the
evidence ids behind it; every threshold's judgement with its evidence; where
the candidate stands in the commendation and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import polars as pl

from dxe_eval.commend import TIE
from dxe_eval.errors import DxeEvalError, did_you_mean, nearest
from dxe_eval.evidence import CID, completion_limit
from dxe_eval.evidence import KIND as CID_KIND
from dxe_eval.model import KIND_LIST_ZH, KIND_ZH
from dxe_eval.read.raw import FILE, ROW
from dxe_eval.report.present import (
    count_text,
    decided_text,
    evidence_item,
    evidence_label,
    level_name,
    tie_note,
    titled,
)
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
        title = titled("rule", r.rule, lang, registry=ev.registry)
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
            items = res.evidence[:EVIDENCE_SHOWN]
            label = evidence_label(r.rule, lang)
            counted = count_text(len(items), len(res.evidence), lang)
            lines.append(
                f"    {label}（{counted}）: {', '.join(items)}"
                if zh
                else f"    {label} ({counted}): {', '.join(items)}"
            )
        lines.append(f"    {'插件' if zh else 'plugin'}: {r.plugin}")
    lines.append("")
    lines.append("【预警与通报】" if zh else "[Thresholds]")
    if not card.assessments:
        lines.append("（无适用阈值）" if zh else "(no threshold applies)")
    for tid, a in sorted(card.assessments.items()):
        level = level_name(a.level, lang) if a.level else ("无" if zh else "none")
        judged = "" if a.judged else ("（未判定）" if zh else " (not judged)")
        name = titled("threshold", tid, lang, registry=ev.registry)
        lines.append(f"- {name}: {level}{judged} — {a.reason if zh else a.reason_en}")
        if a.evidence:
            listed = ", ".join(evidence_item(ev, x, lang) for x in a.evidence)
            counted = count_text(len(a.evidence), a.count, lang)
            label = evidence_label(tid, lang)
            lines.append(
                f"    {label}（{counted}）: {listed}"
                if zh
                else f"    {label} ({counted}): {listed}"
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
                f"，决定因素：{decided_text(ev, entry, lang)}（前一名在前）"
                if zh
                else f", decided by: {decided_text(ev, entry, lang)} (the one above first)"
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
        if near.decided_by:
            lines.append(
                f"决定因素：{decided_text(ev, near, lang)}（前一名在前）"
                if zh
                else f"decided by: {decided_text(ev, near, lang)} (the one above first)"
            )
    elif excluded is not None:
        lines.append("不符合表彰条件：" if zh else "not eligible:")
        lines += [f"- {reason}" for reason in excluded.reasons]
    return terminal_safe("\n".join(lines) + "\n")


def _fold(text: str) -> str:
    return text.strip().casefold()


def _find_records(ev: Evaluation, wanted: str) -> list[tuple[str, dict[str, Any]]]:
    """The accepted records (record type, row) whose id is ``wanted``, case-insensitive."""
    found = []
    for name, rt in ev.registry.record_types.items():
        if rt.id_column is None or rt.candidate_kind or name not in ev.dataset.frames:
            continue
        frame = ev.dataset.frames[name]
        if rt.id_column not in frame.columns:
            continue
        rows = frame.filter(
            pl.col(rt.id_column).cast(pl.String).str.strip_chars().str.to_lowercase()
            == wanted.lower()
        )
        found += [(name, row) for row in rows.iter_rows(named=True)]
    return found


def _day(value: Any) -> str:
    return "" if value is None else str(value)[:10]


def _wd(value: Any, zh: bool) -> str:
    if value is None:
        return "—"
    return f"{value} 个工作日" if zh else f"{value} working day(s)"


def _request_days(ev: Evaluation, rid: str, zh: bool) -> list[str]:
    """The working days of request ``rid``: received → answered, → closed, → ledger,
    → visit, each against its limit (from the ruleset)."""
    frame = ev.evidence.frame("requests").filter(pl.col("request_id") == rid)
    if not frame.height:
        return []
    r = frame.row(0, named=True)
    rs = ev.ruleset
    close_limit = completion_limit(rs.limits.completion_days, r.get("kind"))

    def days_of(rule: str) -> int | None:
        params = rs.rules.get(rule)
        return getattr(params, "days", None)

    out = ["【工作日】" if zh else "[Working days]"]
    received = _day(r["received_on"])
    if r.get("received_in_period"):
        out.append(
            f"- 受理 {received}，在评价期间内，计入本期评价"
            if zh
            else f"- received {received}, within the period: counted"
        )
    else:
        out.append(
            f"- 受理 {received}，不在评价期间 {rs.period.start} 至 {rs.period.end} 内，"
            "不计入本期的需求类评分和预警"
            if zh
            else f"- received {received}, outside the period {rs.period.start} to "
            f"{rs.period.end}: not counted by this period's request rules and thresholds"
        )
    steps = (
        (
            "首次响应",
            "answered",
            "received_on",
            "responded_on",
            "response_wd",
            days_of("timeliness"),
            "响应时限",
        ),
        (
            "办结",
            "closed",
            "received_on",
            "closed_on",
            "close_wd",
            close_limit,
            f"{r.get('kind') or ''}办结时限",
        ),
        (
            "录入台账",
            "ledger entry",
            "closed_on",
            "ledger_on",
            "ledger_wd",
            days_of("ledger"),
            "台账时限",
        ),
        ("回访", "visit", "closed_on", "visit_on", "visit_wd", days_of("follow-up"), "回访时限"),
    )
    for zh_name, en_name, start, end, col, limit, limit_zh in steps:
        if r.get(end) is None:
            out.append(f"- {zh_name}：无" if zh else f"- {en_name}: none")
            continue
        taken = r.get(col)
        over = limit is not None and taken is not None and taken > limit
        verdict = ""
        if limit is not None and taken is not None:
            verdict = (
                f"（{limit_zh} {limit} 个工作日，{'超时' if over else '未超时'}）"
                if zh
                else f" (limit {limit}: {'late' if over else 'in time'})"
            )
        out.append(
            f"- {_day(r.get(start))} → {zh_name} {_day(r.get(end))}：{_wd(taken, zh)}{verdict}"
            if zh
            else f"- {_day(r.get(start))} → {en_name} {_day(r.get(end))}: {_wd(taken, zh)}{verdict}"
        )
    return out


def explain_record(ev: Evaluation, name: str, row: Mapping[str, Any], *, lang: str = "zh") -> str:
    """A plain-text explanation of one record (a request, a rating, a ledger entry, a
    visit…): where it was read, its values, its working days (a request), the candidates
    it counts for, and the rules and thresholds that list it, with what the list is."""
    zh = lang == "zh"
    rt = ev.registry.record_types[name]
    assert rt.id_column is not None
    rid = str(row[rt.id_column])
    lines = [
        f"{rt.label} {rid}（{row.get(FILE)} 第 {row.get(ROW)} 行）"
        if zh
        else f"{name} {rid} ({row.get(FILE)} row {row.get(ROW)})"
    ]
    labels = {c.name: c.label for c in rt.columns}
    lines += [
        (f"    {labels.get(col, col)}（{col}）: " if zh else f"    {col}: ")
        + ("" if value is None else str(value))
        for col, value in row.items()
        if not col.startswith("_") and col != rt.id_column
    ]
    if name == "requests":
        lines += ["", *_request_days(ev, rid, zh)]
    lines.append("")
    lines.append("【所属对象】" if zh else "[Belongs to]")
    counted = (
        name in ev.evidence.frames
        and ev.evidence.frame(name).filter(pl.col(rt.id_column) == rid).height
    )
    if not counted:
        aside = ev.evidence.set_aside.get(name)
        why = []
        if aside is not None and rt.id_column in aside.columns:
            column = "set_aside_zh" if zh else "set_aside_en"
            why = aside.filter(pl.col(rt.id_column) == rid)[column].to_list()
        lines.append(
            ("不计入任何评分、预警和表彰" if zh else "counted nowhere")
            + (f"：{why[0]}" if zh and why else f": {why[0]}" if why else "")
        )
    else:
        attributed = ev.evidence.attributed(name).filter(pl.col(rt.id_column) == rid)
        for kind, cid in attributed.select(CID_KIND, CID).iter_rows():
            card = ev.get_scorecard(cid)
            label = KIND_ZH[kind] if zh else kind
            lines.append(f"- {label} {cid} {card.candidate.name if card else ''}".rstrip())
        if not attributed.height:
            request = row.get("request_id") if name != "requests" else None
            lines.append(
                "（不直接计入任何对象"
                + (f"；按其服务需求计入，见 dxe-eval explain {request}" if request else "")
                + "）"
                if zh
                else "(counted for no candidate directly"
                + (
                    f"; it counts through its request: dxe-eval explain {request}"
                    if request
                    else ""
                )
                + ")"
            )
    lines.append("")
    lines.append("【列为依据】" if zh else "[Listed as evidence]")
    listed = []
    for card in ev.scorecards:
        cid = card.candidate.candidate_id
        for r in card.rules:
            if rid in r.result.evidence:
                listed.append(
                    f"- {cid}：{titled('rule', r.rule, lang, registry=ev.registry)} — "
                    f"{evidence_label(r.rule, lang)}；{r.result.reason}"
                    if zh
                    else f"- {cid}: {titled('rule', r.rule, lang, registry=ev.registry)} — "
                    f"{evidence_label(r.rule, lang)}; {r.result.reason_en}"
                )
        for tid, a in sorted(card.assessments.items()):
            if rid in a.evidence:
                level = level_name(a.level, lang) if a.level else ("无" if zh else "none")
                listed.append(
                    f"- {cid}：{titled('threshold', tid, lang, registry=ev.registry)}（{level}） — "
                    f"{evidence_label(tid, lang)}；{a.reason}"
                    if zh
                    else f"- {cid}: {titled('threshold', tid, lang, registry=ev.registry)} "
                    f"({level}) — {evidence_label(tid, lang)}; {a.reason_en}"
                )
    lines += listed or [
        "（未列入任何规则或阈值的依据：未因它扣分或预警）"
        if zh
        else "(listed by no rule or threshold: it cost no points and raised no finding)"
    ]
    return terminal_safe("\n".join(lines) + "\n")


#: a record type with more ids than this is searched for a did-you-mean among those
#: sharing the last three characters or the start with the id asked for (difflib over a
#: province's two million request ids would take seconds)
NEAR_SCAN: Final = 50_000


def _near_ids(ids: pl.Series, wanted: str) -> list[str]:
    """The ids of one record type to look for a did-you-mean among."""
    ids = ids.cast(pl.String).drop_nulls()
    if ids.len() > NEAR_SCAN:
        up = ids.str.to_uppercase()
        key = wanted.upper()
        ids = ids.filter(up.str.ends_with(key[-3:]) | up.str.starts_with(key[:-2])).head(5000)
    return ids.to_list()


def explain_any(ev: Evaluation, wanted: str, *, lang: str = "zh") -> str:
    """Explain whatever ``wanted`` names: a candidate by id or by name, or a record (a
    request, rating, ledger entry, visit…) by id; case-insensitive, surrounding spaces
    (full-width ones too) ignored. Unknown: an error with a did-you-mean."""
    wanted = wanted.strip()
    key = _fold(wanted)
    cards = {_fold(c.candidate.candidate_id): c for c in ev.scorecards}
    if key in cards:
        return explain(ev, cards[key].candidate.candidate_id, lang=lang)
    named = [c for c in ev.scorecards if _fold(c.candidate.name) == key]
    if len(named) == 1:
        return explain(ev, named[0].candidate.candidate_id, lang=lang)
    if len(named) > 1:
        ids = "、".join(c.candidate.candidate_id for c in named)
        raise DxeEvalError(
            f"{len(named)} candidates are named {wanted!r}: {ids}; give an id",
            zh=f"名称 {wanted} 对应 {len(named)} 个对象：{ids}，请用编号",
        )
    records = _find_records(ev, wanted)
    if records:
        return "\n".join(explain_record(ev, name, row, lang=lang) for name, row in records)
    _refuse_rejected(ev, wanted)
    for r in ev.dataset.rejected:
        if r.ident is not None and _fold(r.ident) == key:
            types = ev.registry.record_types
            label = types[r.record_type].label if r.record_type in types else r.record_type
            raise DxeEvalError(
                f"{r.ident!r} was not read: its row was rejected ({r.file} row {r.row}: "
                f"{r.reason})",
                zh=f"{label} {r.ident} 未计入评价：其数据行被拒收（{r.file} 第 {r.row} 行："
                f"{r.reason}）",
            )
    choices = [c.candidate.candidate_id for c in ev.scorecards]
    choices += [c.candidate.name for c in ev.scorecards]
    for name, rt in ev.registry.record_types.items():
        frame = ev.dataset.frames.get(name)
        if rt.id_column and frame is not None and rt.id_column in frame.columns:
            choices += _near_ids(frame[rt.id_column], wanted)
    close = nearest(wanted, choices) or nearest(wanted.upper(), choices)
    hint_zh = f"；是否要找 {close}？" if close else ""
    hint_en = f" (did you mean {close!r}?)" if close else ""
    raise DxeEvalError(
        f"nothing with the id or name {wanted!r}{hint_en}",
        zh=f"找不到编号或名称为 {wanted} 的对象或记录{hint_zh}",
    )


def _render(ev: Evaluation, options: ReportOptions) -> str:
    if options.candidate is None:
        raise DxeEvalError("explain needs an id", zh="explain 需要编号或名称")
    return explain_any(ev, options.candidate, lang=options.lang)


REPORTER: Final = Reporter(
    name="explain",
    title="一个对象的得分、预警与表彰说明 / why one candidate got its score",
    render=_render,
    per_candidate=True,
)
