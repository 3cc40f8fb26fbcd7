"""Re-running a saved result: does the same data under the same ruleset give the same result?

A JSON result (``dxe-eval evaluate --format json``) carries a ``manifest``: the
ruleset's fingerprint and where it came from, the data set's folder (or that it
was the bundled example) and the SHA-256 of every input file. :func:`verify`
re-runs the evaluation with that ruleset (or one given) on that data (or the
data given) and compares the fresh result with the saved one, key by key.
Nothing in a result is volatile (no clock, no host name), so nothing is
ignored; differences in the software (versions of dxe_eval, Python, plugins,
the calendar data) are reported as notes.

The result is reproduced when the whole document is equal (every section, in
order: scorecards, findings, commendation, near misses, excluded, records,
rejected, blanked, warnings, and the manifest but for the software's versions
and the paths given), no input file changed and the ruleset's fingerprint is the
same. A saved result with a candidate listed twice in a section (a forged card
placed before the real one) is refused when it is loaded; the first place where
the documents differ is always reported, as path, saved and recomputed value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from attrs import frozen

from dxe_eval.engine import DEFAULT_DATA, default_data, evaluate
from dxe_eval.errors import DataError, DxeEvalError, RulesetError
from dxe_eval.manager import get_registry
from dxe_eval.read.limits import RESULT_BYTES, read_capped
from dxe_eval.report.json import to_json
from dxe_eval.ruleset import shipped_rulesets
from dxe_eval.terminal import terminal_safe

#: sections of the JSON result compared candidate by candidate
BY_CANDIDATE = ("scorecards", "findings", "commendation", "near_misses", "excluded")


@frozen(kw_only=True)
class Difference:
    """One way the fresh result differs from the saved one.

    ``candidate_id`` and ``kind`` are empty for a difference not tied to one
    candidate (a section such as ``records`` or ``rejected``). ``what`` says
    which value: ``total``, ``base``, ``bonus``, ``deductions``, ``rule <id>``,
    ``findings``, ``commendation``, ``scorecard`` or a section name.
    """

    what: str
    old: Any
    new: Any
    candidate_id: str = ""
    kind: str = ""

    def describe(self) -> str:
        return f"{self.what}: {_show(self.old)} → {_show(self.new)}"


@frozen(kw_only=True)
class InputChange:
    """An input file whose content changed, appeared or disappeared (``None``: absent)."""

    file: str
    old: str | None
    new: str | None

    def describe(self) -> str:
        if self.old is None:
            return f"{self.file}: 新增 new file"
        if self.new is None:
            return f"{self.file}: 已不存在 missing"
        return f"{self.file}: sha256 {self.old[:12]}… → {self.new[:12]}…"


@frozen(kw_only=True)
class Verification:
    """What :func:`verify` found."""

    result_file: str
    differences: tuple[Difference, ...] = ()
    inputs: tuple[InputChange, ...] = ()
    ruleset_change: tuple[str, str] | None = None
    notes: tuple[str, ...] = ()
    candidates_compared: int = 0
    #: the first place the two documents differ: (path, saved value, recomputed value)
    first: tuple[str, Any, Any] | None = None

    @property
    def reproduced(self) -> bool:
        return (
            not self.differences
            and not self.inputs
            and self.ruleset_change is None
            and self.first is None
        )

    def changed_candidates(self) -> tuple[str, ...]:
        """Candidate ids (``kind:id``) that differ, in order."""
        seen: dict[str, None] = {}
        for d in self.differences:
            if d.candidate_id:
                seen[f"{d.kind}:{d.candidate_id}"] = None
        return tuple(seen)

    def report(self) -> str:
        """The text ``dxe-eval verify`` prints."""
        lines: list[str] = []
        if self.reproduced:
            lines.append(
                f"已复现 / reproduced: {self.result_file} "
                f"({self.candidates_compared} 个对象 candidates)"
            )
        else:
            lines.append(f"未能复现 / not reproduced: {self.result_file}")
        if self.ruleset_change:
            old, new = self.ruleset_change
            lines.append(f"规则集已变化 / ruleset changed: fingerprint {old} → {new}")
        if self.inputs:
            lines.append("输入文件已变化 / input files changed:")
            lines += [f"  {c.describe()}" for c in self.inputs]
        by_candidate: dict[str, list[Difference]] = {}
        other: list[Difference] = []
        for d in self.differences:
            if d.candidate_id:
                by_candidate.setdefault(f"{d.candidate_id} ({d.kind})", []).append(d)
            else:
                other.append(d)
        if by_candidate:
            lines.append(f"结果不同的对象 / candidates that differ: {len(by_candidate)}")
            for who, diffs in by_candidate.items():
                lines.append(f"  {who}:")
                lines += [f"    {d.describe()}" for d in diffs]
        for d in other:
            lines.append(f"  {d.describe()}")
        if self.first is not None:
            path, saved, fresh = self.first
            lines.append(
                f"首个不同之处 / first difference: {path}: 保存的 saved {_brief(saved)} ≠ "
                f"重新计算 recomputed {_brief(fresh)}"
            )
        if self.notes:
            lines.append("说明 / notes:")
            lines += [f"  {n}" for n in self.notes]
        return terminal_safe("\n".join(lines) + "\n")


def _brief(value: Any) -> str:
    """A value of the document as JSON, at most 120 characters."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "…"


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


