"""Two units and a year of requests: enough for one finding, archived and read back.

- A1: 20 requests, 2 of them not delivered: 2 / 20 = 10 % > 5 % and not > 10 % →
  责令改正 (``not-delivered``), and nothing else.
- A2: 20 requests, all delivered the day they came: no finding.

Every request is received on a Monday in March at 09:00 and answered and closed the
same day; no ratings, so satisfaction does not apply.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dxe_eval.ruleset import Ruleset
from tests import builders

#: a Monday in March of each year used (no holiday near)
MONDAY = {2021: "2021-03-08", 2022: "2022-03-07", 2023: "2023-03-06"}


def records(year: int, not_delivered: int = 2) -> dict[str, list[dict[str, Any]]]:
    day = MONDAY[year]
    requests = []
    for unit in ("A1", "A2"):
        for i in range(20):
            requests.append(
                {
                    "request_id": f"{unit}-{year}-{i:02d}",
                    "unit_id": unit,
                    "kind": "咨询",
                    "received_at": f"{day} 09:00:00",
                    "responded_at": f"{day} 10:00:00",
                    "closed_at": f"{day} 11:00:00",
                    "outcome": "not_delivered"
                    if unit == "A1" and i < not_delivered
                    else "delivered",
                }
            )
    units = [{"unit_id": u, "name": f"单位{u}", "category": "市州局"} for u in ("A1", "A2")]
    return {"units": units, "people": [], "projects": [], "requests": requests}


def ruleset(year: int) -> Ruleset:
    """The default ruleset with the period ``year`` and in force from its first day."""
    start = dt.date(year, 1, 1)
    return builders.ruleset(
        {
            "ruleset": {
                "period": {"start": start, "end": dt.date(year, 12, 31)},
                "effective": {"start": start},
            }
        }
    )


def archive_year(target: str, year: int, **kw: Any) -> Any:
    from dxe_eval.archive.evaluation import evaluate_and_archive

    return evaluate_and_archive(
        records(year, **kw), ruleset(year), target, registry=builders.registry()
    )


def levels(ev: Any, candidate_id: str) -> dict[str, str]:
    return {f.threshold: f.level for f in ev.findings_of(candidate_id)}
