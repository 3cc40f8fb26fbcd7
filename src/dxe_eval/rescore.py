"""A what-if comparison that re-scores only the rules whose parameters changed, in cents.

:func:`quick_comparison` gives the same :class:`~dxe_eval.changes.Comparison` as
``compare(a, run(prepared, b, registry))``. When ruleset ``b`` differs from the
one behind evaluation ``a`` only in the parameters of some rules (a weight, a
limit, a min_cases), it makes neither B's scorecards nor B's commendation lists:

- the run under A is taken apart once into integer columns (each candidate's
  points in cents per rule, the sums a total is made of, its rank and whether
  it is listed);
- each changed rule is scored again, and only once per distinct value of the
  facts its points come from (:attr:`~dxe_eval.model.Rule.points_from`, tested
  against A's own results first): the candidates sharing the counts share the
  points, and the points per group are kept for each parameter set;
- B's totals are those sums with the changed rules' cents swapped, worked out
  by :func:`dxe_eval.totals.totals_in_cents` (the engine's arithmetic, in cents); the
  lists are ranked and cut
  by the commendation's own :func:`~dxe_eval.commend.rank_keyed` and
  :func:`~dxe_eval.commend.choose` (a tie at the cut-off pending as in a run);
  eligibility takes the measures, vetoes and project completion from A (no rule
  parameter moves them) and the share of the weight that judged a candidate from
  B's applicable maxima and B's weights; thresholds do not read rule results, so
  the findings are A's.

:func:`listed_under` gives only who B's lists hold (listed, or pending a tie at the
cut-off): what :func:`dxe_eval.whatif.sensitivity` needs of each draw.

Anything else (a threshold, an effect, the commendation policy, the calendar,
the total, a rule switched on or off, points that are not whole cents) gives
``None``, and :func:`dxe_eval.whatif.compare_to` goes the long way, through
:func:`~dxe_eval.engine.run` and :func:`~dxe_eval.whatif.compare`.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import add, itemgetter, sub
from typing import Any, Final

import attrs
import polars as pl

from dxe_eval.changes import CandidateChange, Comparison, ListChange
from dxe_eval.commend import (
    MEASURE_LINKS,
    NO_MEASURES,
    candidate_reasons,
    chain_links,
    choose,
    equal_marker,
    measure_reasons,
    measure_value,
    peer_group,
    quota_for,
    rank_keyed,
    vetoes,
)
from dxe_eval.engine import Prepared, facts_for, score_rule
from dxe_eval.manager import Registry
from dxe_eval.model import KINDS, Rule
from dxe_eval.numbers import cents
from dxe_eval.result import Evaluation
from dxe_eval.ruleset import ListPolicy, Ruleset
from dxe_eval.totals import least_judged, least_total, totals_in_cents

# Ruleset fields a fast comparison may see change: the names and the rules' parameters
_FREE: Final = ("id", "title", "source", "file", "fingerprint", "sources", "rules")


@attrs.define(eq=False)
class _RuleColumns:
    """One rule's results in cents by candidate position (0 where it does not apply)."""

    got: Sequence[int]  # the points counted in the base: applicable weighted rules only
    most: Sequence[int]  # the maximum counted in the base: applicable weighted rules only
    bonus: Sequence[int]  # a bonus rule's points
    points: Sequence[int]  # the points whatever their applicability, for the tie-break chain


@attrs.define(eq=False)
class _Filling:
    """:class:`_RuleColumns` being filled in, by position or by group."""

    got: list[int]
    most: list[int]
    bonus: list[int]
    points: list[int]

    @classmethod
    def zeros(cls, n: int) -> _Filling:
        return cls(got=[0] * n, most=[0] * n, bonus=[0] * n, points=[0] * n)

    def put(self, i: int, result: Any, bonus: bool) -> bool:
        """Slot ``i`` from a rule result; False when a value is not whole cents."""
        p = cents(result.points)
        if p is None:
            return False
        self.points[i] = p
        if bonus:
            self.bonus[i] = p
        elif result.applicable:
            top = cents(result.max)
            if top is None:
                return False
            self.got[i], self.most[i] = p, top
        return True

    def done(self) -> _RuleColumns:
        return _RuleColumns(got=self.got, most=self.most, bonus=self.bonus, points=self.points)


