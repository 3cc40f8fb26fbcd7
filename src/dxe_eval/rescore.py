"""A what-if comparison that re-scores only the rules whose parameters changed, in cents.

:func:`quick_comparison` gives the same :class:`~dxe_eval.whatif.Comparison` as
``compare(a, run(prepared, b, registry))``. When ruleset ``b`` differs from the
one behind evaluation ``a`` only in the parameters of some rules (a weight, a
limit, a fallback), it makes neither B's scorecards nor B's commendation lists:

- the run under A is taken apart once into integer columns (each candidate's
  points in cents per rule, the sums a total is made of, its rank and its
  standing before the lists' minimum total);
- each changed rule is scored again, and only once per distinct value of the
  facts its points come from (:attr:`~dxe_eval.model.Rule.points_from`): the
  candidates sharing the counts share the points;
- B's totals are those sums with the changed rules' cents swapped, worked out
  as :func:`dxe_eval.engine._card_numbers` does; the lists are ranked and cut
  by the commendation's own :func:`~dxe_eval.commend.rank_keyed` and
  :func:`~dxe_eval.commend.choose`; thresholds do not read rule results, so
  the findings are A's.

Anything else (a threshold, an effect, the commendation policy, the calendar,
the total, a rule switched on or off, points that are not whole cents) gives
``None``, and :func:`dxe_eval.whatif.compare_to` goes the long way, through
:func:`~dxe_eval.engine.run` and :func:`~dxe_eval.whatif.compare`.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import polars as pl

from dxe_eval.commend import (
    MEASURE_LINKS,
    NO_MEASURES,
    chain_links,
    choose,
    least_total,
    measure_reasons,
    measure_value,
    quota_for,
    rank_keyed,
    vetoes,
)
from dxe_eval.engine import Evaluation, Prepared, facts_for, score_rule
from dxe_eval.manager import Registry
from dxe_eval.model import KINDS, Rule
from dxe_eval.numbers import cents, exact, half_up_div
from dxe_eval.ruleset import ListPolicy, Ruleset

if TYPE_CHECKING:
    from dxe_eval.whatif import Comparison

# Ruleset fields a fast comparison may see change: the names and the rules' parameters
_FREE: Final = ("id", "title", "source", "file", "fingerprint", "sources", "rules")


@attrs.define(eq=False)
class _RuleColumns:
    """One rule's results in cents by candidate position (0 where it does not apply)."""

    got: list[int]  # the points counted in the base: applicable weighted rules only
    most: list[int]  # the maximum counted in the base: applicable weighted rules only
    bonus: list[int]  # a bonus rule's points
    points: list[int]  # the points whatever their applicability, for the tie-break chain


@attrs.define(eq=False)
class _Base:
    """The run under A in integer columns, by candidate position; made once per evaluation."""

    total: list[int]
    got: list[int]
    most: list[int]
    bonus: list[int]
    deducted: list[int]
    rules: dict[str, _RuleColumns]
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
    #: per (rule id, facts index id): each position's group of equal facts, a
    #: representative position per group, and the facts index (kept alive for its id)
    groups: dict[tuple[str, int], tuple[list[int], list[int], Any]] = attrs.field(
        factory=dict
    )


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
    changed = _changed_rules(a.ruleset, b)
    if changed is None or a.registry is not registry or a.evidence is not prepared.evidence:
        return None
    base = _base(a)
    if base is None:
        return None
    got, most, bonus = list(base.got), list(base.most), list(base.bonus)
    points: dict[str, list[int]] = {}
    for rule_id in changed:
        new = _rescored(prepared, base, rule_id, registry.rules[rule_id], b.rules[rule_id])
        if new is None:
            return None
        old = base.rules[rule_id]
        got = [g - o + n for g, o, n in zip(got, old.got, new.got, strict=True)]
        most = [m - o + n for m, o, n in zip(most, old.most, new.most, strict=True)]
        bonus = [x - o + n for x, o, n in zip(bonus, old.bonus, new.bonus, strict=True)]
        points[rule_id] = new.points
    whole = exact(b.total)
    num, den = whole.numerator * 100, whole.denominator
    total = [
        max(0, (half_up_div(g * num, m * den) if m else 0) + x - d)
        for g, m, x, d in zip(got, most, bonus, base.deducted, strict=True)
    ]
    listed = _listed(prepared, a, base, b, total, points)
    rank = _ranks_of(prepared.evidence.candidates, total)
    return _comparison(prepared, a, base, b, total, rank, listed)


def _base(a: Evaluation) -> _Base | None:
    if a not in _bases:
        _bases[a] = _take_apart(a)
    return _bases[a]


def _take_apart(a: Evaluation) -> _Base | None:
    """``a`` in integer columns, or None when a value is not a whole number of cents."""
    n = len(a.scorecards)
    rules = {
        rule_id: _RuleColumns(got=[0] * n, most=[0] * n, bonus=[0] * n, points=[0] * n)
        for rule_id in a.ruleset.rules
    }
    total, got, most, bonus, deducted = [], [], [], [], []
    for i, card in enumerate(a.scorecards):
        g = m = x = 0
        for scored in card.rules:
            result = scored.result
            p = cents(result.points)
            if p is None:
                return None
            cols = rules[scored.rule]
            cols.points[i] = p
            if scored.bonus:
                cols.bonus[i] = p
                x += p
            elif result.applicable:
                top = cents(result.max)
                if top is None:
                    return None
                cols.got[i], cols.most[i] = p, top
                g += p
                m += top
        t, d = cents(card.total), cents(card.deductions)
        if t is None or d is None:
            return None
        total.append(t)
        got.append(g)
        most.append(m)
        bonus.append(x)
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
        got=got,
        most=most,
        bonus=bonus,
        deducted=deducted,
        rules=rules,
        rank=_ranks_of(cands, total),
        listed=[(c.kind, c.candidate_id) in listed_ids for c in cands],
        by_kind=by_kind,
        seat=seat,
    )


