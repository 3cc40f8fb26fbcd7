"""The example's 2021 records: a year before 2022, for the archive and year over year.

``examples/build_example.py`` calls :func:`extend` once every 2022 record is made and
numbered: the 2021 records are appended after them, so no 2022 id changes, and they
come from their own ``random.Random(2021)``, so no 2022 value changes either. The
2022 evaluation reads only its own period; evaluated under ``rulesets/hubei-2021.toml``
(the 2022 ruleset with the 2021 period) these records give:

- U10 襄阳市局: 25 requests, 2 of them not delivered: 2 / 25 = 8 % (> 5 %, not > 10 %)
  → 责令改正 (``not-delivered``). Archived, published on 2022-01-01 and then read by
  the 2022 evaluation, that order makes U10's 2022 责令改正 a second one in a row:
  通报批评 (``escalation``), with no ``sanctions`` file.
- U03 认证监督管理处: 12 requests, 1 answered after 4 working days: 1 / 12 = 8.3 %
  (> 5 %, not > 10 %) → 警示 (``late-response``).
- U01, U08: 12 and 15 requests, all answered within a working day and delivered.

Every request is received on a working day between March and November 2021, answered
the same or the next working day (U03's late one after 4), closed within its kind's
limit, entered in the ledger the next working day and visited the one after; U10 and
U01 have 12 and 10 satisfied ratings.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any

from chinese_calendar import is_workday

#: unit: (requests, not delivered, late, ratings)
DESIGN = {"U01": (12, 0, 0, 10), "U03": (12, 0, 1, 0), "U08": (15, 0, 0, 0), "U10": (25, 2, 0, 12)}
KINDS = ("咨询", "求助", "服务", "建议")
RATINGS = ("非常满意", "非常满意", "满意", "基本满意")


def _add_wd(day: dt.date, n: int) -> dt.date:
    """The n-th working day after ``day`` (``n = 0``: the day itself)."""
    while n > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def _workday(rng: random.Random) -> dt.date:
    while True:
        day = dt.date(2021, 3, 1) + dt.timedelta(days=rng.randrange(270))  # March–November
        if is_workday(day):
            return day


def _at(day: dt.date, rng: random.Random, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 5 * rng.randrange(12))


def extend(
    requests: list[dict[str, Any]],
    ledger: list[dict[str, Any]],
    visits: list[dict[str, Any]],
    surveys: list[dict[str, Any]],
    people_of: Mapping[str, Sequence[str]],
) -> None:
    """Append the 2021 records to the builder's lists (in its record shapes)."""
    rng = random.Random(2021)
    first = len(requests)
    new: list[dict[str, Any]] = []
    for unit, (n, not_delivered, late, _) in DESIGN.items():
        days = sorted(_workday(rng) for _ in range(n))
        for i, day in enumerate(days):
            recv = _at(day, rng)
            resp_day = _add_wd(day, 4 if i < late else rng.choice((0, 1)))
            resp = _at(resp_day, rng, hour=14)
            outcome = "not_delivered" if n - i <= not_delivered else "delivered"
            closed = _at(_add_wd(resp_day, 1), rng, hour=16)
            new.append(
                dict(
                    unit=unit,
                    recv=recv,
                    resp=resp,
                    channel="12345",
                    kind="服务" if i < late else rng.choice(KINDS),  # the late one within its limit
                    disp=recv + dt.timedelta(minutes=10),
                    outcome=outcome,
                    closed=closed,
                    handler=rng.choice(list(people_of[unit])),
                    project=None,
                    tag="Y2021",
                )
            )
    new.sort(key=lambda q: (q["recv"], q["unit"]))
    for i, q in enumerate(new):
        q["id"] = f"R{first + i + 1:05d}"
    requests.extend(new)
    for q in new:
        if q["outcome"] != "delivered":
            continue
        closed = q["closed"].date()
        ledger.append(dict(unit=q["unit"], day=_add_wd(closed, 1), req=q["id"], proj=None))
        visits.append(dict(day=_add_wd(closed, 2), req=q["id"], proj=None, reached=True))
    for unit, (*_, ratings) in DESIGN.items():
        rated = [q for q in new if q["unit"] == unit and q["outcome"] == "delivered"][:ratings]
        for q in rated:
            surveys.append(
                dict(
                    unit=unit,
                    day=_add_wd(q["closed"].date(), 2),
                    rating=rng.choice(RATINGS),
                    handler=q["handler"],
                    proj=None,
                    req=q["id"],
                    appeal=None,
                    rect=None,
                )
            )