@attrs.define(eq=False)
class _Base:
    """The run under A in integer columns, by candidate position; made once per evaluation."""

    total: list[int]
    got: list[int]
    most: list[int]
    bonus: list[int]
    deducted: list[int]
    rules: dict[str, _RuleColumns]
    #: A's rules' parameters
    params: Mapping[str, Any]
    rank: list[int]
    listed: list[bool]
    #: per kind, the candidates' positions in id order
    by_kind: dict[str, list[int]]
    #: each position's place in kind and id order: kind × (candidates + 1) + place in kind
    seat: list[int]
    #: per tie-break link no changed rule touches: its values negated, by position
    links: dict[str, list[Any]] = attrs.field(factory=dict)
    #: per (kind, list policy): who cannot be listed whatever the total (measures, veto)
    blocked: dict[tuple[str, ListPolicy], list[bool]] = attrs.field(factory=dict)
    #: per (rule id, facts index id): the first position of each group of equal facts,
    #: the gatherer of per-group values by position, and the facts index (kept alive
    #: for its id)
    groups: dict[
        tuple[str, int], tuple[list[int], Callable[[Sequence[int]], Sequence[int]], Any]
    ] = attrs.field(factory=dict)
    #: per (rule id, facts index id, repr of params): the results by group
    scored: dict[tuple[str, int, str], _RuleColumns] = attrs.field(factory=dict)


#: each evaluation taken apart, for as long as the evaluation lives
_bases: weakref.WeakKeyDictionary[Evaluation, _Base | None] = weakref.WeakKeyDictionary()


def _changed_rules(a: Ruleset, b: Ruleset) -> list[str] | None:
    """The rules whose parameters differ, when nothing else that scores does; else None."""
    if list(a.rules) != list(b.rules):
        return None
    same = {name: getattr(a, name) for name in _FREE}
    if attrs.evolve(b, **same) != a:
        return None
    return [r for r in a.rules if a.rules[r] != b.rules[r]]


def quick_comparison(
    prepared: Prepared, a: Evaluation, b: Ruleset, registry: Registry
) -> Comparison | None:
    """``compare(a, run(prepared, b, registry))`` when ``b`` changes only rule parameters
    of ``a``'s ruleset and every value is whole cents; ``None`` otherwise."""
    under = _totals_under(prepared, a, b, registry)
    if under is None:
        return None
    listed = [status in IN_LIST for status in _statuses(prepared, a, b, under)]
    base, total = under.base, under.total
    rank = _ranks_of(prepared.evidence.candidates, total)
    return _comparison(prepared, a, base, b, total, rank, listed)


def listed_under(
    prepared: Prepared, a: Evaluation, b: Ruleset, registry: Registry
) -> dict[tuple[str, str], str] | None:
    """Who the lists of ``run(prepared, b, registry)`` hold, as (kind, id), with their status
    (``listed`` or ``pending``), under the same conditions as :func:`quick_comparison`;
    ``None`` when they do not hold."""
    under = _totals_under(prepared, a, b, registry)
    if under is None:
        return None
    statuses = _statuses(prepared, a, b, under)
    cands = prepared.evidence.candidates
    return {
        (cands[i].kind, cands[i].candidate_id): status
        for i, status in enumerate(statuses)
        if status in IN_LIST
    }


@attrs.define(eq=False)
class _Under:
    """What B gives, by candidate position, as far as its lists need it."""

    base: _Base
    #: B's totals in cents
    total: list[int]
    #: the changed rules' points in cents, of those the tie-break reads
    points: dict[str, Sequence[int]]
    #: the weight (maxima in cents) of the rules that judged each candidate
    judged: Sequence[int]
    #: per kind, the weight of the weighted rules that apply to it
    weights: dict[str, int]


