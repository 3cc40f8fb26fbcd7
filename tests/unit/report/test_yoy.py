"""同比: the previous period's totals beside this period's, in the xlsx 总分 sheet and the HTML.

Worked by hand: A1 had 93.83 last period and 95.52 now: 95.52 − 93.83 = +1.69; A2 had 80
and 79.5 now: −0.50; A3 was not scored last period: no 上期总分, no 同比.
"""

from __future__ import annotations

from types import SimpleNamespace

from dxe_eval.report.html import change_chart, html_section
from dxe_eval.report.present import Table
from dxe_eval.report.yoy import Previous, with_previous

PREVIOUS = Previous(label="run 1（2021）", totals={("unit", "A1"): 93.83, ("unit", "A2"): 80.0})


def test_the_summary_sheet_gains_previous_total_and_change() -> None:
    table = Table(
        "总分",
        ("类型", "编号", "名称", "总分", "表彰"),
        (
            ("单位", "A1", "甲", 95.52, ""),
            ("单位", "A2", "乙", 79.5, ""),
            ("单位", "A3", "丙", 70.0, ""),
        ),
    )
    out = with_previous(table, PREVIOUS)
    assert out.headers == ("类型", "编号", "名称", "总分", "上期总分", "同比", "表彰")
    assert [r[3:6] for r in out.rows] == [
        (95.52, 93.83, 1.69),
        (79.5, 80.0, -0.5),
        (70.0, None, None),
    ]


def _card(cid: str, total: float) -> SimpleNamespace:
    return SimpleNamespace(
        total=total, candidate=SimpleNamespace(kind="unit", candidate_id=cid, name=f"单位{cid}")
    )


def test_the_html_section_lists_and_draws_the_changes() -> None:
    ev = SimpleNamespace(scorecards=[_card("A1", 95.52), _card("A2", 79.5), _card("A3", 70.0)])
    html = html_section(ev, PREVIOUS)
    assert "run 1（2021）" in html
    assert "+1.69" in html and "-0.50" in html
    assert html.count("<rect") == 2  # A3 has no change to draw
    assert change_chart([]) == ""
