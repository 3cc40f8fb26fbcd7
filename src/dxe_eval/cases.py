"""Ruleset test cases as data: ``*.cases.toml`` files next to the ruleset they test.

A case file holds hand-worked cases — a few input records, the expected
points, totals, findings and commendation ranks, and a tolerance — so that
policy staff can pin down what a ruleset must give before they change it::

    ruleset = "hubei-2022.toml"   # optional; default: the neighbouring ruleset
    tolerance = 0.01              # optional; default 0.01 points

    [[case]]
    name = "满意率恰好 98%：满分"
    # ruleset = "other.toml"      # optional, relative to this file
    # override = { rules = { satisfaction = { min_cases = 5 } } }
    [case.input]                  # records per record type (arrays of tables)
    units = [{ unit_id = "U1", name = "甲", category = "处室" }]
    surveys = [{ response_id = "S1", unit_id = "U1", answered_on = "2022-03-01", rating = 5 }]
    [case.expect.points]          # candidate → rule → points ("n/a": not applicable)
    U1 = { satisfaction = 30 }
    [case.expect.totals]          # candidate → total
    U1 = 100
    [case.expect.findings]        # candidate → threshold → level ("none": no finding)
    U1 = { bad-review-rate = "none" }
    [case.expect.ranks]           # candidate → rank in its commendation list ("none": not listed)
    U1 = 1
    [case.expect.status]          # candidate → listed, pending (并列，待定), near (eligible,
    U1 = "listed"                 # over the quota) or excluded (not eligible)
    [case.expect.reasons]         # candidate → texts found in its exclusion reasons or note
    U1 = []
    [case.expect.rejected]        # record type → rows rejected (the others: none)
    ledger = 1
    [case.expect]                 # texts each found in some data note (Evaluation.warnings)
    warnings = ["S2"]

The ruleset of a case is loaded and checked like any other; the case's
``override`` table is merged over it first. A rejected input row fails the
case (a typo in a case should not pass silently) unless ``allow_rejected =
true`` or the case expects rejections (``[case.expect.rejected]``, the rows rejected per
record type). :func:`run_cases` runs a file or every ``*.cases.toml`` under a folder;
``dxe-eval test PATH`` prints each failure as expected vs got.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from attrs import field, frozen

from dxe_eval.engine import prepare, run
from dxe_eval.errors import DxeEvalError, RulesetError, RulesetProblems
from dxe_eval.manager import Registry
from dxe_eval.result import Evaluation
from dxe_eval.ruleset import Ruleset, build_ruleset, merge_raw, read_raw

SUFFIX: Final = ".cases.toml"
DEFAULT_TOLERANCE: Final = 0.01
NONE_WORDS: Final = ("none", "无", "")
NOT_APPLICABLE: Final = ("n/a", "not_applicable", "不适用")
CASE_KEYS: Final = ("name", "ruleset", "override", "input", "expect", "tolerance", "allow_rejected")
EXPECT_KEYS: Final = (
    "points",
    "totals",
    "findings",
    "ranks",
    "status",
    "reasons",
    "rejected",
    "warnings",
)
STATUSES: Final = ("listed", "pending", "near", "excluded")


@frozen(kw_only=True)
class Case:
    """One hand-worked case."""

    name: str
    file: str
    ruleset: Path
    input: Mapping[str, list[dict[str, Any]]]
    points: Mapping[str, Mapping[str, Any]] = field(factory=dict)
    totals: Mapping[str, Any] = field(factory=dict)
    findings: Mapping[str, Mapping[str, str]] = field(factory=dict)
    ranks: Mapping[str, Any] = field(factory=dict)
    status: Mapping[str, str] = field(factory=dict)
    reasons: Mapping[str, list[str]] = field(factory=dict)
    #: rows rejected per record type (``None``: not expected; the case fails on any)
    rejected: Mapping[str, int] | None = None
    warnings: tuple[str, ...] = ()
    override: Mapping[str, Any] = field(factory=dict)
    tolerance: float = DEFAULT_TOLERANCE
    allow_rejected: bool = False


@frozen(kw_only=True)
class CaseResult:
    """A case's outcome: each failure is one line, expected vs got."""

    case: Case
    failures: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failures


class CaseFileError(DxeEvalError):
    """A case file cannot be read or is not in the case format."""

    def __init__(self, file: str, reason: str) -> None:
        self.file, self.reason = file, reason
        super().__init__(f"{file}: {reason}", zh=f"测试用例文件错误：{file}：{reason}")


def find_case_files(path: str | Path) -> list[Path]:
    """``path`` itself, or every ``*.cases.toml`` under a folder, sorted."""
    p = Path(path)
    if p.is_dir():
        return sorted(p.rglob(f"*{SUFFIX}"))
    if not p.exists():
        raise CaseFileError(str(p), "file not found 找不到文件")
    return [p]


def _neighbour(file: Path) -> Path:
    name = file.name
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else file.stem
    return file.parent / f"{stem}.toml"