def _totals_under(
    prepared: Prepared, a: Evaluation, b: Ruleset, registry: Registry
) -> _Under | None:
    """B's totals and what else its lists read, or None when B is not A's ruleset with
    some rules' parameters changed, or a value is not whole cents."""
    changed = _changed_rules(a.ruleset, b)
    if changed is None or a.registry is not registry or a.evidence is not prepared.evidence:
        return None
    base = _base(a)
    weights = _kind_weights(b, registry)
    if base is None or weights is None:
        return None
    got: Sequence[int] = base.got
    most: Sequence[int] = base.most
    bonus: Sequence[int] = base.bonus
    chain = set(b.commendation.tie_break)
    points: dict[str, Sequence[int]] = {}  # of the changed rules the tie-break reads
    for rule_id in changed:
        rule = registry.rules[rule_id]
        rescored = _rescored(prepared, base, rule_id, rule, b.rules[rule_id])
        if rescored is None:
            return None
        new, gather = rescored  # by group, and by position through gather
        old = base.rules[rule_id]
        if rule.bonus:
            bonus = list(map(add, map(sub, bonus, old.bonus), gather(new.bonus)))
        else:
            got = list(map(add, map(sub, got, old.got), gather(new.got)))
            most = list(map(add, map(sub, most, old.most), gather(new.most)))
        if rule_id in chain:
            points[rule_id] = gather(new.points)
    total = totals_in_cents(got, most, bonus, base.deducted, b.total)
    return _Under(base=base, total=total, points=points, judged=most, weights=weights)


def _base(a: Evaluation) -> _Base | None:
    if a not in _bases:
        _bases[a] = _take_apart(a)
    return _bases[a]


def _take_apart(a: Evaluation) -> _Base | None:
    """``a`` in integer columns, or None when a value is not a whole number of cents."""
    n = len(a.scorecards)
    fills = {rule_id: _Filling.zeros(n) for rule_id in a.ruleset.rules}
    total, deducted = [], []
    for i, card in enumerate(a.scorecards):
        for scored in card.rules:
            if not fills[scored.rule].put(i, scored.result, scored.bonus):
                return None
        t, d = cents(card.total), cents(card.deductions)
        if t is None or d is None:
            return None
        total.append(t)
        deducted.append(d)
    by_kind: dict[str, list[int]] = {kind: [] for kind in KINDS}
    cands = a.evidence.candidates
    for i in sorted(range(n), key=lambda i: cands[i].candidate_id):
        by_kind[cands[i].kind].append(i)
    seat = [0] * n
    for k, kind in enumerate(KINDS):
        for j, i in enumerate(by_kind[kind]):
            seat[i] = k * (n + 1) + j
    listed_ids = {(k, e.candidate_id) for k, es in a.commendation.lists.items() for e in es}
    return _Base(
        total=total,
        got=_sums(n, (f.got for f in fills.values())),
        most=_sums(n, (f.most for f in fills.values())),
        bonus=_sums(n, (f.bonus for f in fills.values())),
        deducted=deducted,
        rules={rule_id: f.done() for rule_id, f in fills.items()},
        params=a.ruleset.rules,
        rank=_ranks_of(cands, total),
        listed=[(c.kind, c.candidate_id) in listed_ids for c in cands],
        by_kind=by_kind,
        seat=seat,
    )


def _sums(n: int, columns: Iterable[Sequence[int]]) -> list[int]:
    """The columns added up, position by position."""
    out = [0] * n
    for column in columns:
        out = list(map(add, out, column))
    return out


