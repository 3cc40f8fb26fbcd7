"""Published runs feed the next period's findings as sanctions; history across runs.

The 2021 run gives A1 a 责令改正 (``not-delivered``, 2 / 20 = 10 %, see ``support``);
published with the default date it is issued on 2022-01-01. The 2022 run gives A1
another 责令改正 for the same reason, so:

- ``escalation``: the last sanction before 2022 is that 责令改正 (its period ended
  2021-12-31, before 2022-01-01) → 通报批评, the reason naming run 1;
- ``unrectified``: the order issued 2022-01-01 was not rectified; by the period's end far
  more than 15 working days passed → 通报批评. Rectified on 2022-01-10 (working days
  in (01-01, 01-10]: 01-04, 05, 06, 07, 10 = 5 ≤ 15; 01-03 was the New Year holiday) it
  is no finding.
"""

from __future__ import annotations

import datetime as dt

from dxe_eval.archive import runs
from dxe_eval.archive.history import candidate_history, earlier_sanctions
from dxe_eval.archive.store import open_archive
from dxe_eval.read.raw import Counts
from tests.archive import support

SOURCE = "run 1 2021-01-01–2021-12-31 的 not-delivered 责令改正"


def _publish(target: str, run_id: int, **kw) -> None:
    with open_archive(target) as archive:
        runs.publish(archive, run_id, by="督审处", **kw)


def test_the_archived_order_escalates_the_next_one(target: str) -> None:
    _publish(target, support.archive_year(target, 2021).run_id)
    ev = support.archive_year(target, 2022).evaluation
    assert support.levels(ev, "A1") == {
        "not-delivered": "rectify",
        "escalation": "criticize",
        "unrectified": "criticize",
    }
    (esc,) = [f for f in ev.findings_of("A1") if f.threshold == "escalation"]
    assert esc.reason == (
        "本期责令改正（not-delivered）且上次处理（2022-01-01，"
        + SOURCE
        + "）亦为责令改正，在 12 个月回溯期内，连续两次，通报批评"
    )
    (unr,) = [f for f in ev.findings_of("A1") if f.threshold == "unrectified"]
    assert f"（{SOURCE}）" in unr.reason
    assert support.levels(ev, "A2") == {}


def test_a_recorded_rectification_closes_the_order(target: str) -> None:
    first = support.archive_year(target, 2021).run_id
    _publish(target, first)
    with open_archive(target) as archive:
        runs.rectify(archive, first, "A1", on=dt.date(2022, 1, 10), note="已整改")
    ev = support.archive_year(target, 2022).evaluation
    assert support.levels(ev, "A1") == {"not-delivered": "rectify", "escalation": "criticize"}


def test_archived_rows_are_not_rows_read(target: str) -> None:
    _publish(target, support.archive_year(target, 2021).run_id)
    ev = support.archive_year(target, 2022).evaluation
    # no sanctions file: nothing read, accepted or rejected, one row from the archive
    assert ev.dataset.counts["sanctions"] == Counts(read=0, accepted=0, rejected=0)
    assert ev.dataset.frames["sanctions"].height == 1
    assert any("既往处理（来自评价档案" in w and "1 条" in w for w in ev.warnings)
    (source,) = [s for s in ev.dataset.sources if s.record_type == "sanctions"]
    assert source.rows == 1 and source.path.startswith("评价档案")


def test_drafts_and_superseded_runs_are_no_history(target: str) -> None:
    first = support.archive_year(target, 2021).run_id
    ev = support.archive_year(target, 2022).evaluation  # run 1 is a draft: nothing read
    assert "escalation" not in support.levels(ev, "A1")
    _publish(target, first)
    fixed = support.archive_year(target, 2021, not_delivered=0).run_id  # 0 of 20: no finding
    _publish(target, fixed, supersede=True, reason="两件实为已办结")
    with open_archive(target) as archive:
        assert earlier_sanctions(archive, dt.date(2022, 1, 1)) == []
    ev = support.archive_year(target, 2022).evaluation
    assert support.levels(ev, "A1") == {"not-delivered": "rectify"}


def test_history_shows_every_published_year(target: str) -> None:
    first = support.archive_year(target, 2021).run_id
    _publish(target, first)
    second = support.archive_year(target, 2022).run_id
    _publish(target, second)
    support.archive_year(target, 2023)  # a draft: not shown
    with open_archive(target) as archive:
        years = candidate_history(archive, "A1")
        assert [y.run.id for y in years] == [first, second]
        assert [sorted(f["threshold"] for f in y.findings) for y in years] == [
            ["not-delivered"],
            ["escalation", "not-delivered", "unrectified"],
        ]
        assert [y.run.id for y in candidate_history(archive, "A1", include_drafts=True)] == [
            1,
            2,
            3,
        ]
        assert candidate_history(archive, "nobody") == []
