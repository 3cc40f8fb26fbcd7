"""Threshold tables in a ruleset, and the thresholds on the bundled example."""

from __future__ import annotations

import pytest

import dxe_eval
from dxe_eval.model import LEVELS
from dxe_eval.ruleset import build_ruleset
from tests import builders
from tests.unit.thresholds import support as s

EXAMPLE = builders.ROOT / "examples" / "hubei-2022"


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
    assert {
        "late-response",
        "not-delivered",
        "bad-review-rate",
        "unrectified",
        "escalation",
    } <= set(s.registry().thresholds)
    assert (
        s.registry().thresholds["escalation"].stage > s.registry().thresholds["unrectified"].stage
    )


@pytest.fixture(scope="module")
def example():
    return dxe_eval.evaluate()


def test_example_has_every_level(example):
    assert {f.level for f in example.findings} == set(LEVELS)


def test_example_designed_profiles(example):
    # examples/hubei-2022/README.md
    assert s.levels(example, "U03") == {"late-response": "warning"}
    # one unrectified 差评 (its only one): a warning, and no veto; but still open at the
    # period's end, so U09 is not eligible, for that reason alone
    assert s.levels(example, "U09") == {"unrectified": "warning"}
    assert s.assessment(example, "U09", "unrectified").evidence == ("S00281",)
    [u09] = [x for x in example.commendation.excluded if x.candidate_id == "U09"]
    assert u09.reasons == (
        "期末仍有 1 条差评未整改（S00281） (1 bad review(s) still unrectified "
        "at the period's end: S00281)",
    )
    # 2 not delivered, R00089 closed past its limit, 1 open past it: 4 of 45 = 8.9 % → 责令改正
    assert s.levels(example, "U10") == {"not-delivered": "rectify", "escalation": "criticize"}
    assert s.assessment(example, "U10", "not-delivered").reason.endswith(
        "未落实 2 件、超期办结 1 件、超期未办结 1 件 / 45 件"
    )
    # three unrectified 差评: 责令改正; the 2021 order rectified late in 2021 is not counted
    # again: no 通报批评 from unrectified
    assert s.levels(example, "U11") == {
        "late-response": "criticize",
        "bad-review-rate": "rectify",
        "unrectified": "rectify",
        "escalation": "criticize",
    }
    assert s.assessment(example, "U11", "unrectified").count == 3
    for unit in ("U01", "U02", "U04", "U05", "U06", "U07", "U08"):
        assert s.levels(example, unit) == {}, unit


def test_example_records_that_do_not_count(example):
    # README: S00421 replaced by a later rating of R00010; L00554 rejected (dated before
    # R00008's receipt); J06's summary dated before its completion
    assert [(r.record_type, r.ident, r.column) for r in example.dataset.rejected] == [
        ("ledger", "L00554", "recorded_on")
    ]
    notes = [w for w in example.warnings if w.startswith(("满意度测评", "项目小结"))]
    assert notes[0].startswith("满意度测评 1 条被同一服务需求的追评取代") and "S00421" in notes[0]
    assert "J06 2022-11-01（早于项目完成日期 2022-11-18）" in notes[1]


@pytest.fixture(scope="module")
def old_order(tmp_path_factory):
    """A copy of the example whose sanctions are one 责令改正 of U10 rectified late: dated
    2018, or 2021-06. U10 has a 2022 责令改正 (not-delivered 8.9 %)."""
    import shutil

    folder = tmp_path_factory.mktemp("old-order") / "data"
    shutil.copytree(EXAMPLE, folder)

    def run(issued: str, rectified: str):
        (folder / "sanctions.csv").write_text(
            f"candidate_id,level,issued_on,rectified_on\nU10,rectify,{issued},{rectified}\n",
            encoding="utf-8",
        )
        return dxe_eval.evaluate(folder)

    return run


def test_an_old_order_rectified_late_in_its_year_is_not_judged_again(old_order):
    # Its deadline (15 working days after 2018-05-07) is in May 2018 however counted (2018
    # is outside the working-day table, where every day counts: 2018-05-22); rectified
    # 2018-07-20, late, in 2018: judged in 2018, never again, and not open at 2022-12-31.
    # Nor is it within 12 months before 2022-01-01 (from 2021-01-01): no escalation.
    ev = old_order("2018-05-07", "2018-07-20")
    assert s.levels(ev, "U10") == {"not-delivered": "rectify"}
    assert (
        "不在 12 个月回溯期（2021-01-01 至 2021-12-31）内"
        in s.assessment(ev, "U10", "escalation").reason
    )
    # the same order dated 2021-06 (rectified late in 2021): within the look-back →
    # escalation fires, and still no unrectified finding
    ev = old_order("2021-06-01", "2021-07-30")
    assert s.levels(ev, "U10") == {"not-delivered": "rectify", "escalation": "criticize"}


def test_example_small_unit_is_not_judged(example):
    assert example.findings_of("U12") == ()
    for tid in ("late-response", "not-delivered", "bad-review-rate"):
        assert not s.assessment(example, "U12", tid).judged