def _rescored(
    prepared: Prepared, base: _Base, rule_id: str, rule: Rule, params: Any
) -> tuple[_RuleColumns, Callable[[Sequence[int]], Sequence[int]]] | None:
    """A rule's results under new ``params`` in cents by group of candidates, with the
    function that gives a value by group to each candidate; None when not cents.

    The rule is scored once per group of candidates with equal facts (:func:`_groups`),
    and each group's results are kept per ``params`` (sensitivity draws repeat weights).
    """
    firsts, gather, index_id = _groups(prepared, base, rule_id, rule, params)
    key = (rule_id, index_id, repr(params))
    shown = base.scored.get(key)
    if shown is None:
        # one more slot, left at 0, for the group of those the rule does not apply to
        filling = _Filling.zeros(len(firsts) + 1)
        for g, (_, scored) in enumerate(score_rule(prepared, rule_id, rule, params, firsts)):
            if not filling.put(g, scored.result, rule.bonus):
                return None
        shown = filling.done()
        if prepared.reuse:
            while len(base.scored) >= SCORED_KEPT:
                del base.scored[next(iter(base.scored))]
            base.scored[key] = shown
    return shown, gather


#: how many (rule, parameters) results per group an evaluation's columns keep
SCORED_KEPT: Final = 1024


def _groups(
    prepared: Prepared, base: _Base, rule_id: str, rule: Rule, params: Any
) -> tuple[list[int], Callable[[Sequence[int]], Sequence[int]], int]:
    """The first position of each group of candidates, a function giving each position's
    value from a list of per-group values, and the id of the facts; made once per rule
    and facts.

    Candidates share a group when they have the same values of the rule's
    ``points_from`` facts; without ``points_from``, each candidate with facts is a
    group of its own, and those without facts share one (``score`` is a pure function
    of the facts). Those the rule does not apply to are group ``k``, after the others.
    On the facts the run under A scored, A's own results test the declaration: where
    two candidates of a group got different points, it does not hold, a warning says so
    and the rule is grouped one candidate per group.
    """
    index = facts_for(prepared, "rule", rule, params, frozenset(rule.applies_to))
    key = (rule_id, id(index))
    hit = base.groups.get(key)
    if hit is not None:
        return hit[0], hit[1], key[1]
    firsts, gather = _grouped(prepared, rule, index, rule.points_from)
    if rule.points_from is not None and not _holds(
        prepared, base, rule_id, rule, index, firsts, gather
    ):
        warnings.warn(
            f"规则 {rule_id!r}（{rule.plugin or 'dxe-eval'}）声明的 points_from "
            f"{list(rule.points_from)} 与其得分不符，比较时逐个对象重算 / rule {rule_id!r}: "
            f"its points_from does not hold (candidates with the same values got different "
            f"points); what-if runs score it for every candidate",
            RuntimeWarning,
            stacklevel=2,
        )
        firsts, gather = _grouped(prepared, rule, index, None)
    if prepared.reuse:  # else the facts are made afresh for each run: nothing to key on
        base.groups[key] = (firsts, gather, index)
    return firsts, gather, key[1]


def _grouped(
    prepared: Prepared, rule: Rule, index: Mapping[Any, Any], columns: Sequence[str] | None
) -> tuple[list[int], Callable[[Sequence[int]], Sequence[int]]]:
    seen: dict[Any, int] = {}
    group_of: list[int] = []
    firsts: list[int] = []
    outside: list[int] = []
    applies = rule.applies_to
    for i, cand in enumerate(prepared.evidence.candidates):
        if cand.kind not in applies:
            group_of.append(-1)
            outside.append(i)
            continue
        facts = index.get((cand.kind, cand.candidate_id))
        if facts is None:
            values: Any = None
        elif columns is None:
            values = i  # a group of its own
        else:
            values = tuple(map(facts.get, columns))
        g = seen.get(values)
        if g is None:
            g = seen[values] = len(firsts)
            firsts.append(i)
        group_of.append(g)
    for i in outside:
        group_of[i] = len(firsts)
    return firsts, _gatherer(group_of)


