"""The annual commendation: eligibility, peer groups, quotas and a declared tie-break chain.

For each list (先进单位 ``unit``, 先进个人 ``person``, 优秀项目 ``project``):

1. **Eligibility** from the ruleset: minimum total, minimum 满意率, maximum 差评率,
   minimum survey responses and requests, enough of the weight judged (the
   applicable rules carry ``min_judged_share`` percent of the weight of the rules
   that apply to the kind), a project completed in the period, and no vetoing
   finding. Every reason that applies is kept, not just the first.
2. **Ranking** inside each group (the whole list, or each peer group) by total on
   the rounded values, then the tie-break chain (rule points, ``caseload``,
   ``satisfaction_rate``; always ending in the candidate id). Candidates equal on
   the whole chain short of the id share a rank (并列). Each entry records which
   link decided its order against the one above it.
3. **Quota**: ``count``, or ``share`` percent of the group's eligible candidates
   rounded down with at least one where any is eligible; no quota means all
   eligible. For people, ``per_unit_staff`` caps each unit at
   ``staff_count // per_unit_staff`` (a unit without ``staff_count`` is not capped).
   A tie still standing at the cut-off after the whole chain is, by
   ``tie_at_cutoff``: ``"decide"`` (the default) not cut — every tied candidate is
   in the list with status ``pending`` and the note 并列，待定（剩余名额 N，请领导小组决定）,
   N being the places left after those definitely listed; ``"all"`` admitted whole;
   ``"by_id"`` cut by id order. Only under ``"by_id"`` does the id ever decide
   (``decided_by = "id"``); equal entries are otherwise marked ``"tie"``.
"""

from __future__ import annotations

import functools
import math
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, TypeVar

import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import CID, KIND, Evidence
from dxe_eval.model import KINDS, LEVEL_ZH, Candidate, Finding, Scorecard
from dxe_eval.numbers import fmt_pct, percent
from dxe_eval.ruleset import Effects, ListPolicy, Ruleset
from dxe_eval.totals import (
    hundredths,
    judged_reason,
    judged_weight,
    least_total,
    limit_fraction,
)

_T = TypeVar("_T")


@frozen(kw_only=True, cache_hash=True)
class Measures:
    """Per-candidate counts the commendation and tie-breaks read, independent of any rule."""

    caseload: int = 0
    responses: int = 0
    satisfied: int = 0
    bad: int = 0
    #: valid 差评 answered in the period and still unrectified at its end (no
    #: ``rectified_on``, or one after the period's end), and their ids
    open_bad: int = 0
    open_bad_ids: tuple[str, ...] = ()

    @property
    def satisfaction_rate(self) -> Fraction | None:
        return _percent(self.satisfied, self.responses) if self.responses else None

    @property
    def bad_review_rate(self) -> Fraction | None:
        return _percent(self.bad, self.responses) if self.responses else None


#: the measures of a candidate with no request and no survey response
NO_MEASURES: Final = Measures()

# the same few hundred (part, whole) pairs recur across thousands of candidates
_percent = functools.lru_cache(maxsize=1 << 16)(percent)


def measures_of(ev: Evidence) -> dict[tuple[str, str], Measures]:
    """Caseload (requests received in the period), valid survey ratings and the 差评 still
    unrectified at the period's end, per candidate (the ratings that count: a rating
    replaced by a later one of its request is not in the evidence's surveys)."""
    req = ev.attributed_lazy("requests").filter(ev.in_period("received_at"))
    sv = ev.attributed_lazy("surveys").filter(ev.in_period("answered_on") & ~pl.col("overturned"))
    still_open = pl.col("bad") & (
        pl.col("rectified_on").is_null() | (pl.col("rectified_on") > ev.period_end)
    )
    caseload, ratings = pl.collect_all(  # the two together
        [
            req.group_by([KIND, CID]).agg(pl.len().alias("caseload")),
            sv.group_by([KIND, CID]).agg(
                pl.len().alias("responses"),
                pl.col("satisfied").sum().alias("satisfied"),
                pl.col("bad").sum().alias("bad"),
                still_open.sum().alias("open_bad"),
                pl.col("response_id").filter(still_open).sort().alias("open_bad_ids"),
            ),
        ]
    )
    counts = ("caseload", "responses", "satisfied", "bad", "open_bad")
    both = caseload.join(ratings, on=[KIND, CID], how="full", coalesce=True).select(
        KIND,
        CID,
        *(pl.col(c).fill_null(0) for c in counts),
        pl.col("open_bad_ids").fill_null([]),
    )
    return {
        (k, c): Measures(
            caseload=n,
            responses=r,
            satisfied=s,
            bad=b,
            open_bad=o,
            open_bad_ids=tuple(ids) if o else (),
        )
        for k, c, n, r, s, b, o, ids in both.iter_rows()
    }


