"""The JSON report of one :class:`~dxe_eval.result.Evaluation`: the contract other systems read.

The JSON shape is a contract (``docs/json.md``); keys are only ever added.
"""

from __future__ import annotations

import json
import platform
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final

import orjson

from dxe_eval.engine import DEFAULT_DATA, collector_paused, default_data
from dxe_eval.files import replacing
from dxe_eval.model import KINDS, Finding, Scorecard, ScoredRule
from dxe_eval.report.present import level_name
from dxe_eval.report.reporter import Reporter, ReportOptions
from dxe_eval.result import Evaluation
from dxe_eval.ruleset import shipped_rulesets
from dxe_eval.version import __version__

SCHEMA_VERSION = 1

#: ``--evidence``'s default: every evidence id, the contract as it always was
EVIDENCE_ALL = "all"


def evidence_limit(spec: str | int | None) -> int | None:
    """How many evidence ids a list keeps under ``spec``: ``None`` for all of them.

    ``spec`` is ``"all"`` (or ``None``), ``"none"`` (0), ``"first:N"`` (N ≥ 0) or a whole
    number N. Anything else is a :class:`ValueError` naming what is accepted.
    """
    if spec is None or spec == EVIDENCE_ALL:
        return None
    if isinstance(spec, int) and not isinstance(spec, bool):
        n: int | None = spec
    elif spec == "none":
        n = 0
    elif isinstance(spec, str) and spec.startswith("first:") and spec[6:].isdigit():
        n = int(spec[6:])
    else:
        n = None
    if n is None or n < 0:
        raise ValueError(
            f"--evidence 应为 all、none 或 first:N（N 为非负整数），而不是 {spec!r} "
            f"/ --evidence takes all, none or first:N (N a whole number), not {spec!r}"
        )
    return n


def manifest(ev: Evaluation) -> dict[str, Any]:
    """What is needed to reproduce the run: versions, plugins, calendar, ruleset, data, inputs.

    Nothing in it changes between two runs of the same data under the same ruleset on
    the same installation (no clock, no host name); ``dxe-eval verify`` reads it.
    ``data.example`` names the bundled example when that was the data set, and
    ``ruleset.shipped`` the shipped ruleset when that was the ruleset, so that a
    result can be re-run elsewhere; otherwise ``data.path`` and ``ruleset.file``
    are the paths as given.
    """
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
    if not file:
        return None
    here = Path(file).resolve()
    return next((name for name, p in shipped_rulesets().items() if p.resolve() == here), None)


def _bundled_example(origin: str) -> str | None:
    """The name of the bundled example data set at ``origin``, if it is that folder."""
    if not origin:
        return None
    return DEFAULT_DATA if Path(origin).resolve() == default_data().resolve() else None


def to_dict(
    ev: Evaluation, *, scorecards: bool = True, evidence: str | int | None = EVIDENCE_ALL
) -> dict[str, Any]:
    """The documented JSON shape of an evaluation; with ``scorecards=False`` its
    ``scorecards`` list is left empty (a province's 27,000 cards are not made).

    ``evidence`` (:func:`evidence_limit`): ``"all"`` keeps every evidence id (the
    contract); ``"first:N"`` keeps the first N of each list and ``"none"`` none, each
    rule entry then saying how many there were in ``evidence_count`` (a finding has its
    ``count``) and the document the cut in ``evidence_limit``.
    """
    with collector_paused():  # hundreds of thousands of small dicts, no cycles
        return _to_dict(ev, cards=scorecards, limit=evidence_limit(evidence))


def _to_dict(
    ev: Evaluation, *, cards: bool = True, limit: int | None = None, findings: bool = True
) -> dict[str, Any]:
    """The document; with ``cards=False`` its scorecards, with ``findings=False`` its
    findings are left empty (written apart); each evidence list cut to ``limit`` ids when
    it is not ``None``."""
    rs = ev.ruleset
    doc = {
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
        "scorecards": [_card(c, limit) for c in ev.scorecards] if cards else [],
        "findings": [_finding(f, limit) for f in ev.findings] if findings else [],
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
                "codes": list(x.codes),
            }
            for x in ev.commendation.excluded
        ],
        "warnings": list(ev.warnings),
    }
    if limit is not None:
        doc["evidence_limit"] = limit
    return doc


def _finding(f: Finding, limit: int | None) -> dict[str, Any]:
    return {
        "candidate_id": f.candidate_id,
        "kind": f.kind,
        "unit_id": f.unit_id,
        "threshold": f.threshold,
        "level": f.level,
        "code": f.code,
        "level_zh": level_name(f.level),
        "value": f.value,
        "limit": f.limit,
        "reason": f.reason,
        "reason_en": f.reason_en,
        "evidence": list(f.evidence if limit is None else f.evidence[:limit]),
        "count": f.count,
    }


def _card(c: Scorecard, limit: int | None = None) -> dict[str, Any]:
    if limit is None:
        rules = [_rule(r) for r in c.rules]
    else:
        rules = []
        for r in c.rules:
            entry = _rule(r, limit)
            entry["evidence_count"] = len(r.result.evidence)
            rules.append(entry)
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
        "rules": rules,
    }


