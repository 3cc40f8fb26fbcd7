"""Storing, reading, publishing and superseding runs; every read checked against its hashes."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

import dxe_eval
from dxe_eval.archive import runs
from dxe_eval.archive.store import ArchiveError, ArchiveIntegrityError, open_archive
from tests.archive import support


@pytest.fixture
def stored(target: str) -> tuple[str, int, dict]:
    archived = support.archive_year(target, 2022)
    return target, archived.run_id, dxe_eval.to_dict(archived.evaluation)


def test_a_run_reads_back_as_stored(stored) -> None:
    target, run_id, document = stored
    with open_archive(target) as archive:
        run, back = runs.load_document(archive, run_id)
        assert back == document
        assert (run.id, run.status, run.ruleset_id) == (1, "draft", "hubei-2022")
        assert (run.period_start, run.period_end) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
        # rows by hand: 2 units (no people, no projects) = 2 scorecards; 1 finding (A1's
        # not-delivered); no rejection
        assert run.digests["scorecards"]["rows"] == 2
        assert run.digests["findings"]["rows"] == 1
        assert run.digests["rejections"]["rows"] == 0
        with archive.transaction() as conn:
            (finding,) = runs.read_rows(conn, run, runs.s.findings)
        assert (finding["candidate_id"], finding["threshold"], finding["level"]) == (
            "A1",
            "not-delivered",
            "rectify",
        )
        assert finding["value"] == pytest.approx(10.0)  # 2 / 20 = 10 %


@pytest.mark.parametrize(
    "statement,table,where",
    [
        ("UPDATE findings SET level = 'warning'", "findings", "position 0"),
        (
            "UPDATE scorecards SET total = total + 1 WHERE candidate_id = 'A2'",
            "scorecards",
            "kind unit, candidate_id A2",
        ),
        (
            "DELETE FROM rule_results WHERE candidate_id = 'A2' AND rule = 'timeliness'",
            "rule_results",
            "rows",
        ),
        ("UPDATE run_documents SET document = document || ' '", "run_documents", "run_id 1"),
        ("UPDATE runs SET data_origin = 'elsewhere'", "runs", "id 1"),
    ],
)
def test_a_changed_row_is_reported_never_served(stored, statement, table, where) -> None:
    target, run_id, _ = stored
    with open_archive(target) as archive:
        with archive.transaction(write=True) as conn:
            conn.execute(sa.text(statement))
        with pytest.raises(ArchiveIntegrityError) as err:
            runs.load_document(archive, run_id)
        assert (err.value.run_id, err.value.table) == (run_id, table)
        assert where in err.value.where
        assert "run 1" in str(err.value) and table in str(err.value)


def test_a_row_rewritten_with_a_fresh_hash_is_still_found(stored) -> None:
    """The table's digest in runs holds the rows' hashes as archived."""
    from dxe_eval.archive.integrity import row_hash

    target, run_id, _ = stored
    with open_archive(target) as archive:
        with archive.transaction(write=True) as conn:
            row = dict(conn.execute(sa.select(runs.s.findings)).mappings().one())
            row["level"] = "warning"
            conn.execute(
                runs.s.findings.update().values(
                    level="warning", row_hash=row_hash(runs.s.findings, row)
                )
            )
        with pytest.raises(ArchiveIntegrityError, match="findings"):
            runs.load_document(archive, run_id)


def test_publish_defaults_to_the_day_after_the_period(stored) -> None:
    target, run_id, _ = stored
    with open_archive(target) as archive:
        run = runs.publish(archive, run_id, by="督审处")
        assert (run.status, run.published_by) == ("published", "督审处")
        assert run.published_on == dt.date(2023, 1, 1)  # 2022-12-31 + 1 day
        with pytest.raises(ArchiveError, match="not a draft"):
            runs.publish(archive, run_id, by="督审处")


def test_a_second_run_of_the_period_needs_supersede_and_reason(target: str) -> None:
    first = support.archive_year(target, 2022).run_id
    second = support.archive_year(target, 2022, not_delivered=0).run_id
    with open_archive(target) as archive:
        runs.publish(archive, first, by="甲", on=dt.date(2023, 1, 15))
        with pytest.raises(ArchiveError, match=r"already published.*--supersede"):
            runs.publish(archive, second, by="乙")
        with pytest.raises(ArchiveError, match="--reason"):
            runs.publish(archive, second, by="乙", supersede=True)
        new = runs.publish(archive, second, by="乙", supersede=True, reason="数据更正")
        assert (new.status, new.supersedes, new.reason) == ("published", first, "数据更正")
        old = {r.id: r for r in runs.list_runs(archive)}[first]
        # kept, not changed but for its status
        assert (old.status, old.superseded_by, old.published_by) == ("superseded", second, "甲")
        runs.load_document(archive, first)  # still whole


def test_supersede_without_a_published_run_is_refused(stored) -> None:
    target, run_id, _ = stored
    with open_archive(target) as archive, pytest.raises(ArchiveError, match="no published run"):
        runs.publish(archive, run_id, by="甲", supersede=True, reason="x")


def test_rectify_checks_run_candidate_and_date(stored) -> None:
    target, run_id, _ = stored
    with open_archive(target) as archive:
        with pytest.raises(ArchiveError, match="only a published run"):
            runs.rectify(archive, run_id, "A1", on=dt.date(2023, 1, 5), note="")
        runs.publish(archive, run_id, by="甲")  # issued 2023-01-01
        with pytest.raises(ArchiveError, match="no finding of A2"):
            runs.rectify(archive, run_id, "A2", on=dt.date(2023, 1, 5), note="")
        with pytest.raises(ArchiveError, match="before run 1 was issued"):
            runs.rectify(archive, run_id, "A1", on=dt.date(2022, 12, 30), note="")
        r = runs.rectify(archive, run_id, "A1", on=dt.date(2023, 1, 5), note="已整改", by="乙")
        assert (r.candidate_id, r.rectified_on, r.note) == ("A1", dt.date(2023, 1, 5), "已整改")
        runs.load_document(archive, run_id)  # the new row is counted in the run's digests
        with archive.transaction(write=True) as conn:
            conn.execute(sa.text("DELETE FROM rectifications"))
        with pytest.raises(ArchiveIntegrityError, match="rectifications"):
            runs.load_document(archive, run_id)
