"""Frozen value objects: candidates, rule and threshold results, scorecards.

Every class here is an ``attrs.frozen`` value; changed copies are made with
``attrs.evolve``. The one cattrs converter (:mod:`dxe_eval.convert`)
structures and unstructures all of them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, overload

from attrs import field, frozen

if TYPE_CHECKING:
    import polars as pl

Kind = Literal["unit", "person", "project"]
#: the kinds of candidate (单位、个人、项目); :data:`KINDS` is the same tuple
CANDIDATE_KINDS: Final = ("unit", "person", "project")
KINDS: Final = CANDIDATE_KINDS
KIND_ZH: Final = {"unit": "单位", "person": "个人", "project": "项目"}
KIND_LIST_ZH: Final = {"unit": "先进单位", "person": "先进个人", "project": "优秀项目"}

Level = Literal["warning", "rectify", "criticize"]
LEVELS: Final = ("warning", "rectify", "criticize")
LEVEL_ZH: Final = {"warning": "警示", "rectify": "责令改正", "criticize": "通报批评"}
LEVEL_RANK: Final = {level: i for i, level in enumerate(LEVELS)}


def _kinds(value: Any) -> frozenset[str]:
    kinds = frozenset(value)
    unknown = kinds - set(KINDS)
    if unknown:
        raise ValueError(f"applies_to: unknown candidate kind(s) {sorted(unknown)}; use {KINDS}")
    return kinds


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    """``converter=tuple``, typed: the converter's argument type is what callers may pass."""
    return tuple(value)


class IdList(Sequence[str]):
    """Evidence ids held in a polars column until they are read.

    A rule's facts come from one query per record type; the ids of a candidate's
    records (the 826,000 requests not followed up in time of a province) stay in that
    query's column, and each candidate's list is a range of it: no Python string is
    made for an id until a report, ``explain`` or the JSON writer reads it. It is a
    sequence of ``str`` like the tuple it stands for: it compares equal to one with
    the same ids, hashes as it does, and pickles as it.
    """

    __slots__ = ("_start", "_stop", "_values")

    def __init__(self, values: pl.Series, start: int = 0, stop: int | None = None) -> None:
        self._values = values
        self._start = start
        self._stop = len(values) if stop is None else stop

    def __len__(self) -> int:
        return self._stop - self._start

    def __iter__(self) -> Iterator[str]:
        return iter(self._values.slice(self._start, len(self)).to_list())

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                return tuple(self)[i]
            return IdList(self._values, self._start + start, self._start + max(start, stop))
        n = len(self)
        if not -n <= i < n:
            raise IndexError("evidence index out of range")
        value: str = self._values[self._start + (i % n)]
        return value

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdList | tuple | list):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))


def _ids(value: Iterable[str]) -> Sequence[str]:
    """A result's evidence: an :class:`IdList` as it is (its ids stay in polars), anything
    else as a tuple."""
    return value if isinstance(value, IdList) else tuple(value)


@frozen(kw_only=True)
class Candidate:
    """A unit, person or project that is scored.

    ``category`` is the peer group used for ranking: a unit's own category, and
    for a person or a project the category of its unit. ``completed_on``: when a
    project was completed (``None``: not completed, or not a project); only a
    project completed in the period may be an 优秀项目.
    """

    candidate_id: str
    kind: str
    name: str
    category: str
    unit_id: str
    staff_count: int | None = None
    leader_id: str | None = None
    completed_on: dt.date | None = None


@frozen(kw_only=True)
class RuleResult:
    """What one rule gave one candidate.

    ``points`` lies in ``[0, max]``; the engine rounds it half-up to cents before it goes
    on a scorecard (a card adds up each rule's rounded points). ``applicable=False``
    means the rule could not judge this candidate (for example no delivered request at
    all) and its weight is spread over the candidate's other rules; ``points`` is then 0.
    ``evidence`` holds the ids of the records that decided the result: a tuple, or
    an :class:`IdList` (the same ids left in the facts' polars column until read).
    """

    points: float
    max: float
    reason: str
    reason_en: str = ""
    evidence: Sequence[str] = field(default=(), converter=_ids)
    applicable: bool = True


@frozen(kw_only=True)
class Assessment:
    """What one threshold found for one candidate; a finding when ``level`` is set.

    ``judged=False`` records why no judgement was made (for example fewer
    cases than ``min_cases``), so ``explain`` can say it.
    """

    level: str | None
    value: float | None
    limit: float | None
    reason: str
    reason_en: str = ""
    evidence: Sequence[str] = field(default=(), converter=_ids)
    count: int = 0
    judged: bool = True


