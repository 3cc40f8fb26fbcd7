"""Reports out of one :class:`~dxe_eval.engine.Evaluation`: the JSON contract and terminal tables.

The JSON shape is a contract other systems read (``docs/json.md``); keys are
only ever added. Tables are Chinese first (``lang="en"`` for English) and
aligned by display width through tabulate's wide-character mode (wcwidth).
"""

from __future__ import annotations

import json
import platform
import queue
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson
from tabulate import tabulate

from dxe_eval.model import KIND_LIST_ZH, KIND_ZH, KINDS, LEVEL_ZH, LEVELS, Scorecard
from dxe_eval.terminal import terminal_safe

if TYPE_CHECKING:
    from dxe_eval.engine import Evaluation

SCHEMA_VERSION = 1


def manifest(ev: Evaluation) -> dict[str, Any]:
    """What is needed to reproduce the run: versions, plugins, calendar, ruleset, data, inputs.

    Nothing in it changes between two runs of the same data under the same ruleset on
    the same installation (no clock, no host name); ``dxe-eval verify`` reads it.
    ``data.example`` names the bundled example when that was the data set, and
    ``ruleset.shipped`` the shipped ruleset when that was the ruleset, so that a
    result can be re-run elsewhere; otherwise ``data.path`` and ``ruleset.file``
    are the paths as given.
    """
    from dxe_eval import __version__

    rs = ev.ruleset
    return {
        "dxe_eval": __version__,
        "python": platform.python_version(),
        "plugins": [
            {"name": p.name, "distribution": p.distribution, "version": p.version}
            for p in sorted(ev.registry.plugins, key=lambda p: p.name)
        ],
        "calendar": {"id": rs.calendar, "version": ev.evidence.workdays.calendar_version},
        "ruleset": {
            "id": rs.id,
            "fingerprint": rs.fingerprint,
            "file": rs.file,
            "shipped": _shipped_ruleset(rs.file),
            "source": rs.source,
        },
        "period": {"start": rs.period.start.isoformat(), "end": rs.period.end.isoformat()},
        "timezone": rs.timezone,
        "data": {"path": ev.dataset.origin, "example": _bundled_example(ev.dataset.origin)},
        "inputs": [
            {
                "record_type": s.record_type,
                "file": s.path,
                "sha256": s.sha256,
                "rows": s.rows,
                "encoding": s.encoding,
            }
            for s in ev.dataset.sources
        ],
    }


def _shipped_ruleset(file: str) -> str | None:
    """The name of the shipped ruleset at ``file``, if it is one."""
    from pathlib import Path

    from dxe_eval.ruleset import shipped_rulesets

    if not file:
        return None
    here = Path(file).resolve()
    return next((name for name, p in shipped_rulesets().items() if p.resolve() == here), None)


def _bundled_example(origin: str) -> str | None:
    """The name of the bundled example data set at ``origin``, if it is that folder."""
    from pathlib import Path

    from dxe_eval.engine import DEFAULT_DATA, default_data

    if not origin:
        return None
    return DEFAULT_DATA if Path(origin).resolve() == default_data().resolve() else None


def to_dict(ev: Evaluation, *, scorecards: bool = True) -> dict[str, Any]:
    """The documented JSON shape of an evaluation; with ``scorecards=False`` its
    ``scorecards`` list is left empty (a province's 27,000 cards are not made)."""
    from dxe_eval.engine import collector_paused

    with collector_paused():  # hundreds of thousands of small dicts, no cycles
        return _to_dict(ev, cards=scorecards)


