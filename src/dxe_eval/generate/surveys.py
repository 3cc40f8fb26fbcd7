"""Survey responses (好差评): most about a request, answered a few days after it ended;
about 95 % satisfied, a few units much worse; some bad ratings appealed or rectified.

Units, handlers, projects and requests are held as rows (``Int32``) until a chunk
of responses is written, so a national year's six million responses cost tens of
bytes each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import polars as pl

from dxe_eval.generate.draw import Stream, by_size, from_values, ids, member, spans
from dxe_eval.generate.requests import DATE, RequestRows, request_ids
from dxe_eval.generate.sizes import Sizes
from dxe_eval.generate.vocab import RATINGS


def survey_chunks(
    s: Sizes,
    rng: Stream,
    units: pl.DataFrame,
    people: pl.DataFrame,
    pranges: pl.DataFrame,
    projects: pl.DataFrame,
    req: RequestRows,
    year: int,
) -> Iterator[pl.DataFrame]:
    n = s.surveys
    nu = s.units
    nr = req.n
    linked = rng.u(n) < (0.85 if nr else 0.0)
    at = rng.below(n, max(1, nr)).cast(pl.Int32) if nr else None  # the request's row
    unit_free = by_size(rng, n, units)
    handler_free = member(rng, unit_free, pranges, people.height)
    answered_free = pl.select(
        pl.lit(dt.date(year, 1, 1)) + pl.duration(days=pl.lit(rng.below(n, 365)))
    ).to_series()
    after = rng.below(n, 6)
    if at is not None:
        answered_req = pl.select(
            pl.lit(req.answered_from.gather(at)) + pl.duration(days=pl.lit(after))
        ).to_series()
        f = pl.DataFrame(
            {
                "linked": linked,
                "unit": req.unit.gather(at).cast(pl.Int64),
                "unit_free": unit_free,
                "handler": req.handler.gather(at),
                "handler_free": handler_free,
                "project": req.project.gather(at),
                "request": at,
                "answered": answered_req,
                "answered_free": answered_free,
            }
        )
    else:
        none = pl.Series([None] * n, dtype=pl.Int32)
        f = pl.DataFrame(
            {
                "linked": linked,
                "unit": unit_free,
                "unit_free": unit_free,
                "handler": none,
                "handler_free": handler_free,
                "project": none,
                "request": none,
                "answered": answered_free,
                "answered_free": answered_free,
            }
        )
    del linked, at, unit_free, handler_free, answered_free, after
    f = f.select(
        pl.when("linked").then("unit").otherwise("unit_free").alias("unit"),
        pl.when("linked")
        .then("handler")
        .otherwise(pl.when(pl.lit(rng.u(n)) < 0.5).then("handler_free").otherwise(None))
        .alias("handler"),
        pl.when("linked").then("project").otherwise(None).alias("project"),
        pl.when("linked").then("request").otherwise(None).alias("request"),
        pl.when("linked").then("answered").otherwise("answered_free").alias("answered_on"),
    )
    # a request rated again (追评) is rated on a later day: each earlier rating of it six days
    # before (the day after closing varies by at most five), so no two of one day and which
    # counts never hangs on the order of the rows
    again = pl.int_range(pl.len()).over("request")
    f = f.with_columns(
        pl.when(pl.col("request").is_not_null())
        .then(pl.col("answered_on") + pl.duration(days=6 * again))
        .otherwise(pl.col("answered_on"))
        .alias("answered_on")
    )
    # per unit: the share of bad ratings; a few units much worse
    u_unit = rng.u(nu)
    p_bad = pl.select(
        pl.when(pl.lit(u_unit) < 0.03)
        .then(0.18)
        .when(pl.lit(u_unit) < 0.10)
        .then(0.06)
        .otherwise(0.02)
    ).to_series()
    f = f.with_columns(p_bad.gather(f["unit"]).alias("p_bad"))
    u_bad = rng.u(n)
    good = rng.choice(n, (70, 22, 8))  # 非常满意, 满意, 基本满意
    bad = rng.choice(n, (70, 30)) + 3  # 不满意, 非常不满意
    u_appeal = rng.u(n)
    u_fix = rng.u(n)
    fix_days = rng.below(n, 5) + 1
    fix_late = rng.below(n, 15) + 6
    f = f.with_columns(
        pl.when(pl.lit(u_bad) < pl.col("p_bad"))
        .then(pl.lit(bad))
        .otherwise(pl.lit(good))
        .alias("r"),
    )
    isbad = pl.col("r") >= 3
    upheld = isbad & (pl.lit(u_appeal) < 0.1)
    fix = (
        pl.when(~isbad | upheld)
        .then(None)
        .when(pl.lit(u_fix) < 0.82)
        .then(pl.col("answered_on") + pl.duration(days=pl.lit(fix_days)))
        .when(pl.lit(u_fix) < 0.94)
        .then(pl.col("answered_on") + pl.duration(days=pl.lit(fix_late)))
        .otherwise(None)
    )
    f = (
        f.with_columns(upheld.alias("upheld"), fix.alias("rectified_on"))
        .drop("p_bad")
        .sort("answered_on", maintain_order=True)
    )
    del u_bad, good, bad, u_appeal, u_fix, fix_days, fix_late
    unit_ids, person_ids, project_ids = (
        units["unit_id"],
        people["person_id"],
        projects["project_id"],
    )
    for a, b in spans(n):
        part = f.slice(a, b - a)
        yield pl.DataFrame(
            {
                "response_id": ids("S", n, a, b),
                "unit_id": unit_ids.gather(part["unit"]),
                "answered_on": part["answered_on"].dt.strftime(DATE),
                "rating": from_values(RATINGS, part["r"]),
                "handler_id": person_ids.gather(part["handler"]),
                "project_id": project_ids.gather(part["project"]),
                "request_id": request_ids(nr, part["request"]),
                "appeal_upheld": part.select(
                    pl.when("upheld").then(pl.lit("是")).otherwise(None)
                ).to_series(),
                "rectified_on": part["rectified_on"].dt.strftime(DATE),
            }
        )
