"""Threshold tables in a ruleset, and the thresholds on the bundled example."""

from __future__ import annotations

import pytest

import dxe_eval
from dxe_eval.model import LEVELS
from dxe_eval.ruleset import build_ruleset
from tests.unit.thresholds import support as s


@pytest.mark.parametrize("tid", ["late-response", "not-delivered", "bad-review-rate"])
def test_bands_in_the_wrong_order_name_the_table(tid):
    raw = s.raw_ruleset()
    raw["thresholds"][tid].update(warning=6.0, rectify=5.0)
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert len(problems) == 1
    p = problems[0]
    assert f"thresholds.{tid}" in str(p) and "rectify" in str(p)


def test_equal_bands_are_wrong_too():
    raw = s.raw_ruleset()
    raw["thresholds"]["bad-review-rate"].update(rectify=10.0, criticize=10.0)
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert [p.table for p in problems] == ["thresholds.bad-review-rate"]


def test_every_threshold_is_registered():
    assert {"late-response", "not-delivered", "bad-review-rate", "unrectified",
            "escalation"} <= set(s.registry().thresholds)
    assert s.registry().thresholds["escalation"].stage > s.registry().thresholds[
        "unrectified"].stage


@pytest.fixture(scope="module")
def example():
    return dxe_eval.evaluate()


def test_example_has_every_level(example):
    assert {f.level for f in example.findings} == set(LEVELS)


def test_example_designed_profiles(example):
    # examples/hubei-2022/README.md
    assert s.levels(example, "U03") == {"late-response": "warning"}
    assert s.levels(example, "U09") == {"unrectified": "rectify"}
    assert s.assessment(example, "U09", "unrectified").evidence == ("S00281",)
    assert s.levels(example, "U10") == {"not-delivered": "rectify", "escalation": "criticize"}
    assert s.levels(example, "U11") == {
        "late-response": "criticize", "bad-review-rate": "rectify",
        "unrectified": "criticize", "escalation": "criticize"}
    for unit in ("U01", "U02", "U04", "U05", "U06", "U07", "U08"):
        assert s.levels(example, unit) == {}, unit


def test_example_small_unit_is_not_judged(example):
    assert example.findings_of("U12") == ()
    for tid in ("late-response", "not-delivered", "bad-review-rate"):
        assert not s.assessment(example, "U12", tid).judged