def _to_dict(ev: Evaluation, *, cards: bool = True) -> dict[str, Any]:
    """The document; with ``cards=False`` its scorecards are left empty (written apart)."""
    rs = ev.ruleset
    return {
        "schema_version": SCHEMA_VERSION,
        "ruleset": {
            "id": rs.id,
            "title": rs.title,
            "fingerprint": rs.fingerprint,
            "source": rs.source,
            "period": {"start": rs.period.start.isoformat(), "end": rs.period.end.isoformat()},
        },
        "manifest": manifest(ev),
        "records": {
            name: {
                "read": c.read,
                "accepted": c.accepted,
                "rejected": c.rejected,
                "blanked": c.blanked,
            }
            for name, c in ev.dataset.counts.items()
        },
        "rejected": [
            {
                "record_type": r.record_type,
                "file": r.file,
                "row": r.row,
                "column": r.column,
                "reason": r.reason,
            }
            for r in ev.dataset.rejected
        ],
        "blanked": [
            {
                "record_type": b.record_type,
                "file": b.file,
                "row": b.row,
                "column": b.column,
                "header": b.header,
                "value": b.value,
                "reason": b.reason,
            }
            for b in ev.dataset.blanked
        ],
        "scorecards": [_card(c) for c in ev.scorecards] if cards else [],
        "findings": [
            {
                "candidate_id": f.candidate_id,
                "kind": f.kind,
                "unit_id": f.unit_id,
                "threshold": f.threshold,
                "level": f.level,
                "level_zh": LEVEL_ZH[f.level],
                "value": f.value,
                "limit": f.limit,
                "reason": f.reason,
                "reason_en": f.reason_en,
                "evidence": list(f.evidence),
                "count": f.count,
            }
            for f in ev.findings
        ],
        "commendation": {
            kind: [_entry(e) for e in ev.commendation.lists.get(kind, ())] for kind in KINDS
        },
        "near_misses": {
            kind: [_entry(e) for e in ev.commendation.near_misses.get(kind, ())] for kind in KINDS
        },
        "excluded": [
            {
                "candidate_id": x.candidate_id,
                "kind": x.kind,
                "name": x.name,
                "category": x.category,
                "total": x.total,
                "reasons": list(x.reasons),
            }
            for x in ev.commendation.excluded
        ],
        "warnings": list(ev.warnings),
    }


def _card(c: Scorecard) -> dict[str, Any]:
    return {
        "candidate_id": c.candidate.candidate_id,
        "kind": c.candidate.kind,
        "name": c.candidate.name,
        "category": c.candidate.category,
        "unit_id": c.candidate.unit_id,
        "base": c.base,
        "bonus": c.bonus,
        "deductions": c.deductions,
        "total": c.total,
        "rules": [
            {
                "rule": r.rule,
                "title": r.title,
                "plugin": r.plugin,
                "points": r.result.points,
                "max": r.result.max,
                "applicable": r.result.applicable,
                "bonus": r.bonus,
                "reason": r.result.reason,
                "reason_en": r.result.reason_en,
                "evidence": list(r.result.evidence),
            }
            for r in c.rules
        ],
    }


def _entry(e: Any) -> dict[str, Any]:
    return {
        "rank": e.rank,
        "candidate_id": e.candidate_id,
        "name": e.name,
        "category": e.category,
        "group": e.group,
        "unit_id": e.unit_id,
        "total": e.total,
        "tied": e.tied,
        "decided_by": e.decided_by,
        "note": e.note,
        "status": e.status,
    }


def to_json(ev: Evaluation, *, indent: int | None = 2) -> str:
    return dumps(to_dict(ev), indent=indent)


def to_json_bytes(ev: Evaluation) -> bytes:
    """The indented JSON document as UTF-8 bytes, ending in a newline."""
    return dumps_bytes(to_dict(ev)) + b"\n"


def write_json(ev: Evaluation, path: str | Path) -> None:
    """Write :func:`to_json_bytes` to ``path``, one scorecard at a time, whole or not at all
    (:func:`~dxe_eval.io.atomic.replacing`).

    The same bytes; but the 27,000 scorecards of a province are turned into dicts
    and JSON one by one and written as they come, so neither all their dicts nor
    the whole 130 MB document are held at once. Each part is indented as
    ``json.dumps(indent=2)`` indents it at its depth.
    """
    from dxe_eval.engine import collector_paused
    from dxe_eval.io.atomic import replacing

    with collector_paused(), replacing(path) as f:
        head = _to_dict(ev, cards=False)
        try:
            with _Writer(f) as out:
                parts = {k: _nested(value, 1) for k, value in head.items() if k != "scorecards"}
                sep = b"{"
                for key in head:
                    out.write(sep + b"\n  " + dumps_bytes(key) + b": ")
                    sep = b","
                    if key != "scorecards":
                        out.write(parts[key])
                    elif not ev.scorecards:
                        out.write(b"[]")
                    else:
                        batch = [b"[\n    "]
                        for i, card in enumerate(ev.scorecards):
                            batch.append(b",\n    " if i else b"")
                            batch.append(_nested(_card(card), 2))
                            if len(batch) >= _BATCH:
                                out.write(b"".join(batch))
                                batch = []
                        batch.append(b"\n  ]")
                        out.write(b"".join(batch))
                out.write(b"\n}\n")
        except _Refused:  # something orjson does not take: the whole document the slow way
            f.seek(0)
            f.truncate()
            f.write(to_json_bytes(ev))


