"""同比 — year over year: each candidate's total beside the previous period's.

When the archive holds the run published for the period before (``evaluate --archive``,
``archive export``), the reports gain:

- xlsx: the 总分 sheet's columns 上期总分 (the previous run's total) and 同比 (this total
  minus that one, rounded to cents) after 总分; empty for a candidate the previous run
  did not score;
- html: a 同比 section: the units' totals then and now, the change, and a bar chart of
  the change per unit.

Nothing here reads the archive: the caller hands over the previous run's totals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from dxe_eval.model import KIND_ZH
from dxe_eval.numbers import round2

if TYPE_CHECKING:
    from dxe_eval.report.sheets import Table


@frozen(kw_only=True)
class Previous:
    """The previous period's published run: who it is (``label``) and its totals."""

    label: str
    totals: Mapping[tuple[str, str], float] = field(factory=dict)

    def change(self, kind: str, candidate_id: str, total: float) -> float | None:
        before = self.totals.get((kind, candidate_id))
        return None if before is None else round2(total - before)


def with_previous(table: Table, previous: Previous) -> Table:
    """The 总分 sheet with 上期总分 and 同比 after its 总分 column."""
    from dxe_eval.report.sheets import Table  # export imports this module at its top

    kinds = {zh: kind for kind, zh in KIND_ZH.items()}
    at = table.headers.index("总分") + 1
    rows = []
    for row in table.rows:
        kind, cid, total = kinds.get(str(row[0]), str(row[0])), str(row[1]), row[at - 1]
        before = previous.totals.get((kind, cid))
        change = (previous.change(kind, cid, float(total))
                  if isinstance(total, int | float) else None)
        rows.append((*row[:at], before, change, *row[at:]))
    headers = (*table.headers[:at], "上期总分", "同比", *table.headers[at:])
    return Table(table.name, headers, tuple(rows))


def html_section(ev: Any, previous: Previous) -> str:
    """The HTML report's 同比 section: the units' totals then and now, and a chart."""
    from dxe_eval.report.html import _cell, _table, esc, num  # html imports this module at its top

    cards = sorted((c for c in ev.scorecards if c.candidate.kind == "unit"),
                   key=lambda c: (-c.total, c.candidate.candidate_id))
    rows, bars = [], []
    for card in cards:
        c = card.candidate
        before = previous.totals.get((c.kind, c.candidate_id))
        change = previous.change(c.kind, c.candidate_id, card.total)
        shown = "—" if change is None else f"{change:+.2f}"
        rows.append([_cell(esc(c.candidate_id), "id"), _cell(esc(c.name), "nm"),
                     _cell(esc(num(before)), "num"), _cell(esc(num(card.total)), "num"),
                     _cell(esc(shown), "num")])
        if change is not None:
            bars.append((f"{c.candidate_id} {c.name}", change))
    table = _table([("编号", ""), ("名称", ""), ("上期总分", "num"), ("本期总分", "num"),
                    ("同比", "num")], rows)
    return (
        '<section id="yoy" class="page"><h2>同比<span class="en">Year over year</span></h2>'
        f'<p class="muted">与 {esc(previous.label)} 比较 / compared with the previous period</p>'
        f"{change_chart(bars)}{table}</section>"
    )


def change_chart(bars: list[tuple[str, float]], *, width: int = 960) -> str:
    """Horizontal bars from a zero line: rises to the right (green), falls to the left (red)."""
    from dxe_eval.report.html import _text_width, esc  # html imports this module at its top

    if not bars:
        return ""
    label_w = max(120.0, max(_text_width(label, 12) for label, _ in bars) + 16)
    bar_h, gap, top = 14.0, 4.0, 8.0
    plot_w = width - label_w - 60
    zero = label_w + plot_w / 2
    most = max(abs(v) for _, v in bars) or 1.0
    height = int(top + len(bars) * (bar_h + gap) + 8)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
             'xmlns="http://www.w3.org/2000/svg" aria-label="同比 year over year">',
             "<title>同比 year over year</title>",
             f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="#57606a"/>']
    for i, (label, value) in enumerate(bars):
        y = top + i * (bar_h + gap)
        w = plot_w / 2 * abs(value) / most
        x = zero if value >= 0 else zero - w
        color = "#009E73" if value >= 0 else "#D55E00"
        parts.append(
            f'<text x="{label_w - 10:.1f}" y="{y + bar_h - 3:.1f}" font-size="12" '
            f'text-anchor="end">{esc(label)}</text>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h:.1f}" '
            f'fill="{color}"><title>{esc(label)}: {value:+.2f}</title></rect>'
            f'<text x="{(zero + w + 4) if value >= 0 else (zero - w - 4):.1f}" '
            f'y="{y + bar_h - 3:.1f}" font-size="11" '
            f'text-anchor="{"start" if value >= 0 else "end"}">{value:+.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
