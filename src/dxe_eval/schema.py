"""The input contract as data: record types, their columns, labels and value types.

A :class:`RecordType` names a file (``units.csv``) or a workbook sheet, its
columns with English names and Chinese labels, which columns are required,
which column holds the record's id and which columns refer to candidates.
Built-in record types are registered by :mod:`dxe_eval.records` through the
``dxe_eval_register_record_types`` hook, exactly as a plugin would register
its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from attrs import field, frozen

ValueType = Literal["str", "int", "float", "date", "datetime", "bool", "rating", "choice"]

#: dates and times outside these years are rejected (in data) or refused (in a ruleset's
#: period): a year typed wrong (``0000``, ``9999``), not a record of this programme
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2100

RATING_LEVELS: Final = {
    "非常满意": 5,
    "满意": 4,
    "基本满意": 3,
    "不满意": 2,
    "非常不满意": 1,
}
RATING_ZH: Final = {v: k for k, v in RATING_LEVELS.items()}

TRUE_WORDS: Final = ("true", "1", "是", "yes", "y", "t", "对", "√")
FALSE_WORDS: Final = ("false", "0", "否", "no", "n", "f", "×")


@frozen(kw_only=True)
class Column:
    """One column of a record type.

    ``choices`` maps every accepted spelling (English or Chinese) to the
    canonical value stored; ``refers_to`` names the record type whose id this
    column must match (an unknown id rejects the row).
    """

    name: str
    label: str
    type: ValueType = "str"
    required: bool = False
    choices: Mapping[str, str] = field(factory=dict)
    refers_to: str | None = None
    doc: str = ""
    example: str = ""


@frozen(kw_only=True)
class RowCheck:
    """A rule across two columns of one row: ``column`` must not be earlier than ``not_before``."""

    column: str
    not_before: str
    reason: str


@frozen(kw_only=True)
class RefCheck:
    """A rule across two records: ``column`` (a date) must not be earlier than the date of
    ``other`` in the record that ``via`` refers to (for a time, its local date).

    ``via`` is a column of this record type with ``refers_to``; a row whose ``via`` or
    ``column`` is empty, or whose other record has no ``other``, is not checked. The
    rejection names the column, the other record's label, id and date; ``what`` is how
    the reason names ``column`` (default: its label), e.g. ``台账登记日期``.
    """

    column: str
    via: str
    other: str
    what: str = ""


@frozen(kw_only=True)
class RecordType:
    """A kind of record: one file per data set, or one workbook sheet."""

    name: str
    label: str
    columns: tuple[Column, ...]
    id_column: str | None = None
    #: the kind of candidate (``unit``, ``person``, ``project``) each record is; the
    #: candidate's fields come from the columns below
    candidate_kind: str | None = None
    #: for a candidate type: the column holding the candidate's name
    name_column: str = "name"
    #: for a candidate type: the column holding its peer group (the units' category);
    #: ``None``: the category of the unit ``unit_column`` names
    category_column: str | None = None
    #: for a candidate type: the column naming the unit the candidate belongs to
    #: (``None``: the record's own id, for the units themselves)
    unit_column: str | None = None
    #: for a candidate type: other fields of :class:`~dxe_eval.model.Candidate` and the
    #: columns they come from (``{"staff_count": "staff_count"}``)
    candidate_fields: Mapping[str, str] = field(factory=dict)
    #: for a candidate type: a record that counts for one of these candidates (refers to
    #: it) also counts for the candidate this column names — a project's requests count
    #: for the project's unit too
    counts_for: str | None = None
    checks: tuple[RowCheck, ...] = ()
    #: checks against the record another column refers to (applied once that type is read)
    ref_checks: tuple[RefCheck, ...] = ()
    doc: str = ""
    plugin: str = ""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def label_of(record_types: Mapping[str, RecordType], name: str) -> str:
    """Record type ``name``'s Chinese label (台账 for ``ledger``); the name itself when
    ``record_types`` does not know it or gives it no label."""
    rt = record_types.get(name)
    return (rt.label if rt is not None else "") or name


def choice(*pairs: tuple[str, tuple[str, ...]]) -> dict[str, str]:
    """Build a ``choices`` mapping from canonical values and their other spellings."""
    out: dict[str, str] = {}
    for canonical, spellings in pairs:
        out[canonical] = canonical
        for s in spellings:
            out[s] = canonical
    return out
