"""The HTML report: self-contained, Chinese first, every input text escaped, charts as SVG."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import pytest

import dxe_eval
from dxe_eval.report.html import esc, num, reason_group, rule_bars, strip_chart, to_html
from dxe_eval.report.json import to_dict
from dxe_eval.report.present import decided_link as decided
from dxe_eval.report.yoy import Signature, previous_from_dict
from dxe_eval.result import Evaluation
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


# --- the example's report for leaders: titles not ids, the 概要, the signature, --summary ---

_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)")


@pytest.fixture(scope="module")
def example() -> Evaluation:
    return dxe_eval.evaluate()


def _visible_chinese(page: str) -> str:
    """The page's text without styles, scripts, SVG charts and the English beside headings."""
    body = re.sub(r"<(style|script|svg)\b.*?</\1>", "", page, flags=re.S)
    body = re.sub(r'<span class="en">.*?</span>', "", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


def _outside_brackets(text: str) -> str:
    while (out := _BRACKETED.sub(" ", text)) != text:
        text = out
    return text


def _bare(text: str, ids: Iterable[str]) -> list[str]:
    rest = _outside_brackets("\n".join(ln.split(" / ")[0] for ln in text.splitlines()))
    return sorted(i for i in ids if re.search(rf"(?<![\w.-]){re.escape(i)}(?![\w-]|\.\w)", rest))


def test_example_names_rules_thresholds_and_record_types_in_chinese(example: Evaluation) -> None:
    page = to_html(example)
    text = _visible_chinese(page)
    reg = example.registry
    assert _bare(text, [*reg.rules, *reg.thresholds]) == []
    assert _bare(text, reg.record_types) == []
    # the scan finds a bare id: it is not vacuous
    assert _bare("通报批评 escalation U10", reg.thresholds) == ["escalation"]
    # U10's finding: threshold "escalation" is titled 连续责令改正 in the plugin, and its
    # evidence names the finding that led to it, not-delivered (服务不落实)
    assert "<td>连续责令改正（escalation）</td>" in page
    assert "<td>服务不落实（not-delivered），U10@2021-06-15</td>" in page
    # the data read: record types by their labels, the name in brackets
    assert "<td>服务需求（requests）</td>" in page
    assert "输入 满意度测评（surveys）" in page
    # 决定因素 in words: U02 (102.2) heads 处室, U01 (also 102.2) is decided against it
    assert ">tie<" not in page and ">total<" not in page


def test_decided_in_words(example: Evaluation) -> None:
    assert decided(example, "total") == "总分"
    assert decided(example, "satisfaction_rate") == "满意率"
    assert decided(example, "timeliness") == "时效（timeliness）"
    assert decided(example, "") == ""


def test_summary_page_and_signature(example: Evaluation) -> None:
    sign = Signature(issuer="湖北省市场监督管理局", date="2023-01-15", reviewer="张三", signer="")
    page = to_html(example, signature=sign)
    summary = page[page.index('<section id="summary">') : page.index('<section id="charts"')]
    assert "<th>制表单位</th><td>湖北省市场监督管理局</td>" in summary
    assert "<th>制表日期</th><td>2023-01-15</td>" in summary
    assert "<th>审核</th><td>张三</td>" in summary
    assert "<th>签发</th><td></td>" in summary  # left blank to sign on
    # the example's findings: 3 in all, 1 warning U03, 1 … as _overview_lines counts them
    n = len(example.findings)
    assert f"预警与通报共 {n} 条" in summary
    short = to_html(example, summary=True, signature=sign)
    assert "（摘要）" in short and 'id="summary"' in short and 'id="findings"' in short
    for appendix in ('id="cards"', 'id="people-cards"', 'id="data"', "附录"):
        assert appendix in page and appendix not in short, appendix
    assert len(short) < len(page) / 3


def test_previous_result_says_what_changed(example: Evaluation) -> None:
    data = to_dict(example)
    same = to_html(example, previous_result=previous_from_dict(data, "2021 年度"))
    assert "与上期比较" in same and "各单位总分与上期相同。" in same
    assert "预警与通报：与上期相同。" in same
    # U01 was 2 points lower last year: its rise is +2.00, the largest (the others are equal)
    for card in data["scorecards"]:
        if card["candidate_id"] == "U01":
            card["total"] = card["total"] - 2
    changed = to_html(example, previous_result=previous_from_dict(data, "2021 年度"))
    assert "单位总分升幅最大：质量发展处（+2.00）" in changed


@pytest.mark.parametrize(
    "reason,group",
    [
        ("总分 84.14 低于 85 (total below 85)", "总分低于 85"),
        ("有效测评 3 份，少于 5 份 (fewer survey responses than required)", "有效测评少于 5 份"),
        ("满意率 92.3% 低于 95% (satisfaction rate below the minimum)", "满意率低于 95%"),
        (
            "期末仍有 1 条差评未整改（S00281） (1 bad review(s) still unrectified)",
            "期末仍有差评未整改",
        ),
        ("一票否决：通报批评 (vetoed)", "一票否决：通报批评"),
    ],
)
def test_reason_group_drops_the_candidates_own_figure(reason: str, group: str) -> None:
    assert reason_group(reason) == group


def test_ruleset_report_table_fills_the_signature_block(tmp_path: Path) -> None:
    """``[report]`` in a ruleset gives the block's names; a flag wins over it; the names are
    left out of the fingerprint (who signs changes no result); a mistyped key is named."""
    from dxe_eval.cli import main
    from dxe_eval.manager import get_registry
    from dxe_eval.ruleset import check_ruleset, load_ruleset

    path = tmp_path / "signed.toml"
    path.write_text(
        '[ruleset]\nid = "signed"\ntitle = "签署"\nextends = "hubei-2022"\n'
        '[report]\nissuer = "湖北省市场监督管理局"\nreviewer = "张三"\n',
        encoding="utf-8",
    )
    reg = get_registry()
    signed = load_ruleset(path, reg)
    plain = load_ruleset("hubei-2022", reg)
    assert (signed.report.issuer, signed.report.reviewer, signed.report.signer) == (
        "湖北省市场监督管理局",
        "张三",
        "",
    )
    assert plain.report.issuer == ""
    # same rules, same results: the fingerprint does not change with who signs
    assert signed.fingerprint == load_ruleset(path, reg).fingerprint
    bad = tmp_path / "typo.toml"
    bad.write_text(path.read_text(encoding="utf-8") + 'isuer = "x"\n', encoding="utf-8")
    said = [str(p) for p in check_ruleset(bad, reg)]
    assert len(said) == 1 and "isuer" in said[0] and "issuer" in said[0], said
    out = tmp_path / "r.html"
    argv = ["evaluate", "--ruleset", str(path), "--format", "html", "--output", str(out)]
    assert main([*argv, "--reviewer", "李四", "--no-progress"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "湖北省市场监督管理局" in page  # from the ruleset
    assert "李四" in page and "张三" not in page  # the flag wins


def test_date_flags_take_a_date_or_stop_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """``--date`` (evaluate) and ``--on`` (archive) share one parser: 2023-01-15 or
    2023/01/15; anything else is argparse's usage error (exit 2) naming the flag."""
    import argparse
    import datetime as dt

    from dxe_eval.cli import main
    from dxe_eval.commands.common import date_arg

    assert date_arg("2023-01-15") == date_arg(" 2023/01/15 ") == dt.date(2023, 1, 15)
    with pytest.raises(argparse.ArgumentTypeError, match="YYYY-MM-DD"):
        date_arg("2023-13-01")
    with pytest.raises(SystemExit) as stop:
        main(["evaluate", "--date", "2023-13-01", "--format", "json"])
    assert stop.value.code == 2
    assert "--date" in capsys.readouterr().err
