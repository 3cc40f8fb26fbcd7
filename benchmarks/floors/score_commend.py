#!/usr/bin/env python3
"""Floor (g): scoring in columns — every rule's points per candidate, the totals and the
three commendation lists, as polars expressions over the facts of floor (b).

Usage: python benchmarks/floors/score_commend.py DATA_DIR [--check]

The input is what floor (b) (``fused_facts.facts``, attributed rows) hands on —
one row per candidate with every fact — joined to the candidates (27,000 at 1M:
units with their category and staff count, people, projects), plus one measure
(b) does not compute: the valid 差评 still unrectified at the period's end (the
commendation's ``no_unrectified_bad``). (b) is run on the survey ratings that count
(one per request, the latest, as the index stage (f) keeps them). All made before
the clock starts.

On the clock, for the default ruleset (``rulesets/hubei-2022.toml``), in whole
cents: the share rules (standard, ledger, supervision, key-projects, summary,
follow-up, evaluation: points × share, half-up to cents; ``when_empty``), publicity,
satisfaction (linear between 90 % and 98 %) and timeliness (two parts, 70/30,
zero at 20 % late), both with the small-sample completion at the peer group's
pooled rate under ``min_cases``; media-bonus; the base (the applicable rules'
points over their maxima × 100, half-up to cents), bonus and total; the
thresholds' levels that can veto (late-response, not-delivered, bad-review-rate
by their bands, unrectified sanctions overdue, escalation) and the judged share;
eligibility per list; the rank inside each peer group by total and the tie-break
chain (satisfaction, timeliness, caseload, satisfied ratings; competition ranks);
quotas (15 % / 20 % of the eligible per category rounded down, at least one; the
ten best projects) and the per-unit cap of people (staff // 10). No reason text
is made: (d) formats reasons when it writes.

Approximations: satisfaction's linear points are worked in floating point before
the half-up to cents (dxe-eval works in fractions: a value exactly on a half cent
could round the other way); the unrectified threshold's review count is judged
without its ``min_cases`` and the escalation without its 12-month look-back (any
earlier 责令改正 counts); a tie at the cut-off is admitted whole (as
``tie_at_cutoff = "decide"`` lists it, pending, without the note). ``--check`` runs
``dxe-eval evaluate`` after (outside the clock) and compares every candidate's total
and the three lists (kind, id): on the 1M set all 27,000 totals and all 1,584
entries agree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _shared import END, derived_surveys, inputs, peak, report, rss, timed, typed  # noqa: E402
from fused_facts import facts as fused  # noqa: E402

TOTAL = 100
#: rule → (points, kinds it applies to)
RULES = {
    "standard": (8, ("unit",)),
    "ledger": (8, ("unit", "person")),
    "supervision": (4, ("unit", "project")),
    "key-projects": (4, ("unit",)),
    "summary": (6, ("unit", "person", "project")),
    "follow-up": (10, ("unit", "person")),
    "evaluation": (5, ("unit", "person", "project")),
    "publicity": (5, ("unit",)),
    "satisfaction": (30, ("unit", "person", "project")),
    "timeliness": (20, ("unit", "person", "project")),
}
BONUS_KINDS = ("unit", "project")  # media-bonus
MIN_CASES = 10
SAT_ZERO, SAT_FULL = 90, 98
LATE_ZERO = 20  # percent late: zero points
W_RESPONSE, W_COMPLETION = 7, 3  # tenths
BANDS = {  # threshold → (bad, cases, warning, rectify, criticize) in percent
    "late-response": ("late", "requests", 5, 10, 20),
    "not-delivered": ("not_delivered", "nd_cases", 3, 5, 10),
    "bad-review-rate": ("bad", "valid", 2, 5, 10),
}
POLICY = {  # kind → (per category?, share %, count, min_responses)
    "unit": (True, 15, None, 10),
    "person": (True, 20, None, 5),
    "project": (False, None, 10, 5),
}
MIN_TOTAL_C = 8500
MIN_SAT, MAX_BAD, MIN_JUDGED = 95, 2, 60
PER_UNIT_STAFF = 10


def c(name: str) -> pl.Expr:
    """A count fact, 0 when the candidate has none."""
    return pl.col(name).fill_null(0).cast(pl.Int64)


def half_up(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """``num / den`` rounded half-up to a whole number (``num ≥ 0``, ``den > 0``)."""
    return (2 * num + den) // (2 * den)


def share_cents(good: str, whole: str, points: int) -> pl.Expr:
    """``points × good / whole`` in cents, half-up (null: nothing to count)."""
    return pl.when(c(whole) > 0).then(half_up(c(good) * points * 100, c(whole)))


def completed_pct(k: pl.Expr, n: pl.Expr, pk: pl.Expr, pn: pl.Expr) -> pl.Expr:
    """The rate ``k / n`` in percent (float), completed to :data:`MIN_CASES` at the pool's
    rate under it (the candidate's own when the pool is empty); null when ``n`` is 0."""
    own = 100 * k / n
    done = 100 * (k * pn + (MIN_CASES - n) * pk) / (MIN_CASES * pn)
    return pl.when(n == 0).then(None).when((n < MIN_CASES) & (pn > 0)).then(done).otherwise(own)


def cents_of(points: pl.Expr) -> pl.Expr:
    """Float points to whole cents, half-up (a hair over, for the float's error)."""
    return (points * 100 + 0.5 + 1e-9).floor().cast(pl.Int64)


def late_part(k: str, n: str, pk: str, pn: str, most_tenths: pl.Expr) -> pl.Expr:
    """A timeliness part in cents: ``most × (1 − share / 20 %)``, at least 0, half-up."""
    share = completed_pct(c(k), c(n), c(pk), c(pn))
    kept = (1 - share / LATE_ZERO).clip(lower_bound=0)
    return cents_of(most_tenths * 2 * kept)  # 20 points × weight tenths / 10 = 2 × tenths


def score(cands: pl.DataFrame) -> pl.DataFrame:
    """Points per rule (cents, null: not applicable), totals, levels, eligibility."""
    kind = pl.col("kind")
    sat = completed_pct(c("satisfied"), c("valid"), c("pool_satisfied"), c("pool_valid"))
    sat_pts = ((sat - SAT_ZERO) / (SAT_FULL - SAT_ZERO)).clip(0, 1) * 30
    judged = c("judged") > 0
    resp = late_part("late", "requests", "pool_late", "pool_requests", pl.lit(W_RESPONSE))
    resp_all = late_part("late", "requests", "pool_late", "pool_requests", pl.lit(10))
    comp = late_part("overdue", "judged", "pool_overdue", "pool_judged", pl.lit(W_COMPLETION))
    timeliness = pl.when(judged).then(resp + comp).otherwise(resp_all).clip(upper_bound=2000)
    points = {
        "standard": pl.when(c("capability_items") > 0)
        .then(share_cents("with_standard", "capability_items", 8))
        .otherwise(0),  # when_empty = zero
        "ledger": share_cents("ledgered", "delivered", 8),
        "supervision": share_cents("supervision_on_time", "supervision_counted", 4),
        "key-projects": share_cents("key_on_time", "key_due", 4),
        "summary": share_cents("summarised", "completed", 6),
        "follow-up": share_cents("visited", "delivered", 10),
        "evaluation": share_cents("evaluated", "completed", 5),
        "publicity": pl.when(c("media_items") > 0).then(500).otherwise(0),
        "satisfaction": pl.when(c("valid") > 0).then(cents_of(sat_pts)),
        "timeliness": pl.when(c("requests") > 0).then(timeliness),
    }
    scored = cands.with_columns(
        pl.when(kind.is_in(list(kinds))).then(points[rule]).alias(rule)
        for rule, (_, kinds) in RULES.items()
    )
    applies = {rule: kind.is_in(list(kinds)) for rule, (_, kinds) in RULES.items()}
    got = pl.sum_horizontal(pl.col(r).fill_null(0) for r in RULES)
    most = pl.sum_horizontal(
        pl.when(pl.col(r).is_not_null()).then(p * 100).otherwise(0) for r, (p, _) in RULES.items()
    )
    weight = pl.sum_horizontal(
        pl.when(applies[r]).then(p * 100).otherwise(0) for r, (p, _) in RULES.items()
    )
    bonus = pl.when(kind.is_in(list(BONUS_KINDS))).then(
        cents_of(pl.col("media_bonus").fill_null(0.0))
    )
    unit = kind == "unit"

    def level(bad: str, cases: str, w: int, r: int, k: int) -> pl.Expr:
        # strictly above a limit; nothing under min_cases
        rate100 = c(bad) * 100
        n = c(cases)
        return (
            pl.when(~unit | (n < MIN_CASES))
            .then(0)
            .when(rate100 > k * n)
            .then(3)
            .when(rate100 > r * n)
            .then(2)
            .when(rate100 > w * n)
            .then(1)
            .otherwise(0)
        )

    levels = [level(*spec).alias(f"lv_{t}") for t, spec in BANDS.items()]
    out = scored.with_columns(
        got.alias("got"),
        most.alias("most"),
        weight.alias("weight"),
        bonus.fill_null(0).alias("bonus"),
        *levels,
        # unrectified: a 责令改正 overdue → 通报批评; unrectified 差评 → 警示 / 责令改正
        pl.when(unit & (c("sanctions_overdue") > 0))
        .then(3)
        .when(
            unit
            & (
                (c("unrectified") >= 3)
                | ((c("bad") >= 5) & (c("unrectified") * 100 > 20 * c("bad")))
            )
        )
        .then(2)
        .when(unit & (c("unrectified") >= 1))
        .then(1)
        .otherwise(0)
        .alias("lv_unrectified"),
    )
    rectify_now = pl.any_horizontal(pl.col(f"lv_{t}") == 2 for t in (*BANDS, "unrectified"))
    base = pl.when(pl.col("most") > 0).then(half_up(pl.col("got") * TOTAL * 100, pl.col("most")))
    out = out.with_columns(
        base.fill_null(0).alias("base"),
        (unit & rectify_now & (pl.col("last_level") == "rectify").fill_null(False)).alias(
            "escalated"
        ),
    ).with_columns((pl.col("base") + pl.col("bonus")).clip(lower_bound=0).alias("total"))
    vetoed = pl.col("escalated") | pl.any_horizontal(
        pl.col(f"lv_{t}") == 3 for t in (*BANDS, "unrectified")
    )
    min_responses = (
        pl.when(kind == "unit")
        .then(POLICY["unit"][3])
        .when(kind == "person")
        .then(POLICY["person"][3])
        .otherwise(POLICY["project"][3])
    )
    valid = c("valid")
    eligible = (
        (pl.col("total") >= MIN_TOTAL_C)
        & (valid >= min_responses)
        & (c("satisfied") * 100 >= MIN_SAT * valid)
        & (c("bad") * 100 <= MAX_BAD * valid)
        & (pl.col("most") * 100 >= MIN_JUDGED * pl.col("weight"))
        & (c("open_bad") == 0)
        & ~vetoed
        & ((kind != "project") | (c("completed") > 0))
    )
    return out.with_columns(eligible.alias("eligible"))


def commend(scored: pl.DataFrame) -> pl.DataFrame:
    """The three lists: rank in each peer group by total and the tie-break chain, the cap
    per unit (people), the quota. One row per candidate listed."""
    per_cat = pl.col("kind") != "project"
    keys = ["total", "satisfaction", "timeliness", "caseload", "satisfied"]
    el = (
        scored.lazy()
        .filter("eligible")
        .with_columns(
            pl.when(per_cat).then(pl.col("category")).otherwise(pl.lit("全部")).alias("group"),
            c("requests").alias("caseload"),
            c("satisfied"),
            pl.col("satisfaction").fill_null(0),
            pl.col("timeliness").fill_null(0),
        )
        .sort(
            ["kind", "group", *keys, "id"],
            descending=[False, False, *([True] * len(keys)), False],
        )
    )
    n = pl.len().over("kind", "group")  # the quota is of the eligible, before the cap
    share = pl.when(pl.col("kind") == "unit").then(15).otherwise(20)
    quota = (
        pl.when(per_cat)
        .then(pl.max_horizontal((n * share) // 100, pl.lit(1)))
        .otherwise(pl.min_horizontal(n, pl.lit(10)))
    )
    pos = pl.int_range(pl.len()).over("kind", "group") + 1
    new = pl.any_horizontal(pl.col(k) != pl.col(k).shift(1).over("kind", "group") for k in keys)
    # competition ranks: a row equal to the one above on the whole chain shares its rank
    rank = (
        pl.when(new.fill_null(True)).then(pos).otherwise(None).forward_fill().over("kind", "group")
    )
    el = el.with_columns(rank.alias("rank"), quota.alias("quota"))
    # the per-unit cap of people, in rank order across the groups (dxe-eval's order)
    cap = pl.col("staff_count") // PER_UNIT_STAFF
    nth_of_unit = pl.int_range(pl.len()).over("kind", "unit_id") + 1
    el = el.filter((pl.col("kind") != "person") | cap.is_null() | (nth_of_unit <= cap.fill_null(0)))
    # the quota taken in rank order; a tie at the cut-off is admitted whole
    taken = pl.int_range(pl.len()).over("kind", "group") + 1
    cut = pl.col("rank").filter(taken <= pl.col("quota")).max().over("kind", "group")
    return el.filter(pl.col("rank") <= cut).select("kind", "id", "group", "rank", "total").collect()


def one_rating_per_request(surveys: pl.DataFrame) -> pl.DataFrame:
    """The ratings that count (as ``dxe-eval``'s index stage keeps them, floor (f)): of a
    request's ratings answered by the period's end, the latest (the last in the file on
    the same day). Floor (b) counts every rating; here its input is the counted ones."""
    rid = pl.col("request_id")
    considered = rid.is_not_null() & (pl.col("answered_on") <= END)
    rows = surveys.with_row_index("_row")
    keep = (
        rows.filter(considered)
        .group_by("request_id")
        .agg(pl.col("_row").sort_by("answered_on", "_row").last().alias("_keep"))
    )
    replaced = considered & pl.col("_keep").is_not_null() & (pl.col("_row") != pl.col("_keep"))
    return (
        rows.join(keep, on="request_id", how="left", maintain_order="left")
        .filter(~replaced.fill_null(False))
        .drop("_row", "_keep")
    )


def load(data: Path) -> pl.DataFrame:
    """(b)'s facts per candidate, joined to the candidates, with the open 差评 measure."""
    f = inputs(data)
    f["surveys"] = one_rating_per_request(f["surveys"])
    facts = fused(f, "concat")
    staff = (
        pl.scan_csv(data / "units.csv", infer_schema=False)
        .select("unit_id", pl.col("staff_count").str.strip_chars().cast(pl.Int64, strict=False))
        .collect()
    )
    units = f["units"].join(staff, on="unit_id", how="left")
    cands = pl.concat(
        [
            units.select(
                pl.lit("unit").alias("kind"),
                pl.col("unit_id").alias("id"),
                "unit_id",
                "staff_count",
            ),
            f["people"]
            .join(staff, on="unit_id", how="left")
            .select(
                pl.lit("person").alias("kind"),
                pl.col("person_id").alias("id"),
                "unit_id",
                "staff_count",
            ),
            f["projects"].select(
                pl.lit("project").alias("kind"),
                pl.col("project_id").alias("id"),
                "unit_id",
                pl.lit(None, pl.Int64).alias("staff_count"),
            ),
        ]
    )
    # the valid 差评 answered in the period and not rectified by its end, per candidate
    sv = derived_surveys(f).join(
        typed(data, "surveys").lazy().select("response_id", "rectified_on"), on="response_id"
    )
    still = pl.col("bad") & (pl.col("rectified_on").is_null() | (pl.col("rectified_on") > END))
    rows = sv.filter(still)
    open_bad = pl.concat(
        [
            rows.select(pl.lit(k).alias("kind"), pl.col(col).alias("id"))
            for k, col in (
                ("unit", "unit_id"),
                ("unit", "project_unit"),
                ("person", "handler_id"),
                ("project", "project_id"),
            )
        ]
    )
    open_bad = open_bad.drop_nulls("id").group_by("kind", "id").agg(pl.len().alias("open_bad"))
    return (
        cands.join(facts.drop("category"), on=["kind", "id"], how="left")
        .join(open_bad.collect(), on=["kind", "id"], how="left")
        .pipe(_with_category, f)
    )


def _with_category(frame: pl.DataFrame, f: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every candidate's peer group (its unit's category; (b) names it only where it has facts)."""
    return frame.join(f["units"].select("unit_id", "category"), on="unit_id", how="left")


def check(data: Path, scored: pl.DataFrame, lists: pl.DataFrame) -> str:
    """Compare every total and the three lists with ``dxe-eval evaluate`` (run after)."""
    from dxe_eval import engine  # lazy: start-up

    ev = engine.evaluate(data)
    theirs = pl.DataFrame(
        {
            "kind": [s.candidate.kind for s in ev.scorecards],
            "id": [s.candidate.candidate_id for s in ev.scorecards],
            "their_total": [round(s.total * 100) for s in ev.scorecards],
        }
    )
    both = scored.select("kind", "id", "total").join(theirs, on=["kind", "id"], how="full")
    same = (both["total"] == both["their_total"]).sum()
    off = (both["total"] - both["their_total"]).abs().max()
    ours = {(k, i) for k, i in lists.select("kind", "id").iter_rows()}
    listed = {(e.kind, e.candidate_id) for es in ev.commendation.lists.values() for e in es}
    text = (
        f"totals equal to dxe-eval's for {same:,} of {theirs.height:,} candidates "
        f"(largest difference {off} cents); lists: {len(ours & listed)} in both, "
        f"{len(ours - listed)} only here, {len(listed - ours)} only in dxe-eval's"
    )
    if same != theirs.height or ours != listed:
        raise SystemExit("differs from dxe-eval: " + text)
    return text


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data")
    p.add_argument("--check", action="store_true", help="compare with dxe-eval evaluate after")
    args = p.parse_args(argv)
    data = Path(args.data)
    cands = load(data)
    before = rss()

    def stage() -> tuple[pl.DataFrame, pl.DataFrame]:
        scored = score(cands)
        return scored, commend(scored)

    (scored, lists), stage_s = timed(stage)
    figures = dict(
        stage="score+commend",
        stage_s=stage_s,
        input_rss=before,
        peak=peak(),
        candidates=scored.height,
        eligible=int(scored["eligible"].sum()),
        listed=lists.height,
    )
    if args.check:
        print(check(data, scored, lists), file=sys.stderr)
    report(**figures)


if __name__ == "__main__":
    main()