@frozen(kw_only=True)
class Entry:
    """A commended candidate, or an eligible one over the quota (a near miss)."""

    rank: int
    candidate_id: str
    name: str
    kind: str
    category: str
    unit_id: str
    total: float
    group: str
    tied: bool = False
    decided_by: str = ""
    note: str = ""
    #: ``listed`` (commended), ``pending`` (tied at the cut-off, for the leading group to
    #: decide; in the list) or ``near`` (eligible, over the quota or the unit's cap)
    status: str = "listed"


#: an entry's status as the reports name it
STATUS_ZH: Final = {"listed": "建议表彰", "pending": "并列待定", "near": "名额外"}

#: what an entry's ``decided_by`` says of two entries equal on the total and the whole
#: chain: the id decided (only when the ruleset cuts ties by id), or nothing did
BY_ID: Final = "id"
TIE: Final = "tie"
#: the words of a near miss's note when a tie at the cut-off was cut by id order
CUT_BY_ID: Final = "按编号截断"


@frozen(kw_only=True)
class Exclusion:
    """A candidate that is not eligible, with every reason that applies."""

    candidate_id: str
    name: str
    kind: str
    category: str
    total: float
    reasons: tuple[str, ...]
    #: each reason's stable code, in the same order (:data:`EXCLUSION_CODES`)
    codes: tuple[str, ...] = ()


#: the stable code of each kind of exclusion reason (the reasons' texts may change)
EXCLUSION_CODES: Final = {
    "min-total": "总分低于名单最低分 / total below the list's minimum",
    "no-survey": "无有效满意度测评 / no valid survey response to judge the satisfaction rate",
    "min-satisfaction-rate": "满意率低于最低值 / satisfaction rate below the minimum",
    "max-bad-review-rate": "差评率高于最高值 / bad-review rate above the maximum",
    "min-responses": "有效测评份数不足 / fewer survey responses than required",
    "min-requests": "服务需求件数不足 / fewer requests than required",
    "unrectified-bad-review": "期末仍有差评未整改 / bad reviews unrectified at the period's end",
    "min-judged-share": "参与评分的规则权重不足 / the rules that judged it carry too little weight",
    "project-not-completed": "项目未完成 / the project is not completed by the period's end",
    "project-outside-period": "项目不在本评价期内完成 / completed before the period",
    "finding-veto": "一票否决的预警 / vetoed by a finding",
}


@frozen(kw_only=True)
class CommendationResult:
    """The three lists, the near misses and the excluded candidates.

    A list holds its commended entries (``status = "listed"``) and, under
    ``tie_at_cutoff = "decide"``, the entries tied at the cut-off that the leading group
    decides (``status = "pending"``; their note says how many places are left).
    """

    lists: Mapping[str, tuple[Entry, ...]] = field(factory=dict)
    near_misses: Mapping[str, tuple[Entry, ...]] = field(factory=dict)
    excluded: tuple[Exclusion, ...] = ()
    quotas: Mapping[str, Mapping[str, int]] = field(factory=dict)

    def entry(self, candidate_id: str) -> Entry | None:
        for entries in self.lists.values():
            for e in entries:
                if e.candidate_id == candidate_id:
                    return e
        return None

    def standing(self) -> dict[tuple[str, str], tuple[str, Entry | Exclusion]]:
        """Each candidate's place by (kind, id): ``("listed", entry)`` (in a list: the
        entry's ``status`` is ``listed`` or ``pending``), ``("near", entry)`` (eligible,
        over the quota or cap) or ``("excluded", exclusion)``."""
        out: dict[tuple[str, str], tuple[str, Entry | Exclusion]] = {}
        for x in self.excluded:
            out[(x.kind, x.candidate_id)] = ("excluded", x)
        for state, lists in (("near", self.near_misses), ("listed", self.lists)):
            for kind, entries in lists.items():
                for e in entries:
                    out[(kind, e.candidate_id)] = (state, e)
        return out


