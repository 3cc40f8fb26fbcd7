"""score → assess → commend: the stages after reading, each a function of the previous value.

:func:`prepare` reads the data and builds the evidence once; :func:`run`
scores, assesses and commends a prepared data set under a ruleset, reusing
the facts already collected when a what-if run changes only weights,
thresholds or quotas. :func:`evaluate` does both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, cast

import attrs
import polars as pl
from attrs import define, field, frozen

from dxe_eval.calendar import WorkdayTable, build_workdays
from dxe_eval.commend import Measures, commend, measures_of
from dxe_eval.errors import RejectedRowsError, RuleError, RulesetError, plugin_fault
from dxe_eval.evidence import (
    CID,
    KIND,
    Evidence,
    FactSpec,
    build_evidence,
    fused_facts,
    set_aside_notes,
)
from dxe_eval.manager import Registry, get_registry
from dxe_eval.model import (
    KINDS,
    LEVEL_RANK,
    LEVELS,
    Assessment,
    Candidate,
    Finding,
    IdList,
    Rule,
    RuleResult,
    ScoredRule,
    Threshold,
    check_points,
)
from dxe_eval.needs import check_needs
from dxe_eval.numbers import cents, round2
from dxe_eval.peer_groups import small_group_warnings, with_categories
from dxe_eval.read.dataset import read_dataset
from dxe_eval.read.limits import ReadLimits
from dxe_eval.read.raw import DEFAULT_LIMITS, Dataset
from dxe_eval.result import Evaluation
from dxe_eval.ruleset import DEFAULT_RULESET, Ruleset, load_ruleset, validity_warnings
from dxe_eval.schema import label_of
from dxe_eval.totals import scorecard

FactIndex = Mapping[tuple[str, str], Mapping[str, Any]]

DEFAULT_DATA = "hubei-2022"


@define(kw_only=True, eq=False)
class FactCache:
    """What runs over one :class:`Prepared` keep for each other: mutable, owned by it."""

    #: per rule, the facts its ``collect`` gave, keyed by its id and the params it reads
    facts: dict[tuple[Any, ...], FactIndex] = field(factory=dict)
    #: per rule and per threshold, what it gave each candidate, keyed by its id and
    #: the repr of its params (and, for a threshold, of the earlier stages' params):
    #: a what-if run recomputes only what its changes touch
    results: dict[tuple[Any, ...], tuple[Any, list[Any]]] = field(factory=dict)
    #: the commendation's measures (caseload, ratings) by candidate: no ruleset changes them
    measures: dict[tuple[str, str], Measures] = field(factory=dict)
    #: facts computed ahead in one pass per record type (:func:`fuse_facts`), keyed as
    #: ``facts``, each taken (and dropped) by the first :func:`facts_for` that asks for it
    fused: dict[tuple[Any, ...], pl.DataFrame] = field(factory=dict)


@frozen(kw_only=True, eq=False)
class Prepared:
    """A data set read and indexed under one calendar; reusable across rulesets.

    Frozen: what it holds never changes. What runs keep for later runs lives in its
    :class:`FactCache` (``cache``), the one mutable part, reached through ``facts``,
    ``results`` and ``measures``."""

    dataset: Dataset
    evidence: Evidence
    calendar_key: tuple[Any, ...]
    warnings: tuple[str, ...] = ()
    cache: FactCache = field(factory=FactCache)
    #: keep facts and results for later runs (``False`` for a one-off evaluation, which
    #: then frees each rule's facts as soon as the rule is scored)
    reuse: bool = True
    #: the unit categories the data were read under (``[peer_groups] categories``)
    categories: tuple[str, ...] = ()
    #: the data as given to :func:`prepare` (not a Dataset), to read again under other
    #: categories; ``None``: given as a Dataset
    source: Any = None
    #: how the data were read (``lenient``, ``limits``), to read them again the same way
    reading: Mapping[str, Any] = field(factory=dict)

    @property
    def facts(self) -> dict[tuple[Any, ...], FactIndex]:
        return self.cache.facts

    @property
    def results(self) -> dict[tuple[Any, ...], tuple[Any, list[Any]]]:
        return self.cache.results

    @property
    def measures(self) -> dict[tuple[str, str], Measures]:
        return self.cache.measures


def _calendar_key(ruleset: Ruleset) -> tuple[Any, ...]:
    return (
        ruleset.calendar,
        ruleset.timezone,
        ruleset.period.start,
        ruleset.period.end,
        ruleset.calendar_settings.extra_holidays,
        ruleset.calendar_settings.extra_workdays,
        # the index stage marks each request against these: a change indexes again
        tuple(sorted(ruleset.limits.completion_days.items())),
    )


def workdays_for(ruleset: Ruleset, registry: Registry) -> tuple[WorkdayTable, tuple[str, ...]]:
    return build_workdays(
        registry.calendars[ruleset.calendar],
        (ruleset.period.start, ruleset.period.end),
        extra_holidays=ruleset.calendar_settings.extra_holidays,
        extra_workdays=ruleset.calendar_settings.extra_workdays,
    )


def prepare(
    data: Any,
    ruleset: Ruleset,
    registry: Registry,
    *,
    progress: Callable[[str], None] | None = None,
    reuse: bool = True,
    lenient: bool = False,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Prepared:
    """Read the data set and build the evidence under the ruleset's calendar and time zone.

    ``reuse=False``: for one run only; its facts are not kept for later runs.
    ``lenient``: a header that is a near miss of a contract column is a warning, not an
    error; ``limits``: what a workbook may unpack to (:class:`~dxe_eval.read.limits.ReadLimits`).
    """
    if progress:
        progress("read")
    categories = ruleset.peer_groups.categories
    dataset = (
        data
        if isinstance(data, Dataset)
        else read_dataset(
            data,
            with_categories(registry.record_types, categories),
            timezone=ruleset.timezone,
            lenient=lenient,
            limits=limits,
            readers=registry.readers.values(),
        )
    )
    if progress:
        progress("index")
    workdays, warnings = workdays_for(ruleset, registry)
    evidence = build_evidence(
        dataset,
        workdays,
        (ruleset.period.start, ruleset.period.end),
        registry.record_types,
        completion_days=ruleset.limits.completion_days,
    )
    return Prepared(
        dataset=dataset,
        evidence=evidence,
        calendar_key=_calendar_key(ruleset),
        categories=categories,
        source=None if isinstance(data, Dataset) else data,
        reading={"lenient": lenient, "limits": limits},
        warnings=(*warnings, *period_warnings(evidence), *set_aside_notes(evidence)),
        reuse=reuse,
    )


def _span(first: dt.date, last: dt.date) -> str:
    return f"{first.isoformat()} – {last.isoformat()}"


def period_warnings(evidence: Evidence) -> tuple[str, ...]:
    """A warning when the evaluated period holds none of the requests (by the local date
    they were received) and none of the survey responses (by the date answered) while the
    data set has some: the rules that count them then give 0 or "—", which a mistyped
    period or year would otherwise do without a word. Only a warning: the run goes on.

    One pass over the two date columns each (first, last, any in the period).
    """
    start, end = evidence.period_start, evidence.period_end
    held: list[tuple[str, str, dt.date, dt.date]] = []
    for name, column, zh, en in (
        ("requests", "received_on", "服务需求", "requests"),
        ("surveys", "answered_on", "满意度测评", "survey responses"),
    ):
        dates = pl.col(column)
        first, last, inside = (
            evidence.frame(name)
            .select(
                dates.min().alias("first"),
                dates.max().alias("last"),
                dates.is_between(start, end, closed="both").any().alias("inside"),
            )
            .row(0)
        )
        if inside:
            return ()
        if first is not None:
            held.append((zh, en, first, last))
    if not held:  # no data to miss
        return ()
    zh = "，".join(f"{z} {_span(a, b)}" for z, _, a, b in held)
    en = ", ".join(f"{e} {_span(a, b)}" for _, e, a, b in held)
    span = _span(start, end)
    return (
        f"评价期间 {span} 内没有任何服务需求（按接收时间）和满意度测评（按评价日期），"
        f"按它们计分的规则只会得 0 分或“—”；数据的日期范围：{zh}。请核对规则集的评价期间 "
        f"/ no request (by received time) and no survey response (by answered date) falls "
        f'in the evaluated period {span}, so the rules that count them give 0 or "—"; '
        f"the data cover {en}: check the ruleset's period",
    )


def _facts_key(
    what: str, obj: Rule | Threshold, params: Any, kinds: frozenset[str] | None
) -> tuple[Any, ...]:
    """The key of ``obj``'s facts under ``params`` among a prepared data set's facts."""
    keys = obj.collect_keys
    values = attrs.asdict(params, recurse=False)
    key_values = tuple(sorted((k, repr(v)) for k, v in values.items() if keys is None or k in keys))
    return (what, obj.id, key_values, None if kinds is None else tuple(sorted(kinds)))


def judged_kinds(threshold: Threshold, params: Any) -> frozenset[str]:
    """The kinds a threshold judges under ``params`` (its ``applies_to``, if it has one)."""
    return frozenset(getattr(params, "applies_to", threshold.applies_to)) & frozenset(
        threshold.applies_to
    )


def fuse_facts(prepared: Prepared, ruleset: Ruleset, registry: Registry) -> None:
    """Compute ahead, in one pass per record type, the facts of every enabled rule and
    threshold that declares them (``facts``) and has none kept yet.

    Each record type's specs go to one query (:func:`~dxe_eval.evidence.fused_facts`;
    one per candidate kind, :func:`_fused_group`): a province's requests are scanned
    once for timeliness, follow-up, ledger and the thresholds on them, not once each.
    The frames wait in the cache's ``fused`` for :func:`facts_for`, which takes each as
    the rule's ``collect`` would have given it.
    A spec that cannot be made, or a query that fails, leaves those rules to their own
    ``collect`` (which then raises under its guard, naming the rule).
    """
    wanted: list[tuple[tuple[Any, ...], Rule | Threshold, Any, frozenset[str]]] = []
    for rule_id, params in ruleset.rules.items():
        rule = registry.rules[rule_id]
        if rule.facts is not None:
            kinds = frozenset(rule.applies_to)
            wanted.append((_facts_key("rule", rule, params, kinds), rule, params, kinds))
    for threshold_id, params in sorted(ruleset.thresholds.items()):
        threshold = registry.thresholds[threshold_id]
        if threshold.facts is not None:
            kinds = judged_kinds(threshold, params)
            key = _facts_key("threshold", threshold, params, kinds)
            wanted.append((key, threshold, params, kinds))
    by_type: dict[str, list[tuple[tuple[Any, ...], Rule | Threshold, FactSpec, frozenset[str]]]]
    by_type = {}
    for key, obj, params, kinds in wanted:
        if key in prepared.facts or key in prepared.cache.fused:
            continue
        try:
            spec = obj.facts(prepared.evidence, params)  # type: ignore[misc]
        except Exception:  # its own collect says what is wrong, under its guard
            continue
        if isinstance(spec, FactSpec):
            by_type.setdefault(spec.record_type, []).append((key, obj, spec, kinds))
    for group in by_type.values():
        if len(group) < 2:  # nothing to fuse: collect, as ever
            continue
        try:
            frames = _fused_group(prepared.evidence, group)
        except Exception:  # each rule's collect, under its own guard
            continue
        for (key, *_), frame in zip(group, frames, strict=True):
            if frame is not None:
                prepared.cache.fused[key] = frame


def _fused_group(
    ev: Evidence, group: list[tuple[tuple[Any, ...], Rule | Threshold, FactSpec, frozenset[str]]]
) -> list[pl.DataFrame | None]:
    """The facts of one record type's specs (``None`` for one left to its own collect).

    When every rule and threshold of the group declares ``collect_per_kind`` (a
    candidate's facts come only from the rows attributed to it), one fused query per
    candidate kind, each spec's parts put together before its ``finish``. At a
    province's size (1M requests) that adds 11–43 MB to the peak where one query over
    the rows of every kind added 96–141 MB, and takes 0.46–0.49 s instead of 0.73–0.76 s
    (docs/performance.md). Otherwise one query over every row.
    """
    specs = [spec for _, _, spec, _ in group]
    if not all(obj.collect_per_kind for _, obj, _, _ in group):
        return list(fused_facts(ev, specs))
    parts: list[list[pl.DataFrame]] = [[] for _ in group]
    for kind in KINDS:
        mine = [i for i, (*_, kinds) in enumerate(group) if kind in kinds]
        if not mine:
            continue
        frames = fused_facts(ev.for_kinds({kind}), [specs[i] for i in mine], finish=False)
        for i, frame in zip(mine, frames, strict=True):
            parts[i].append(frame)
    out: list[pl.DataFrame | None] = []
    for spec, frames in zip(specs, parts, strict=True):
        if not frames:
            out.append(None)
            continue
        frame = frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical")
        out.append(spec.finish(frame) if spec.finish is not None else frame)
    return out


def facts_for(
    prepared: Prepared,
    what: str,
    obj: Rule | Threshold,
    params: Any,
    kinds: frozenset[str] | None = None,
) -> FactIndex:
    """The facts ``obj`` collects, by candidate; only of ``kinds`` when given.

    Only the rows of the kinds that are scored or judged become Python values:
    a threshold judging units alone does not convert 25,000 people's and
    projects' rows it will never read. Facts computed ahead (:func:`fuse_facts`)
    are taken from there.
    """
    cache_key = _facts_key(what, obj, params, kinds)
    if cache_key in prepared.facts:
        return prepared.facts[cache_key]
    ahead = prepared.cache.fused.pop(cache_key, None)
    if ahead is not None:
        return _indexed(prepared, cache_key, ahead, kinds, id_lists=True)
    ev = prepared.evidence
    if obj.collect_per_kind and kinds is not None:
        ev = ev.for_kinds(kinds)  # no rows made for candidates it will not read
    try:
        frame = obj.collect(ev, params)
    except BaseException as exc:
        if not plugin_fault(exc):
            raise
        raise RuleError(obj.id, obj.plugin, f"collect raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(frame, pl.DataFrame) or not {KIND, CID} <= set(frame.columns):
        raise RuleError(
            obj.id,
            obj.plugin,
            "collect must return a polars DataFrame with candidate_kind and candidate_id",
        )
    return _indexed(prepared, cache_key, frame, kinds, id_lists=obj.facts is not None)


def _indexed(
    prepared: Prepared,
    cache_key: tuple[Any, ...],
    frame: pl.DataFrame,
    kinds: frozenset[str] | None,
    *,
    id_lists: bool = False,
) -> FactIndex:
    """``frame``'s rows by candidate (only of ``kinds`` when given), kept when reused.

    ``id_lists``: the frame is a declared :class:`~dxe_eval.evidence.FactSpec`'s, whose
    lists of ids each row gets as an :class:`~dxe_eval.model.IdList` (left in polars);
    a ``collect``-only plugin's list columns stay Python lists, as they always were."""
    if kinds is not None:
        frame = frame.filter(pl.col(KIND).is_in(sorted(kinds)))
    lists = [
        name for name, dtype in frame.schema.items() if id_lists and dtype == pl.List(pl.String)
    ]
    rows = frame.drop(lists).to_dicts()
    for name in lists:  # id lists stay in polars: each row's is a range of one column
        for row, ids in zip(rows, _id_lists(frame[name]), strict=True):
            row[name] = ids
    index = {(row[KIND], row[CID]): row for row in rows}
    if prepared.reuse:
        prepared.facts[cache_key] = index
    return index


def _id_lists(column: pl.Series) -> list[IdList | None]:
    """Each row's list of ids of a ``list[str]`` column as an :class:`~dxe_eval.model.IdList`
    over the column's values (``None`` for a null list), made without a Python string."""
    lengths = column.list.len()
    ends = lengths.fill_null(0).cum_sum().to_list()
    # an empty or null list gives no value: row i's ids are values[ends[i-1]:ends[i]]
    values = column.explode(empty_as_null=False, keep_nulls=False)
    nulls = lengths.is_null().to_list()
    out: list[IdList | None] = []
    start = 0
    for end, null in zip(ends, nulls, strict=True):
        out.append(None if null else IdList(values, start, end))
        start = end
    return out


def _checked(rule: Rule, result: Any, cand: Candidate, maximum: float) -> RuleResult:
    """``result`` when it is a valid result under ``maximum``; else a RuleError saying why."""
    problem = check_points(rule.id, result, maximum)
    if problem is None and not math.isclose(result.max, maximum):
        problem = f"max {result.max} differs from the rule's maximum {maximum}"
    if problem:
        raise RuleError(rule.id, rule.plugin, problem, cand.candidate_id)
    return cast(RuleResult, result)


def _in_cents(result: RuleResult, maximum: float) -> RuleResult:
    """``result`` with its points rounded half-up to cents (never above ``maximum``): a
    card adds up each rule's rounded points, for a plugin's rule as for a built-in one."""
    rounded = round2(result.points)
    return attrs.evolve(result, points=rounded if rounded <= maximum else float(maximum))


def score(prepared: Prepared, ruleset: Ruleset, registry: Registry) -> list[list[ScoredRule]]:
    """Every enabled rule, once per candidate it applies to, in the ruleset's order (bonus last)."""
    out: list[list[ScoredRule]] = [[] for _ in prepared.evidence.candidates]
    order = sorted(ruleset.rules.items(), key=lambda item: registry.rules[item[0]].bonus)
    for rule_id, params in order:
        rule = registry.rules[rule_id]
        key = ("rule", rule_id, repr(params))
        hit = prepared.results.get(key)
        if hit is None or hit[0] is not rule:
            hit = (rule, score_rule(prepared, rule_id, rule, params))
            _remember(prepared, key, hit)
        for i, scored in hit[1]:
            out[i].append(scored)
    return out


def rule_notes(prepared: Prepared, ruleset: Ruleset, registry: Registry) -> tuple[str, ...]:
    """The data warnings of the enabled rules that have ``notes``, in the ruleset's order.

    Each rule's ``notes`` runs inside a guard naming the rule and its plugin, once per
    rule and parameters (kept with the results for a what-if run)."""
    out: list[str] = []
    for rule_id, params in ruleset.rules.items():
        rule = registry.rules[rule_id]
        if rule.notes is None:
            continue
        key = ("notes", rule_id, repr(params))
        hit = prepared.results.get(key)
        if hit is None or hit[0] is not rule:
            try:
                said = rule.notes(prepared.evidence, params)
            except BaseException as exc:
                if not plugin_fault(exc):
                    raise
                raise RuleError(
                    rule.id, rule.plugin, f"notes raised {type(exc).__name__}: {exc}"
                ) from exc
            if isinstance(said, str | bytes) or not all(isinstance(n, str) for n in said):
                raise RuleError(rule.id, rule.plugin, "notes must return a sequence of text")
            hit = (rule, list(said))
            _remember(prepared, key, hit)
        out.extend(hit[1])
    return tuple(out)


#: how many per-rule or per-threshold result lists a Prepared keeps (oldest dropped first)
RESULTS_KEPT = 64


def _remember(prepared: Prepared, key: tuple[Any, ...], value: tuple[Any, list[Any]]) -> None:
    if not prepared.reuse:
        return
    while len(prepared.results) >= RESULTS_KEPT:
        del prepared.results[next(iter(prepared.results))]
    prepared.results[key] = value


def score_rule(
    prepared: Prepared,
    rule_id: str,
    rule: Rule,
    params: Any,
    positions: Iterable[int] | None = None,
) -> list[tuple[int, ScoredRule]]:
    """One rule's result for each candidate it applies to, by the candidate's position;
    only for the candidates at ``positions`` when given (in that order)."""
    ev = prepared.evidence
    out: list[tuple[int, ScoredRule]] = []
    index = facts_for(prepared, "rule", rule, params, frozenset(rule.applies_to))
    maximum = rule.maximum(params)
    applies = rule.applies_to
    empty: Mapping[str, Any] = {}
    # ``score`` is a pure function of (facts, params): every candidate without facts
    # (a person with no project, a unit with no media item) gets the one result
    no_facts: ScoredRule | None = None
    score_fn, title, plugin, bonus = rule.score, rule.title, rule.plugin, rule.bonus
    cands = ev.candidates
    chosen = enumerate(cands) if positions is None else ((i, cands[i]) for i in positions)
    for i, cand in chosen:
        if cand.kind not in applies:
            continue
        facts = index.get((cand.kind, cand.candidate_id), empty)
        if facts is empty and no_facts is not None:
            out.append((i, no_facts))
            continue
        try:
            result = score_fn(facts, params)
        except BaseException as exc:
            if not plugin_fault(exc):
                raise
            raise RuleError(
                rule.id, rule.plugin, f"{type(exc).__name__}: {exc}", cand.candidate_id
            ) from exc
        # the usual result checked inline; anything else gets the full check and its reason
        if not (
            type(result) is RuleResult
            and type(result.points) is float
            and 0.0 <= result.points <= maximum + 1e-9
            and result.max == maximum
        ):
            result = _checked(rule, result, cand, maximum)
        # each rule's points half-up to cents, then summed (whole points, the most common,
        # pass the first test without a call)
        got = result.points
        if not (type(got) is float and (got * 100).is_integer()) and cents(got) is None:
            result = _in_cents(result, maximum)
        scored = ScoredRule(rule=rule_id, title=title, plugin=plugin, bonus=bonus, result=result)
        if facts is empty:
            no_facts = scored
        out.append((i, scored))
    return out


def assess(
    prepared: Prepared, ruleset: Ruleset, registry: Registry
) -> tuple[list[Finding], list[dict[str, Assessment]]]:
    """Every enabled threshold by stage; a candidate gets at most one finding per threshold."""
    ev = prepared.evidence
    findings: list[Finding] = []
    per_candidate: list[list[Finding]] = [[] for _ in ev.candidates]
    assessments: list[dict[str, Assessment]] = [{} for _ in ev.candidates]
    enabled = [(registry.thresholds[t], p) for t, p in sorted(ruleset.thresholds.items())]
    for stage in sorted({t.stage for t, _ in enabled}):
        # what a threshold sees besides its facts: the findings of the earlier stages
        earlier = [(t, p) for t, p in enabled if t.stage < stage]
        context = tuple((t.id, repr(p)) for t, p in earlier)
        new: list[tuple[int, Finding]] = []
        for threshold, params in enabled:
            if threshold.stage != stage:
                continue
            key = ("threshold", threshold.id, repr(params), context)
            owners = (threshold, *(t for t, _ in earlier))
            hit = prepared.results.get(key)
            if (
                hit is None
                or len(hit[0]) != len(owners)
                or any(a is not b for a, b in zip(hit[0], owners, strict=True))
            ):
                hit = (owners, _assess_threshold(prepared, threshold, params, per_candidate))
                _remember(prepared, key, hit)
            for i, a, finding in hit[1]:
                assessments[i][threshold.id] = a
                if finding is not None:
                    new.append((i, finding))
        for i, finding in new:
            per_candidate[i].append(finding)
            findings.append(finding)
    findings.sort(
        key=lambda f: (-LEVEL_RANK[f.level], f.unit_id, f.kind, f.candidate_id, f.threshold)
    )
    return findings, assessments


def _assess_threshold(
    prepared: Prepared, threshold: Threshold, params: Any, per_candidate: list[list[Finding]]
) -> list[tuple[int, Assessment, Finding | None]]:
    """One threshold's assessment (and finding, if any) of each candidate it judges."""
    ev = prepared.evidence
    out: list[tuple[int, Assessment, Finding | None]] = []
    kinds = judged_kinds(threshold, params)
    index = facts_for(prepared, "threshold", threshold, params, kinds)
    for i, cand in enumerate(ev.candidates):
        if cand.kind not in kinds:
            continue
        facts = index.get((cand.kind, cand.candidate_id), {})
        try:
            a = threshold.assess(facts, params, tuple(per_candidate[i]))
        except BaseException as exc:
            if not plugin_fault(exc):
                raise
            raise RuleError(
                threshold.id,
                threshold.plugin,
                f"{type(exc).__name__}: {exc}",
                cand.candidate_id,
            ) from exc
        if not isinstance(a, Assessment):
            raise RuleError(
                threshold.id,
                threshold.plugin,
                f"returned {type(a).__name__}, not Assessment",
                cand.candidate_id,
            )
        if a.level is not None and a.level not in LEVELS:
            raise RuleError(
                threshold.id,
                threshold.plugin,
                f"unknown level {a.level!r}; use {LEVELS}",
                cand.candidate_id,
            )
        finding = None
        if a.level is not None:
            finding = Finding(
                candidate_id=cand.candidate_id,
                kind=cand.kind,
                unit_id=cand.unit_id,
                threshold=threshold.id,
                level=a.level,
                value=a.value,
                limit=a.limit,
                reason=a.reason,
                reason_en=a.reason_en,
                evidence=a.evidence[:10],
                count=a.count,
            )
        out.append((i, a, finding))
    return out


def run(
    prepared: Prepared,
    ruleset: Ruleset,
    registry: Registry,
    *,
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    """Score, assess and commend a prepared data set under ``ruleset``."""
    with collector_paused():
        return _run(prepared, ruleset, registry, progress=progress)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector paused: a run makes hundreds of thousands of small objects and no
    cycles, and each full collection would walk the millions the data set holds.

    Restored as it was on the way out (the command line switches it off for the
    whole of its short process; see :func:`dxe_eval.cli.main`).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _run(
    prepared: Prepared,
    ruleset: Ruleset,
    registry: Registry,
    *,
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    if ruleset.peer_groups.categories != prepared.categories:
        if prepared.source is None:
            raise RulesetError(
                "the data set was read under other declared categories ([peer_groups]); "
                "prepare it again under this ruleset",
                file=ruleset.file,
                table="peer_groups",
                key="categories",
                zh="数据是按另一组类别读取的，请按本规则集重新读取",
            )
        prepared = prepare(
            prepared.source, ruleset, registry, reuse=prepared.reuse, **prepared.reading
        )
    if _calendar_key(ruleset) != prepared.calendar_key:
        prepared = prepare(prepared.dataset, ruleset, registry, reuse=prepared.reuse)
    check_needs(prepared.dataset, ruleset, registry)  # before any rule runs
    if progress:
        progress("score")
    fuse_facts(prepared, ruleset, registry)
    scored = score(prepared, ruleset, registry)
    if progress:
        progress("assess")
    findings, assessments = assess(prepared, ruleset, registry)
    prepared.cache.fused.clear()  # any not asked for (a rule's results kept from before)
    by_candidate: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        by_candidate.setdefault((f.kind, f.candidate_id), []).append(f)
    cards = tuple(
        scorecard(
            c,
            scored[i],
            ruleset,
            by_candidate.get((c.kind, c.candidate_id), ()),
            assessments[i],
        )
        for i, c in enumerate(prepared.evidence.candidates)
    )
    if progress:
        progress("commend")
    if not prepared.measures:
        prepared.measures.update(measures_of(prepared.evidence))
    measures = prepared.measures
    result = commend(cards, measures, findings, ruleset)
    small = small_group_warnings(result, ruleset)
    return Evaluation(
        ruleset=ruleset,
        registry=registry,
        dataset=prepared.dataset,
        evidence=prepared.evidence,
        scorecards=cards,
        findings=tuple(findings),
        commendation=result,
        measures=measures,
        warnings=(
            *prepared.dataset.warnings,
            *prepared.warnings,
            *rule_notes(prepared, ruleset, registry),
            *validity_warnings(ruleset),
            *small,
        ),
    )


def default_data() -> Path:
    """The example data set shipped inside the package."""
    return Path(str(resources.files("dxe_eval") / "data" / "examples" / DEFAULT_DATA))


def evaluate(
    data: Any = None,
    ruleset: str | Path | Ruleset | None = None,
    *,
    registry: Registry | None = None,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
    lenient: bool = False,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Evaluation:
    """Evaluate a data set under a ruleset.

    ``data``: a folder, an ``.xlsx`` workbook, a mapping of record type to records
    (lists of mappings, polars or pandas frames), or ``None`` for the bundled example.
    ``ruleset``: a path, a shipped ruleset's name, a loaded :class:`Ruleset`, or ``None``
    for the default. ``strict=True`` raises :class:`RejectedRowsError` when any row
    was rejected, and :class:`RulesetError` when the period is outside the ruleset's
    validity (otherwise that is a warning in :attr:`Evaluation.warnings`).
    ``lenient=True``: a header that is a near miss of a contract column is a warning, not
    an error. ``limits`` caps what a workbook may unpack to.
    """
    registry = registry or get_registry()
    rs = load_ruleset(ruleset if ruleset is not None else DEFAULT_RULESET, registry)
    if strict and (outside := validity_warnings(rs)):
        raise RulesetError(outside[0], file=rs.file, zh="严格模式：评价期间不在规则集有效期内")
    # one run: each rule's facts are freed once it is scored, not kept for a what-if
    prepared = prepare(
        default_data() if data is None else data,
        rs,
        registry,
        progress=progress,
        reuse=False,
        lenient=lenient,
        limits=limits,
    )
    if strict and prepared.dataset.rejected:
        n = len(prepared.dataset.rejected)
        first = prepared.dataset.rejected[0]
        per_type = {k: c.rejected for k, c in prepared.dataset.counts.items() if c.rejected}
        detail = ", ".join(f"{k} {v}" for k, v in per_type.items())
        detail_zh = "，".join(
            f"{label_of(registry.record_types, k)} {v} 行" for k, v in per_type.items()
        )
        raise RejectedRowsError(
            f"{n} row(s) rejected ({detail}); first: {first.file} row {first.row} "
            f"column {first.column}: {first.reason}",
            zh=f"严格模式：共有 {n} 行数据被拒收（{detail_zh}），"
            f"首个问题在 {first.file} 第 {first.row} 行",
        )
    if strict and prepared.dataset.blanked:
        n = len(prepared.dataset.blanked)
        first_blank = prepared.dataset.blanked[0]
        raise RejectedRowsError(
            f"{n} cell(s) with a value that cannot be read (left empty when not strict); "
            f"first: {first_blank.file} row {first_blank.row} column {first_blank.header}: "
            f"{first_blank.reason}",
            zh=f"严格模式：共有 {n} 个单元格取值无效，首个在 {first_blank.file} 第 "
            f"{first_blank.row} 行 列 {first_blank.header}",
        )
    return run(prepared, rs, registry, progress=progress)
