"""The HTML report: self-contained, Chinese first, every input text escaped, charts as SVG."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from dxe_eval.report.html import esc, num, rule_bars, strip_chart, to_html
from tests import builders

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def page() -> str:
    units = builders.units(("U1", "处室", 12), ("U2", "处室"), ("U3", f"市州局{SCRIPT}"))
    units[0]["name"] = f"质量发展处{SCRIPT}"
    units[1]["name"] = 'A & B "引号"'
    people = [{"person_id": "P1", "name": "<img src=x onerror=alert(1)>", "unit_id": "U1"}]
    # no declared categories: the script in U3's category reaches the report, to be escaped
    no_categories = {"peer_groups": {"categories": []}}
    return to_html(builders.evaluate({"units": units, "people": people}, no_categories))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def test_chinese_document(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page
    assert '<meta charset="utf-8">' in page
    assert "Noto Sans CJK SC" in page
    assert "@media print" in page and "size: A4" in page
    for heading in ("概要", "表彰建议名单", "预警与通报", "单位得分", "个人得分"):
        assert heading in page


def test_input_text_is_escaped(page: str) -> None:
    assert SCRIPT not in page
    assert "<img" not in page
    assert "质量发展处&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "A &amp; B &quot;引号&quot;" in page
    # the only script is the report's own print helper, and no tag has an event handler
    tags = _tags(page)
    assert [t for t, _ in tags].count("script") == 1
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]


def test_self_contained(page: str) -> None:
    for tag, attrs in _tags(page):
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert "<link" not in page and "@import" not in page
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)


def test_charts_and_collapsible_people(page: str) -> None:
    tags = _tags(page)
    svgs = [a for t, a in tags if t == "svg"]
    # units and people: a distribution and a per-rule chart each
    assert len(svgs) == 4
    assert all(a.get("viewbox") for a in svgs)
    assert any(t == "details" for t, _ in tags)
    assert page.count('class="card"') == 3  # one card per unit


def test_strip_chart_draws_one_dot_per_candidate_and_a_box_for_five_or_more() -> None:
    five = [(f"U{i}", float(v)) for i, v in enumerate((60, 70, 80, 90, 100), start=5)]
    svg = strip_chart(
        [
            ("处室", [("U1 甲", 90.0), ("U2 乙", 95.5), ("U3 丙", 80.0)]),
            ("市州局", [("U4", 70.0)]),
            ("直属单位", five),
        ],
        title="总分",
    )
    assert svg.count("<circle") == 3 + 1 + 5
    # a box only for the group of five: groups of 3 and 1 are dots alone (a dot plot)
    assert svg.count("<rect") == 1
    assert "U2 乙: 95.5" in svg and "n=3" in svg


def test_rule_bars_scale_to_the_rule_maximum() -> None:
    svg = rule_bars(
        [("满意度（满分 30）", 30.0)],
        ["处室", "市州局"],
        {(0, "处室"): 15.0, (0, "市州局"): None},
        title="平均",
        width=960,
    )
    widths = re.findall(
        r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="11.0" fill="#0072B2"', svg
    )
    track = re.findall(r'width="([\d.]+)" height="11.0" fill="#f0f2f4"', svg)
    # half the maximum: the bar is half the track
    assert float(widths[0]) == pytest.approx(float(track[0]) / 2, abs=0.1)
    assert "—" in svg  # no candidate in 市州局


def test_helpers() -> None:
    assert esc('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert esc(None) == ""
    assert num(101.0) == "101" and num(94.41) == "94.41" and num(None) == "—"