def eligibility(
    card: Scorecard, m: Measures, findings: Iterable[Finding], policy: ListPolicy, ruleset: Ruleset
) -> tuple[str, ...]:
    """Every reason this candidate cannot be commended (empty when eligible)."""
    pairs = _eligibility(card, m, tuple(findings), policy, ruleset, least_total(policy))
    return tuple(reason for _, reason in pairs)


def _eligibility(
    card: Scorecard,
    m: Measures,
    findings: Sequence[Finding],
    policy: ListPolicy,
    ruleset: Ruleset,
    least: int | Fraction,
) -> tuple[tuple[str, str], ...]:
    """:func:`eligibility` as ``(code, reason)`` pairs, with the policy's minimum total in
    cents (``least``) worked out once per list."""
    total = card.total
    below = hundredths(total) < least
    measured = measure_pairs(m, policy)
    share = policy.min_judged_share
    judged = judged_reason(*judged_weight(card), share) if share > 0 else None
    cand = card.candidate
    own = candidate_pairs(cand, ruleset) if cand.kind == "project" else ()
    if not (below or judged or own or findings):  # most candidates: the short way
        return measured
    reasons = [("min-total", _below_total(total, policy.min_total))] if below else []
    reasons.extend(measured)
    if judged:
        reasons.append(("min-judged-share", judged))
    reasons.extend(own)
    if not findings:  # the reasons are distinct as they are
        return tuple(reasons)
    for f in findings:
        if vetoes(f, ruleset.effects):
            reasons.append(
                (
                    "finding-veto",
                    f"一票否决：{LEVEL_ZH[f.level]}（{f.threshold}）"
                    f" (vetoed by a {f.level} finding of {f.threshold})",
                )
            )
    # the same finding twice (e.g. two overdue 差评) is one reason
    return tuple(dict.fromkeys(reasons))


def candidate_reasons(cand: Candidate, ruleset: Ruleset) -> tuple[str, ...]:
    """Reasons of the candidate itself: a project not completed in the period (only
    completed projects are ranked; one completed before the period was judged then)."""
    return tuple(reason for _, reason in candidate_pairs(cand, ruleset))


def candidate_pairs(cand: Candidate, ruleset: Ruleset) -> tuple[tuple[str, str], ...]:
    """:func:`candidate_reasons` as ``(code, reason)`` pairs."""
    if cand.kind != "project":
        return ()
    done = cand.completed_on
    if done is None or done > ruleset.period.end:
        return (
            (
                "project-not-completed",
                "项目未完成 (the project is not completed by the period's end)",
            ),
        )
    if done < ruleset.period.start:
        return (
            (
                "project-outside-period",
                f"项目不在本评价期内完成（{done.isoformat()} 完成） "
                f"(completed before the period, on {done.isoformat()})",
            ),
        )
    return ()


def vetoes(finding: Finding, effects: Effects) -> bool:
    """Does the finding bar its candidate from every list (一票否决)?"""
    return finding.level in effects.veto_levels or finding.threshold in effects.veto_thresholds


@functools.lru_cache(maxsize=1 << 16)
def _below_total(total: float, least: float) -> str:
    return f"总分 {total:g} 低于 {least:g} (total below {least:g})"


def measure_reasons(m: Measures, policy: ListPolicy) -> tuple[str, ...]:
    """The reasons from the survey and request counts."""
    return tuple(reason for _, reason in measure_pairs(m, policy))


