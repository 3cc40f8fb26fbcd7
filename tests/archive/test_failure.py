"""A write killed halfway leaves the archive as it was; writers at the same time both land,
or wait in vain and get a clear error.

``DXE_EVAL_ARCHIVE_TEST_PAUSE`` (seconds) makes the command sleep inside the transaction
that stores a run, after every row is written and before the commit, and say so on
stderr: the moment to kill it, or to start a second writer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

import dxe_eval
from dxe_eval.archive import runs, schema
from dxe_eval.archive.store import PAUSE_ENV, ArchiveBusyError, open_archive
from tests.archive import support
from tests.archive.test_cli import EXAMPLE, exe

MARK = f"{PAUSE_ENV}: run"


def _evaluate(target: str, cwd: Path, pause: float | None) -> subprocess.Popen[str]:
    env = dict(os.environ)
    if pause is not None:
        env[PAUSE_ENV] = str(pause)
    return subprocess.Popen(
        [exe(), "evaluate", "--data", str(EXAMPLE), "--archive", target, "--format", "json"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_mark(proc: subprocess.Popen[str], limit: float = 60.0) -> str:
    assert proc.stderr is not None
    deadline = time.monotonic() + limit
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen.append(line)
        if MARK in line:
            return line
    raise AssertionError(f"no {MARK!r} on stderr: {''.join(seen)}")


def _snapshot(target: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: the archive as it is."""
    with open_archive(target) as archive, archive.transaction() as conn:
        return {
            t.name: sorted(tuple(map(repr, r)) for r in conn.execute(sa.select(t)))
            for t in schema.metadata.sorted_tables
        }


def test_killed_mid_write_leaves_the_archive_as_it_was(target: str, tmp_path: Path) -> None:
    before_id = support.archive_year(target, 2021).run_id
    before = _snapshot(target)
    proc = _evaluate(target, tmp_path, pause=60)
    try:
        line = _wait_for_mark(proc)
        assert "written, not committed" in line
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(target) == before
    with open_archive(target) as archive:
        assert [r.id for r in runs.list_runs(archive)] == [before_id]
        runs.load_document(archive, before_id)  # whole, every row checked
    # and the archive takes the next run as usual
    assert support.archive_year(target, 2022).run_id > before_id


def test_two_archivings_at_once_both_land(target: str, tmp_path: Path) -> None:
    open_archive(target).close()  # the schema, so that neither waits on its migration
    first = _evaluate(target, tmp_path, pause=2)
    _wait_for_mark(first)  # the first holds the write lock now, for two seconds
    second = _evaluate(target, tmp_path, pause=0)
    for proc in (first, second):
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with open_archive(target) as archive:
        stored = runs.list_runs(archive)
        assert len(stored) == 2 and len({r.id for r in stored}) == 2
        for r in stored:
            runs.load_document(archive, r.id)


def test_a_writer_that_waits_too_long_gets_a_clear_error(target: str) -> None:
    document = dxe_eval.to_dict(support.archive_year(target, 2021).evaluation)
    with open_archive(target) as holder, holder.transaction(write=True) as conn:
        conn.execute(sa.select(schema.runs.c.id)).all()  # the write lock is held here
        impatient = open_archive(target, timeout=0.5)
        try:
            with pytest.raises(ArchiveBusyError, match="another process") as err:
                runs.save_document(impatient, document)
            assert "正由另一进程写入" in str(err.value)
        finally:
            impatient.close()
    with open_archive(target) as archive:
        assert [r.id for r in runs.list_runs(archive)] == [1]
