"""The requests, and the ledger entries and visits that follow the delivered ones.

A national year has 30 million requests. They are drawn whole, column by
column, but each column is reduced at once to the few bits the data need (a
unit's row as ``Int32``, a choice as ``Int8``, a uniform compared with its
threshold as a flag), so the draws of a year take about 40 bytes a request
instead of a frame of 25 floats. The requests are put in the order of their
receipt (one stable sort of the receipt time and unit); the times, the ids and
the text are then made and written a chunk of rows at a time. What the ledger,
the visits and the survey responses need of the requests is kept in
:class:`RequestRows`, typed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Final

import polars as pl
from attrs import frozen
from chinese_calendar import get_holiday_detail

from dxe_eval.generate.draw import (
    Stream,
    by_size,
    from_values,
    ids,
    ids_expr,
    member,
    spans,
)
from dxe_eval.generate.sizes import Sizes
from dxe_eval.generate.vocab import CHANNELS, COMPLETION, KINDS
from dxe_eval.generate.workdays import Workdays

OUTCOMES: Final = ("delivered", "not_delivered", "withdrawn", "open")
DELIVERED, NOT_DELIVERED, WITHDRAWN, OPEN = range(len(OUTCOMES))

DATETIME: Final = "%Y-%m-%d %H:%M:%S"
DATE: Final = "%Y-%m-%d"


def ts(day: str, seconds: str) -> pl.Expr:
    """A day and the seconds into it, as a time."""
    return pl.col(day).cast(pl.Datetime("us")) + pl.duration(seconds=pl.col(seconds))


def day_weights(cal: Workdays, year: int) -> tuple[list[dt.date], list[float]]:
    """Days requests arrive on (December of the year before through the year), and weights."""
    first = dt.date(year - 1, 12, 1)
    last = dt.date(year, 12, 31)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    work = cal.is_workday(pl.Series(days, dtype=pl.Date)).to_list()
    weights = []
    for d, w in zip(days, work, strict=True):
        x = 1.0 if w else 0.07
        _, holiday = get_holiday_detail(d)
        if holiday and not w:
            x = 0.05  # the statutory holiday itself: the hotline only
        # rushes before and after the two long holidays
        nd = dt.date(d.year, 10, 1)
        if w and dt.timedelta(days=-7) <= d - nd < dt.timedelta(days=0):
            x *= 1.5
        if w and dt.timedelta(days=7) <= d - nd < dt.timedelta(days=15):
            x *= 1.35
        if w and d.month in (1, 2) and _near_spring_festival(d):
            x *= 1.4
        if d.year < year:
            x *= 0.5  # a thin December of the year before (outside the period)
        weights.append(x * (1.0 + 0.1 * math.sin(d.timetuple().tm_yday / 58.0)))
    return days, weights


def _near_spring_festival(d: dt.date) -> bool:
    for delta in range(-8, 9):
        other = d + dt.timedelta(days=delta)
        is_h, name = get_holiday_detail(other)
        if is_h and name == "Spring Festival":
            return True
    return False


def _where(
    cond: pl.Series, then: pl.Series | float | None, otherwise: pl.Series | float | None
) -> pl.Series:
    return pl.select(
        pl.when(pl.lit(cond)).then(pl.lit(then)).otherwise(pl.lit(otherwise))
    ).to_series()


@frozen
class RequestRows:
    """What ledger entries, visits and survey responses need of the requests, one value per
    request in the file's row order (row ``i`` is request ``R…i+1``)."""

    n: int
    unit: pl.Series  # the unit's row (Int32)
    handler: pl.Series  # the handler's row among the people, or null (Int32)
    project: pl.Series  # the project's row, or null (Int32)
    delivered: pl.Series  # Boolean
    closed_on: pl.Series  # the local date of closing, or null (Date)
    answered_from: pl.Series  # the date a linked survey is answered from: closed, responded
    # or received (Date)


def request_ids(n: int, rows: pl.Series) -> pl.Series:
    """The ids of requests at the given rows (0-based) of ``n``; null stays null."""
    return pl.select(ids_expr("R", n, pl.lit(rows).cast(pl.Int64))).to_series()