@functools.lru_cache(maxsize=1 << 16)
def measure_pairs(m: Measures, policy: ListPolicy) -> tuple[tuple[str, str], ...]:
    """:func:`measure_reasons` as ``(code, reason)`` pairs (cached: the same counts recur,
    and they do not change from one what-if run to the next)."""
    reasons: list[tuple[str, str]] = []
    rate = m.satisfaction_rate
    if policy.min_satisfaction_rate is not None:
        if rate is None:
            reasons.append(
                ("no-survey", "无有效满意度测评，无法判断满意率 (no valid survey response)")
            )
        elif rate < limit_fraction(policy.min_satisfaction_rate):
            reasons.append(
                (
                    "min-satisfaction-rate",
                    f"满意率 {fmt_pct(rate)} 低于 {policy.min_satisfaction_rate:g}% "
                    f"(satisfaction rate below the minimum)",
                )
            )
    bad = m.bad_review_rate
    if (
        policy.max_bad_review_rate is not None
        and bad is not None
        and bad > limit_fraction(policy.max_bad_review_rate)
    ):
        reasons.append(
            (
                "max-bad-review-rate",
                f"差评率 {fmt_pct(bad)} 高于 {policy.max_bad_review_rate:g}% "
                f"(bad-review rate above the maximum)",
            )
        )
    if m.responses < policy.min_responses:
        reasons.append(
            (
                "min-responses",
                f"有效测评 {m.responses} 份，少于 {policy.min_responses} 份 "
                f"(fewer survey responses than required)",
            )
        )
    if m.caseload < policy.min_requests:
        reasons.append(
            (
                "min-requests",
                f"服务需求 {m.caseload} 件，少于 {policy.min_requests} 件 "
                f"(fewer requests than required)",
            )
        )
    if policy.no_unrectified_bad and m.open_bad:
        reasons.append(("unrectified-bad-review", open_bad_reason(m.open_bad, m.open_bad_ids)))
    return tuple(reasons)


#: how many ids the reason of the 差评 still unrectified names
OPEN_BAD_NAMED: Final = 10


def open_bad_reason(n: int, ids: Sequence[str]) -> str:
    """Why ``n`` 差评 still unrectified at the period's end exclude a candidate."""
    named = "、".join(ids[:OPEN_BAD_NAMED]) + (f" 等 {n} 条" if n > OPEN_BAD_NAMED else "")
    named_en = ", ".join(ids[:OPEN_BAD_NAMED]) + (f" … {n} in all" if n > OPEN_BAD_NAMED else "")
    return (
        f"期末仍有 {n} 条差评未整改（{named}） "
        f"({n} bad review(s) still unrectified at the period's end: {named_en})"
    )


#: the tie-break links that are measures, not rules' points
MEASURE_LINKS: Final = ("caseload", "satisfaction_rate", "satisfied_ratings")


def measure_value(link: str, m: Measures) -> int | Fraction:
    """A measure link's value (higher ranks first): requests received (``caseload``),
    satisfied ratings (``satisfied_ratings``) or the 满意率; no 满意率 ranks below every
    rate."""
    if link == "caseload":
        return m.caseload
    if link == "satisfied_ratings":
        return m.satisfied
    return m.satisfaction_rate if m.satisfaction_rate is not None else Fraction(-1)


def _chain_value(link: str, card: Scorecard, m: Measures) -> Any:
    if link in MEASURE_LINKS:
        return measure_value(link, m)
    # rule points are compared on their rounded values, like the total
    return hundredths(card.points(link))


def peer_group(cand: Candidate, policy: ListPolicy) -> str:
    """The group a candidate is ranked in: its category, or ``全部`` (all) for a list
    ranked whole."""
    return cand.category if policy.per == "category" else "全部"


def quota_for(policy: ListPolicy, eligible: int) -> int:
    """How many of ``eligible`` candidates a group may commend."""
    if eligible <= 0:
        return 0
    if policy.count is not None:
        return min(policy.count, eligible)
    if policy.share is not None:
        n = math.floor(Fraction(eligible) * Fraction(str(policy.share)) / 100)
        return max(1, n)
    return eligible


def chain_links(chain: Sequence[str]) -> list[str]:
    """The chain's links before ``id``: ``id`` always decides last, so links after it never do."""
    out: list[str] = []
    for link in chain:
        if link == "id":
            break
        out.append(link)
    return out


def equal_marker(tie_at_cutoff: str) -> str:
    """``decided_by`` of an entry equal to the one above it on the total and the whole
    chain: ``"id"`` when the ruleset cuts ties by id, else ``"tie"``."""
    return BY_ID if tie_at_cutoff == "by_id" else TIE