def _rule(r: ScoredRule, limit: int | None = None) -> dict[str, Any]:
    evidence = r.result.evidence
    return {
        "rule": r.rule,
        "title": r.title,
        "plugin": r.plugin,
        "points": r.result.points,
        "max": r.result.max,
        "applicable": r.result.applicable,
        "bonus": r.bonus,
        "reason": r.result.reason,
        "reason_en": r.result.reason_en,
        "evidence": list(evidence if limit is None else evidence[:limit]),
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


def to_json(
    ev: Evaluation,
    *,
    indent: int | None = 2,
    evidence: str | int | None = EVIDENCE_ALL,
    compact: bool = False,
) -> str:
    """:func:`to_dict` as JSON text, indented by ``indent`` (``None``: on one line);
    ``compact``: on one line with no space after ``,`` and ``:`` (what ``--compact``
    writes). ``evidence`` as in :func:`to_dict`."""
    d = to_dict(ev, evidence=evidence)
    if compact:
        return dumps_bytes(d, compact=True).decode("utf-8")
    return dumps(d, indent=indent)


def to_json_bytes(
    ev: Evaluation, *, evidence: str | int | None = EVIDENCE_ALL, compact: bool = False
) -> bytes:
    """The JSON document as UTF-8 bytes, ending in a newline: indented, or ``compact``."""
    return dumps_bytes(to_dict(ev, evidence=evidence), compact=compact) + b"\n"


#: the lists written one entry at a time, not made whole first
_STREAMED = ("scorecards", "findings")


def write_json(
    ev: Evaluation,
    path: str | Path,
    *,
    evidence: str | int | None = EVIDENCE_ALL,
    compact: bool = False,
) -> None:
    """Write :func:`to_json_bytes` to ``path``, one scorecard and one finding at a time,
    whole or not at all (:func:`~dxe_eval.files.replacing`).

    The same bytes; but the 27,000 scorecards of a province (600,000 of a nation) are
    turned into dicts and JSON one by one and written as they come, so neither all
    their dicts nor the whole document are held at once. Each part is indented as
    ``json.dumps(indent=2)`` indents it at its depth; ``compact``: nothing is indented
    and no space follows ``,`` or ``:`` (about 30 % smaller; the same keys and values).
    ``evidence`` as in :func:`to_dict`.
    """
    limit = evidence_limit(evidence)
    nest = _flat if compact else _nested
    with collector_paused(), replacing(path) as f:
        head = _to_dict(ev, cards=False, limit=limit, findings=False)
        try:
            with _Writer(f) as out:
                parts = {k: nest(v, 1) for k, v in head.items() if k not in _STREAMED}
                sep, gap = (b"{", b"") if compact else (b"{", b"\n  ")
                for key in head:
                    out.write(sep + gap + dumps_bytes(key) + (b":" if compact else b": "))
                    sep = b","
                    if key == "scorecards":
                        _write_list(out, (_card(c, limit) for c in ev.scorecards), compact)
                    elif key == "findings":
                        _write_list(out, (_finding(x, limit) for x in ev.findings), compact)
                    else:
                        out.write(parts[key])
                out.write(b"}\n" if compact else b"\n}\n")
        except _Refused:  # something orjson does not take: the whole document the slow way
            f.seek(0)
            f.truncate()
            f.write(to_json_bytes(ev, evidence=evidence, compact=compact))


def _write_list(out: _Writer, entries: Iterator[dict[str, Any]], compact: bool = False) -> None:
    """A top-level list's entries as indented (or ``compact``) JSON, handed to ``out`` in
    batches."""
    batch = [b"["]
    first = True
    between = (b"", b",") if compact else (b"\n    ", b",\n    ")
    nest = _flat if compact else _nested
    for entry in entries:
        batch.append(between[0] if first else between[1])
        first = False
        batch.append(nest(entry, 2))
        if len(batch) >= _BATCH:
            out.write(b"".join(batch))
            batch = []
    batch.append(b"]" if first or compact else b"\n  ]")
    out.write(b"".join(batch))


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


def _flat(value: Any, depth: int = 0) -> bytes:
    """``value`` as compact JSON (:func:`dumps_bytes` with ``compact``), at any depth."""
    try:
        return orjson.dumps(value)
    except TypeError as exc:
        raise _Refused from exc


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=indent)``, in C for an indent of 2."""
    if indent == 2:
        return dumps_bytes(obj).decode("utf-8")
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def dumps_bytes(obj: Any, *, compact: bool = False) -> bytes:
    """``obj`` as JSON indented by 2, in UTF-8; ``compact``: on one line, with no space
    after ``,`` and ``:``.

    The standard library encodes an indented document in pure Python, one
    generator step per value (about 4 s for the 120 MB of a province's
    evaluation); orjson writes the same text in C (0.2 s). Its output equals
    ``json.dumps(obj, ensure_ascii=False, indent=2)`` for what a report holds
    (strings, whole numbers, floats of a few decimals, lists and dicts with
    string keys; ``tests/unit/io/test_render_json.py`` checks it); anything it refuses
    (a non-string key, an integer beyond 64 bits) goes through :func:`json.dumps`.
    """
    try:
        return orjson.dumps(obj) if compact else orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        if compact:
            return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8")


def _write(ev: Evaluation, path: str, options: ReportOptions) -> list[Path]:
    write_json(ev, path, evidence=options.evidence, compact=options.compact)
    return [Path(path)]


REPORTER: Final = Reporter(
    name="json",
    title="JSON 契约（docs/json.md） / the JSON contract",
    render=lambda ev, options: (
        to_json(ev, evidence=options.evidence, compact=options.compact) + "\n"
    ),
    write=_write,
    machine=True,
)
