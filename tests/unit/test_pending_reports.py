"""A tie at the cut-off under ``tie_at_cutoff = "decide"`` reads the same in every report.

Two 处室 units with the same records (101.5 each, equal on the whole chain) and one place
(15 % of 2 eligible, at least 1): both are in the 先进单位 list as pending, with the note
并列，待定（剩余名额 1，请领导小组决定）, worked out once by the commendation.
"""

from __future__ import annotations

import pytest

import dxe_eval
from dxe_eval.report.explain import explain
from dxe_eval.report.html import to_html
from dxe_eval.report.sheets import commendation_table, summary_table
from dxe_eval.result import Evaluation
from tests import builders

NOTE = "并列，待定（剩余名额 1，请领导小组决定）"


@pytest.fixture(scope="module")
def ev() -> Evaluation:
    ids = ("U1", "U2")
    return builders.evaluate(
        {
            "units": builders.units(("U1", "处室"), ("U2", "处室")),
            "capabilities": [
                {"item_id": f"C{u}", "unit_id": u, "name": "检定", "standard": "JJF"} for u in ids
            ],
            "media": [
                {
                    "item_id": f"M{u}",
                    "unit_id": u,
                    "outlet": "湖北日报",
                    "tier": "provincial",
                    "published_on": "2022-06-01",
                }
                for u in ids
            ],
            "requests": [
                {
                    "request_id": f"R{u}",
                    "unit_id": u,
                    "received_at": "2022-03-01 10:00:00",
                    "responded_at": "2022-03-02 10:00:00",
                    "closed_at": "2022-03-02 10:00:00",
                    "kind": "咨询",
                }
                for u in ids
            ],
            "surveys": [
                {"response_id": f"S{u}{i}", "unit_id": u, "answered_on": "2022-03-01", "rating": 5}
                for u in ids
                for i in range(10)
            ],
        }
    )


def test_json(ev: Evaluation) -> None:
    entries = dxe_eval.to_dict(ev)["commendation"]["unit"]
    assert [(e["candidate_id"], e["rank"], e["status"], e["decided_by"]) for e in entries] == [
        ("U1", 1, "pending", ""),
        ("U2", 1, "pending", "tie"),
    ]
    assert all(e["note"].startswith(NOTE) for e in entries)


def test_terminal_table(ev: Evaluation) -> None:
    table = dxe_eval.to_table(ev)
    assert table.count(NOTE) == 2


def test_csv_and_xlsx_tables(ev: Evaluation) -> None:
    rows = commendation_table(ev).rows
    assert [(r[1], r[5]) for r in rows] == [("并列待定", "U1"), ("并列待定", "U2")]
    assert all(str(r[-1]).startswith(NOTE) for r in rows)
    summary = summary_table(ev)
    assert sum(NOTE in str(cell) for row in summary.rows for cell in row) == 2


def test_html(ev: Evaluation) -> None:
    assert to_html(ev).count(NOTE) >= 2


def test_explain(ev: Evaluation) -> None:
    text = explain(ev, "U2")
    assert f"先进单位建议名单：处室 第 1 名，{NOTE}" in text
    assert NOTE in explain(ev, "U1", lang="en")
