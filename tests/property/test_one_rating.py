"""One rating per request (issue 18, point 4), as laws over generated ratings.

The rating of a request that counts is the latest by ``answered_on``; among ratings of the
same request and day, the last in row order (file, then row). So:

- **which counts**: of the ratings of each request answered by the period's end, exactly
  the one with the greatest (``answered_on``, row) counts, the others are set aside naming
  it; every rating without a request counts;
- **row order**: reordering the rows changes nothing as long as, for each request, the
  ratings of one day keep their relative order (the tie-break is row order, so a shuffle
  that swaps two same-day ratings of one request may change which counts, by design).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dxe_eval
from dxe_eval.engine import prepare, run
from tests import builders

DAYS = [dt.date(2022, 3, d) for d in (7, 8, 9)] + [dt.date(2023, 1, 3)]  # one after the end
SLOW = settings(
    max_examples=max(5, settings().max_examples // 5), suppress_health_check=[HealthCheck.too_slow]
)


@functools.cache
def _reg() -> Any:
    return builders.registry()


@functools.cache
def _rs() -> Any:
    return builders.ruleset(reg=_reg())


@st.composite
def ratings(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    n_req = draw(st.integers(1, 3))
    requests = [
        {
            "request_id": f"R{i}",
            "unit_id": "U1",
            "received_at": "2022-03-07 09:00:00",
            "responded_at": "2022-03-07 10:00:00",
            "closed_at": "2022-03-07 11:00:00",
            "outcome": "delivered",
            "kind": "咨询",
        }
        for i in range(n_req)
    ]
    surveys = [
        {
            "response_id": f"S{i:02d}",
            "unit_id": "U1",
            "answered_on": draw(st.sampled_from(DAYS)).isoformat(),
            "rating": draw(st.integers(1, 5)),
            "request_id": draw(st.none() | st.sampled_from([r["request_id"] for r in requests])),
        }
        for i in range(draw(st.integers(0, 8)))
    ]
    return {"units": builders.units(("U1", "处室")), "requests": requests, "surveys": surveys}


def _counted(surveys: list[dict[str, Any]]) -> tuple[set[str], dict[str, str]]:
    """By hand: the ids that count, and each set-aside id with the id that replaced it."""
    end = "2022-12-31"
    latest: dict[str, tuple[str, int, str]] = {}
    for row_no, s in enumerate(surveys):
        rid = s["request_id"]
        if rid is None or s["answered_on"] > end:
            continue
        key = (s["answered_on"], row_no, s["response_id"])
        latest[rid] = max(latest.get(rid, key), key)
    counted, replaced = set(), {}
    for s in surveys:
        rid = s["request_id"]
        if rid is None or s["answered_on"] > end or latest[rid][2] == s["response_id"]:
            counted.add(s["response_id"])
        else:
            replaced[s["response_id"]] = latest[rid][2]
    return counted, replaced


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(ratings())
def test_the_latest_rating_of_a_request_counts(data: dict[str, list]) -> None:
    prepared = prepare(data, _rs(), _reg())
    counted, replaced = _counted(data["surveys"])
    assert set(prepared.evidence.frame("surveys")["response_id"]) == counted
    aside = prepared.evidence.set_aside.get("surveys")
    got = {} if aside is None else dict(aside.select("response_id", "superseded_by").iter_rows())
    assert got == replaced
    assert not prepared.dataset.rejected  # every rating is read and accepted


@SLOW
@given(ratings(), st.randoms(use_true_random=False))
def test_reordering_that_keeps_same_day_order_changes_nothing(
    data: dict[str, list], rnd: Any
) -> None:
    rows = data["surveys"]
    shuffled = rnd.sample(rows, len(rows))
    # put the ratings of each (request, day) back in their first order, in the slots the
    # shuffle gave that group
    groups: dict[Any, list[dict[str, Any]]] = {}
    for s in rows:
        groups.setdefault((s["request_id"], s["answered_on"]), []).append(s)
    taken: dict[Any, int] = {}
    kept = []
    for s in shuffled:
        key = (s["request_id"], s["answered_on"])
        i = taken.get(key, 0)
        taken[key] = i + 1
        kept.append(groups[key][i])
    a = dxe_eval.to_dict(run(prepare(data, _rs(), _reg()), _rs(), _reg()))
    b = dxe_eval.to_dict(run(prepare({**data, "surveys": kept}, _rs(), _reg()), _rs(), _reg()))
    for d in (a, b):
        del d["manifest"]
    assert a == b
