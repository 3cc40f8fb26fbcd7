"""响应不及时 (late-response): bands 5 / 10 / 20 %, strict ">", min_cases 10.

Every request is received Mon 2022-03-07; an on-time one is answered the same
day (0 working days), a late one never (no response = late). So the rate is
exactly late / cases:

    1/21 = 4.76 %  < 5   → none        1/20 = 5 % (at) → none    1/19 = 5.26 % → 警示
    2/21 = 9.52 %  ≤ 10  → 警示         2/20 = 10 %     → 警示    2/19 = 10.53 % → 责令改正
    4/21 = 19.05 % ≤ 20  → 责令改正     4/20 = 20 %     → 责令改正 4/19 = 21.05 % → 通报批评
    9/9  = 100 % but 9 < min_cases 10 → not judged;  10/10 = 100 % → 通报批评 only
"""

from __future__ import annotations

import pytest

from tests.unit.thresholds import support as s

TID = "late-response"

PROFILES = {
    # unit: (late, cases, expected level)
    "W-": (1, 21, None),
    "W=": (1, 20, None),
    "W+": (1, 19, "warning"),
    "R-": (2, 21, "warning"),
    "R=": (2, 20, "warning"),
    "R+": (2, 19, "rectify"),
    "C-": (4, 21, "rectify"),
    "C=": (4, 20, "rectify"),
    "C+": (4, 19, "criticize"),
    "MIN9": (9, 9, None),
    "ALL10": (10, 10, "criticize"),
}


@pytest.fixture(scope="module")
def ev():
    reqs = [
        r for u, (bad, n, _) in PROFILES.items() for r in s.requests(u, n, bad, responded_at=None)
    ]
    return s.evaluate({"units": s.units(*PROFILES), "requests": reqs})


@pytest.mark.parametrize("unit", list(PROFILES))
def test_band_edges(ev, unit):
    bad, n, level = PROFILES[unit]
    a = s.assessment(ev, unit, TID)
    assert a.level == level
    assert s.levels(ev, unit).get(TID) == level
    if unit != "MIN9":
        assert a.count == bad
        assert a.value == pytest.approx(100 * bad / n)


def test_exactly_at_limit_is_not_exceeded(ev):
    a = s.assessment(ev, "W=", TID)
    assert a.value == 5.0 and a.judged
    assert "未超过 5%" in a.reason


def test_under_min_cases_not_judged(ev):
    a = s.assessment(ev, "MIN9", TID)
    assert a.level is None and not a.judged
    assert "少于 10 件" in a.reason
    assert s.levels(ev, "MIN9") == {}


def test_highest_band_only(ev):
    a = s.assessment(ev, "ALL10", TID)
    assert (a.level, a.limit) == ("criticize", 20.0)
    assert [f.level for f in ev.findings_of("ALL10") if f.threshold == TID] == ["criticize"]


def test_late_means_more_than_two_working_days():
    # Received Mon 03-07. Answered Wed 03-09 = 2 working days (03-08, 03-09): on time.
    # Answered Thu 03-10 = 3 working days: late. 1 late of 10 = 10 % → 警示 (not > 10).
    reqs = s.requests("A", 10, 1, responded_at="2022-03-10 09:00:00")
    reqs[1]["responded_at"] = "2022-03-09 17:00:00"
    ev = s.evaluate({"units": s.units("A"), "requests": reqs})
    a = s.assessment(ev, "A", TID)
    assert (a.level, a.count, a.evidence) == ("warning", 1, ("A-R000",))


def test_days_is_the_timeliness_rules_unless_set():
    # [rules.timeliness] days = 3 and no days here: the 03-10 answer (3 working days) is on
    # time for both; the threshold's own days = 2 makes it late again (1 of 10 = 10 % → 警示).
    reqs = s.requests("A", 10, 1, responded_at="2022-03-10 09:00:00")
    data = {"units": s.units("A"), "requests": reqs}
    rs = s.builders.ruleset({"rules": {"timeliness": {"days": 3}}})
    assert rs.thresholds[TID].days == 3
    ev = s.evaluate(data, {"rules": {"timeliness": {"days": 3}}})
    assert s.assessment(ev, "A", TID).count == 0
    ev = s.evaluate(data, {"rules": {"timeliness": {"days": 3}}, "thresholds": {TID: {"days": 2}}})
    assert s.assessment(ev, "A", TID).count == 1
    # the timeliness rule not enabled: its default (2)
    raw = s.raw_ruleset()
    del raw["rules"]["timeliness"]
    raw["rules"]["satisfaction"]["points"] = 50.0  # the weights still add up to 100
    raw["commendation"]["tie_break"] = ["satisfaction"]
    rs = s.builders.ruleset(raw=raw)
    assert rs.thresholds[TID].days == 2


def test_check_warns_when_the_two_days_differ(tmp_path, capsys):
    from dxe_eval.cli import main

    f = tmp_path / "r.toml"
    f.write_text(
        '[ruleset]\nid = "r"\nextends = "hubei-2022"\n'
        "[rules.timeliness]\ndays = 3\n[thresholds.late-response]\ndays = 2\n",
        "utf-8",
    )
    assert main(["check", str(f)]) == 0
    out = capsys.readouterr().out
    assert "[thresholds.late-response] days = 2 与 [rules.timeliness] days = 3 不同" in out
    f.write_text(
        '[ruleset]\nid = "r"\nextends = "hubei-2022"\n[rules.timeliness]\ndays = 3\n', "utf-8"
    )
    assert main(["check", str(f)]) == 0
    assert "不同" not in capsys.readouterr().out