@frozen(kw_only=True)
class Finding:
    """A warning (警示), an order to correct (责令改正) or a public criticism (通报批评).

    ``threshold`` is the id of the threshold that issued it, ``level`` one of
    :data:`LEVELS`; ``value`` and ``limit`` the measured value and the limit it passed,
    ``evidence`` the ids of the records that decided it, ``count`` how many there are.
    """

    candidate_id: str
    kind: str
    unit_id: str
    threshold: str
    level: str
    value: float | None
    limit: float | None
    reason: str
    reason_en: str = ""
    evidence: tuple[str, ...] = field(default=(), converter=_str_tuple)
    count: int = 0

    @property
    def code(self) -> str:
        """The stable code of the finding: its threshold's id and its level,
        ``"late-response.warning"`` (the reason's text may change, the code does not)."""
        return f"{self.threshold}.{self.level}"


@frozen(kw_only=True)
class ScoredRule:
    """A rule result with the rule's identity, as it appears on a scorecard."""

    rule: str
    title: str
    plugin: str
    bonus: bool
    result: RuleResult


@frozen(kw_only=True)
class Scorecard:
    """One candidate's scores: rule points scaled to the ruleset's total, bonus, deductions.

    ``base`` is the sum of the applicable rules' points scaled so that their
    maxima add up to the ruleset's total (the weight of a rule that does not
    apply is spread over the others); ``total = base + bonus - deductions``.
    """

    candidate: Candidate
    rules: tuple[ScoredRule, ...]
    base: float
    bonus: float
    deductions: float
    total: float
    assessments: Mapping[str, Assessment] = field(factory=dict)

    def rule(self, rule: str) -> ScoredRule:
        """The result of one rule on this card, by rule id (``"timeliness"``) or, when no
        id matches, by the rule's title (``"时效"``) if exactly one rule on the card has it.

        Raises :class:`UnknownId` (a ``KeyError``) naming the nearest id or title when
        nothing matches, or the ids sharing a title when it is ambiguous. A rule the
        ruleset disables, or that does not apply to the candidate's kind, is not on the
        card; :meth:`get_rule` returns ``None`` for it instead.
        """
        scored = self.get_rule(rule)
        if scored is not None:
            return scored
        titled = [r for r in self.rules if r.title == rule]
        if len(titled) == 1:
            return titled[0]
        who = self.candidate.candidate_id
        if titled:
            ids = "、".join(r.rule for r in titled)
            raise UnknownId(
                f"{who} 有多条规则名为 {rule}（{ids}），请用规则编号 "
                f"/ several rules of {who} are titled {rule!r} ({ids}): use the rule id"
            )
        choices = [r.rule for r in self.rules] + [r.title for r in self.rules]
        raise UnknownId(
            f"{who} 没有规则 {rule}{suggest(rule, choices)} / no rule {rule!r} on {who}'s card"
        )

    def get_rule(self, rule_id: str) -> ScoredRule | None:
        """The result of the rule with id ``rule_id``, or ``None`` when it is not on the card."""
        for scored in self.rules:
            if scored.rule == rule_id:
                return scored
        return None

    def points(self, rule_id: str) -> float:
        """The points of rule ``rule_id`` (0 when it is not on the card or does not apply)."""
        scored = self.get_rule(rule_id)
        return scored.result.points if scored else 0.0


class UnknownId(KeyError):
    """An id (a candidate's, a rule's) that the result does not hold.

    A ``KeyError``, so ``except KeyError`` catches it; its text is the message itself,
    Chinese first with a did-you-mean, not ``KeyError``'s quoted repr.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def suggest(name: str, choices: Sequence[str]) -> str:
    """``"（是否要找 U07？）"`` for the nearest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(name, list(dict.fromkeys(choices)), n=1, cutoff=0.5)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[name.lower()]] if name.lower() in lowered else []
    return f"（是否要找 {close[0]}？ did you mean {close[0]!r}?）" if close else ""


