"""连续两次责令改正 when the earlier order carries the period it judged (``period_end``).

An archived run's findings are issued on the day the run was published, which is on or
after the next period's start (by default the day after its own period ends); their
``period_end`` says which period they belong to, and the look-back (12 months before
2022-01-01) is measured on it too. Each unit below gets a 2022 责令改正 from three
unrectified 差评 (as in ``test_escalation``):

- Q1: rectify issued 2022-01-01 for the period ending 2021-12-31 → earlier → 通报批评,
  the reason naming its ``source``;
- Q2: rectify issued 2022-03-15 (published late) for the period ending 2021-12-31 → 通报批评;
- Q3: rectify issued 2022-01-01 with no ``period_end`` → issued in 2022, not before it → none;
- Q4: rectify issued 2022-06-01 for the period ending 2022-12-31 (this period) → none;
- Q5: rectify issued 2021-01-04 for the period ending 2020-12-31 (the 2020 run, published
  in 2021) → dated 2020-12-31, before 2021-01-01: outside the look-back → none.
"""

from __future__ import annotations

import pytest

from tests.unit.thresholds import support as s


def _order(unit: str, issued: str, period_end: str | None, source: str | None = None) -> dict:
    return {
        "candidate_id": unit,
        "level": "rectify",
        "issued_on": issued,
        "rectified_on": issued,
        "period_end": period_end,
        "source": source,
    }


@pytest.fixture(scope="module")
def ev():
    surveys = [row for u in ("Q1", "Q2", "Q3", "Q4", "Q5") for row in s.unrectified(u)]
    sanctions = [
        _order("Q1", "2022-01-01", "2021-12-31", "run 7 2021 的 not-delivered 责令改正"),
        _order("Q2", "2022-03-15", "2021-12-31"),
        _order("Q3", "2022-01-01", None),
        _order("Q4", "2022-06-01", "2022-12-31"),
        _order("Q5", "2021-01-04", "2020-12-31"),
    ]
    return s.evaluate(
        {"units": s.units("Q1", "Q2", "Q3", "Q4", "Q5"), "surveys": surveys, "sanctions": sanctions}
    )


def test_an_order_of_the_period_before_escalates_whenever_issued(ev):
    for unit in ("Q1", "Q2"):
        assert s.levels(ev, unit)["escalation"] == "criticize", unit
    assert s.assessment(ev, "Q1", "escalation").reason == (
        "本期责令改正（unrectified）且上次处理（2022-01-01，run 7 2021 的 not-delivered 责令改正）"
        "亦为责令改正，在 12 个月回溯期内，连续两次，通报批评"
    )


@pytest.mark.parametrize("unit", ["Q3", "Q4", "Q5"])
def test_an_order_of_this_period_is_not_earlier(ev, unit):
    assert "escalation" not in s.levels(ev, unit)