def _holds(
    prepared: Prepared,
    base: _Base,
    rule_id: str,
    rule: Rule,
    index: Mapping[Any, Any],
    firsts: list[int],
    gather: Callable[[Sequence[int]], Sequence[int]],
) -> bool:
    """Did every group's candidates get their first one's results in the run under A?
    (True when A scored the rule on other facts: nothing to test it on.)"""
    kinds = frozenset(rule.applies_to)
    if facts_for(prepared, "rule", rule, base.params[rule_id], kinds) is not index:
        return True
    a = base.rules[rule_id]
    return all(
        tuple(gather([column[i] for i in firsts] + [0])) == tuple(column)
        for column in (a.points, a.got, a.most, a.bonus)
    )


def _gatherer(positions: list[int]) -> Callable[[Sequence[int]], Sequence[int]]:
    """``lambda values: [values[p] for p in positions]``, at C speed (a tuple)."""
    if len(positions) > 1:
        return itemgetter(*positions)
    return lambda values: tuple(values[p] for p in positions)


def _ranks_of(cands: Sequence[Any], total: Sequence[int]) -> list[int]:
    """Competition rank within the kind by total, as :func:`~dxe_eval.whatif.ranks_by_total`."""
    frame = pl.DataFrame(
        {"kind": [c.kind for c in cands], "total": total},
        schema={"kind": pl.String, "total": pl.Int64},
    )
    ranked = frame.select(pl.col("total").rank("min", descending=True).over("kind").cast(pl.Int64))
    return ranked.to_series().to_list()


def _blocked(
    prepared: Prepared, a: Evaluation, base: _Base, kind: str, policy: ListPolicy, ruleset: Ruleset
) -> list[bool]:
    """Who cannot be listed whatever its total: a measure short of the policy, a project
    not completed in the period, or a veto. None depends on a rule's parameters."""
    key = (kind, policy)
    hit = base.blocked.get(key)
    if hit is not None:
        return hit
    vetoed: set[str] = set()
    for f in a.findings:  # B has the same: thresholds read no rule result
        if f.kind == kind and vetoes(f, ruleset.effects):
            vetoed.add(f.candidate_id)
    cands = prepared.evidence.candidates
    measures = prepared.measures
    out = [False] * len(cands)
    for i in base.by_kind[kind]:
        cid = cands[i].candidate_id
        m = measures.get((kind, cid), NO_MEASURES)
        out[i] = (
            cid in vetoed
            or bool(measure_reasons(m, policy))
            or bool(candidate_reasons(cands[i], ruleset))
        )
    base.blocked[key] = out
    return out


def _kind_weights(b: Ruleset, registry: Registry) -> dict[str, int] | None:
    """Per kind, the weight (maxima in cents) of B's weighted rules that apply to it: what
    :func:`~dxe_eval.totals.judged_weight` finds on each card of the kind."""
    out = dict.fromkeys(KINDS, 0)
    for rule_id, params in b.rules.items():
        rule = registry.rules[rule_id]
        if rule.bonus:
            continue
        most = cents(rule.maximum(params))
        if most is None:
            return None
        for kind in rule.applies_to:
            out[kind] += most
    return out


#: the statuses of an entry in a list (the others are near misses)
IN_LIST: Final = ("listed", "pending")