# ---------------------------------------------------------------------------
# loading and re-running
# ---------------------------------------------------------------------------


def load_result(path: str | Path) -> dict[str, Any]:
    """A saved JSON result with its manifest; a clear error when it is not one."""
    path = Path(path)
    try:
        raw = read_capped(path, RESULT_BYTES, "result", "结果文件")
        data = json.loads(raw.decode("utf-8-sig"))
    except FileNotFoundError:
        raise DataError("no such file", file=str(path), zh="找不到结果文件") from None
    except DxeEvalError as exc:
        raise DataError(exc.message, file=str(path), zh=exc.zh_message) from None
    except RecursionError:
        raise DataError(
            "not a JSON result: nested too deeply", file=str(path), zh="不是 dxe-eval 的 JSON 结果"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(
            f"not a JSON result: {exc}", file=str(path), zh="不是 JSON 格式的评价结果"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("manifest"), dict):
        raise DataError(
            "not a dxe-eval JSON result: no manifest (write it with --format json)",
            file=str(path),
            zh="不是 dxe-eval 的 JSON 结果：缺少 manifest",
        )
    problem = _shape_problem(data)
    if problem is not None:
        raise DataError(
            f"not in the shape of a dxe-eval JSON result, damaged or edited: {problem}",
            file=str(path),
            zh="结果文件已损坏或被改动，结构与 dxe-eval 写出的 JSON 结果不符",
        )
    return data


# ---------------------------------------------------------------------------
# the shape of a saved result: what the comparison reads, checked before it reads it
# ---------------------------------------------------------------------------

_TYPE_NAMES: dict[type, str] = {dict: "an object", list: "a list", str: "text"}


class _Shape(Exception):
    """Where a saved result departs from the shape evaluate writes (internal)."""


def _is(value: Any, kind: type, where: str, *, optional: bool = False) -> Any:
    if (optional and value is None) or isinstance(value, kind):
        return value
    got = "null" if value is None else type(value).__name__
    raise _Shape(f"{where}: expected {_TYPE_NAMES[kind]}, got {got}")


def _rows(section: Mapping[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    """``section[key]``: a list of objects (an absent section is empty)."""
    rows = _is(section.get(key, []), list, f"{where}{key}")
    for i, row in enumerate(rows):
        _is(row, dict, f"{where}{key}[{i}]")
    return rows


def _text(row: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> None:
    if key not in row and not optional:
        raise _Shape(f"{where}.{key}: missing")
    _is(row.get(key), str, f"{where}.{key}", optional=optional)


def _shape_problem(data: Mapping[str, Any]) -> str | None:
    """What in ``data`` is not where or what the comparison expects, or ``None``."""
    try:
        manifest = data["manifest"]
        for key in ("data", "ruleset", "calendar"):
            _is(manifest.get(key), dict, f"manifest.{key}", optional=True)
        for key in ("path", "example"):
            _text(manifest.get("data") or {}, key, "manifest.data", optional=True)
        for key in ("file", "shipped"):
            _text(manifest.get("ruleset") or {}, key, "manifest.ruleset", optional=True)
        for i, row in enumerate(_rows(manifest, "inputs", "manifest.")):
            for key in ("record_type", "file"):
                _text(row, key, f"manifest.inputs[{i}]", optional=True)
        for i, row in enumerate(_rows(manifest, "plugins", "manifest.")):
            _text(row, "name", f"manifest.plugins[{i}]")
        for i, card in enumerate(_rows(data, "scorecards", "")):
            for j, rule in enumerate(_rows(card, "rules", f"scorecards[{i}].")):
                _text(rule, "rule", f"scorecards[{i}].rules[{j}]")
        for i, row in enumerate(_rows(data, "findings", "")):
            for key in ("threshold", "level"):
                _text(row, key, f"findings[{i}]")
        for i, row in enumerate(_rows(data, "excluded", "")):
            reasons = _is(row.get("reasons", []), list, f"excluded[{i}].reasons")
            for j, reason in enumerate(reasons):
                _is(reason, str, f"excluded[{i}].reasons[{j}]")
        for section in ("commendation", "near_misses"):
            lists = _is(data.get(section, {}), dict, section)
            for kind in lists:
                for i, entry in enumerate(_rows(lists, kind, f"{section}.")):
                    _text(entry, "candidate_id", f"{section}.{kind}[{i}]")
                _unique(lists[kind], f"{section}.{kind}", ("candidate_id",))
        _unique(data.get("scorecards", []), "scorecards", ("kind", "candidate_id"))
        _unique(data.get("excluded", []), "excluded", ("kind", "candidate_id"))
        _unique(data.get("findings", []), "findings", ("kind", "candidate_id", "threshold"))
    except _Shape as exc:
        return str(exc)
    return None


def _unique(rows: list[dict[str, Any]], where: str, key: tuple[str, ...]) -> None:
    """Raise when two rows of a section are about the same candidate (and threshold): a
    result lists each once, and a comparison by candidate would see only one of them."""
    seen: dict[tuple[str, ...], int] = {}
    for i, row in enumerate(rows):
        k = tuple(str(row.get(part, "")) for part in key)
        if k in seen:
            raise _Shape(
                f"{where}[{seen[k]}] and {where}[{i}] are both {' '.join(k)}: a candidate is "
                "listed once"
            )
        seen[k] = i


def data_of(manifest: Mapping[str, Any], result_file: str) -> Path:
    """The data set a result was made from, as its manifest says."""
    data = manifest.get("data") or {}
    if data.get("example") == DEFAULT_DATA:
        return default_data()
    path = data.get("path") or ""
    # as given (absolute, or relative to where evaluate ran), else beside the result file
    for candidate in (Path(path), Path(result_file).parent / path) if path else ():
        if candidate.exists():
            return candidate
    where = f"at {path}" if path else "recorded (it was given in memory)"
    raise DataError(
        f"the data set of this result is not {where}: give it with --data",
        file=result_file,
        zh="找不到该结果所用的数据，请用 --data 指定",
    )


def ruleset_of(manifest: Mapping[str, Any], result_file: str) -> str:
    """The ruleset a result was made with, as its manifest says."""
    rs = manifest.get("ruleset") or {}
    if rs.get("shipped") in shipped_rulesets():
        return str(rs["shipped"])
    file = rs.get("file") or ""
    if file and Path(file).is_file():
        return file
    raise RulesetError(
        f"the ruleset of this result is not at {file or '(unknown)'}: give it with --ruleset",
        file=result_file,
        zh="找不到该结果所用的规则集，请用 --ruleset 指定",
    )


def verify(
    result: str | Path,
    *,
    data: str | Path | None = None,
    ruleset: str | Path | None = None,
    registry: Any = None,
    **reading: Any,
) -> Verification:
    """Re-run the evaluation a saved result describes and compare; ``reading`` (``lenient``,
    ``limits``) as :func:`~dxe_eval.engine.evaluate` takes them."""
    saved = load_result(result)  # its shape checked: the comparison can read it
    manifest = saved["manifest"]
    data_path = Path(data) if data is not None else data_of(manifest, str(result))
    rs_ref = ruleset if ruleset is not None else ruleset_of(manifest, str(result))
    ev = evaluate(data_path, rs_ref, registry=registry or get_registry(), **reading)
    fresh = json.loads(to_json(ev, indent=None))
    return compare(saved, fresh, result_file=str(result))


# ---------------------------------------------------------------------------
# comparing
# ---------------------------------------------------------------------------


def compare(
    saved: Mapping[str, Any], fresh: Mapping[str, Any], *, result_file: str = "<result>"
) -> Verification:
    """Every difference between a saved result and a fresh one."""
    diffs: list[Difference] = []
    diffs += _scorecards(saved.get("scorecards", []), fresh.get("scorecards", []))
    diffs += _findings(saved.get("findings", []), fresh.get("findings", []))
    diffs += _commendation(saved.get("commendation", {}), fresh.get("commendation", {}))
    diffs += _commendation(
        saved.get("near_misses", {}), fresh.get("near_misses", {}), what="near miss"
    )
    diffs += _excluded(saved.get("excluded", []), fresh.get("excluded", []))
    for key in sorted(set(saved) | set(fresh)):
        if key in ("manifest", *BY_CANDIDATE) or saved.get(key) == fresh.get(key):
            continue
        diffs.append(
            Difference(what=key, old=_summary(saved.get(key)), new=_summary(fresh.get(key)))
        )
    old_m, new_m = saved.get("manifest", {}), fresh.get("manifest", {})
    old_fp = (old_m.get("ruleset") or {}).get("fingerprint")
    new_fp = (new_m.get("ruleset") or {}).get("fingerprint")
    return Verification(
        result_file=result_file,
        differences=tuple(diffs),
        inputs=tuple(_inputs(old_m.get("inputs", []), new_m.get("inputs", []))),
        ruleset_change=None if old_fp == new_fp else (str(old_fp), str(new_fp)),
        notes=tuple(_notes(old_m, new_m)),
        candidates_compared=len(fresh.get("scorecards", [])),
        first=first_difference(_comparable(saved), _comparable(fresh)),
    )


#: what may differ in a manifest between two runs of the same data and ruleset: the
#: software's versions (notes) and the paths as given (``--data``, ``--ruleset``)
_MANIFEST_FREE = ("dxe_eval", "python", "data", "plugins", "calendar")


def _comparable(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The document as compared: the manifest without what may differ between two runs
    of the same data and ruleset (plugins by name, the calendar by id, the ruleset by
    what it is, not where it was read from)."""
    out = dict(doc)
    manifest = doc.get("manifest")
    if isinstance(manifest, Mapping):
        kept = {k: v for k, v in manifest.items() if k not in _MANIFEST_FREE}
        kept["plugins"] = sorted(str(p.get("name")) for p in manifest.get("plugins") or [])
        kept["calendar"] = (manifest.get("calendar") or {}).get("id")
        rs = manifest.get("ruleset")
        if isinstance(rs, Mapping):
            kept["ruleset"] = {k: v for k, v in rs.items() if k not in ("file", "shipped")}
        out["manifest"] = kept
    return out


def first_difference(saved: Any, fresh: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """Where two JSON documents first differ, as (path, saved value, recomputed value), in
    the order of the document; ``None`` when they are equal."""
    if saved == fresh:
        return None
    if isinstance(saved, dict) and isinstance(fresh, dict):
        for key in [*saved, *(k for k in fresh if k not in saved)]:
            where = f"{path}.{key}" if path else str(key)
            if key not in saved or key not in fresh:
                return where, saved.get(key), fresh.get(key)
            found = first_difference(saved[key], fresh[key], where)
            if found is not None:
                return found
        return None  # pragma: no cover - unequal dicts differ at some key
    if isinstance(saved, list) and isinstance(fresh, list):
        for i, (a, b) in enumerate(zip(saved, fresh, strict=False)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found is not None:
                return found
        n = min(len(saved), len(fresh))
        return (
            f"{path}[{n}]",
            saved[n] if n < len(saved) else None,
            fresh[n] if n < len(fresh) else None,
        )
    return path or "(document)", saved, fresh


def _summary(value: Any) -> Any:
    """A short stand-in for a whole section: its length when it is a list."""
    if isinstance(value, list):
        return f"{len(value)} 项 items"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)[:200]
    return value


def _key(item: Mapping[str, Any]) -> tuple[str, str]:
    return (str(item.get("kind", "")), str(item.get("candidate_id", "")))


def _scorecards(old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]) -> list:
    before = {_key(c): c for c in old}
    after = {_key(c): c for c in new}
    out: list[Difference] = []
    for key in sorted(before.keys() | after.keys()):
        kind, cid = key
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            out.append(
                Difference(
                    what="scorecard",
                    old="present" if a else None,
                    new="present" if b else None,
                    candidate_id=cid,
                    kind=kind,
                )
            )
            continue
        if a == b:
            continue
        for field in ("total", "base", "bonus", "deductions"):
            if a.get(field) != b.get(field):
                out.append(
                    Difference(
                        what=field, old=a.get(field), new=b.get(field), candidate_id=cid, kind=kind
                    )
                )
        rules_a = {r["rule"]: r for r in a.get("rules", [])}
        rules_b = {r["rule"]: r for r in b.get("rules", [])}
        for rid in sorted(rules_a.keys() | rules_b.keys()):
            ra, rb = rules_a.get(rid), rules_b.get(rid)
            if ra == rb:
                continue
            pa = None if ra is None else ra.get("points")
            pb = None if rb is None else rb.get("points")
            if pa != pb:
                out.append(
                    Difference(what=f"rule {rid}", old=pa, new=pb, candidate_id=cid, kind=kind)
                )
            else:
                ra, rb = ra or {}, rb or {}
                for k in sorted(k for k in ra.keys() | rb.keys() if ra.get(k) != rb.get(k)):
                    out.append(
                        Difference(
                            what=f"rule {rid} {k}",
                            old=ra.get(k),
                            new=rb.get(k),
                            candidate_id=cid,
                            kind=kind,
                        )
                    )
        rest = sorted(
            k
            for k in a.keys() | b.keys()
            if k not in ("total", "base", "bonus", "deductions", "rules") and a.get(k) != b.get(k)
        )
        for k in rest:
            out.append(Difference(what=k, old=a.get(k), new=b.get(k), candidate_id=cid, kind=kind))
    return out


def _findings(old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]) -> list:
    def by_candidate(items: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], list]:
        out: dict[tuple[str, str], list] = {}
        for f in items:
            out.setdefault(_key(f), []).append(f)
        return out

    before, after = by_candidate(old), by_candidate(new)
    out: list[Difference] = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key, []), after.get(key, [])
        if a == b:
            continue
        kind, cid = key
        out.append(
            Difference(
                what="findings",
                old=[f"{f['threshold']} {f['level']}" for f in a],
                new=[f"{f['threshold']} {f['level']}" for f in b],
                candidate_id=cid,
                kind=kind,
            )
        )
    return out


def _excluded(old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]) -> list:
    before = {_key(x): x for x in old}
    after = {_key(x): x for x in new}
    out: list[Difference] = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        if a != b:
            out.append(
                Difference(
                    what="excluded",
                    old=None if a is None else "；".join(a.get("reasons", [])),
                    new=None if b is None else "；".join(b.get("reasons", [])),
                    candidate_id=key[1],
                    kind=key[0],
                )
            )
    return out


def _commendation(
    old: Mapping[str, Any], new: Mapping[str, Any], *, what: str = "commendation"
) -> list:
    out: list[Difference] = []
    for kind in sorted(old.keys() | new.keys()):
        before = {e["candidate_id"]: e for e in old.get(kind, [])}
        after = {e["candidate_id"]: e for e in new.get(kind, [])}
        for cid in sorted(before.keys() | after.keys()):
            a, b = before.get(cid), after.get(cid)
            if a == b:
                continue
            out.append(
                Difference(
                    what=what,
                    old=_place(a),
                    new=_place(b),
                    candidate_id=cid,
                    kind=kind,
                )
            )
    return out


def _place(entry: Mapping[str, Any] | None) -> str:
    if entry is None:
        return "未入选 not listed"
    return f"第 {entry.get('rank')} 名 rank {entry.get('rank')} ({entry.get('group')})"


def _inputs(old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]) -> list:
    before = {(i.get("record_type"), i.get("file")): i.get("sha256") for i in old}
    after = {(i.get("record_type"), i.get("file")): i.get("sha256") for i in new}
    out = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (str(k[1]), str(k[0]))):
        if before.get(key) != after.get(key):
            out.append(InputChange(file=str(key[1]), old=before.get(key), new=after.get(key)))
    return out


def _notes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    notes = []
    for key, label in (("dxe_eval", "dxe_eval"), ("python", "Python")):
        if old.get(key) != new.get(key):
            notes.append(f"{label} {old.get(key)} → {new.get(key)}")
    if old.get("calendar") != new.get("calendar"):
        notes.append(
            f"calendar {(old.get('calendar') or {}).get('version')} → "
            f"{(new.get('calendar') or {}).get('version')}"
        )
    pa = {p["name"]: p.get("version") for p in old.get("plugins", [])}
    pb = {p["name"]: p.get("version") for p in new.get("plugins", [])}
    for name in sorted(pa.keys() | pb.keys()):
        if pa.get(name) != pb.get(name):
            notes.append(f"plugin {name}: {pa.get(name, '—')} → {pb.get(name, '—')}")
    return notes
