"""Chinese first: no human-facing report of the example names a rule or threshold by its id
outside brackets — titles in the text, ids in brackets only (``响应不及时（late-response）``).

A bilingual line's English half (after `` / ``) is not scanned: English words such as
"summary" are rule ids too."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import pytest

import dxe_eval
from dxe_eval.report.explain import explain
from dxe_eval.report.table import to_summary, to_table
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


REPORTS: dict[str, Callable[[Evaluation], str]] = {
    "table": lambda ev: to_summary(ev, width=120),
    "table --full": to_table,
    "explain (every candidate)": lambda ev: "\n".join(
        explain(ev, c.candidate.candidate_id) for c in ev.scorecards
    ),
}
# csv, xlsx (the same report tables) and html are part 21a's: they join the scan when they
# show titles, e.g. "csv (every table)": lambda ev: "\n".join(csv_text(t) for t in
# report_tables(ev)), "html": the page's text, "xlsx": every cell's text of the workbook


@pytest.mark.parametrize("name", REPORTS)
def test_no_rule_or_threshold_id_outside_brackets(name: str) -> None:
    ev = _ev()
    text = REPORTS[name](ev)
    found = bare_ids(text, ev)
    lines = [ln for ln in text.splitlines() if bare_ids(ln, ev)][:5]
    assert not found, f"{name}: {found} in {lines}"