def _statuses(prepared: Prepared, a: Evaluation, b: Ruleset, under: _Under) -> list[str]:
    """Each position's status in B's lists (``listed``, ``pending``, ``near``; ``""`` when
    not eligible or not a candidate of an enabled list): eligibility, ranking and quotas
    as in :func:`~dxe_eval.commend.commend`, on the integer totals (and, for the share of
    the weight that judged a candidate, B's applicable maxima)."""
    base, total, points, judged = under.base, under.total, under.points, under.judged
    cands = prepared.evidence.candidates
    policy_all = b.commendation
    links = chain_links(policy_all.tie_break)
    # the ranking key's columns, negated (higher first): the total, then each link
    columns = [[-t for t in total]]
    for link in links:
        if link in points:
            columns.append([-v for v in points[link]])
        else:
            columns.append(_negated(prepared, base, link))
    staff = {cands[i].candidate_id: cands[i].staff_count for i in base.by_kind["unit"]}
    out = [""] * len(cands)
    for kind in KINDS:
        policy = policy_all.policy(kind)
        if not policy.enabled:
            continue
        least = least_total(policy)
        blocked = _blocked(prepared, a, base, kind, policy, b)
        # the least judged weight (cents) that passes: judged_reason's test, once per kind
        judged_least = least_judged(under.weights[kind], policy.min_judged_share)
        chosen = [
            i
            for i in base.by_kind[kind]
            if not blocked[i] and total[i] >= least and judged[i] >= judged_least
        ]
        keys = zip(*([column[i] for i in chosen] for column in columns), strict=True)
        groups: dict[str, list[tuple[tuple[Any, ...], str, int]]] = {}
        for key, i in zip(keys, chosen, strict=True):
            cand = cands[i]
            group = peer_group(cand, policy)
            groups.setdefault(group, []).append((key, cand.candidate_id, i))
        per_unit: dict[str, int] = {}
        equal = equal_marker(policy_all.tie_at_cutoff)
        for group in sorted(groups):
            ranked = rank_keyed(groups[group], links, equal, deciders=False)
            for i, *_, status, _note in choose(
                ranked,
                lambda i: cands[i].unit_id,
                kind=kind,
                quota=quota_for(policy, len(ranked)),
                policy=policy,
                tie_at_cutoff=policy_all.tie_at_cutoff,
                staff=staff,
                per_unit=per_unit,
            ):
                out[i] = status
    return out


def _negated(prepared: Prepared, base: _Base, link: str) -> list[Any]:
    """A tie-break link that no changed rule touches, negated, by position (made once):
    A's points of a rule (0 for a rule not enabled), the caseload or the 满意率."""
    hit = base.links.get(link)
    if hit is not None:
        return hit
    if link in base.rules:
        column: list[Any] = [-v for v in base.rules[link].points]
    elif link in MEASURE_LINKS:
        measures = prepared.measures
        column = [
            -measure_value(link, measures.get((c.kind, c.candidate_id), NO_MEASURES))
            for c in prepared.evidence.candidates
        ]
    else:
        column = [0] * len(base.total)  # a rule not enabled: 0 points for all
    base.links[link] = column
    return column


def _comparison(
    prepared: Prepared,
    a: Evaluation,
    base: _Base,
    b: Ruleset,
    total: list[int],
    rank: list[int],
    listed: list[bool],
) -> Comparison:
    cands = prepared.evidence.candidates
    # B's order: by kind, B's rank, then id (``seat``: the place in kind and id order)
    n = len(cands) + 1
    at = [(seat // n * n + r) * n + seat for seat, r in zip(base.seat, rank, strict=True)]
    order = sorted(range(len(cands)), key=at.__getitem__)
    ta, ra, la = base.total, base.rank, base.listed
    rows = [
        CandidateChange(
            candidate_id=cands[i].candidate_id,
            kind=cands[i].kind,
            name=cands[i].name,
            total_a=ta[i] / 100,
            total_b=total[i] / 100,
            change=(total[i] - ta[i]) / 100,
            rank_a=ra[i],
            rank_b=rank[i],
            rank_change=ra[i] - rank[i],
            commended_a=la[i],
            commended_b=listed[i],
        )
        for i in order
    ]
    lists = []
    for kind in KINDS:
        in_a = {i for i in base.by_kind[kind] if base.listed[i]}
        in_b = {i for i in base.by_kind[kind] if listed[i]}
        lists.append(
            ListChange(
                kind=kind,
                size_a=len(in_a),
                size_b=len(in_b),
                entered=_named(cands, in_b - in_a),
                left=_named(cands, in_a - in_b),
            )
        )
    return Comparison(
        ruleset_a=a.ruleset.id,
        ruleset_b=b.id,
        fingerprint_a=a.ruleset.fingerprint,
        fingerprint_b=b.fingerprint,
        candidates=tuple(rows),
        lists=tuple(lists),
        findings=(),  # thresholds read no rule result: B's findings are A's
    )


def _named(cands: Sequence[Any], positions: set[int]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((cands[i].candidate_id, cands[i].name) for i in positions))