@frozen(kw_only=True)
class Rule:
    """A scoring rule, registered by a plugin through ``dxe_eval_register_rules``.

    - ``params``: the attrs class a ruleset table ``[rules.<id>]`` is structured into.
      A weighted rule's class has a ``points`` field (its maximum); a bonus rule a ``cap``.
    - ``collect(evidence, params) -> polars.DataFrame``: per-candidate facts, one row per
      ``(candidate_kind, candidate_id)``, computed in columns over the whole data set at once.
    - ``score(facts, params) -> RuleResult``: pure; ``facts`` is the candidate's row of that
      frame as a mapping (empty when the candidate has no row).
    - ``collect_keys``: the parameter names ``collect`` depends on (``None``: all), so that
      a what-if run that changes only a weight reuses the collected facts.
    - ``collect_per_kind``: ``collect``'s facts for a candidate come only from the rows
      attributed to that candidate (it groups :meth:`Evidence.attributed` rows by
      candidate), so the engine may give it evidence attributing rows only to the kinds
      it scores (:meth:`Evidence.for_kinds`). Off by default.
    - ``points_from``: the facts columns a result's ``points`` and ``applicable`` depend on
      (its reason and evidence may read more); ``None`` (the default) when not declared.
      A what-if comparison then scores one candidate per distinct value of those
      columns and gives its points to the others (:mod:`dxe_eval.rescore`).
    - ``needs``: the input columns (``"record_type.column"``) without which its results
      would be wrong, not just empty: a file of that type that has rows but not the
      column stops the run with an error naming the rule, unless the ruleset disables it.
    - ``notes(evidence, params) -> Sequence[str]`` (optional, ``None`` by default): data
      warnings the rule has about the data set as a whole (a key project without a
      deadline it cannot judge), each one line, Chinese first. The engine calls it once
      per evaluation, inside the same guard as ``collect``, and adds the lines to
      :attr:`Evaluation.warnings <dxe_eval.result.Evaluation.warnings>` (the 提示 of the
      reports); an empty sequence when there is nothing to say.
    - ``facts(evidence, params) -> FactSpec`` (optional): ``collect``'s facts declared as
      counts and id lists over one record type (:class:`dxe_eval.evidence.FactSpec`), so
      that the engine computes every enabled rule's and threshold's facts over that type
      in one pass; it must give what ``collect`` gives (a built-in rule's ``collect`` is
      :func:`dxe_eval.evidence.spec_facts` of it). A rule with ``collect`` alone works as
      before, its facts computed apart.
    """

    id: str
    title: str
    title_en: str
    applies_to: frozenset[str] = field(converter=_kinds)
    params: type
    #: ``collect(evidence, params)``: the evidence is a :class:`dxe_eval.evidence.Evidence`
    #: (the index layer, above this one: named here, not imported)
    collect: Callable[[Any, Any], pl.DataFrame]
    score: Callable[[Mapping[str, Any], Any], RuleResult]
    bonus: bool = False
    collect_keys: tuple[str, ...] | None = None
    collect_per_kind: bool = False
    points_from: tuple[str, ...] | None = None
    needs: tuple[str, ...] = field(default=(), converter=_str_tuple)
    notes: Callable[[Any, Any], Sequence[str]] | None = None
    #: ``facts(evidence, params)``: a :class:`dxe_eval.evidence.FactSpec` (named, not imported)
    facts: Callable[[Any, Any], Any] | None = None
    description: str = ""
    plugin: str = ""

    def maximum(self, params: Any) -> float:
        """The maximum under ``params``: ``points`` (weighted rule) or ``cap`` (bonus)."""
        return float(params.cap if self.bonus else params.points)


@frozen(kw_only=True)
class Threshold:
    """A threshold that issues findings, registered through ``dxe_eval_register_thresholds``.

    ``assess(facts, params, prior) -> Assessment`` is pure; ``prior`` holds the
    candidate's findings from thresholds of an earlier ``stage`` (escalation
    reads them). ``collect``, ``collect_keys``, ``collect_per_kind``, ``facts`` and ``needs``
    are as for :class:`Rule`.
    """

    id: str
    title: str
    title_en: str
    applies_to: frozenset[str] = field(converter=_kinds)
    params: type
    collect: Callable[[Any, Any], pl.DataFrame]
    assess: Callable[[Mapping[str, Any], Any, tuple[Finding, ...]], Assessment]
    stage: int = 0
    collect_keys: tuple[str, ...] | None = None
    collect_per_kind: bool = False
    needs: tuple[str, ...] = field(default=(), converter=_str_tuple)
    facts: Callable[[Any, Any], Any] | None = None
    description: str = ""
    plugin: str = ""


@frozen(kw_only=True)
class Calendar:
    """A working-day calendar, registered through ``dxe_eval_register_calendars``.

    ``is_workday(date)`` answers for one day and raises ``NotImplementedError`` for a
    year it does not know; ``years`` is the range of years it knows.
    """

    id: str
    title: str
    is_workday: Callable[[Any], bool]
    years: tuple[int, int]
    version: str = ""
    plugin: str = ""


def check_points(rule_id: str, result: Any, maximum: float) -> str | None:
    """Why a rule's result is invalid, or ``None`` when it is fine."""
    if not isinstance(result, RuleResult):
        return f"returned {type(result).__name__}, not RuleResult"
    p = result.points
    if not isinstance(p, int | float) or isinstance(p, bool) or math.isnan(p):
        return f"points {p!r} is not a number"
    if p < 0:
        return f"points {p} is negative"
    if p > maximum + 1e-9:
        return f"points {p} exceed the maximum {maximum}"
    return None