def load_cases(file: str | Path) -> list[Case]:
    """Read the cases of one file; raise :class:`CaseFileError` naming the problem."""
    path = Path(file)
    try:
        raw = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CaseFileError(str(path), f"cannot read: {exc}") from exc
    unknown = set(raw) - {"ruleset", "tolerance", "case"}
    if unknown:
        raise CaseFileError(str(path), f"unknown top-level key(s) {sorted(unknown)}")
    default_ruleset = path.parent / raw["ruleset"] if "ruleset" in raw else _neighbour(path)
    default_tol = raw.get("tolerance", DEFAULT_TOLERANCE)
    cases = raw.get("case", [])
    if not isinstance(cases, list) or not cases:
        raise CaseFileError(str(path), "expected one or more [[case]] tables")
    out = []
    names: set[str] = set()
    for i, c in enumerate(cases, start=1):
        where = f"case {i}"
        if not isinstance(c, Mapping) or not isinstance(c.get("name"), str):
            raise CaseFileError(str(path), f"{where}: every case needs a name")
        where = f"case {i} ({c['name']})"
        if c["name"] in names:
            raise CaseFileError(str(path), f"{where}: two cases share this name")
        names.add(c["name"])
        bad = set(c) - set(CASE_KEYS)
        if bad:
            raise CaseFileError(
                str(path), f"{where}: unknown key(s) {sorted(bad)}; use {CASE_KEYS}"
            )
        expect = c.get("expect", {})
        bad = set(expect) - set(EXPECT_KEYS)
        if bad:
            raise CaseFileError(
                str(path), f"{where}: unknown expect key(s) {sorted(bad)}; use {EXPECT_KEYS}"
            )
        if not any(expect.values()):
            raise CaseFileError(str(path), f"{where}: nothing expected ([case.expect] is empty)")
        for cid, status in expect.get("status", {}).items():
            if status not in STATUSES:
                raise CaseFileError(
                    str(path), f"{where}: status of {cid} is {status!r}; use one of {STATUSES}"
                )
        for cid, texts in expect.get("reasons", {}).items():
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                raise CaseFileError(str(path), f"{where}: reasons of {cid} must be a list of text")
        rejected = expect.get("rejected")
        if rejected is not None and (
            not isinstance(rejected, Mapping)
            or not all(isinstance(n, int) and n >= 0 for n in rejected.values())
        ):
            raise CaseFileError(str(path), f"{where}: rejected maps record types to row counts")
        said = expect.get("warnings", [])
        if not isinstance(said, list) or not all(isinstance(t, str) for t in said):
            raise CaseFileError(str(path), f"{where}: warnings must be a list of text")
        records = c.get("input", {})
        if not isinstance(records, Mapping) or not all(
            isinstance(v, list) for v in records.values()
        ):
            raise CaseFileError(str(path), f"{where}: [case.input] holds arrays of tables")
        out.append(
            Case(
                name=c["name"],
                file=str(path),
                ruleset=path.parent / c["ruleset"] if "ruleset" in c else default_ruleset,
                input={k: [dict(r) for r in v] for k, v in records.items()},
                points=expect.get("points", {}),
                totals=expect.get("totals", {}),
                findings=expect.get("findings", {}),
                ranks=expect.get("ranks", {}),
                status=expect.get("status", {}),
                reasons=expect.get("reasons", {}),
                rejected=dict(rejected) if rejected is not None else None,
                warnings=tuple(said),
                override=c.get("override", {}),
                tolerance=float(c.get("tolerance", default_tol)),
                allow_rejected=bool(c.get("allow_rejected", False)),
            )
        )
    return out


def _ruleset(case: Case, registry: Registry, cache: dict[Any, Ruleset]) -> Ruleset:
    key = (case.ruleset.resolve(), repr(case.override))
    if key not in cache:
        raw = read_raw(case.ruleset)
        if case.override:
            raw = merge_raw(raw, case.override)
        rs, problems = build_ruleset(raw, registry, file=str(case.ruleset))
        if problems or rs is None:
            raise RulesetProblems(problems)
        cache[key] = rs
    return cache[key]


def _close(expected: Any, got: float, tolerance: float) -> bool:
    return isinstance(expected, int | float) and math.isclose(
        float(expected), got, rel_tol=0, abs_tol=tolerance + 1e-9
    )


