"""The JSON report of one :class:`~dxe_eval.result.Evaluation`: the contract other systems read.

The JSON shape is a contract (``docs/json.md``); keys are only ever added.
"""

from __future__ import annotations

import json
import platform
import queue
import threading
from pathlib import Path
from typing import IO, Any, Final

import orjson

from dxe_eval.engine import DEFAULT_DATA, collector_paused, default_data
from dxe_eval.files import replacing
from dxe_eval.model import KINDS, Scorecard
from dxe_eval.report.present import level_name
from dxe_eval.report.reporter import Reporter, ReportOptions
from dxe_eval.result import Evaluation
from dxe_eval.ruleset import shipped_rulesets
from dxe_eval.version import __version__

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


def to_dict(ev: Evaluation, *, scorecards: bool = True) -> dict[str, Any]:
    """The documented JSON shape of an evaluation; with ``scorecards=False`` its
    ``scorecards`` list is left empty (a province's 27,000 cards are not made)."""
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
                "code": f.code,
                "level_zh": level_name(f.level),
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
                "codes": list(x.codes),
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
    """:func:`to_dict` as JSON text, indented by ``indent`` (``None``: on one line)."""
    return dumps(to_dict(ev), indent=indent)


def to_json_bytes(ev: Evaluation) -> bytes:
    """The indented JSON document as UTF-8 bytes, ending in a newline."""
    return dumps_bytes(to_dict(ev)) + b"\n"


def write_json(ev: Evaluation, path: str | Path) -> None:
    """Write :func:`to_json_bytes` to ``path``, one scorecard at a time, whole or not at all
    (:func:`~dxe_eval.files.replacing`).

    The same bytes; but the 27,000 scorecards of a province are turned into dicts
    and JSON one by one and written as they come, so neither all their dicts nor
    the whole 130 MB document are held at once. Each part is indented as
    ``json.dumps(indent=2)`` indents it at its depth.
    """
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


def _write(ev: Evaluation, path: str, options: ReportOptions) -> list[Path]:
    write_json(ev, path)
    return [Path(path)]


REPORTER: Final = Reporter(
    name="json",
    title="JSON 契约（docs/json.md） / the JSON contract",
    render=lambda ev, options: to_json(ev) + "\n",
    write=_write,
    machine=True,
)