def rank_group(
    cards: Sequence[Scorecard],
    measures: Mapping[tuple[str, str], Measures],
    chain: Sequence[str],
    equal: str = TIE,
) -> list[tuple[Scorecard, int, bool, str]]:
    """Sort a group by total then the chain; give each its rank, tie flag and deciding link.

    Ranks are competition ranks (1, 1, 1, 4): candidates equal on the total and
    every link short of ``id`` share a rank and are all flagged ``tied``; the
    link that decided an entry against the one listed above it is ``"total"``,
    a link of the chain, or ``equal`` inside a tie (``"id"`` when the ruleset cuts
    ties by id, else ``"tie"``; the first entry has ``""``). Equal entries are
    listed in id order.
    """
    links = chain_links(chain)

    def key(card: Scorecard) -> tuple[Any, ...]:
        m = measures.get((card.candidate.kind, card.candidate.candidate_id), NO_MEASURES)
        return (-hundredths(card.total), *(-_chain_value(link, card, m) for link in links))

    return rank_keyed([(key(c), c.candidate.candidate_id, c) for c in cards], links, equal)


def rank_keyed(
    keyed: list[tuple[tuple[Any, ...], str, _T]],
    links: Sequence[str],
    equal: str = TIE,
    *,
    deciders: bool = True,
) -> list[tuple[_T, int, bool, str]]:
    """:func:`rank_group` on ``(key, id, item)`` triples, whose key is the negated total in
    cents followed by the negated values of ``links``; ``keyed`` is sorted in place.

    The ids are distinct (candidates of one kind), so sorting the triples never compares
    two items. ``deciders=False`` leaves the deciding link out (``""``): for a caller
    that needs only the ranks and ties (the what-if path)."""
    keyed.sort()
    n = len(keyed)
    ranks = [0] * n
    decided = [""] * n
    tied = [False] * n
    names = ("total", *links)
    k_prev: tuple[Any, ...] | None = None
    for i, (k_this, _, _) in enumerate(keyed):
        if k_this == k_prev:
            ranks[i] = ranks[i - 1]
            tied[i] = tied[i - 1] = True
            if deciders:
                decided[i] = equal
        else:
            ranks[i] = i + 1
            if deciders and k_prev is not None:
                decided[i] = next(
                    name for name, a, b in zip(names, k_prev, k_this, strict=True) if a != b
                )
        k_prev = k_this
    return [
        (item, rank, tie, why)
        for (_, _, item), rank, tie, why in zip(keyed, ranks, tied, decided, strict=True)
    ]


def choose(
    ranked: Iterable[tuple[_T, int, bool, str]],
    unit_of: Callable[[_T], str],
    *,
    kind: str,
    quota: int,
    policy: ListPolicy,
    tie_at_cutoff: str,
    staff: Mapping[str, int | None],
    per_unit: dict[str, int],
) -> Iterator[tuple[_T, int, bool, str, str, str]]:
    """Walk a ranked group down the quota: each item with its rank, tie flag, deciding link,
    status (``listed``, ``pending`` or ``near``) and the note on it (why it is not listed,
    that a tie let it in, or that it waits for the leading group's decision).

    ``per_unit`` counts the people listed per unit; the cap per unit holds across groups.
    """
    if tie_at_cutoff == "decide":
        yield from _choose_deciding(
            list(ranked),
            unit_of,
            kind=kind,
            quota=quota,
            policy=policy,
            staff=staff,
            per_unit=per_unit,
        )
        return
    tie_all = tie_at_cutoff == "all"
    taken = 0
    last_rank: int | None = None
    for item, rank, tied, decided in ranked:
        unit_id = unit_of(item)
        cap = _unit_cap(kind, policy, staff.get(unit_id))
        full = taken >= quota
        tie_in = full and tie_all and last_rank == rank
        status = "near"
        if cap is not None and per_unit.get(unit_id, 0) >= cap:
            note = _cap_note(policy, staff[unit_id], cap)
        elif full and not tie_in:
            if tied and last_rank == rank:
                note = (
                    f"并列第 {rank} 名，超出名额 {quota}，{CUT_BY_ID} "
                    f"(tied at the cut-off, cut by id; quota {quota})"
                )
            else:
                note = _over_quota(quota)
        else:
            status = "listed"
            note = (
                f"并列第 {rank} 名，一并入选，超出名额 {quota} "
                f"(tied at the cut-off, admitted over the quota)"
                if tie_in
                else ""
            )
        if status == "listed":
            taken += 1
            last_rank = rank
            per_unit[unit_id] = per_unit.get(unit_id, 0) + 1
        yield item, rank, tied, decided, status, note