class Requests:
    """The requests of a data set, drawn in their file's order; :meth:`chunks` gives their
    text and, once read to the end, leaves :attr:`rows` for the record types that follow."""

    def __init__(
        self,
        s: Sizes,
        rng: Stream,
        units: pl.DataFrame,
        people: pl.DataFrame,
        pranges: pl.DataFrame,
        projects: pl.DataFrame,
        jranges: pl.DataFrame,
        cal: Workdays,
        year: int,
    ) -> None:
        self.n = s.requests
        self._cal = cal
        self._unit_ids = units["unit_id"]
        self._person_ids = people["person_id"]
        self._project_ids = projects["project_id"]
        self._cols = _draw(
            s, rng, units, pranges, people.height, jranges, projects.height, cal, year
        )
        self._rows: RequestRows | None = None

    @property
    def rows(self) -> RequestRows:
        if self._rows is None:
            raise RuntimeError("the requests' chunks are written before what follows them")
        return self._rows

    def chunks(self) -> Iterator[pl.DataFrame]:
        """The requests as text, a chunk of rows at a time, in the contract's columns."""
        closed: list[pl.Series] = []
        answered_from: list[pl.Series] = []
        delivered: list[pl.Series] = []
        for a, b in spans(self.n):
            part = pl.DataFrame({k: v.slice(a, b - a) for k, v in self._cols.items()})
            f = self._times(part)
            closed.append(f["closed_at"].dt.date())
            answered_from.append(
                f.select(
                    pl.coalesce("closed_at", "responded_at", "received_at").dt.date()
                ).to_series()
            )
            delivered.append(f["outcome"] == DELIVERED)
            yield pl.DataFrame(
                {
                    "request_id": ids("R", self.n, a, b),
                    "unit_id": self._unit_ids.gather(f["unit"]),
                    "received_at": f["received_at"].dt.strftime(DATETIME),
                    "handler_id": self._person_ids.gather(f["handler"]),
                    "project_id": self._project_ids.gather(f["project"]),
                    "channel": from_values(CHANNELS, f["channel"]),
                    "kind": from_values(KINDS, f["kind"]),
                    "dispatched_at": f["dispatched_at"].dt.strftime(DATETIME),
                    "responded_at": f["responded_at"].dt.strftime(DATETIME),
                    "closed_at": f["closed_at"].dt.strftime(DATETIME),
                    "outcome": from_values(OUTCOMES, f["outcome"]),
                }
            )
        cols, self._cols = self._cols, {}
        self._rows = RequestRows(
            n=self.n,
            unit=cols["unit"],
            handler=cols["handler"],
            project=cols["project"],
            delivered=pl.concat(delivered),
            closed_on=pl.concat(closed),
            answered_from=pl.concat(answered_from),
        )

    def _times(self, part: pl.DataFrame) -> pl.DataFrame:
        """A chunk's times: received, dispatched, responded and closed."""
        cal = self._cal
        f = part.with_columns(
            pl.col(
                "secs",
                "wd",
                "kind",
                "channel",
                "close_wd",
                "mins",
                "disp",
                "resp_secs",
                "close_secs",
            ).cast(pl.Int64),
        )
        f = f.with_columns(ts("day", "secs").alias("received_at"))
        f = f.with_columns(cal.add(f["day"], f["wd"]).alias("resp_day"))
        responded = (
            pl.when(pl.col("noresp"))
            .then(None)
            .when(pl.col("wd") == 0)
            .then(pl.col("received_at") + pl.duration(minutes=pl.col("mins")))
            .otherwise(ts("resp_day", "resp_secs"))
        )
        f = f.with_columns(responded.alias("responded_at"))
        f = f.with_columns(cal.add(f["responded_at"].dt.date(), f["close_wd"]).alias("close_day"))
        closed = (
            pl.when(pl.col("outcome") == OPEN)
            .then(None)
            .when((pl.col("kind") == 0) & pl.col("quick_close"))
            .then(pl.col("responded_at"))
            .when(pl.col("close_wd") == 0)
            .then(pl.col("responded_at") + pl.duration(minutes=pl.col("mins")))
            .otherwise(
                pl.max_horizontal(
                    ts("close_day", "close_secs"),
                    pl.col("responded_at") + pl.duration(minutes=5),
                )
            )
        )
        online = pl.col("channel").is_in([0, 1, 2])
        return f.with_columns(
            closed.alias("closed_at"),
            pl.when(online)
            .then(pl.col("received_at") + pl.duration(minutes=pl.col("disp")))
            .otherwise(None)
            .alias("dispatched_at"),
        )


