"""Chinese first: no human-facing report of the example names a rule or threshold by its id
outside brackets — titles in the text, ids in brackets only (``响应不及时（late-response）``).

A bilingual line's English half (after `` / ``) is not scanned: English words such as
"summary" are rule ids too."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

import dxe_eval
from dxe_eval.report.csv import csv_text
from dxe_eval.report.explain import explain, explain_any
from dxe_eval.report.html import to_html
from dxe_eval.report.present import Table
from dxe_eval.report.sheets import report_tables
from dxe_eval.report.table import to_summary, to_table
from dxe_eval.report.xlsx import write_xlsx
from dxe_eval.result import Evaluation
from tests import builders

EXAMPLE = builders.ROOT / "examples" / "hubei-2022"
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)|【[^【】]*】|\[[^\[\]]*\]")


@cache
def _ev() -> Evaluation:
    return dxe_eval.evaluate(EXAMPLE)


def outside_brackets(text: str) -> str:
    """``text`` with every bracketed part taken out, innermost first."""
    while True:
        out = _BRACKETED.sub(" ", text)
        if out == text:
            return out
        text = out


def bare_ids(text: str, ev: Evaluation) -> list[str]:
    ids = {*ev.registry.rules, *ev.registry.thresholds}
    chinese = "\n".join(line.split(" / ")[0] for line in text.splitlines())
    rest = outside_brackets(chinese)
    # a file name (ledger.csv) or a module path (dxe_eval.rules.ledger) is not a mention
    return sorted(i for i in ids if re.search(rf"(?<![\w.-]){re.escape(i)}(?![\w-]|\.\w)", rest))


def test_the_scan_finds_an_id_outside_brackets_only() -> None:
    ev = _ev()
    assert bare_ids("迟到 late-response 两次", ev) == ["late-response"]
    assert bare_ids("响应不及时（late-response）、（满意度（satisfaction））", ev) == []
    assert bare_ids("ledger.csv 第 3 行；插件 dxe_eval.rules.ledger", ev) == []
    assert bare_ids("项目小结不计 / 1 summary not counted", ev) == []


def _html_text(ev: Evaluation) -> str:
    """The text a reader sees on the HTML page: its text nodes, not styles or scripts."""

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.hidden = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.hidden += tag in ("style", "script")

        def handle_endtag(self, tag: str) -> None:
            self.hidden -= tag in ("style", "script")

        def handle_data(self, data: str) -> None:
            if not self.hidden:
                self.parts.append(data)

    parser = Text()
    parser.feed(to_html(ev))
    return "\n".join(parser.parts)


def _csv_text(ev: Evaluation) -> str:
    """Every CSV table, without its id columns (规则编号, 单位编号…): a column of ids is
    where an id belongs, as in the JSON."""
    out = []
    for t in report_tables(ev):
        keep = [i for i, h in enumerate(t.headers) if not h.endswith("编号")]
        out.append(
            csv_text(
                Table(
                    name=t.name,
                    headers=tuple(t.headers[i] for i in keep),
                    rows=tuple(tuple(row[i] for i in keep) for row in t.rows),
                )
            )
        )
    return "\n".join(out)


def _xlsx_text(ev: Evaluation) -> str:
    """Every cell value of the workbook, one a line."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(ev, Path(folder) / "r.xlsx")
        book = openpyxl.load_workbook(path, read_only=True)
        cells = [
            str(v)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        ]
        book.close()
    return "\n".join(cells)


REPORTS: dict[str, Callable[[Evaluation], str]] = {
    "table": lambda ev: to_summary(ev, width=120),
    "table --full": to_table,
    "explain (every candidate)": lambda ev: "\n".join(
        explain(ev, c.candidate.candidate_id) for c in ev.scorecards
    ),
    "explain (requests)": lambda ev: "\n".join(
        explain_any(ev, rid) for rid in ("R00001", "R00384")
    ),
    "csv (every table)": _csv_text,
    "html": _html_text,
    "xlsx": _xlsx_text,
}


@pytest.mark.parametrize("name", list(REPORTS))
def test_no_rule_or_threshold_id_outside_brackets(name: str) -> None:
    ev = _ev()
    text = REPORTS[name](ev)
    found = bare_ids(text, ev)
    lines = [ln for ln in text.splitlines() if bare_ids(ln, ev)][:5]
    assert not found, f"{name}: {found} in {lines}"
