"""What the two baseline scripts share: the period, the limits, and the output columns.

The baselines compute, per candidate, the facts that dxe_eval's rules score. A
request or a survey response counts for its unit (``unit_id``), its handler
(``handler_id``: a person) and its project (``project_id``), and for the
project's unit when that is another unit, once; a response without a handler
or a project takes its request's. The facts: requests received in the period and how many were
answered late (more than ``LATE_DAYS`` working days after receipt, or never);
valid ratings by level (a 差评 overturned on appeal is not counted); delivered
requests and how many were ledgered within ``LEDGER_DAYS`` and followed up by a
reached visit within ``VISIT_DAYS`` working days of closing. Working days come
from ``chinese_calendar``, asked once per date of the range the data span.
"""

from __future__ import annotations

import datetime as dt

PERIOD = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
LATE_DAYS = 2
LEDGER_DAYS = 5
VISIT_DAYS = 3
RATINGS = {"非常满意": 5, "满意": 4, "基本满意": 3, "不满意": 2, "非常不满意": 1}
RATINGS.update({str(i): i for i in range(1, 6)})
TRUE_WORDS = ("true", "1", "是", "yes", "y", "t", "对", "√")
FALSE_WORDS = ("false", "0", "否", "no", "n", "f", "×")
FACTS = (
    "kind",
    "id",
    "requests",
    "late",
    "r1",
    "r2",
    "r3",
    "r4",
    "r5",
    "delivered",
    "ledgered",
    "visited",
)


def workday_flags(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    """Is each date from ``first`` to ``last`` a working day (one calendar call per date)."""
    import chinese_calendar

    out = {}
    day = first
    while day <= last:
        out[day] = bool(chinese_calendar.is_workday(day))
        day += dt.timedelta(days=1)
    return out
