"""重点项目按期完成: the share of a unit's key projects due in the period completed by their
deadline; a key project without a deadline is named in a data warning."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from dxe_eval.errors import RuleError
from tests.unit.rules import support as s

RECORDS = {
    "units": [s.unit("U1"), s.unit("U2")],
    "projects": [
        # due in 2022 and completed on the deadline itself: on time
        s.project("K1", listed_in="key", deadline="2022-06-30", completed_on="2022-06-30"),
        # completed after its deadline: late
        s.project("K2", listed_in="key", deadline="2022-09-30", completed_on="2022-10-15"),
        # due in 2022, not completed: late
        s.project("K3", listed_in="key", deadline="2022-11-30"),
        # due only in 2023: not counted
        s.project("K4", listed_in="key", deadline="2023-03-31"),
        # no deadline: not counted, named in a warning
        s.project("K5", listed_in="key"),
        # due in 2021 (completed in 2022): not this period's
        s.project("K6", listed_in="key", deadline="2021-12-31", completed_on="2022-01-10"),
        # on the capability list, not a key project
        s.project("C1", listed_in="capability", deadline="2022-05-31"),
        s.project("C2", "U2", listed_in="capability", deadline="2022-05-31"),
    ],
}


def test_share_of_key_projects_on_time() -> None:
    ev = s.evaluate(RECORDS)
    r = s.result(ev, "U1", "key-projects")
    # counted K1, K2, K3 (due in 2022); on time K1: 4 × 1/3 = 1.333… → 1.33
    assert (r.points, r.max) == (1.33, 4.0)
    assert r.evidence == ("K2", "K3")
    assert "超期或未完成：K2、K3" in r.reason
    assert "另有 1 个重点项目未填计划完成日期" in r.reason


def test_no_key_project_due_is_not_applicable() -> None:
    ev = s.evaluate(RECORDS)
    r = s.result(ev, "U2", "key-projects")
    assert (r.points, r.applicable) == (0.0, False)
    # a unit's rule only: projects and people are not scored on it
    assert ev.scorecard("K1").get_rule("key-projects") is None


def test_a_key_project_without_a_deadline_is_a_data_warning() -> None:
    ev = s.evaluate(RECORDS)
    said = [w for w in ev.warnings if "未填计划完成日期" in w]
    assert said == [
        "重点项目 K5（U1） 未填计划完成日期（deadline），无法判断是否按期完成，"
        "未计入“重点项目按期完成” / key project(s) K5 have no deadline: not judged by "
        "key-projects"
    ]
    # without the rule, no warning
    rules = {k: v for k, v in s.raw()["rules"].items() if k != "key-projects"}
    rules["supervision"] = {**rules["supervision"], "points": 8}
    raw = {**s.raw(), "rules": rules}
    from dxe_eval.engine import prepare, run
    from dxe_eval.ruleset import build_ruleset

    rs, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert not problems, problems
    data = {"people": [], **RECORDS}
    assert not [
        w
        for w in run(prepare(data, rs, s.registry()), rs, s.registry()).warnings
        if "未填计划完成日期" in w
    ]


@pytest.mark.parametrize(
    ("notes", "says"),
    [
        (lambda ev, p: 1 / 0, "notes raised ZeroDivisionError"),
        (lambda ev, p: "one line", "notes must return a sequence of text"),
        (lambda ev, p: [3], "notes must return a sequence of text"),
    ],
)
def test_notes_run_inside_a_guard_naming_the_rule(notes: Any, says: str) -> None:
    reg = s.registry()
    rule = attrs.evolve(reg.rules["key-projects"], notes=notes, plugin="someone")
    faulty = attrs.evolve(reg, rules={**reg.rules, "key-projects": rule})
    with pytest.raises(RuleError, match=says) as caught:
        s.evaluate(RECORDS, reg=faulty)
    assert "someone" in str(caught.value) and "key-projects" in str(caught.value)
