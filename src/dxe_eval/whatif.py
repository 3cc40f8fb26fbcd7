"""What-if runs for policy staff: compare two rulesets, and test how weights sway the lists.

Both read and index the data once (:func:`dxe_eval.engine.prepare`) and then
re-score the same facts under each ruleset (:func:`dxe_eval.engine.run`);
no file is read twice.

- :func:`compare`: per candidate the total under A and B, the change and the
  change of rank within its kind; who enters and who leaves each commendation
  list; findings that appear, disappear or change level.
- :func:`sensitivity`: the rules' weights (``points``) are varied at random,
  each uniformly within ``±spread`` of its value, renormalised to the declared
  total and rounded to tenths of a point (largest remainder, so the ruleset
  stays valid); for each commended candidate, the share of runs in which it
  stays commended (in a list: listed, or pending a tie at the cut-off), whether
  its place is robust (in every run, never pending, and not decided by a tie:
  pending or cut by id in the run under the ruleset itself), and the
  candidates that enter in some runs. Thresholds,
  bonus caps and quotas are not varied, so findings and deductions stay as
  they are. Each draw goes the quick way of :mod:`dxe_eval.rescore` (the
  rules scored once per distinct facts and weight, the lists cut on integer
  totals); ``via_run=True`` calls :func:`~dxe_eval.engine.run` for every
  draw instead (slower; the tests check both agree).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

import attrs
from attrs import frozen
from tabulate import tabulate

from dxe_eval import rescore
from dxe_eval.changes import CandidateChange, Comparison, FindingChange, ListChange
from dxe_eval.commend import CUT_BY_ID
from dxe_eval.engine import Prepared, collector_paused, run
from dxe_eval.manager import Registry
from dxe_eval.model import (
    KIND_LIST_ZH,
    KIND_ZH,
    KINDS,
    LEVEL_ZH,
    Scorecard,
)
from dxe_eval.numbers import cents, exact, round2
from dxe_eval.result import Evaluation
from dxe_eval.ruleset import Ruleset
from dxe_eval.terminal import terminal_safe
from dxe_eval.totals import hundredths

#: weights are rounded to this step (tenths of a point) when the total allows it
WEIGHT_STEP: Final = Fraction(1, 10)


# ---------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------


def ranks_by_total(cards: Sequence[Scorecard]) -> dict[tuple[str, str], int]:
    """Competition rank (1, 1, 3) of every candidate within its kind by total.

    Totals are compared on their values rounded to cents, in whole cents (a total is
    rounded to cents already, so this is exact and needs no fraction).
    """
    out: dict[tuple[str, str], int] = {}
    by_kind: dict[str, list[tuple[int | Fraction, str]]] = {kind: [] for kind in KINDS}
    for c in cards:
        cand = c.candidate
        by_kind[cand.kind].append((-hundredths(c.total), cand.candidate_id))
    for kind in KINDS:
        totals = sorted(by_kind[kind])
        prev: int | Fraction | None = None
        rank = 0
        for i, (neg, cid) in enumerate(totals, start=1):
            if neg != prev:
                rank, prev = i, neg
            out[(kind, cid)] = rank
    return out


def _change(a: float, b: float) -> float:
    """``b - a`` rounded half-up to cents, in whole cents when both are whole cents."""
    ca, cb = cents(a), cents(b)
    if ca is not None and cb is not None:
        return (cb - ca) / 100  # the float nearest the exact difference, as round2 gives
    return round2(exact(b) - exact(a))


def compare(a: Evaluation, b: Evaluation) -> Comparison:
    """What changes from evaluation ``a`` to evaluation ``b`` of the same data.

    Like :func:`~dxe_eval.engine.run`, with the cycle collector paused: it makes a row
    per candidate and no cycles, and each collection would walk the data set's objects.
    """
    with collector_paused():
        return _compare(a, b)


def _compare(a: Evaluation, b: Evaluation) -> Comparison:
    rank_a, rank_b = ranks_by_total(a.scorecards), ranks_by_total(b.scorecards)
    # the listed candidates' names, from their entries
    names_a = {(k, e.candidate_id): e.name for k, es in a.commendation.lists.items() for e in es}
    names_b = {(k, e.candidate_id): e.name for k, es in b.commendation.lists.items() for e in es}
    cards_b = {(c.candidate.kind, c.candidate.candidate_id): c for c in b.scorecards}
    kind_order = {kind: i for i, kind in enumerate(KINDS)}
    keyed: list[tuple[tuple[int, int, str], CandidateChange]] = []
    for card in a.scorecards:
        cand = card.candidate
        key = (cand.kind, cand.candidate_id)
        other = cards_b.get(key)
        if other is None:
            continue
        ra, rb = rank_a[key], rank_b[key]
        row = CandidateChange(
            candidate_id=key[1],
            kind=key[0],
            name=cand.name,
            total_a=card.total,
            total_b=other.total,
            change=_change(card.total, other.total),
            rank_a=ra,
            rank_b=rb,
            rank_change=ra - rb,
            commended_a=key in names_a,
            commended_b=key in names_b,
        )
        keyed.append(((kind_order[key[0]], rb, key[1]), row))
    keyed.sort(key=lambda t: t[0])  # (kind, id) is unique: no two keys are equal
    rows = [row for _, row in keyed]
    names = names_a | names_b
    lists = []
    for kind in KINDS:
        in_a = {cid for k, cid in names_a if k == kind}
        in_b = {cid for k, cid in names_b if k == kind}
        lists.append(
            ListChange(
                kind=kind,
                size_a=len(in_a),
                size_b=len(in_b),
                entered=tuple((c, names[(kind, c)]) for c in sorted(in_b - in_a)),
                left=tuple((c, names[(kind, c)]) for c in sorted(in_a - in_b)),
            )
        )
    return Comparison(
        ruleset_a=a.ruleset.id,
        ruleset_b=b.ruleset.id,
        fingerprint_a=a.ruleset.fingerprint,
        fingerprint_b=b.ruleset.fingerprint,
        candidates=tuple(rows),
        lists=tuple(lists),
        findings=_finding_changes(a, b),
    )


def _finding_changes(a: Evaluation, b: Evaluation) -> tuple[FindingChange, ...]:
    def levels(ev: Evaluation) -> dict[tuple[str, str, str], tuple[str, str]]:
        return {(f.kind, f.candidate_id, f.threshold): (f.level, f.unit_id) for f in ev.findings}

    la, lb = levels(a), levels(b)
    out = []
    for key in sorted(set(la) | set(lb), key=lambda k: (KINDS.index(k[0]), k[1], k[2])):
        level_a = la[key][0] if key in la else None
        level_b = lb[key][0] if key in lb else None
        if level_a == level_b:
            continue
        unit = (la.get(key) or lb[key])[1]
        out.append(
            FindingChange(
                candidate_id=key[1],
                kind=key[0],
                unit_id=unit,
                threshold=key[2],
                level_a=level_a,
                level_b=level_b,
            )
        )
    return tuple(out)


def compare_to(prepared: Prepared, a: Evaluation, b: Ruleset, registry: Registry) -> Comparison:
    """What changes from evaluation ``a`` to a run of the same prepared data under ``b``:
    the value of ``compare(a, run(prepared, b, registry))``.

    When ``b`` changes only rules' parameters of ``a``'s ruleset (a weight, a limit),
    only those rules are scored again and B's scorecards and lists are not made
    (:mod:`dxe_eval.rescore`); a province's comparison then takes about a tenth of a
    second once ``a`` has been taken apart. Anything else goes through ``run``.
    """
    with collector_paused():
        quick = rescore.quick_comparison(prepared, a, b, registry)
        return quick if quick is not None else _compare(a, run(prepared, b, registry))


def compare_rulesets(
    prepared: Prepared, a: Ruleset, b: Ruleset, registry: Registry
) -> tuple[Comparison, Evaluation, Evaluation]:
    """Run one prepared data set under ``a`` and ``b`` and compare the results (both
    evaluations in full; :func:`compare_to` is quicker when B's own scorecards are not
    needed)."""
    ev_a = run(prepared, a, registry)
    ev_b = run(prepared, b, registry)
    return compare(ev_a, ev_b), ev_a, ev_b


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    return {
        "ruleset_a": {"id": c.ruleset_a, "fingerprint": c.fingerprint_a},
        "ruleset_b": {"id": c.ruleset_b, "fingerprint": c.fingerprint_b},
        "candidates": [attrs.asdict(r) for r in c.candidates],
        "lists": [
            {
                "kind": lc.kind,
                "size_a": lc.size_a,
                "size_b": lc.size_b,
                "entered": [{"candidate_id": i, "name": n} for i, n in lc.entered],
                "left": [{"candidate_id": i, "name": n} for i, n in lc.left],
            }
            for lc in c.lists
        ],
        "findings": [attrs.asdict(f) for f in c.findings],
    }


#: id, name, total A, total B, change, rank A, rank B, move, listed
_COMPARE_ALIGN: Final = ("left", "left", *(("right",) * 5), "left", "left")


def _signed(x: float) -> str:
    return f"{x:+.2f}" if x else "0"


def _rank_move(n: int) -> str:
    return f"↑{n}" if n > 0 else f"↓{-n}" if n < 0 else "—"


def comparison_table(c: Comparison, *, lang: str = "zh", changed_only: bool = False) -> str:
    """The comparison as plain-text tables (Chinese by default)."""
    zh = lang == "zh"
    a, b = c.ruleset_a, c.ruleset_b
    parts = [
        (f"== 规则集比较：A = {a}，B = {b} ==" if zh else f"== Comparing A = {a} with B = {b} ==")
    ]
    for kind in KINDS:
        rows = [r for r in c.candidates if r.kind == kind]
        if changed_only:
            rows = [r for r in rows if r.change or r.rank_change or r.commended_a != r.commended_b]
        if not rows:
            continue
        title = f"{KIND_ZH[kind]}得分与名次" if zh else f"{kind} totals and ranks"
        headers = (
            ["编号", "名称", "A 总分", "B 总分", "变化", "A 名次", "B 名次", "名次变化", "表彰"]
            if zh
            else [
                "id",
                "name",
                "total A",
                "total B",
                "change",
                "rank A",
                "rank B",
                "move",
                "listed",
            ]
        )
        table = [
            [
                r.candidate_id,
                r.name,
                f"{r.total_a:.2f}",
                f"{r.total_b:.2f}",
                _signed(r.change),
                r.rank_a,
                r.rank_b,
                _rank_move(r.rank_change),
                _listed(r.commended_a, r.commended_b, zh),
            ]
            for r in rows
        ]
        # the cells are text as they should read ("+0.50", "89.70", an id "0099"): not
        # parsed again as numbers, which would drop the sign and the zeros
        text = tabulate(
            table,
            headers=headers,
            tablefmt="simple",
            disable_numparse=True,
            colalign=_COMPARE_ALIGN,
        )
        parts += ["", f"== {title} ==", text]
    parts += ["", "== 表彰名单变化 ==" if zh else "== Commendation list changes =="]
    for lc in c.lists:
        label = KIND_LIST_ZH[lc.kind] if zh else lc.kind
        ins = "、".join(f"{i} {n}" for i, n in lc.entered) or ("无" if zh else "none")
        outs = "、".join(f"{i} {n}" for i, n in lc.left) or ("无" if zh else "none")
        if zh:
            parts.append(
                f"- {label}（A {lc.size_a} 名 → B {lc.size_b} 名）：新入选 {ins}；落选 {outs}"
            )
        else:
            parts.append(f"- {label} (A {lc.size_a} → B {lc.size_b}): enter {ins}; leave {outs}")
    parts += ["", "== 预警变化 ==" if zh else "== Finding changes =="]
    if not c.findings:
        parts.append("- 无变化" if zh else "- none")
    for f in c.findings:
        la = _level(f.level_a, zh)
        lb = _level(f.level_b, zh)
        what = (
            ("新出现" if zh else "appears")
            if f.level_a is None
            else ("消失" if zh else "disappears")
            if f.level_b is None
            else ("级别变化" if zh else "level changes")
        )
        parts.append(f"- {f.candidate_id}（{f.threshold}）：{la} → {lb}，{what}")
    return terminal_safe("\n".join(parts) + "\n")


def _level(level: str | None, zh: bool) -> str:
    if level is None:
        return "无" if zh else "none"
    return LEVEL_ZH[level] if zh else level


def _listed(a: bool, b: bool, zh: bool) -> str:
    if a and b:
        return "仍入选" if zh else "stays"
    if b:
        return "新入选" if zh else "enters"
    if a:
        return "落选" if zh else "leaves"
    return ""


# ---------------------------------------------------------------------------
# sensitivity
# ---------------------------------------------------------------------------


@frozen(kw_only=True)
class Stability:
    """How often one candidate is in a list over the runs, and whether its place is robust.

    ``times`` counts the runs in which it is in the list (listed or pending a tie at the
    cut-off), ``pending`` those in which it is pending. ``base_tie``: in the run under
    the ruleset itself its place is not decided by the scores: ``"pending"`` (tied at
    the cut-off, for the leading group to decide) or ``"id"`` (a tie cut by id order).
    """

    candidate_id: str
    kind: str
    name: str
    commended_base: bool
    times: int
    runs: int
    pending: int = 0
    base_tie: str = ""

    @property
    def share(self) -> float:
        return self.times / self.runs if self.runs else 0.0

    @property
    def robust(self) -> bool:
        """In the list in every run, listed outright in each, and not by a tie."""
        return self.times == self.runs and not self.pending and not self.base_tie

    def why_not_robust(self, zh: bool = True) -> str:
        """Why the place is not robust ("" when it is)."""
        if self.base_tie == "pending":
            return "并列，待定，由领导小组决定" if zh else "tied at the cut-off, pending"
        if self.base_tie == "id":
            return "并列，按编号决定" if zh else "a tie cut by id"
        if self.pending:
            return f"{self.pending} 次并列待定" if zh else f"pending a tie in {self.pending} run(s)"
        if self.times < self.runs:
            missed = self.runs - self.times
            return f"{missed} 次未入选" if zh else f"not in the list in {missed} run(s)"
        return ""


@frozen(kw_only=True)
class Sensitivity:
    ruleset: str
    runs: int
    spread: float
    seed: int
    weights: Mapping[str, float]
    low: Mapping[str, float]
    high: Mapping[str, float]
    stays: tuple[Stability, ...]
    enters: tuple[Stability, ...]
    seconds: float = 0.0


def weighted_rules(ruleset: Ruleset, registry: Registry) -> dict[str, float]:
    """The enabled rules that carry a weight (not bonus rules), with their points."""
    return {
        rid: float(params.points)
        for rid, params in sorted(ruleset.rules.items())
        if not registry.rules[rid].bonus
    }


def vary_weights(
    weights: Mapping[str, float], total: float, spread: float, rng: random.Random
) -> dict[str, float]:
    """Each weight times a uniform factor in ``[1 - spread, 1 + spread]``, renormalised.

    The result adds up to ``total`` exactly and, where ``total`` is a whole number
    of tenths, every weight is a whole number of tenths (largest remainder).
    """
    ids = sorted(weights)
    drawn = {rid: weights[rid] * rng.uniform(1 - spread, 1 + spread) for rid in ids}
    s = sum(drawn.values())
    if s <= 0:
        return dict(weights)
    steps_total = exact(total) / WEIGHT_STEP
    if steps_total.denominator != 1:  # a total like 99.95: renormalise without rounding
        return {rid: drawn[rid] * total / s for rid in ids}
    scaled = {rid: Fraction(drawn[rid]) * steps_total / Fraction(s) for rid in ids}
    floors = {rid: math.floor(v) for rid, v in scaled.items()}
    left = int(steps_total) - sum(floors.values())
    by_remainder = sorted(ids, key=lambda r: (-(scaled[r] - floors[r]), r))
    for rid in by_remainder[:left]:
        floors[rid] += 1
    return {rid: float(floors[rid] * WEIGHT_STEP) for rid in ids}


def _with_weights(ruleset: Ruleset, weights: Mapping[str, float]) -> Ruleset:
    rules = dict(ruleset.rules)
    for rid, w in weights.items():
        rules[rid] = attrs.evolve(rules[rid], points=w)
    return attrs.evolve(ruleset, rules=rules)


def sensitivity(
    prepared: Prepared,
    ruleset: Ruleset,
    registry: Registry,
    *,
    spread: float = 0.10,
    runs: int = 1000,
    seed: int = 0,
    via_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Sensitivity:
    """Vary the weights ``runs`` times; count how often each candidate is commended."""
    if not 0 <= spread < 1:
        raise ValueError(f"spread must be from 0 to under 100%, got {spread:.0%}")
    started = time.perf_counter()
    base = run(prepared, ruleset, registry)
    base_listed = {(k, e.candidate_id) for k, es in base.commendation.lists.items() for e in es}
    base_tie = _ties(base)
    weights = weighted_rules(ruleset, registry)
    rng = random.Random(seed)
    counts: dict[tuple[str, str], int] = {}
    pending: dict[tuple[str, str], int] = {}
    low = dict(weights)
    high = dict(weights)
    for n in range(runs):
        drawn = vary_weights(weights, ruleset.total, spread, rng)
        for rid, w in drawn.items():
            low[rid], high[rid] = min(low[rid], w), max(high[rid], w)
        changed = _with_weights(ruleset, drawn)
        listed = None
        if not via_run:
            with collector_paused():  # as run: many small objects, no cycles
                listed = rescore.listed_under(prepared, base, changed, registry)
        if listed is None:
            ev = run(prepared, changed, registry)
            listed = {
                (k, e.candidate_id): e.status for k, es in ev.commendation.lists.items() for e in es
            }
        for key, status in listed.items():
            counts[key] = counts.get(key, 0) + 1
            if status == "pending":
                pending[key] = pending.get(key, 0) + 1
        if progress:
            progress(n + 1)
    names = {
        (c.candidate.kind, c.candidate.candidate_id): c.candidate.name for c in base.scorecards
    }

    def stability(key: tuple[str, str]) -> Stability:
        return Stability(
            candidate_id=key[1],
            kind=key[0],
            name=names.get(key, ""),
            commended_base=key in base_listed,
            times=counts.get(key, 0),
            runs=runs,
            pending=pending.get(key, 0),
            base_tie=base_tie.get(key, ""),
        )

    def order(s: Stability) -> tuple[Any, ...]:
        return (KINDS.index(s.kind), -s.times, s.candidate_id)

    stays = sorted((stability(k) for k in base_listed), key=order)
    enters = sorted((stability(k) for k in counts if k not in base_listed), key=order)
    return Sensitivity(
        ruleset=ruleset.id,
        runs=runs,
        spread=spread,
        seed=seed,
        weights=weights,
        low=low,
        high=high,
        stays=tuple(stays),
        enters=tuple(enters),
        seconds=time.perf_counter() - started,
    )


def _ties(ev: Evaluation) -> dict[tuple[str, str], str]:
    """The list entries whose place a tie decides, not the scores: ``"pending"`` (tied at
    the cut-off, for the leading group) or ``"id"`` (decided by id order, or tied with a
    candidate that the id order put over the quota)."""
    out: dict[tuple[str, str], str] = {}
    com = ev.commendation
    for kind, entries in com.lists.items():
        cut = {(e.group, e.rank) for e in com.near_misses.get(kind, ()) if CUT_BY_ID in e.note}
        for e in entries:
            if e.status == "pending":
                out[(kind, e.candidate_id)] = "pending"
            elif e.decided_by == "id" or (e.tied and (e.group, e.rank) in cut):
                out[(kind, e.candidate_id)] = "id"
    return out


def sensitivity_to_dict(s: Sensitivity) -> dict[str, Any]:
    def row(x: Stability) -> dict[str, Any]:
        return {
            "candidate_id": x.candidate_id,
            "kind": x.kind,
            "name": x.name,
            "commended_base": x.commended_base,
            "times": x.times,
            "share": round(x.share, 4),
            "pending": x.pending,
            "robust": x.robust,
            "not_robust": x.why_not_robust(),
        }

    return {
        "ruleset": s.ruleset,
        "runs": s.runs,
        "spread": s.spread,
        "seed": s.seed,
        "weights": {
            rid: {"base": w, "low": s.low[rid], "high": s.high[rid]} for rid, w in s.weights.items()
        },
        "stays": [row(x) for x in s.stays],
        "enters": [row(x) for x in s.enters],
    }


def sensitivity_table(s: Sensitivity, *, lang: str = "zh") -> str:
    zh = lang == "zh"
    parts = [
        (
            f"== 权重敏感性：规则集 {s.ruleset}，各项分值在 ±{s.spread:.0%} 内随机变动并归一，"
            f"共 {s.runs} 次（随机种子 {s.seed}） =="
        )
        if zh
        else (
            f"== Weight sensitivity of {s.ruleset}: weights varied within ±{s.spread:.0%} "
            f"and renormalised, {s.runs} runs (seed {s.seed}) =="
        ),
        "",
        tabulate(
            [
                [rid, f"{w:g}", f"{s.low[rid]:g}", f"{s.high[rid]:g}"]
                for rid, w in s.weights.items()
            ],
            headers=["规则", "原分值", "最低", "最高"] if zh else ["rule", "base", "low", "high"],
            tablefmt="simple",
            disable_numparse=True,
            colalign=("left", "right", "right", "right"),
        ),
    ]
    for title, rows in (
        (
            (
                "原名单中的对象：保持入选的比例"
                if zh
                else "Commended now: share of runs still commended"
            ),
            s.stays,
        ),
        (("部分情形下新入选的对象" if zh else "Not commended now, but in some runs"), s.enters),
    ):
        parts += ["", f"== {title} =="]
        if not rows:
            parts.append("无" if zh else "none")
            continue
        table = [
            [
                KIND_LIST_ZH[x.kind] if zh else x.kind,
                x.candidate_id,
                x.name,
                f"{x.share:.1%}",
                f"{x.times}/{x.runs}",
                ("是" if zh else "yes")
                if x.robust
                else f"{'否：' if zh else 'no: '}{x.why_not_robust(zh)}",
            ]
            for x in rows
        ]
        headers = (
            ["名单", "编号", "名称", "入选比例", "次数", "稳健"]
            if zh
            else ["list", "id", "name", "share", "times", "robust"]
        )
        parts.append(
            tabulate(
                table,
                headers=headers,
                tablefmt="simple",
                disable_numparse=True,  # an id "0099" stays as written
                colalign=("left", "left", "left", "right", "right", "left"),
            )
        )
    return terminal_safe("\n".join(parts) + "\n")
