"""The index stage's derived columns (evidence.derive): the values looked up by request,
the rows' order, and the columns as read shared with the data set rather than copied."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from dxe_eval.engine import prepare
from dxe_eval.evidence import _beside
from tests import builders

D = dt.date


def _req(rid: str, received: str, closed: str | None = None, **extra: Any) -> dict[str, Any]:
    row = {"request_id": rid, "unit_id": "U1", "received_at": received, "outcome": "delivered"}
    if closed:
        row["closed_at"] = closed
    return {**row, **extra}


def _survey(sid: str, request: str | None = None, **extra: Any) -> dict[str, Any]:
    row = {"response_id": sid, "unit_id": "U1", "answered_on": "2022-03-20", "rating": "满意"}
    if request:
        row["request_id"] = request
    return {**row, **extra}


RECORDS: dict[str, list[dict[str, Any]]] = {
    "units": [{"unit_id": "U1", "name": "单位U1", "category": "处室"}],
    "people": [
        {"person_id": "P1", "name": "人员P1", "unit_id": "U1"},
        {"person_id": "P2", "name": "人员P2", "unit_id": "U1"},
    ],
    "projects": [{"project_id": "J1", "name": "项目J1", "unit_id": "U1"}],
    # not in id order: the derived frame keeps the order as read
    "requests": [
        _req("R2", "2022-03-02 09:00:00", "2022-03-11 16:00:00", handler_id="P1", project_id="J1"),
        _req("R4", "2022-03-04 09:00:00"),
        _req("R1", "2022-03-01 09:00:00", "2022-03-10 16:00:00"),
        _req("R3", "2022-03-03 09:00:00", handler_id="P1", project_id="J1"),
    ],
    "ledger": [
        {"entry_id": "L1", "unit_id": "U1", "recorded_on": "2022-03-12", "request_id": "R1"},
        {"entry_id": "L2", "unit_id": "U1", "recorded_on": "2022-03-11", "request_id": "R1"},
        {"entry_id": "L3", "unit_id": "U1", "recorded_on": "2022-03-01"},  # no request
        {"entry_id": "L4", "unit_id": "U1", "recorded_on": "2022-03-05", "request_id": "R3"},
    ],
    "visits": [
        {"visit_id": "V1", "visited_on": "2022-03-09", "request_id": "R1", "reached": "是"},
        {"visit_id": "V2", "visited_on": "2022-03-15", "request_id": "R1", "reached": "是"},
        {"visit_id": "V3", "visited_on": "2022-03-13", "request_id": "R1", "reached": "否"},
        {"visit_id": "V4", "visited_on": "2022-03-11", "request_id": "R2"},
        {"visit_id": "V5", "visited_on": "2022-03-04", "request_id": "R3", "reached": "是"},
    ],
    "surveys": [
        _survey("S1", "R2"),
        _survey("S2", "R3", handler_id="P2"),
        _survey("S3"),
        _survey("S4", "R1"),
    ],
}


def _prepared() -> Any:
    reg = builders.registry()
    return prepare(RECORDS, builders.ruleset(reg=reg), reg)


def test_first_ledger_entry_and_visit_per_request_in_the_order_read() -> None:
    requests = _prepared().evidence.frame("requests")
    got = requests.select("request_id", "ledger_on", "visit_on", "visit_early").rows()
    assert got == [
        # R2: no ledger entry; V4 on its closing day 03-11 is a follow-up (on or after it)
        ("R2", None, D(2022, 3, 11), False),
        # R4: nothing about it
        ("R4", None, None, False),
        # R1 (closed 03-10): the first of L1 03-12 and L2 03-11; V1 03-09 is before the
        # closing (early), V3 03-13 did not reach the enterprise, so the first is V2 03-15
        ("R1", D(2022, 3, 11), D(2022, 3, 15), True),
        # R3: L4 03-05; not closed, so V5 is neither a follow-up nor early
        ("R3", D(2022, 3, 5), None, False),
    ]


def test_a_survey_takes_its_requests_handler_and_project_when_it_names_none() -> None:
    surveys = _prepared().evidence.frame("surveys")
    got = surveys.select("response_id", "handler_id", "project_id").rows()
    assert got == [
        ("S1", "P1", "J1"),  # R2's handler and project
        ("S2", "P2", "J1"),  # its own handler kept, R2's project
        ("S3", None, None),  # no request
        ("S4", None, None),  # R1 names neither
    ]


def _addresses(s: pl.Series) -> list[int]:
    """Where each chunk of ``s``'s values is held (no nulls: a view, never a copy)."""
    return [int(c.to_numpy(allow_copy=False).ctypes.data) for c in s.get_chunks()]


def test_the_derived_frames_share_the_columns_as_read() -> None:
    reg = builders.registry()
    rs = builders.ruleset(reg=reg)
    dataset = _prepared().dataset
    # given a Dataset, prepare keeps it as it is: what is shared is derive's doing
    evidence = prepare(dataset, rs, reg).evidence
    read, derived = dataset.frames["requests"], evidence.frame("requests")
    assert derived.columns[: read.width] == read.columns  # the new columns come after
    for column in ("received_at", "_row"):
        assert _addresses(derived[column]) == _addresses(read[column]), column


def test_beside_cuts_new_columns_to_the_frames_chunks() -> None:
    frame = pl.concat([pl.DataFrame({"a": [1, 2]}), pl.DataFrame({"a": [3]})], rechunk=False)
    new = pl.DataFrame({"b": [10, 20, 30], "a": [7, 8, 9]})
    out = _beside(frame, new)
    # "a" replaced in place, "b" beside it; both cut as the frame is: chunks of 2 and 1 rows
    assert out.columns == ["a", "b"]
    assert out.rows() == [(7, 10), (8, 20), (9, 30)]
    assert [out[c].chunk_lengths() for c in out.columns] == [[2, 1], [2, 1]]
    # a frame of one chunk: the new column is set as it is (the same buffer)
    whole = pl.DataFrame({"a": [1, 2, 3]})
    assert _addresses(_beside(whole, new.select("b"))["b"]) == _addresses(new["b"])