def _draw(
    s: Sizes,
    rng: Stream,
    units: pl.DataFrame,
    pranges: pl.DataFrame,
    n_people: int,
    jranges: pl.DataFrame,
    n_projects: int,
    cal: Workdays,
    year: int,
) -> dict[str, pl.Series]:
    """Every random column of the requests, in the order they are drawn, each reduced to
    what the data need, then put in the order of receipt."""
    n = s.requests
    nu = s.units
    unit = by_size(rng, n, units).cast(pl.Int32)
    days, weights = day_weights(cal, year)
    day = pl.Series(days, dtype=pl.Date).gather(rng.choice(n, weights)).alias("day")
    work = cal.is_workday(day)
    # time of day: office hours, some in the evening (hotline), seconds resolution
    office = ((8 * 3600 + 30 * 60) + (rng.u(n) * 9 * 3600).floor().cast(pl.Int64)).cast(pl.Int32)
    evening = ((7 * 3600) + (rng.u(n) * 15 * 3600).floor().cast(pl.Int64)).cast(pl.Int32)
    u_evening = rng.u(n)
    secs = pl.select(
        pl.when(pl.lit(u_evening) >= pl.when(pl.lit(work)).then(0.05).otherwise(0.3))
        .then(pl.lit(office))
        .otherwise(pl.lit(evening))
    ).to_series()
    del office, evening, u_evening
    # per-unit behaviour: most units answer quickly, a few are slow
    slow_u = rng.u(nu)
    p_late = (
        pl.select(
            pl.when(pl.lit(slow_u) < 0.05)
            .then(0.25)
            .when(pl.lit(slow_u) < 0.15)
            .then(0.07)
            .otherwise(0.02)
        )
        .to_series()
        .gather(unit)
    )
    late = rng.u(n) < p_late
    slow = p_late > 0.1
    del p_late
    quick = rng.choice(n, (0.45, 0.38, 0.17))  # 0, 1, 2 working days
    tail = (3 + (-(1.0 - rng.u(n)).log() * 3.0).floor().cast(pl.Int64)).clip(3, 80)
    wd = _where(late, tail, quick).cast(pl.Int8)  # working days to the response
    del quick, tail, late
    noresp = rng.u(n) < 0.003
    kind = rng.choice(n, (40, 15, 8, 20, 5, 12)).cast(pl.Int8)
    # on a holiday the hotline takes most calls
    channel = _where(work, rng.choice(n, (45, 15, 25, 15)), 0).cast(pl.Int8)
    del work
    # outcome: delivered most; a slow unit leaves more undone; no response: open
    u_outcome = rng.u(n)
    outcome = (
        pl.select(
            pl.when(pl.lit(noresp))
            .then(OPEN)
            .when(pl.lit(u_outcome) < pl.when(pl.lit(slow)).then(0.05).otherwise(0.012))
            .then(NOT_DELIVERED)
            .when(pl.lit(u_outcome) > 0.975)
            .then(WITHDRAWN)
            .when(pl.lit(u_outcome) > 0.95)
            .then(OPEN)
            .otherwise(DELIVERED)
        )
        .to_series()
        .cast(pl.Int8)
    )
    del u_outcome, slow
    close_wd = (rng.u(n) * pl.Series(list(COMPLETION)).gather(kind)).floor().cast(pl.Int8)
    quick_close = rng.u(n) < 0.7
    mins = (rng.below(n, 175) + 5).cast(pl.Int16)
    disp = (rng.below(n, 55) + 5).cast(pl.Int16)
    # seconds into the day, below 17.7 hours: 16 bits each
    resp_secs = ((8 * 3600 + 40 * 60) + (rng.u(n) * 9 * 3600).floor().cast(pl.Int64)).cast(
        pl.UInt16
    )
    close_secs = ((9 * 3600) + (rng.u(n) * 8.5 * 3600).floor().cast(pl.Int64)).cast(pl.UInt16)
    handler_ok = rng.u(n) < 0.92
    project_ok = rng.u(n) < 0.08
    handler = _where(handler_ok, member(rng, unit, pranges, n_people), None).cast(pl.Int32)
    project = _where(project_ok, member(rng, unit, jranges, n_projects), None).cast(pl.Int32)
    del handler_ok, project_ok
    cols = {
        "unit": unit,
        "day": day,
        "secs": secs,
        "wd": wd,
        "noresp": noresp,
        "kind": kind,
        "channel": channel,
        "outcome": outcome,
        "close_wd": close_wd,
        "quick_close": quick_close,
        "mins": mins,
        "disp": disp,
        "resp_secs": resp_secs,
        "close_secs": close_secs,
        "handler": handler,
        "project": project,
    }
    del unit, day, secs, wd, noresp, kind, channel, outcome, close_wd, quick_close, mins
    del disp, resp_secs, close_secs, handler, project
    # the order of receipt (ties: by unit, then as drawn), as one integer key: the
    # seconds of the time received and the unit (a stable sort on one key is cheaper)
    seconds = pl.col("day").cast(pl.Int64) * 86400 + pl.col("secs").cast(pl.Int64)
    key = (seconds - seconds.min()) * nu + pl.col("unit").cast(pl.Int64)
    order = (
        pl.DataFrame({"day": cols["day"], "secs": cols["secs"], "unit": cols["unit"]})
        .select(pl.arg_sort_by(key, maintain_order=True))
        .to_series()
    )
    for name in list(cols):
        cols[name] = cols[name].gather(order).alias(name)
    return cols


