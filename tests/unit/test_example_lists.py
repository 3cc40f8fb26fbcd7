"""The bundled example's lists, read as a bureau would read them (issue 17's "Done when").

The designed records are in examples/build_example.py (its README lists them); the
values here follow from those designs and the default ruleset, worked out in the
comments.
"""

from __future__ import annotations

from collections import Counter

import pytest

import dxe_eval
from dxe_eval.result import Evaluation


@pytest.fixture(scope="module")
def ev() -> Evaluation:
    return dxe_eval.evaluate()


def test_few_people_share_the_top_total(ev: Evaluation) -> None:
    # a person scores 100 only with every applicable rule full on at least 10 cases of
    # their own (fewer are completed at the peers' imperfect rates): under 10 % of them
    people = [c.total for c in ev.scorecards if c.candidate.kind == "person"]
    top = max(people)
    assert Counter(people)[top] < 0.1 * len(people)


def test_no_place_is_decided_by_id(ev: Evaluation) -> None:
    com = ev.commendation
    for lists in (com.lists, com.near_misses):
        for entries in lists.values():
            assert all(e.decided_by != "id" for e in entries)


def test_only_completed_projects_are_listed(ev: Evaluation) -> None:
    # J02, J07 and J11 are not completed: not yet judged on 项目有小结 / 绩效有评价, and not
    # eligible (项目未完成), whatever their totals (J07 scores 100 on what was judged)
    listed = {e.candidate_id for e in ev.commendation.lists["project"]}
    for cid in ("J02", "J07", "J11"):
        card = ev.scorecard(cid)
        assert card is not None and card.candidate.completed_on is None
        assert cid not in listed
        summary = card.rule("summary")
        assert summary is not None and not summary.result.applicable
        assert "项目尚未完成，暂不评价" in summary.result.reason
        (x,) = [x for x in ev.commendation.excluded if x.candidate_id == cid]
        assert any(r.startswith("项目未完成") for r in x.reasons)
    assert all(ev.scorecard(cid).candidate.completed_on is not None for cid in listed)


def test_three_perfect_cases_score_below_forty(ev: Evaluation) -> None:
    # P039 and P040 (U08, 市州局): 40 and 3 requests, all on time and closed in time, all
    # 非常满意. P039 is judged on its own rates (40 ≥ 10): 满意度 30, 时效 20. P040's 3 are
    # completed to 10 at the 市州局 people's pooled rates, which are not perfect.
    many, few = ev.scorecard("P039"), ev.scorecard("P040")
    assert many is not None and few is not None
    assert many.candidate.category == few.candidate.category == "市州局"
    assert many.points("satisfaction") == 30 and many.points("timeliness") == 20
    assert few.points("satisfaction") < 30 and few.points("timeliness") < 20
    assert few.total < many.total
    satisfaction = few.rule("satisfaction")
    assert satisfaction is not None
    assert "满意 3/3，不足 10 条，按同类平均" in satisfaction.result.reason
    timeliness = few.rule("timeliness")
    assert timeliness is not None and "超时 0/3，不足 10 件，按同类平均" in timeliness.result.reason


def test_a_key_project_finished_late(ev: Evaluation) -> None:
    # J12 (U11's only key project due in 2022): deadline 10-31, completed 11-15 → 0 of 4
    card = ev.scorecard("U11")
    assert card is not None
    result = card.rule("key-projects")
    assert result is not None
    assert (result.result.points, result.result.evidence) == (0.0, ("J12",))


def test_a_tie_at_the_cut_off_is_left_to_the_leading_group(ev: Evaluation) -> None:
    # P048, P049 (宜昌) and P056 (襄阳): 8 requests each, all in time, 8 satisfied ratings
    # each — equal on the total and the whole chain, with one place of the 市州局 people
    # left after P039
    entries = {e.candidate_id: e for e in ev.commendation.lists["person"]}
    for cid in ("P048", "P049", "P056"):
        assert entries[cid].status == "pending"
        assert entries[cid].note.startswith("并列，待定（剩余名额 1，请领导小组决定）")
    assert len({ev.scorecard(c).total for c in ("P048", "P049", "P056")}) == 1
    assert entries["P039"].status == "listed"


def test_industry_media_earn_no_bonus(ev: Evaluation) -> None:
    # U04's only media item is M007 in 中国质量报 (industry): it publicises (5 of 5) but
    # earns no bonus
    card = ev.scorecard("U04")
    assert card is not None
    assert card.points("publicity") == 5 and card.points("media-bonus") == 0
