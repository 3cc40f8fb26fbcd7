"""同比 — year over year: each candidate's total beside the previous period's.

When the archive holds the run published for the period before (``evaluate --archive``,
``archive export``), the reports gain:

- xlsx: the 总分 sheet's columns 上期总分 (the previous run's total) and 同比 (this total
  minus that one, rounded to cents) after 总分; empty for a candidate the previous run
  did not score;
- html: a 同比 section: the units' totals then and now, the change, and a bar chart of
  the change per unit (:func:`dxe_eval.report.html.html_section`).

Nothing here reads the archive: the caller hands over the previous run's totals.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import field, frozen

from dxe_eval.model import KIND_ZH
from dxe_eval.numbers import round2
from dxe_eval.report.present import Table


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
    kinds = {zh: kind for kind, zh in KIND_ZH.items()}
    at = table.headers.index("总分") + 1
    rows = []
    for row in table.rows:
        kind, cid, total = kinds.get(str(row[0]), str(row[0])), str(row[1]), row[at - 1]
        before = previous.totals.get((kind, cid))
        change = (
            previous.change(kind, cid, float(total)) if isinstance(total, int | float) else None
        )
        rows.append((*row[:at], before, change, *row[at:]))
    headers = (*table.headers[:at], "上期总分", "同比", *table.headers[at:])
    return Table(table.name, headers, tuple(rows))
