from __future__ import annotations

import pytest

from dxe_eval.rules.standard import StandardParams
from tests.unit.rules import support as s


def cap(item_id: str, uid: str, standard: str | None, published_on: str = "2022-03-01"):
    row = {
        "item_id": item_id,
        "unit_id": uid,
        "name": f"事项{item_id}",
        "published_on": published_on,
    }
    if standard is not None:
        row["standard"] = standard
    return row


RECORDS = {
    "units": [s.unit("U1"), s.unit("U2")],
    "capabilities": [
        cap("C1", "U1", "JJF 1069-2012"),
        cap("C2", "U1", "GB/T 19001", published_on="2019-05-01"),  # any date counts
        cap("C3", "U1", None),
    ],
}


def test_share_of_items_with_a_standard():
    ev = s.evaluate(RECORDS)
    r = s.result(ev, "U1", "standard")
    # 2 of 3 items have a standard: 8 × 2/3 = 5.333… → 5.33
    assert r.points == 5.33
    assert r.max == 8
    assert r.evidence == ("C3",)
    assert "2 / 能力清单事项 3" in r.reason


def test_blank_standard_is_no_standard():
    records = {
        "units": [s.unit("U1")],
        "capabilities": [cap("C1", "U1", "GB 1"), cap("C2", "U1", "   ")],
    }
    r = s.result(s.evaluate(records), "U1", "standard")
    # 1 of 2: 8 × 1/2 = 4
    assert r.points == 4.0
    assert r.evidence == ("C2",)


def test_no_items_zero_by_default():
    r = s.result(s.evaluate(RECORDS), "U2", "standard")
    assert r.applicable
    assert r.points == 0.0
    assert "计 0 分" in r.reason


@pytest.mark.parametrize(
    ("mode", "points", "applicable"),
    [("zero", 0.0, True), ("full", 8.0, True), ("not_applicable", 0.0, False)],
)
def test_when_empty(mode, points, applicable):
    ev = s.evaluate(RECORDS, {"rules": {"standard": {"when_empty": mode}}})
    r = s.result(ev, "U2", "standard")
    assert (r.points, r.applicable) == (points, applicable)


def test_params_validation_names_the_field():
    with pytest.raises(ValueError, match="when_empty"):
        StandardParams(when_empty="sometimes")
    with pytest.raises(ValueError, match="points"):
        StandardParams(points=-1)
