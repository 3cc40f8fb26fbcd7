"""The counts asked for, and what is refused before anything is generated."""

from __future__ import annotations

from typing import Final

from attrs import frozen

from dxe_eval.calendar import cn_years
from dxe_eval.errors import DxeEvalError

#: the largest data set written as a workbook (all rows of all sheets)
XLSX_MAX_ROWS: Final = 200_000


class GenerateError(DxeEvalError):
    """A data set that cannot be generated as asked (a size out of range, XLSX too large)."""


@frozen(kw_only=True)
class Sizes:
    """The counts asked for; the other record types follow in proportion."""

    units: int = 2000
    people: int = 20000
    projects: int = 5000
    requests: int = 1_000_000
    surveys: int = 200_000

    def check(self) -> None:
        for name in ("units", "people", "projects", "requests", "surveys"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise GenerateError(
                    f"--{name} must be a whole number ≥ 0, got {value!r}",
                    zh=f"--{name} 应为非负整数",
                )
        if self.units < 1:
            raise GenerateError("--units must be at least 1", zh="--units 至少为 1")
        if self.people < 1:
            raise GenerateError("--people must be at least 1", zh="--people 至少为 1")

    def key(self, seed: int, year: int) -> str:
        """A short name for these sizes and seed (used to cache generated data sets)."""
        return (
            f"u{self.units}-p{self.people}-j{self.projects}-r{self.requests}-s{self.surveys}"
            f"-seed{seed}-y{year}"
        )


def check_year(year: int) -> None:
    """The data span the year before and the year after ``year``: the holiday calendar must
    know all three."""
    lo, hi = cn_years()
    if not lo < year < hi:
        raise GenerateError(
            f"--year must be from {lo + 1} to {hi - 1} (the holiday calendar knows {lo}–{hi}, "
            f"and the data reach into the year before and after), got {year}",
            zh=f"--year 应在 {lo + 1}–{hi - 1} 之间（节假日日历只有 {lo}–{hi} 年的数据）",
        )


def estimated_rows(sizes: Sizes) -> int:
    """Rows of every record type together, roughly (to refuse a workbook before building it)."""
    r, j, u = sizes.requests, sizes.projects, sizes.units
    return (
        u
        + sizes.people
        + j
        + 3 * u
        + r
        + int(0.85 * r)
        + u
        + j
        + int(0.5 * j)
        + int(0.57 * r)
        + sizes.surveys
        + int(0.45 * j)
        + (3 * u) // 2
        + u // 25
    )
