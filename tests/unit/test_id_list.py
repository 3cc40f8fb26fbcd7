"""Evidence ids left in polars (:class:`dxe_eval.model.IdList`) behave as the tuple of them."""

from __future__ import annotations

import pickle

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from dxe_eval.engine import _id_lists, evaluate
from dxe_eval.model import IdList, RuleResult

VALUES = pl.Series(["R1", "R2", "R3", "R4", "R5"])


def test_a_range_of_a_column_is_the_tuple_of_its_ids() -> None:
    ids = IdList(VALUES, 1, 4)  # R2, R3, R4
    assert len(ids) == 3 and list(ids) == ["R2", "R3", "R4"]
    assert ids[0] == "R2" and ids[-1] == "R4" and ids[2] == "R4"
    assert ids == ("R2", "R3", "R4") and ids == ["R2", "R3", "R4"]
    assert ids != ("R2", "R3") and ids != ("R2", "R3", "R5")
    assert hash(ids) == hash(("R2", "R3", "R4"))
    assert repr(ids) == "('R2', 'R3', 'R4')"
    assert ids[:2] == ("R2", "R3") and isinstance(ids[:2], IdList)
    assert ids[1:] == ("R3", "R4") and ids[5:] == () and ids[::2] == ("R2", "R4")
    assert "R3" in ids and "R1" not in ids
    assert pickle.loads(pickle.dumps(ids)) == ("R2", "R3", "R4")
    assert not IdList(VALUES, 2, 2)  # an empty range is false, as ()
    for bad in (3, -4):
        try:
            ids[bad]
        except IndexError:
            pass
        else:
            raise AssertionError(f"ids[{bad}] should be out of range")


def test_a_result_keeps_an_id_list_and_makes_a_tuple_of_anything_else() -> None:
    ids = IdList(VALUES, 0, 2)
    assert RuleResult(points=1.0, max=1.0, reason="", evidence=ids).evidence is ids
    assert RuleResult(points=1.0, max=1.0, reason="", evidence=["a", "b"]).evidence == ("a", "b")
    same = RuleResult(points=1.0, max=1.0, reason="", evidence=("R1", "R2"))
    assert RuleResult(points=1.0, max=1.0, reason="", evidence=ids) == same


@given(st.lists(st.none() | st.lists(st.text(max_size=3) | st.none(), max_size=4), max_size=8))
def test_each_rows_ids_are_the_rows_list(rows: list[list[str | None] | None]) -> None:
    # empty and null lists give no value to the flat column: every range still starts where
    # the row before it ended
    column = pl.Series("ids", rows, dtype=pl.List(pl.String))
    got = [None if x is None else list(x) for x in _id_lists(column)]
    assert got == rows


def test_the_evidence_of_a_run_stays_in_polars_and_reads_as_ids() -> None:
    # follow-up's evidence in the example: the delivered requests not followed up in time,
    # an IdList read as the same ids the JSON lists
    ev = evaluate()
    lists = [
        r.result.evidence
        for c in ev.scorecards
        for r in c.rules
        if r.rule == "follow-up" and r.result.evidence
    ]
    assert lists and all(isinstance(e, IdList) for e in lists)
    assert all(all(i.startswith("R") for i in e) for e in lists)