#: scorecards' JSON handed to the writer at a time (about 1 MB at a province's size)
_BATCH = 512


class _Writer:
    """Writes chunks of bytes to ``f`` in a thread of its own, so copying 130 MB to the
    file overlaps the encoding of the next scorecards (a write lets go of the GIL).

    At most a few chunks wait; an error writing is raised in the caller, at its
    next chunk or on leaving the ``with`` block, which waits for every chunk.
    """

    def __init__(self, f: IO[bytes]) -> None:
        self._f = f
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="dxe-eval-json", daemon=True)

    def __enter__(self) -> _Writer:
        self._thread.start()
        return self

    def _run(self) -> None:
        while (chunk := self._chunks.get()) is not None:
            if self._error is None:
                try:
                    self._f.write(chunk)
                except BaseException as exc:  # handed to the caller
                    self._error = exc

    def write(self, chunk: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._chunks.put(chunk)

    def __exit__(self, *exc: object) -> None:
        self._chunks.put(None)
        self._thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


class _Refused(Exception):
    """A value orjson does not encode."""


def _nested(value: Any, depth: int) -> bytes:
    """``value`` as indented JSON placed at ``depth`` (two spaces a level) inside a document."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError as exc:
        raise _Refused from exc
    return text.replace(b"\n", b"\n" + b"  " * depth)


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=indent)``, in C for an indent of 2."""
    if indent == 2:
        return dumps_bytes(obj).decode("utf-8")
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def dumps_bytes(obj: Any) -> bytes:
    """``obj`` as JSON indented by 2, in UTF-8.

    The standard library encodes an indented document in pure Python, one
    generator step per value (about 4 s for the 120 MB of a province's
    evaluation); orjson writes the same text in C (0.2 s). Its output equals
    ``json.dumps(obj, ensure_ascii=False, indent=2)`` for what a report holds
    (strings, whole numbers, floats of a few decimals, lists and dicts with
    string keys; ``tests/unit/io/test_render_json.py`` checks it); anything it refuses
    (a non-string key, an integer beyond 64 bits) goes through :func:`json.dumps`.
    """
    try:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8")


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
    types = ev.registry.record_types
    rows = [
        [
            f"{types[name].label} {name}" if lang == "zh" and name in types else name,
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
    titles = {r.rule: (r.title if lang == "zh" else r.rule) for c in cards for r in c.rules}
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
            r = c.rule(rid)
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
                    LEVEL_ZH[level] if lang == "zh" else level,
                    f.unit_id,
                    f.candidate_id,
                    f.threshold,
                    reason,
                    ", ".join(f.evidence[:3]) + (f" …({f.count})" if f.count > 3 else ""),
                ]
            )
    out.append(
        tabulate(
            rows,
            headers=[t["level"], t["unit"], t["id"], t["threshold"], t["reason"], "evidence"],
            tablefmt="simple",
        )
    )
    return "\n".join(out)


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
            rows = [
                [
                    e.group,
                    f"{e.rank}{'（并列）' if e.tied and lang == 'zh' else ''}",
                    e.candidate_id,
                    e.name,
                    f"{e.total:g}",
                    e.decided_by,
                    e.note,
                ]
                for e in entries
            ]
            out.append(
                tabulate(
                    rows,
                    headers=[
                        t["category"],
                        t["rank"],
                        t["id"],
                        t["name"],
                        t["total"],
                        t["decided"],
                        t["note"],
                    ],
                    tablefmt="simple",
                    disable_numparse=True,
                )
            )
        near = ev.commendation.near_misses.get(kind, ())
        if near:
            out.append(f"{t['near']}:")
            out.append(
                tabulate(
                    [
                        [e.group, e.rank, e.candidate_id, e.name, f"{e.total:g}", e.note]
                        for e in near[:excluded_limit]
                    ],
                    headers=[t["category"], t["rank"], t["id"], t["name"], t["total"], t["reason"]],
                    tablefmt="simple",
                    disable_numparse=True,
                )
            )
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
