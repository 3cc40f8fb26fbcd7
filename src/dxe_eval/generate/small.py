"""The record types that grow with the units and projects, not with the requests: units,
people, projects, capabilities, supervision, summaries, evaluations, media and sanctions.

Each is built whole as a frame of typed columns (a national year has 60,000 units
and 150,000 projects: small beside its 30 million requests).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dxe_eval.generate.draw import Stream, by_size, from_values, ids, member, ranges
from dxe_eval.generate.sizes import Sizes
from dxe_eval.generate.vocab import (
    BRANDS,
    CATEGORIES,
    CITIES,
    COUNTIES,
    FIRMS,
    GIVEN,
    INSTITUTES,
    OFFICES,
    OUTLETS,
    SERVICES,
    STANDARDS,
    SURNAMES,
    THEMES,
)


def _split(n: int) -> list[int]:
    """Units per category: the declared shares, at least one each where there is room."""
    counts = [int(n * share) for _, share, _, _ in CATEGORIES]
    if n >= len(CATEGORIES):
        counts = [max(1, c) for c in counts]
    while sum(counts) > n:
        i = counts.index(max(counts))
        counts[i] -= 1
    counts[-1] += n - sum(counts)
    return counts


def units_frame(s: Sizes, rng: Stream) -> pl.DataFrame:
    n = s.units
    cat_idx: list[int] = []
    for i, c in enumerate(_split(n)):
        cat_idx += [i] * c
    cat = pl.Series("cat", cat_idx, dtype=pl.Int64)
    factor = pl.Series([c[3] for c in CATEGORIES]).gather(cat)
    # a skewed size: log-normal, times the category's factor
    size = ((rng.normal(n) * 1.0).exp() * factor).alias("size")
    # the rank of each unit within its category numbers its name
    rank = (
        pl.DataFrame({"cat": cat})
        .select(pl.int_range(pl.len(), dtype=pl.Int64).over("cat"))
        .to_series()
        .alias("rank")
    )
    city = from_values(CITIES, (rng.below(n, len(CITIES))))
    county = from_values(COUNTIES, rng.below(n, len(COUNTIES)))
    brand = from_values(BRANDS, rng.below(n, len(BRANDS)))
    firm = from_values(FIRMS, rng.below(n, len(FIRMS)))
    frame = pl.DataFrame(
        {
            "cat": cat,
            "rank": rank,
            "city": city,
            "county": county,
            "brand": brand,
            "firm": firm,
            "size": size,
            "u_level": rng.u(n),
            "u_parent": rng.u(n),
        }
    )
    n_city = _split(n)[2]
    first_city = sum(_split(n)[:2])
    unit_ids = ids("U", n)
    office = pl.Series(list(OFFICES))
    institute = pl.Series(list(INSTITUTES))
    r = pl.col("rank")
    suffix = (
        pl.when(r >= pl.lit(len(OFFICES)))
        .then(pl.lit("（") + (r // len(OFFICES) + 1).cast(pl.String) + pl.lit("）"))
        .otherwise(pl.lit(""))
    )
    name = (
        pl.when(pl.col("cat") == 0)
        .then(pl.lit(office).gather(r % len(OFFICES)) + suffix)
        .when(pl.col("cat") == 1)
        .then(
            pl.lit("湖北省")
            + pl.lit(institute).gather(r % len(INSTITUTES))
            + pl.when(r >= len(INSTITUTES))
            .then(pl.lit("分院") + (r // len(INSTITUTES)).cast(pl.String))
            .otherwise(pl.lit(""))
        )
        .when(pl.col("cat") == 2)
        .then(
            pl.lit(pl.Series(list(CITIES))).gather(r % len(CITIES))
            + pl.when(r >= len(CITIES))
            .then(pl.lit("第") + (r // len(CITIES) + 1).cast(pl.String) + pl.lit("分局"))
            .otherwise(pl.lit(""))
            + pl.lit("市场监督管理局")
        )
        .when(pl.col("cat") == 3)
        .then(pl.col("city") + pl.col("county") + pl.lit("市场监督管理局"))
        .otherwise(pl.col("city") + pl.col("brand") + pl.col("firm"))
    )
    levels = pl.Series(["province", "province", "city", "county", ""])
    level = (
        pl.when(pl.col("cat") == 4)
        .then(pl.when(pl.col("u_level") < 0.4).then(pl.lit("city")).otherwise(pl.lit("county")))
        .otherwise(pl.lit(levels).gather(pl.col("cat")))
    )
    if n_city:
        parent_idx = first_city + (pl.col("u_parent") * n_city).floor().cast(pl.Int64)
        parent = (
            pl.when(pl.col("cat") == 3)
            .then(pl.lit(unit_ids).gather(parent_idx))
            .when((pl.col("cat") == 4) & (pl.col("u_level") < 0.6))
            .then(pl.lit(unit_ids).gather(parent_idx))
            .otherwise(pl.lit(None, dtype=pl.String))
        )
    else:
        parent = pl.lit(None, dtype=pl.String)
    staff = (pl.col("size") * 12 + 3).round().cast(pl.Int64)
    return frame.select(
        pl.lit(unit_ids).alias("unit_id"),
        name.alias("name"),
        pl.lit(pl.Series([c[0] for c in CATEGORIES])).gather(pl.col("cat")).alias("category"),
        level.alias("level"),
        parent.alias("parent_id"),
        staff.cast(pl.String).alias("staff_count"),
        pl.col("size").alias("_size"),
    )


def people_frame(s: Sizes, rng: Stream, units: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    n, nu = s.people, s.units
    first = pl.int_range(0, min(n, nu), eager=True).alias("unit")
    rest = by_size(rng, max(0, n - nu), units)
    unit = pl.concat([first.cast(pl.Int64), rest]).sort()
    names = (
        from_values(SURNAMES, rng.below(n, len(SURNAMES)))
        + from_values(GIVEN, rng.below(n, len(GIVEN)))
        + pl.select(
            pl.when(pl.lit(rng.u(n)) < 0.6)
            .then(pl.lit(pl.Series(list(GIVEN))).gather(pl.lit(rng.below(n, len(GIVEN)))))
            .otherwise(pl.lit(""))
        ).to_series()
    )
    frame = pl.DataFrame(
        {
            "person_id": ids("P", n),
            "name": names,
            "unit_id": units["unit_id"].gather(unit),
            "_unit": unit,
        }
    )
    return frame, ranges(unit, nu)


def projects_frame(
    s: Sizes,
    rng: Stream,
    units: pl.DataFrame,
    people: pl.DataFrame,
    pranges: pl.DataFrame,
    year: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    n = s.projects
    unit = by_size(rng, n, units).sort()
    leader = people["person_id"].gather(member(rng, unit, pranges, people.height))
    leader = pl.select(
        pl.when(pl.lit(rng.u(n)) < 0.9).then(pl.lit(leader)).otherwise(None)
    ).to_series()
    theme = from_values(THEMES, rng.below(n, len(THEMES)))
    kind = from_values(("服务行动", "专项行动", "帮扶计划", "试点"), rng.below(n, 4))
    start = dt.date(year, 3, 1)
    span = (dt.date(year + 1, 6, 30) - start).days
    deadline = pl.select(pl.lit(start) + pl.duration(days=pl.lit(rng.below(n, span)))).to_series()
    end = dt.date(year, 12, 31)
    u_done = rng.u(n)
    early = rng.below(n, 45)
    late = rng.below(n, 25)
    u_late = rng.u(n)
    frame = pl.DataFrame(
        {
            "project_id": ids("J", n),
            "theme": theme,
            "kind": kind,
            "unit_id": units["unit_id"].gather(unit),
            "leader_id": leader,
            "listed_in": pl.select(
                pl.when(pl.lit(rng.u(n)) < 0.4).then(pl.lit("key")).otherwise(pl.lit("capability"))
            ).to_series(),
            "deadline": deadline,
            "u_done": u_done,
            "early": early,
            "late": late,
            "u_late": u_late,
        }
    )
    due = pl.col("deadline") <= end
    completed = (
        pl.when(due & (pl.col("u_done") < 0.85))
        .then(
            pl.when(pl.col("u_late") < 0.15)
            .then(pl.col("deadline") + pl.duration(days=pl.col("late")))
            .otherwise(pl.col("deadline") - pl.duration(days=pl.col("early")))
        )
        .when(~due & (pl.col("u_done") < 0.10))
        .then(pl.lit(end) - pl.duration(days=pl.col("early")))
        .otherwise(None)
    )
    frame = frame.with_columns(completed.alias("completed_on"))
    frame = frame.with_columns(
        pl.when(pl.col("completed_on") > end)
        .then(pl.lit(end))
        .otherwise(pl.col("completed_on"))
        .alias("completed_on")
    )
    out = frame.select(
        "project_id",
        (pl.col("theme") + pl.col("kind")).alias("name"),
        "unit_id",
        "leader_id",
        "listed_in",
        "deadline",
        "completed_on",
        pl.lit(unit).alias("_unit"),
    )
    return out, ranges(unit, s.units)


def capabilities_frame(s: Sizes, rng: Stream, units: pl.DataFrame, year: int) -> pl.DataFrame:
    n = 3 * s.units
    # half spread evenly, half by size: most units list a few items, large ones more
    unit = pl.concat(
        [
            pl.int_range(0, n // 2, eager=True).cast(pl.Int64) % s.units,
            by_size(rng, n - n // 2, units, power=0.5),
        ]
    ).sort()
    # some units rarely name a standard
    weak = (units["_size"].rank("ordinal") % 7 == 0).gather(unit)
    u = rng.u(n)
    std = from_values(STANDARDS, rng.below(n, len(STANDARDS)))
    standard = (
        pl.DataFrame({"u": u, "w": weak, "s": std})
        .select(
            pl.when(pl.col("u") < pl.when(pl.col("w")).then(0.6).otherwise(0.1))
            .then(None)
            .otherwise(pl.col("s"))
        )
        .to_series()
    )
    first = dt.date(year - 3, 1, 1)
    published = pl.select(
        pl.lit(first) + pl.duration(days=pl.lit(rng.below(n, (dt.date(year, 6, 30) - first).days)))
    ).to_series()
    return pl.DataFrame(
        {
            "item_id": ids("C", n),
            "unit_id": units["unit_id"].gather(unit),
            "name": from_values(SERVICES, rng.below(n, len(SERVICES))),
            "standard": standard,
            "published_on": published,
        }
    )


def supervision_frame(
    s: Sizes, rng: Stream, units: pl.DataFrame, projects: pl.DataFrame, year: int
) -> pl.DataFrame:
    n = s.units + s.projects
    unit = by_size(rng, s.units, units)
    from_units = pl.DataFrame(
        {"unit_id": units["unit_id"].gather(unit)}, schema={"unit_id": pl.String}
    ).with_columns(pl.lit(None, dtype=pl.String).alias("project_id"))
    from_projects = projects.select("unit_id", "project_id")
    items = pl.concat([from_units, from_projects])
    start = dt.date(year, 1, 4)
    assigned = pl.select(pl.lit(start) + pl.duration(days=pl.lit(rng.below(n, 330)))).to_series()
    due = assigned + pl.select(pl.duration(days=pl.lit(rng.below(n, 45)) + 15)).to_series()
    u = rng.u(n)
    early = rng.below(n, 15)
    late = rng.below(n, 30) + 1
    f = items.with_columns(
        assigned.alias("assigned_on"),
        due.alias("due_on"),
        pl.Series(u).alias("u"),
        pl.Series(early).alias("early"),
        pl.Series(late).alias("late"),
    )
    closed = (
        pl.when(pl.col("u") < 0.8)
        .then(
            pl.max_horizontal(
                pl.col("due_on") - pl.duration(days=pl.col("early")), pl.col("assigned_on")
            )
        )
        .when(pl.col("u") < 0.92)
        .then(pl.col("due_on") + pl.duration(days=pl.col("late")))
        .otherwise(None)
    )
    f = f.with_columns(closed.alias("closed_on")).sort("assigned_on", maintain_order=True)
    return f.select(
        ids("D", n).alias("item_id"),
        "unit_id",
        "assigned_on",
        "due_on",
        "project_id",
        "closed_on",
    )


def summaries_frame(rng: Stream, projects: pl.DataFrame) -> pl.DataFrame:
    done = projects.filter(pl.col("completed_on").is_not_null())
    m = done.height
    keep = rng.u(m) < 0.85
    gap = (((rng.normal(m) * 0.8) + 2.3).exp()).floor().cast(pl.Int64).clip(0, 120)
    return done.select(
        "project_id",
        (pl.col("completed_on") + pl.duration(days=pl.lit(gap))).alias("submitted_on"),
    ).filter(keep)


def evaluations_frame(rng: Stream, projects: pl.DataFrame) -> pl.DataFrame:
    done = projects.filter(pl.col("completed_on").is_not_null())
    m = done.height
    keep = rng.u(m) < 0.75
    gap = rng.below(m, 50) + 10
    grade = from_values(("优秀", "良好", "合格", "不合格"), rng.choice(m, (30, 45, 20, 5)))
    return done.select(
        "project_id",
        (pl.col("completed_on") + pl.duration(days=pl.lit(gap))).alias("evaluated_on"),
        pl.lit(grade).alias("grade"),
    ).filter(keep)


def media_frame(
    s: Sizes, rng: Stream, units: pl.DataFrame, projects: pl.DataFrame, year: int
) -> pl.DataFrame:
    n = (3 * s.units) // 2
    tier_names = ("national", "provincial", "industry", "city")
    tier = rng.choice(n, (1, 12, 17, 70))
    unit = by_size(rng, n, units)
    on_project = (rng.u(n) < 0.15) & (s.projects > 0)
    proj = (
        projects["project_id"].gather(rng.below(n, s.projects))
        if s.projects
        else pl.Series([None] * n, dtype=pl.String)
    )
    outlet_idx = rng.u(n)
    start = dt.date(year - 1, 11, 1)
    published = pl.select(
        pl.lit(start)
        + pl.duration(days=pl.lit(rng.below(n, (dt.date(year, 12, 31) - start).days + 1)))
    ).to_series()
    item_ids = ids("M", n)
    # a few items repeat an earlier story (same url) in another outlet
    repeat = (rng.u(n) < 0.05) & (pl.int_range(0, n, eager=True) > 0)
    earlier = (rng.u(n) * pl.int_range(0, n, eager=True)).floor().cast(pl.Int64)
    url = pl.lit("https://news.example.cn/dxe/") + pl.lit(item_ids) + pl.lit(".html")
    f = pl.DataFrame(
        {
            "tier": tier,
            "unit": unit,
            "on_project": on_project,
            "project": proj,
            "outlet_u": outlet_idx,
            "published_on": published,
            "id": item_ids,
            "repeat": repeat,
            "earlier": earlier,
            "theme": from_values(THEMES, rng.below(n, len(THEMES))),
        }
    )
    f = f.with_columns(url.alias("own_url"))
    f = f.with_columns(
        pl.when("repeat")
        .then(pl.col("own_url").gather(pl.col("earlier")))
        .otherwise("own_url")
        .alias("url")
    )
    outlets = pl.concat(
        [
            pl.DataFrame({"tier": i, "k": list(range(len(OUTLETS[t]))), "outlet": list(OUTLETS[t])})
            for i, t in enumerate(tier_names)
        ]
    ).with_columns(pl.col("tier").cast(pl.Int64), pl.col("k").cast(pl.Int64))
    sizes = {i: len(OUTLETS[t]) for i, t in enumerate(tier_names)}
    f = f.with_columns(
        (pl.col("outlet_u") * pl.col("tier").replace_strict(sizes, return_dtype=pl.Float64))
        .floor()
        .cast(pl.Int64)
        .alias("k")
    ).join(outlets, on=["tier", "k"], how="left", maintain_order="left")
    return f.select(
        pl.col("id").alias("item_id"),
        "outlet",
        pl.lit(pl.Series(list(tier_names))).gather(pl.col("tier")).alias("tier"),
        "published_on",
        pl.when("on_project")
        .then(None)
        .otherwise(units["unit_id"].gather(f["unit"]))
        .alias("unit_id"),
        pl.when("on_project").then("project").otherwise(None).alias("project_id"),
        (pl.lit("“店小二”") + pl.col("theme") + pl.lit("见闻")).alias("title"),
        "url",
    )


def sanctions_frame(s: Sizes, rng: Stream, units: pl.DataFrame, year: int) -> pl.DataFrame:
    n = max(1, s.units // 25) if s.units >= 5 else 0
    which = rng.below(n, s.units)
    level = from_values(("warning", "rectify", "criticize"), rng.choice(n, (50, 40, 10)))
    start = dt.date(year - 1, 1, 4)
    issued = pl.select(pl.lit(start) + pl.duration(days=pl.lit(rng.below(n, 330)))).to_series()
    u = rng.u(n)
    fix = pl.select(
        pl.when(pl.lit(u) < 0.7)
        .then(pl.lit(issued) + pl.duration(days=pl.lit(rng.below(n, 14)) + 1))
        .when(pl.lit(u) < 0.9)
        .then(pl.lit(issued) + pl.duration(days=pl.lit(rng.below(n, 40)) + 25))
        .otherwise(None)
    ).to_series()
    return (
        pl.DataFrame(
            {
                "candidate_id": units["unit_id"].gather(which),
                "level": level,
                "issued_on": issued,
                "rectified_on": fix,
            }
        )
        .unique(subset=["candidate_id", "issued_on"], keep="first", maintain_order=True)
        .sort("issued_on", "candidate_id")
    )