def check_case(case: Case, ev: Evaluation) -> list[str]:
    """Every difference between what the case expects and the evaluation, one line each."""
    out: list[str] = []
    if case.rejected is not None:
        got_rejected = {k: c.rejected for k, c in ev.dataset.counts.items() if c.rejected}
        for name in sorted({*case.rejected, *got_rejected}):
            want_n, got_n = case.rejected.get(name, 0), got_rejected.get(name, 0)
            if want_n != got_n:
                first = [
                    f"{r.file} row {r.row}: {r.reason}"
                    for r in ev.dataset.rejected
                    if r.record_type == name
                ][:3]
                out.append(
                    f"rejected {name}: expected {want_n}, got {got_n}"
                    + (f" ({'; '.join(first)})" if first else "")
                )
    elif ev.dataset.rejected and not case.allow_rejected:
        for r in ev.dataset.rejected[:5]:
            out.append(f"input row rejected: {r.file} row {r.row} column {r.column}: {r.reason}")
    for text in case.warnings:
        if not any(text in w for w in ev.warnings):
            out.append(f"warnings: expected {text!r} in a data note, got {list(ev.warnings)}")
    for cid, rules in sorted(case.points.items()):
        card = ev.get_scorecard(cid)
        if card is None:
            out.append(f"points {cid}: no such candidate")
            continue
        for rid, expected in sorted(rules.items()):
            scored = card.get_rule(rid)
            if scored is None:
                out.append(f"points {cid} {rid}: expected {expected}, got: rule not scored")
            elif isinstance(expected, str) and expected.lower() in NOT_APPLICABLE:
                if scored.result.applicable:
                    out.append(
                        f"points {cid} {rid}: expected not applicable, got {scored.result.points:g}"
                    )
            elif not scored.result.applicable:
                out.append(f"points {cid} {rid}: expected {expected}, got not applicable")
            elif not _close(expected, scored.result.points, case.tolerance):
                out.append(
                    f"points {cid} {rid}: expected {expected}, got {scored.result.points:g} "
                    f"({scored.result.reason})"
                )
    for cid, expected in sorted(case.totals.items()):
        card = ev.get_scorecard(cid)
        if card is None:
            out.append(f"total {cid}: no such candidate")
        elif not _close(expected, card.total, case.tolerance):
            out.append(f"total {cid}: expected {expected}, got {card.total:g}")
    for cid, thresholds in sorted(case.findings.items()):
        if ev.get_scorecard(cid) is None:
            out.append(f"findings {cid}: no such candidate")
            continue
        levels = {f.threshold: f.level for f in ev.findings_of(cid)}
        for tid, expected in sorted(thresholds.items()):
            if tid not in ev.ruleset.thresholds:
                out.append(f"finding {cid} {tid}: threshold not enabled in the ruleset")
                continue
            got = levels.get(tid, "none")
            want = "none" if str(expected).lower() in NONE_WORDS else str(expected)
            if got != want:
                out.append(f"finding {cid} {tid}: expected {want}, got {got}")
    for cid, expected in sorted(case.ranks.items()):
        if ev.get_scorecard(cid) is None:
            out.append(f"rank {cid}: no such candidate")
            continue
        entry = ev.commendation.entry(cid)
        got_rank: Any = entry.rank if entry is not None else "none"
        want_rank: Any = (
            "none" if expected is False or str(expected).lower() in NONE_WORDS else expected
        )
        if got_rank != want_rank:
            why = ""
            if entry is None:
                reasons = [x.reasons for x in ev.commendation.excluded if x.candidate_id == cid]
                near = [
                    e.note
                    for es in ev.commendation.near_misses.values()
                    for e in es
                    if e.candidate_id == cid
                ]
                why = "; ".join((*(reasons[0] if reasons else ()), *near))
            out.append(
                f"rank {cid}: expected {want_rank}, got {got_rank}" + (f" ({why})" if why else "")
            )
    standing = ev.commendation.standing() if (case.status or case.reasons) else {}
    by_id = {cid: place for (_, cid), place in standing.items()}
    for cid, expected in sorted(case.status.items()):
        if ev.get_scorecard(cid) is None:
            out.append(f"status {cid}: no such candidate")
            continue
        place = by_id.get(cid)
        got = "none" if place is None else _status(*place)
        if got != expected:
            out.append(f"status {cid}: expected {expected}, got {got}")
    for cid, texts in sorted(case.reasons.items()):
        place = by_id.get(cid)
        if place is None:
            out.append(f"reasons {cid}: not in any commendation list or exclusion")
            continue
        said = _said(*place)
        for text in texts:
            if not any(text in line for line in said):
                out.append(f"reasons {cid}: expected {text!r} in {list(said)}")
    return out


def _status(state: str, place: Any) -> str:
    """``listed``, ``pending``, ``near`` or ``excluded``."""
    if state == "listed":
        return str(getattr(place, "status", "listed"))
    return state


def _said(state: str, place: Any) -> tuple[str, ...]:
    """What the commendation says of a candidate: its exclusion reasons or its note."""
    if state == "excluded":
        return tuple(place.reasons)
    return (place.note,) if place.note else ()


def run_case(case: Case, registry: Registry, cache: dict[Any, Ruleset] | None = None) -> CaseResult:
    """Evaluate one case and compare; a ruleset, data or plugin error is a failure."""
    cache = {} if cache is None else cache
    try:
        rs = _ruleset(case, registry, cache)
        data = {"units": [], "people": [], "projects": [], **case.input}
        ev = run(prepare(data, rs, registry), rs, registry)
    except (RulesetError, DxeEvalError) as exc:
        return CaseResult(
            case=case, failures=tuple(f"error: {line}" for line in str(exc).splitlines())
        )
    return CaseResult(case=case, failures=tuple(check_case(case, ev)))


def run_cases(path: str | Path, registry: Registry) -> Iterator[CaseResult]:
    """Run every case of a file, or of every case file under a folder."""
    cache: dict[Any, Ruleset] = {}
    for file in find_case_files(path):
        for case in load_cases(file):
            yield run_case(case, registry, cache)