def _choose_deciding(
    ranked: list[tuple[_T, int, bool, str]],
    unit_of: Callable[[_T], str],
    *,
    kind: str,
    quota: int,
    policy: ListPolicy,
    staff: Mapping[str, int | None],
    per_unit: dict[str, int],
) -> Iterator[tuple[_T, int, bool, str, str, str]]:
    """:func:`choose` under ``tie_at_cutoff = "decide"``, one rank at a time.

    Those of a rank whose unit's cap is already full are near misses. The others are
    listed when they all fit in the places left (and in their units' caps). When they do
    not, nobody cuts the tie: every one of them is ``pending`` with the places left
    (quota minus those definitely listed) for the leading group to decide, and the
    places are spent. Where only a unit's cap is short (two tied people of a unit with
    one place left), those people are pending for the unit's places, which are spent.
    """
    taken = 0
    start = 0
    while start < len(ranked):
        if taken >= quota:  # the places are spent: the rest are near misses, one by one
            over = _over_quota(quota)
            for entry in ranked[start:]:
                unit_id = unit_of(entry[0])
                cap = _unit_cap(kind, policy, staff.get(unit_id))
                if cap is not None and per_unit.get(unit_id, 0) >= cap:
                    yield (*entry, "near", _cap_note(policy, staff[unit_id], cap))
                else:
                    yield (*entry, "near", over)
            return
        first = ranked[start]
        if not first[2]:  # alone at its rank (the usual case): it fits the places left
            start += 1
            unit_id = unit_of(first[0])
            cap = _unit_cap(kind, policy, staff.get(unit_id))
            if cap is not None and per_unit.get(unit_id, 0) >= cap:
                yield (*first, "near", _cap_note(policy, staff[unit_id], cap))
            else:
                per_unit[unit_id] = per_unit.get(unit_id, 0) + 1
                taken += 1
                yield (*first, "listed", "")
            continue
        rank = first[1]
        end = start
        while end < len(ranked) and ranked[end][1] == rank:
            end += 1
        same = ranked[start:end]
        start = end
        left = quota - taken
        room: dict[str, int | None] = {}
        rest = []
        for entry in same:
            unit_id = unit_of(entry[0])
            cap = _unit_cap(kind, policy, staff.get(unit_id))
            if cap is not None and per_unit.get(unit_id, 0) >= cap:
                yield (*entry, "near", _cap_note(policy, staff[unit_id], cap))
                continue
            room[unit_id] = None if cap is None else cap - per_unit.get(unit_id, 0)
            rest.append(entry)
        if not rest:
            continue
        if left <= 0:
            for entry in rest:
                yield (*entry, "near", _over_quota(quota))
            continue
        count = Counter(unit_of(entry[0]) for entry in rest)
        short = {u for u, n in count.items() if (r := room[u]) is not None and n > r}
        places = sum(n if u not in short else room[u] or 0 for u, n in count.items())
        if places > left:  # a tie at the cut-off: the leading group decides
            note = (
                f"并列，待定（剩余名额 {left}，请领导小组决定） "
                f"(tied at the cut-off: {left} place(s) left for the leading group to decide)"
            )
            for entry in rest:
                yield (*entry, "pending", note)
            taken = quota
            continue
        for entry in rest:
            unit_id = unit_of(entry[0])
            if unit_id in short:
                places_left = room[unit_id]
                yield (
                    *entry,
                    "pending",
                    f"并列，待定（本单位剩余名额 {places_left}，请领导小组决定） "
                    f"(tied within the unit's cap: {places_left} place(s) of the unit left "
                    f"for the leading group to decide)",
                )
            else:
                per_unit[unit_id] = per_unit.get(unit_id, 0) + 1
                yield (*entry, "listed", "")
        for unit_id in short:
            per_unit[unit_id] = per_unit.get(unit_id, 0) + (room[unit_id] or 0)
        taken += places