def ledger_chunks(
    rng: Stream, req: RequestRows, cal: Workdays, unit_ids: pl.Series, project_ids: pl.Series
) -> Iterator[pl.DataFrame]:
    """Ledger entries for about nine in ten delivered requests, most within three working
    days of closing."""
    done = req.delivered.arg_true()
    m = len(done)
    keep = rng.u(m) < 0.9
    delay = (
        pl.select(
            pl.when(pl.lit(rng.u(m)) < 0.93)
            .then(pl.lit(rng.below(m, 4)))
            .otherwise(pl.lit(rng.below(m, 20)) + 4)
        )
        .to_series()
        .cast(pl.Int8)
    )
    total = int(keep.sum())
    written = 0
    for a, b in spans(m):
        f = pl.DataFrame({"row": done.slice(a, b - a), "delay": delay.slice(a, b - a)}).filter(
            keep.slice(a, b - a)
        )
        recorded = cal.add(req.closed_on.gather(f["row"]), f["delay"].cast(pl.Int64))
        h = f.height
        yield pl.DataFrame(
            {
                "entry_id": ids("L", total, written, written + h),
                "unit_id": unit_ids.gather(req.unit.gather(f["row"])),
                "recorded_on": recorded.dt.strftime(DATE),
                "request_id": request_ids(req.n, f["row"]),
                "project_id": project_ids.gather(req.project.gather(f["row"])),
            }
        )
        written += h


def visit_chunks(rng: Stream, req: RequestRows, cal: Workdays) -> Iterator[pl.DataFrame]:
    """Return visits for about six in ten delivered requests; a few did not reach anyone."""
    done = req.delivered.arg_true()
    m = len(done)
    keep = rng.u(m) < 0.6
    delay = (
        pl.select(
            pl.when(pl.lit(rng.u(m)) < 0.9)
            .then(pl.lit(rng.below(m, 4)))
            .otherwise(pl.lit(rng.below(m, 12)) + 4)
        )
        .to_series()
        .cast(pl.Int8)
    )
    reached = rng.u(m) >= 0.04
    total = int(keep.sum())
    written = 0
    for a, b in spans(m):
        f = pl.DataFrame(
            {
                "row": done.slice(a, b - a),
                "delay": delay.slice(a, b - a),
                "reached": reached.slice(a, b - a),
            }
        ).filter(keep.slice(a, b - a))
        visited = cal.add(req.closed_on.gather(f["row"]), f["delay"].cast(pl.Int64))
        h = f.height
        yield pl.DataFrame(
            {
                "visit_id": ids("V", total, written, written + h),
                "visited_on": visited.dt.strftime(DATE),
                "request_id": request_ids(req.n, f["row"]),
                "project_id": pl.Series([None] * h, dtype=pl.String),
                "reached": from_values(("否", "是"), f["reached"].cast(pl.Int64)),
            }
        )
        written += h