def _rescored(
    prepared: Prepared, base: _Base, rule_id: str, rule: Rule, params: Any
) -> _RuleColumns | None:
    """A rule's results under new ``params`` in cents by position; None when not cents."""
    if rule.points_from is None:  # every candidate scored
        n = len(base.total)
        cols = _RuleColumns(got=[0] * n, most=[0] * n, bonus=[0] * n, points=[0] * n)
        for i, scored in score_rule(prepared, rule_id, rule, params):
            if not _put(cols, i, scored.result, rule.bonus):
                return None
        return cols
    group_of, firsts = _groups(prepared, base, rule_id, rule, params)
    k = len(firsts)
    # one more slot, left at 0, for the group -1 of those the rule does not apply to
    shown = _RuleColumns(
        got=[0] * (k + 1), most=[0] * (k + 1), bonus=[0] * (k + 1), points=[0] * (k + 1)
    )
    for g, (_, scored) in enumerate(score_rule(prepared, rule_id, rule, params, firsts)):
        if not _put(shown, g, scored.result, rule.bonus):
            return None
    return _RuleColumns(
        got=[shown.got[g] for g in group_of],
        most=[shown.most[g] for g in group_of],
        bonus=[shown.bonus[g] for g in group_of],
        points=[shown.points[g] for g in group_of],
    )


def _put(cols: _RuleColumns, i: int, result: Any, bonus: bool) -> bool:
    p = cents(result.points)
    if p is None:
        return False
    cols.points[i] = p
    if bonus:
        cols.bonus[i] = p
    elif result.applicable:
        top = cents(result.max)
        if top is None:
            return False
        cols.got[i], cols.most[i] = p, top
    return True


def _groups(
    prepared: Prepared, base: _Base, rule_id: str, rule: Rule, params: Any
) -> tuple[list[int], list[int]]:
    """Each position's group of candidates with the same values of the rule's
    ``points_from`` facts (-1 where the rule does not apply), and the first position
    of each group; made once per rule and facts."""
    index = facts_for(prepared, "rule", rule, params, frozenset(rule.applies_to))
    key = (rule_id, id(index))
    hit = base.groups.get(key)
    if hit is not None:
        return hit[0], hit[1]
    columns = rule.points_from or ()
    applies = rule.applies_to
    seen: dict[tuple[Any, ...] | None, int] = {}
    group_of: list[int] = []
    firsts: list[int] = []
    for i, cand in enumerate(prepared.evidence.candidates):
        if cand.kind not in applies:
            group_of.append(-1)
            continue
        facts = index.get((cand.kind, cand.candidate_id))
        values = None if facts is None else tuple(map(facts.get, columns))
        g = seen.get(values)
        if g is None:
            g = seen[values] = len(firsts)
            firsts.append(i)
        group_of.append(g)
    if prepared.reuse:  # else the facts are made afresh for each run: nothing to key on
        base.groups[key] = (group_of, firsts, index)
    return group_of, firsts


def _ranks_of(cands: Sequence[Any], total: Sequence[int]) -> list[int]:
    """Competition rank within the kind by total, as :func:`~dxe_eval.whatif.ranks_by_total`."""
    frame = pl.DataFrame(
        {"kind": [c.kind for c in cands], "total": total},
        schema={"kind": pl.String, "total": pl.Int64},
    )
    ranked = frame.select(
        pl.col("total").rank("min", descending=True).over("kind").cast(pl.Int64)
    )
    return ranked.to_series().to_list()


def _blocked(
    prepared: Prepared, a: Evaluation, base: _Base, kind: str, policy: ListPolicy, ruleset: Ruleset
) -> list[bool]:
    """Who cannot be listed whatever its total: a measure short of the policy or a veto.
    Neither depends on a rule's parameters."""
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
        out[i] = cid in vetoed or bool(measure_reasons(m, policy))
    base.blocked[key] = out
    return out


def _listed(
    prepared: Prepared,
    a: Evaluation,
    base: _Base,
    b: Ruleset,
    total: list[int],
    points: dict[str, list[int]],
) -> list[bool]:
    """Who B's lists hold, by position: eligibility, ranking and quotas as in
    :func:`~dxe_eval.commend.commend`, on the integer totals."""
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
    out = [False] * len(cands)
    for kind in KINDS:
        policy = policy_all.policy(kind)
        if not policy.enabled:
            continue
        least = least_total(policy)
        blocked = _blocked(prepared, a, base, kind, policy, b)
        chosen = [i for i in base.by_kind[kind] if not blocked[i] and total[i] >= least]
        keys = zip(*([column[i] for i in chosen] for column in columns), strict=True)
        groups: dict[str, list[tuple[tuple[Any, ...], str, int]]] = {}
        for key, i in zip(keys, chosen, strict=True):
            cand = cands[i]
            group = cand.category if policy.per == "category" else "全部"
            groups.setdefault(group, []).append((key, cand.candidate_id, i))
        per_unit: dict[str, int] = {}
        for group in sorted(groups):
            ranked = rank_keyed(groups[group], links)
            for i, *_, taken, _note in choose(
                ranked,
                lambda i: cands[i].unit_id,
                kind=kind,
                quota=quota_for(policy, len(ranked)),
                policy=policy,
                tie_all=policy_all.tie_at_cutoff == "all",
                staff=staff,
                per_unit=per_unit,
            ):
                out[i] = taken
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
    from dxe_eval.whatif import CandidateChange, Comparison, ListChange

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