def _cap_note(policy: ListPolicy, staff: int | None, cap: int) -> str:
    return (
        f"超过单位名额：每 {policy.per_unit_staff} 人至多 1 名，"
        f"本单位 {staff} 人，名额 {cap} "
        f"(over the unit's cap of {cap})"
    )


def _over_quota(quota: int) -> str:
    return f"超出名额 {quota} (over the quota of {quota})"


def commend(
    cards: Sequence[Scorecard],
    measures: Mapping[tuple[str, str], Measures],
    findings: Sequence[Finding],
    ruleset: Ruleset,
) -> CommendationResult:
    """The three lists, near misses and exclusions under the ruleset's commendation policy.

    The result does not depend on the order of ``cards`` or ``findings``.
    """
    policy_all = ruleset.commendation
    by_candidate: dict[tuple[str, str], list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.kind, f.candidate_id, f.threshold, f.level)):
        by_candidate.setdefault((f.kind, f.candidate_id), []).append(f)
    by_kind: dict[str, list[Scorecard]] = {}
    for c in cards:
        by_kind.setdefault(c.candidate.kind, []).append(c)
    staff = {c.candidate.candidate_id: c.candidate.staff_count for c in by_kind.get("unit", ())}
    lists: dict[str, tuple[Entry, ...]] = {}
    near: dict[str, tuple[Entry, ...]] = {}
    quotas: dict[str, dict[str, int]] = {}
    excluded: list[Exclusion] = []
    for kind in KINDS:
        policy = policy_all.policy(kind)
        if not policy.enabled:
            continue
        groups: dict[str, list[Scorecard]] = {}
        least = least_total(policy)
        for card in sorted(by_kind.get(kind, ()), key=_candidate_id):
            cand = card.candidate
            group = peer_group(cand, policy)
            groups.setdefault(group, [])
            cid = cand.candidate_id
            m = measures.get((kind, cid), NO_MEASURES)
            pairs = _eligibility(card, m, by_candidate.get((kind, cid), ()), policy, ruleset, least)
            if pairs:
                excluded.append(
                    Exclusion(
                        candidate_id=cid,
                        name=cand.name,
                        kind=kind,
                        category=cand.category,
                        total=card.total,
                        reasons=tuple(reason for _, reason in pairs),
                        codes=tuple(code for code, _ in pairs),
                    )
                )
                continue
            groups[group].append(card)
        chosen: list[Entry] = []
        missed: list[Entry] = []
        quotas[kind] = {}
        # the cap per unit holds across groups (a unit's people are normally all in one group)
        per_unit: dict[str, int] = {}
        equal = equal_marker(policy_all.tie_at_cutoff)
        for group in sorted(groups):
            ranked = rank_group(groups[group], measures, policy_all.tie_break, equal)
            quota = quota_for(policy, len(ranked))
            quotas[kind][group] = quota
            for card, rank, tied, decided, status, note in choose(
                ranked,
                _unit_id,
                kind=kind,
                quota=quota,
                policy=policy,
                tie_at_cutoff=policy_all.tie_at_cutoff,
                staff=staff,
                per_unit=per_unit,
            ):
                cand = card.candidate
                entry = Entry(
                    rank=rank,
                    candidate_id=cand.candidate_id,
                    name=cand.name,
                    kind=kind,
                    category=cand.category,
                    unit_id=cand.unit_id,
                    total=card.total,
                    group=group,
                    tied=tied,
                    decided_by=decided,
                    note=note,
                    status=status,
                )
                (missed if status == "near" else chosen).append(entry)
        lists[kind] = tuple(chosen)
        near[kind] = tuple(missed)
    excluded.sort(key=lambda e: (KINDS.index(e.kind), -e.total, e.candidate_id))
    return CommendationResult(
        lists=lists, near_misses=near, excluded=tuple(excluded), quotas=quotas
    )


_candidate_id = operator.attrgetter("candidate.candidate_id")
_unit_id = operator.attrgetter("candidate.unit_id")


def _unit_cap(kind: str, policy: ListPolicy, staff_count: int | None) -> int | None:
    """How many people of a unit may be commended (``None``: no cap)."""
    if kind != "person" or not policy.per_unit_staff or staff_count is None:
        return None
    return staff_count // policy.per_unit_staff
