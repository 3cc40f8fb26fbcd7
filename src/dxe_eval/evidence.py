"""The index stage: accepted rows → derived columns and evidence attributed to candidates.

Done once per data set and ruleset calendar, in columns: local dates, working
days taken (one table lookup per row, the calendar asked once per distinct
date), first ledger entry and visit per request, and for every record type
the candidates it counts for (a unit, the person who handled it, the project;
a project's records also count for the project's unit). Rules and thresholds
read these frames; they never read files.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Final, TypeVar
from zoneinfo import ZoneInfo

import attrs
import polars as pl
from attrs import define, field, frozen

from dxe_eval.calendar import WorkdayTable
from dxe_eval.model import KINDS, Candidate
from dxe_eval.read.parse import local_date_expr
from dxe_eval.read.raw import FILE, ROW, Dataset
from dxe_eval.schema import RecordType
from dxe_eval.service import RECEIVED_IN_PERIOD

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

KIND = "candidate_kind"
CID = "candidate_id"


class FrameView(Mapping[str, pl.DataFrame]):
    """Frames by record type, read-only: the mapping takes no assignment, and each lookup
    gives a copy of the frame (a polars clone shares the data: it costs microseconds), so
    no code that reads the evidence (a plugin's ``collect``) can change, in place or by
    replacing it, what the next rule reads."""

    __slots__ = ("_frames",)

    def __init__(self, frames: Mapping[str, pl.DataFrame]) -> None:
        self._frames: dict[str, pl.DataFrame] = dict(
            frames._frames if isinstance(frames, FrameView) else frames
        )

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self._frames[name].clone()

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __repr__(self) -> str:
        return f"FrameView({list(self._frames)})"


def _read_only_types(types: Mapping[str, RecordType]) -> Mapping[str, RecordType]:
    return types if isinstance(types, MappingProxyType) else MappingProxyType(dict(types))


@define(eq=False)
class EvidenceCache:
    """What an :class:`Evidence` makes once and keeps: attributed frames by record type
    (and the candidates' frame), and the evidence scoped to some kinds
    (:meth:`Evidence.for_kinds`)."""

    frames: dict[str, pl.DataFrame] = field(factory=dict)
    scoped: dict[frozenset[str], Evidence] = field(factory=dict)


@frozen(kw_only=True, eq=False)
class Evidence:
    """Everything rules and thresholds may read: candidates, derived frames, the calendar.

    It is read-only to the code that reads it: ``frames`` and ``record_types`` take no
    assignment, and every frame it gives (:meth:`frame`, ``frames[name]``,
    :meth:`attributed`) is a copy, so a plugin's ``collect`` cannot change what another
    rule reads (``docs/checks.md``).
    """

    candidates: tuple[Candidate, ...]
    frames: Mapping[str, pl.DataFrame] = field(converter=FrameView)
    record_types: Mapping[str, RecordType] = field(converter=_read_only_types)
    period_start: dt.date
    period_end: dt.date
    workdays: WorkdayTable
    #: the time zone of every datetime column (the data set's); ``None``: not known
    timezone: str | None = None
    #: rows read and accepted but counted nowhere, by record type (a rating replaced by a
    #: later one of the same request, a summary dated before its project's completion):
    #: their columns and ``set_aside_what``, ``set_aside_zh``, ``set_aside_en``; for data
    #: notes and ``explain``
    set_aside: Mapping[str, pl.DataFrame] = field(factory=dict, converter=FrameView)
    #: the candidate kinds :meth:`attributed` and :meth:`attributed_lazy` give rows for
    #: (``None``: all); see :meth:`for_kinds`
    kinds: frozenset[str] | None = None
    #: the frames made once and kept, and the evidence scoped to some kinds: the one
    #: mutable part, owned by this evidence (a scoped copy gets a cache of its own)
    cache: EvidenceCache = field(factory=lambda: EvidenceCache(), repr=False)

    def for_kinds(self, kinds: Iterable[str]) -> Evidence:
        """The same evidence, attributing rows only to candidates of ``kinds``.

        The engine gives it to a rule or threshold that declares ``collect_per_kind``
        (its facts for a candidate come only from the rows attributed to that
        candidate) when it is scored or judged for some kinds only: a threshold
        judging units then never makes the million rows a province's requests are
        attributed to people and projects by.
        """
        have = frozenset(KINDS) if self.kinds is None else self.kinds
        wanted = frozenset(kinds) & have
        if wanted == have:
            return self
        if wanted not in self.cache.scoped:
            self.cache.scoped[wanted] = attrs.evolve(self, kinds=wanted, cache=EvidenceCache())
        return self.cache.scoped[wanted]

    def frame(self, name: str) -> pl.DataFrame:
        """The derived frame of one record type (empty with its columns when absent)."""
        return self.frames[name]

    def in_period(self, column: str) -> pl.Expr:
        """An expression: the date or datetime ``column`` falls within the period
        (:func:`in_period_expr`)."""
        return in_period_expr(column, self.period_start, self.period_end, self.timezone)

    def attributed(self, name: str) -> pl.DataFrame:
        """The record type's rows, once for each candidate they count for.

        Two columns are added: ``candidate_kind`` and ``candidate_id``. The frame
        is built once and kept; :meth:`attributed_lazy` gives the same rows
        without keeping them.
        """
        if name not in self.cache.frames:
            self.cache.frames[name] = _attribute(self, name).collect()
        return self.cache.frames[name].clone()

    def attributed_lazy(self, name: str) -> pl.LazyFrame:
        """:meth:`attributed` as a query: only the columns and rows a rule reads are made.

        The attributed requests of a province (two million rows of 24 columns, 300 MB)
        are never held whole; each rule's group-by reads what it needs from the
        requests themselves.
        """
        if name in self.cache.frames:
            return self.cache.frames[name].lazy()
        return _attribute(self, name)

    def set_aside_of(self, kind: str, candidate_id: str) -> dict[str, pl.DataFrame]:
        """The rows set aside (:attr:`set_aside`) that would count for this candidate, by
        record type: for ``explain``."""
        out = {}
        for name, rows in self.set_aside.items():
            if name not in self.record_types:
                continue
            mine = (
                _attribute(self, name, rows)
                .filter((pl.col(KIND) == kind) & (pl.col(CID) == candidate_id))
                .collect()
            )
            if mine.height:
                out[name] = mine
        return out

    def candidate_frame(self) -> pl.DataFrame:
        """Every candidate as a row: ``kind``, ``candidate_id``, ``unit_id``, ``category``
        (made once and kept)."""
        if _CANDIDATES not in self.cache.frames:
            self.cache.frames[_CANDIDATES] = pl.DataFrame(
                {
                    KIND: [c.kind for c in self.candidates],
                    CID: [c.candidate_id for c in self.candidates],
                    "unit_id": [c.unit_id for c in self.candidates],
                    "category": [c.category for c in self.candidates],
                },
                schema={
                    KIND: pl.String,
                    CID: pl.String,
                    "unit_id": pl.String,
                    "category": pl.String,
                },
            )
        return self.cache.frames[_CANDIDATES]


#: the key of the candidates' frame among an evidence's kept frames (no record type's name)
_CANDIDATES = " candidates"


def _attribute(ev: Evidence, name: str, rows: pl.DataFrame | None = None) -> pl.LazyFrame:
    rt = ev.record_types[name]
    base = ev.frames[name] if rows is None else rows
    frame = base.lazy()
    names = base.columns
    # the candidate kind of each candidate type, as declared
    kind_of = {n: t.candidate_kind for n, t in ev.record_types.items() if t.candidate_kind}
    parts: list[tuple[str | None, pl.LazyFrame]] = []  # (kind, rows); None: kinds vary by row
    # the columns that already attributed a row to a candidate of each kind: a later part
    # drops the rows it would attribute to the same candidate again (what a unique over
    # kind, id, file and row did, without hashing millions of rows)
    seen: dict[str, list[str]] = {}
    by_candidates = False

    def new_only(part: pl.LazyFrame, kind: str, cid: pl.Expr) -> pl.LazyFrame:
        earlier = seen.get(kind, [])
        if not earlier:
            return part
        return part.filter(pl.all_horizontal([pl.col(c).ne_missing(cid) for c in earlier]))

    if rt.candidate_kind and rt.id_column:
        parts.append(
            (
                rt.candidate_kind,
                frame.with_columns(
                    pl.lit(rt.candidate_kind).alias(KIND), pl.col(rt.id_column).alias(CID)
                ),
            )
        )
        seen.setdefault(rt.candidate_kind, []).append(rt.id_column)
    for col in rt.columns:
        if col.refers_to in kind_of:
            kind = kind_of[col.refers_to]
            part = new_only(frame.filter(pl.col(col.name).is_not_null()), kind, pl.col(col.name))
            parts.append(
                (kind, part.with_columns(pl.lit(kind).alias(KIND), pl.col(col.name).alias(CID)))
            )
            seen.setdefault(kind, []).append(col.name)
        elif col.refers_to == "candidates":
            by_candidates = True
            kinds = ev.candidate_frame().select(CID, KIND).lazy()
            parts.append(
                (
                    None,
                    frame.join(
                        kinds, left_on=col.name, right_on=CID, how="inner", maintain_order="left"
                    ).with_columns(pl.col(col.name).alias(CID)),
                )
            )
    # a record of a candidate that counts for another too (``counts_for``): a record of a
    # project counts for the project's unit
    for col in rt.columns:
        owner = ev.record_types.get(col.refers_to or "")
        if owner is None or not owner.counts_for or not owner.id_column:
            continue
        to_kind = kind_of.get(owner.column(owner.counts_for).refers_to or "")
        if to_kind is None:
            continue
        owners = (
            ev.frames[owner.name]
            .lazy()
            .select(pl.col(owner.id_column).alias("_p"), pl.col(owner.counts_for).alias("_pu"))
        )
        with_owner = new_only(
            frame.join(owners, left_on=col.name, right_on="_p", how="inner", maintain_order="left"),
            to_kind,
            pl.col("_pu"),
        )
        parts.append(
            (
                to_kind,
                with_owner.with_columns(pl.lit(to_kind).alias(KIND), pl.col("_pu").alias(CID)).drop(
                    "_pu"
                ),
            )
        )
    if ev.kinds is not None:  # only the rows of the kinds asked for: the others never made
        parts = [
            (kind, part if kind is not None else part.filter(pl.col(KIND).is_in(ev.kinds)))
            for kind, part in parts
            if kind is None or kind in ev.kinds
        ]
    if not parts:
        return frame.with_columns(
            pl.lit(None, pl.String).alias(KIND), pl.lit(None, pl.String).alias(CID)
        ).head(0)
    columns = list(dict.fromkeys([*names, KIND, CID]))  # sanctions have a candidate_id
    out = pl.concat([part.select(columns) for _, part in parts], how="vertical")
    if by_candidates and len(parts) > 1:  # kinds vary by row: the general way
        return out.unique(subset=[KIND, CID, FILE, ROW], keep="first", maintain_order=True)
    return out


def in_period_expr(column: str, start: dt.date, end: dt.date, timezone: str | None) -> pl.Expr:
    """An expression: the date or datetime ``column`` falls within ``start`` … ``end``.

    A datetime (``…_at``) is in the period when its local date is. With the
    time zone known, that is compared on the instants themselves, from the
    first day's local midnight up to the day after the period: the same
    answer without a time-zone conversion for every row.
    """
    c = pl.col(column)
    if not column.endswith("_at"):
        return c.is_between(start, end, closed="both")
    if timezone is None:
        return c.dt.date().is_between(start, end, closed="both")
    tz = ZoneInfo(timezone)
    first = dt.datetime.combine(start, dt.time(), tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    kind = pl.Datetime("us", timezone)
    return c.is_between(pl.lit(first, dtype=kind), pl.lit(after, dtype=kind), closed="left")


def per_candidate(
    frame: pl.LazyFrame | pl.DataFrame,
    counts: list[pl.Expr],
    ids: Mapping[str, tuple[str, pl.Expr]],
) -> pl.DataFrame:
    """One row per candidate: the ``counts`` aggregations, and for each ``name: (column,
    where)`` of ``ids`` the sorted values of ``column`` on the rows where ``where`` holds.

    The same frame as ``group_by(KIND, CID).agg(*counts, pl.col(column).filter(where)
    .sort().alias(name))``, with ``[]`` where no row holds; a list filtered inside the
    group-by costs several times a second group-by over the few matching rows, which is
    what this does.
    """
    keys = [KIND, CID]
    rows = frame.lazy()
    out = rows.group_by(keys).agg(counts)
    for name, (column, where) in ids.items():
        listed = rows.filter(where).group_by(keys).agg(pl.col(column).sort().alias(name))
        out = out.join(listed, on=keys, how="left").with_columns(pl.col(name).fill_null([]))
    return out.collect()


#: a :class:`FactSpec` count of every row its ``where`` keeps (``pl.lit(True).sum()`` in a
#: group-by is 1, not the group's length)
EVERY_ROW: Final = None


@frozen(kw_only=True, eq=False)
class FactSpec:
    """The facts a rule or threshold needs from one record type, declared, not computed.

    One row per candidate that has at least one attributed row where ``where`` holds;
    for each ``counts`` entry ``name: condition``, the number of those rows where the
    condition holds too (:data:`EVERY_ROW`, ``None``, counts them all); for each ``ids`` entry
    ``name: (column, condition)``, the sorted values of ``column`` on those rows where the
    condition holds (``[]`` when none); then ``finish`` (if any) applied to the frame (the
    peer groups' pools, say). :func:`spec_facts` computes one spec alone, the same frame
    :func:`per_candidate` gives; the engine fuses the specs of every enabled rule and
    threshold over one record type into one group-by (:func:`fused_facts`), so that the
    requests are scanned once, not once per rule.
    """

    record_type: str
    where: pl.Expr
    counts: Mapping[str, pl.Expr | None]
    ids: Mapping[str, tuple[str, pl.Expr]] = field(factory=dict)
    finish: Callable[[pl.DataFrame], pl.DataFrame] | None = None


def spec_facts(ev: Evidence, spec: FactSpec) -> pl.DataFrame:
    """One spec's facts alone (what ``collect`` gives for a rule that declares ``facts``)."""
    rows = ev.attributed_lazy(spec.record_type).filter(spec.where)
    counts = [(pl.len() if c is None else c.sum()).alias(n) for n, c in spec.counts.items()]
    frame = per_candidate(rows, counts, spec.ids)
    return spec.finish(frame) if spec.finish is not None else frame


#: the column of a fused query counting a spec's rows (a name no spec's fact can take)
_ROWS = "\x00rows"


def fused_facts(
    ev: Evidence, specs: Sequence[FactSpec], *, finish: bool = True
) -> list[pl.DataFrame]:
    """The facts of several specs over one record type, in one pass over its rows.

    One group-by gives every spec's counts (each condition joined with its spec's
    ``where``); one more, over the rows some list takes, gives every spec's id lists.
    Each spec then gets its own columns, only for the candidates with one of its rows,
    and its ``finish`` (unless ``finish=False``, for a caller that puts parts together
    first): the frame :func:`spec_facts` gives it, in this order of specs.
    """
    if not specs:
        return []
    (name,) = {s.record_type for s in specs}
    keys = [KIND, CID]
    rows = ev.attributed_lazy(name)

    def col(i: int, fact: str) -> str:
        return f"{i}\x00{fact}"

    counts: list[pl.Expr] = []
    lists: list[pl.Expr] = []
    takes: list[pl.Expr] = []
    for i, spec in enumerate(specs):
        counts.append(spec.where.sum().alias(col(i, _ROWS)))
        counts += [
            (spec.where if c is None else spec.where & c).sum().alias(col(i, f))
            for f, c in spec.counts.items()
        ]
        for f, (column, c) in spec.ids.items():
            taken = spec.where & c
            takes.append(taken)
            lists.append(pl.col(column).filter(taken).sort().alias(col(i, f)))
    out = rows.group_by(keys).agg(counts)
    if lists:
        listed = rows.filter(pl.any_horizontal(takes)).group_by(keys).agg(lists)
        out = out.join(listed, on=keys, how="left")
    frame = out.collect()
    result = []
    for i, spec in enumerate(specs):
        names = [*spec.counts, *spec.ids]
        part = frame.filter(pl.col(col(i, _ROWS)) > 0).select(
            *keys, *(pl.col(col(i, f)).alias(f) for f in names)
        )
        if spec.ids:
            part = part.with_columns(pl.col(f).fill_null([]) for f in spec.ids)
        result.append(spec.finish(part) if finish and spec.finish is not None else part)
    return result


def candidates_of(ds: Dataset, record_types: Mapping[str, RecordType]) -> tuple[Candidate, ...]:
    """The records of the candidate types (units, people, projects) as candidates, sorted
    by kind then id, each as its record type declares (:class:`~dxe_eval.schema.RecordType`:
    ``candidate_kind``, ``name_column``, ``category_column``, ``unit_column``,
    ``candidate_fields``)."""
    types = [
        rt
        for rt in record_types.values()
        if rt.candidate_kind and rt.id_column and rt.name in ds.frames
    ]
    category: dict[str, str] = {}  # the peer group of each unit
    for rt in types:
        if rt.category_column and rt.id_column:
            frame = ds.frames[rt.name]
            ids, categories = frame[rt.id_column].to_list(), frame[rt.category_column].to_list()
            category.update(zip(ids, categories, strict=True))
    out: list[Candidate] = []
    for rt in types:
        frame = ds.frames[rt.name]
        kind = rt.candidate_kind or ""
        units = frame[rt.unit_column or rt.id_column or ""].to_list()
        categories = (
            frame[rt.category_column].to_list()
            if rt.category_column
            else [category[u] for u in units]
        )
        fields = tuple(rt.candidate_fields)
        # column by column as Python lists, not a dict per row (about a fifth less time)
        for ident, name, cat, unit, *more in zip(
            frame[rt.id_column or ""].to_list(),
            frame[rt.name_column].to_list(),
            categories,
            units,
            *(frame[c].to_list() for c in rt.candidate_fields.values()),
            strict=True,
        ):
            out.append(
                Candidate(
                    candidate_id=ident,
                    kind=kind,
                    name=name,
                    category=cat,
                    unit_id=unit,
                    **dict(zip(fields, more, strict=True)),
                )
            )
    order = {k: i for i, k in enumerate(KINDS)}
    return tuple(sorted(out, key=lambda c: (order[c.kind], c.candidate_id)))


def _first_per(frame: FrameT, key: str, date_col: str, alias: str) -> FrameT:
    return (
        frame.filter(pl.col(key).is_not_null())
        .group_by(key)
        .agg(pl.col(date_col).min().alias(alias))
    )


def completion_limit(completion_days: Mapping[str, int], kind: str | None) -> int:
    """The completion limit, in working days, of a request of ``kind``: its kind's
    ``completion_days``, the largest of them for a kind not named or no kind."""
    if kind is not None and kind in completion_days:
        return completion_days[kind]
    return max(completion_days.values())


def mark_completion(
    requests: pl.LazyFrame,
    workdays: WorkdayTable,
    period_end: dt.date,
    completion_days: Mapping[str, int],
) -> pl.LazyFrame:
    """``requests`` (with ``received_on`` and ``close_wd``) with ``completion_judged`` and
    ``completion_late``.

    The limit is ``completion_days`` of the request's kind (the largest for a kind not
    named or no kind). A withdrawn request is not judged. A closed one (``closed_at``
    set and outcome not ``open``) is late when it took more working days than its
    limit (``close_wd > limit``). An open one is late when its limit has passed at the
    period's end (more working days than the limit in ``(received, period end]``), and
    not yet judged while it has not.
    """
    limit: pl.Expr = pl.lit(completion_limit(completion_days, None), pl.Int32)
    for kind, days in completion_days.items():
        limit = pl.when(pl.col("kind") == kind).then(pl.lit(days, pl.Int32)).otherwise(limit)
    withdrawn, open_, over = pl.col("_withdrawn"), pl.col("_open"), pl.col("_over")
    closed_late = pl.col("close_wd") > pl.col("_limit")
    # the parts once each as columns: the marks read them twice
    return (
        requests.with_columns(
            (pl.col("outcome") == "withdrawn").fill_null(False).alias("_withdrawn"),
            (pl.col("closed_at").is_null() | (pl.col("outcome") == "open").fill_null(False)).alias(
                "_open"
            ),
            limit.alias("_limit"),
        )
        .with_columns(
            (
                pl.lit(workdays.index_of(period_end)) - workdays.index_expr("received_on")
                > pl.col("_limit")
            ).alias("_over")
        )
        .with_columns(
            (~withdrawn & (~open_ | over)).fill_null(False).alias("completion_judged"),
            (~withdrawn & pl.when(open_).then(over).otherwise(closed_late))
            .fill_null(False)
            .alias("completion_late"),
        )
        .drop("_withdrawn", "_open", "_limit", "_over")
    )


#: the columns :func:`derive` adds to the requests, in their order
REQUEST_COLUMNS: Final = (
    "received_on",
    "responded_on",
    "closed_on",
    "ledger_on",
    "visit_on",
    "visit_early",
    "response_wd",
    "close_wd",
    "ledger_wd",
    "visit_wd",
    RECEIVED_IN_PERIOD,
    "completion_judged",
    "completion_late",
)


def _by_request(
    requests: pl.DataFrame, ledger: pl.DataFrame, visits: pl.DataFrame, surveys: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What the requests, ledger, visits and surveys take from each other by
    ``request_id``: per request, in the requests' order, its first ledger entry
    (``ledger_on``), its first reached visit on or after its closing date (``visit_on``)
    and whether one was before it (``visit_early``; null when it has neither entry nor
    reached visit); and per survey, in the surveys' order, its request's ``handler_id``
    and ``project_id`` (null when it has none).

    The ledger entries, reached visits and surveys are matched to their request's row
    number in one join (``request_id`` is unique among accepted requests: the reader
    rejects a repeat), so a province's request ids are hashed once, not once per record
    type; the values then go to their rows by number.
    """
    idx = pl.get_index_type()
    on, source, closed = pl.col("_on"), pl.col("_source"), pl.col("_closed")
    ledger_entry, visit = source == 0, source == 1

    def part(frame: pl.LazyFrame, date: pl.Expr, kind: int) -> pl.LazyFrame:
        row = pl.col("_s") if kind == 2 else pl.lit(None, idx).alias("_s")
        return frame.select(
            "request_id", date.alias("_on"), pl.lit(kind, pl.UInt8).alias("_source"), row
        )

    entries = pl.concat(
        [
            part(ledger.lazy(), pl.col("recorded_on"), 0),
            part(visits.lazy().filter(pl.col("reached").fill_null(True)), pl.col("visited_on"), 1),
            part(surveys.lazy().with_row_index("_s"), pl.lit(None, pl.Date), 2),
        ]
    )
    rows = requests.lazy().select(
        "request_id", local_date_expr(requests["closed_at"]).alias("_closed")
    )
    matched = entries.join(rows.with_row_index("_i"), on="request_id", how="inner").collect()
    # a visit is a follow-up from the closing date on: one before it is no follow-up (its
    # request is marked visit_early, for the reason)
    per_row = (
        matched.lazy()
        .filter(source < 2)
        .group_by("_i")
        .agg(
            on.filter(ledger_entry).min().alias("ledger_on"),
            on.filter(visit & (on >= closed)).min().alias("visit_on"),
            (visit & (on < closed)).fill_null(False).any().alias("visit_early"),
        )
        .collect()
    )
    surveyed = matched.filter(source == 2)

    # each value to its row: a sixth of the time of joining them to the row numbers
    def placed(n: int, at: pl.Series, values: pl.Series) -> pl.Series:
        blank = pl.repeat(None, n, dtype=values.dtype, eager=True).alias(values.name)
        return blank.scatter(at, values)

    return (
        pl.DataFrame(
            [
                placed(requests.height, per_row["_i"], per_row[c])
                for c in ("ledger_on", "visit_on", "visit_early")
            ]
        ),
        pl.DataFrame(
            [
                placed(surveys.height, surveyed["_s"], requests[c].gather(surveyed["_i"]))
                for c in ("handler_id", "project_id")
            ]
        ),
    )


def _beside(frame: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with the columns of ``new`` (as many rows, in the same order) set beside
    its own, or in place of those of the same name; ``frame``'s columns are shared, not
    copied.

    Each new column is cut into ``frame``'s chunks (slices of one buffer: no copy but the
    one that makes it one buffer first): a frame whose columns are chunked differently
    is copied whole into single buffers by polars at its next eager ``select`` or
    ``filter``, which is the copy this avoids.
    """
    layout = max((frame[c].chunk_lengths() for c in frame.columns), key=len, default=[])
    starts = list(itertools.accumulate(layout, initial=0))

    def cut(column: pl.Series) -> pl.Series:
        if column.chunk_lengths() == layout or not layout:
            return column
        whole = column.rechunk()
        return pl.concat(
            [whole.slice(o, n) for o, n in zip(starts, layout, strict=False)], rechunk=False
        )

    columns = [cut(c) for c in new.get_columns()]
    return frame.with_columns(columns)


def derive(
    ds: Dataset,
    workdays: WorkdayTable,
    *,
    period_end: dt.date,
    completion_days: Mapping[str, int],
    period_start: dt.date | None = None,
    timezone: str | None = None,
) -> tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame]]:
    """Add the derived columns rules read, once per data set, calendar and limits; and
    set aside the rows that are kept but not counted (:attr:`Evidence.set_aside`).

    Counted is decided here, once, so that no rule can forget it: the derived frames
    hold only the rows that count. Set aside are a rating replaced by a later rating of
    the same request (:func:`one_rating_per_request`), and a summary or evaluation dated
    before its project's completion or of a project not completed
    (:func:`_after_completion`)."""
    frames = dict(ds.frames)
    wd = workdays

    counted, superseded = one_rating_per_request(frames["surveys"], period_end)
    set_aside: dict[str, pl.DataFrame] = {}
    if superseded.height:
        set_aside["surveys"] = superseded

    # only the new columns are worked out, in narrow queries, and set beside the columns
    # as read: the frames share their buffers (a province's requests are held once)
    read = frames["requests"]
    per_request, per_survey = _by_request(read, frames["ledger"], frames["visits"], counted)
    new = (
        _beside(read, per_request)  # chunked alike: polars then reads it without a copy
        .lazy()
        .with_columns(
            local_date_expr(read["received_at"]).alias("received_on"),
            local_date_expr(read["responded_at"]).alias("responded_on"),
            local_date_expr(read["closed_at"]).alias("closed_on"),
        )
        .with_columns(
            wd.between_expr("received_on", "responded_on").alias("response_wd"),
            wd.between_expr("received_on", "closed_on").alias("close_wd"),
            wd.between_expr("closed_on", "ledger_on").alias("ledger_wd"),
            wd.between_expr("closed_on", "visit_on").alias("visit_wd"),
            pl.col("visit_early").fill_null(False),
            # counted by every rule and threshold of requests: worked out here, once
            (
                pl.lit(True)
                if period_start is None
                else in_period_expr("received_at", period_start, period_end, timezone)
            ).alias(RECEIVED_IN_PERIOD),
        )
        .pipe(mark_completion, wd, period_end, completion_days)
        .select(REQUEST_COLUMNS)
        .collect()
    )
    frames["requests"] = _beside(read, new)

    # a survey's handler and project, when it names none, are its request's
    bad = pl.col("rating") <= 2
    new = counted.select(
        pl.coalesce("handler_id", per_survey["handler_id"]).alias("handler_id"),
        pl.coalesce("project_id", per_survey["project_id"]).alias("project_id"),
        bad.alias("bad"),
        (bad & pl.col("appeal_upheld").fill_null(False)).alias("overturned"),
        (pl.col("rating") >= 3).alias("satisfied"),
        wd.between_expr("answered_on", "rectified_on").alias("rectify_wd"),
    )
    frames["surveys"] = _beside(counted, new)

    done = frames["projects"].select("project_id", pl.col("completed_on").alias("_done"))
    kept = {}
    for name, column in (("summaries", "submitted_on"), ("evaluations", "evaluated_on")):
        kept[name], early = _after_completion(frames[name], done, column)
        if early.height:
            set_aside[name] = early
    summaries = _first_per(kept["summaries"], "project_id", "submitted_on", "summary_on")
    evaluated = _first_per(kept["evaluations"], "project_id", "evaluated_on", "evaluated_on_first")
    frames["projects"] = (
        frames["projects"]
        .join(summaries, on="project_id", how="left", maintain_order="left")
        .join(evaluated, on="project_id", how="left", maintain_order="left")
    )

    frames["sanctions"] = frames["sanctions"].with_columns(
        wd.between_expr("issued_on", "rectified_on").alias("rectify_wd")
    )
    return frames, set_aside


#: the columns a set-aside row gets: what names it, and why it is not counted (zh, en)
SET_ASIDE_COLUMNS: Final = ("set_aside_what", "set_aside_zh", "set_aside_en")


def one_rating_per_request(
    surveys: pl.DataFrame, period_end: dt.date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ratings that count and those a later rating of the same request replaced.

    Of the ratings of one ``request_id`` answered by the period's end, the latest by
    ``answered_on`` counts, and among those of the same day the last in row order (by
    file name, then row). The others are set aside with ``superseded_by`` (the rating
    that counts) and the :data:`SET_ASIDE_COLUMNS`. Ratings without ``request_id`` each
    count; a rating after the period's end replaces none (the period's result does not
    change when later ratings are added to the data). The counted rows keep their order.
    """
    rid = pl.col("request_id")
    considered = rid.is_not_null() & (pl.col("answered_on") <= period_end)
    empty = surveys.head(0).with_columns(
        pl.lit(None, pl.String).alias("superseded_by"),
        *(pl.lit(None, pl.String).alias(c) for c in SET_ASIDE_COLUMNS),
    )
    # the considered ratings of a request rated more than once among those considered: the
    # only ones a rating can replace, and the only ones grouped (the others are not copied)
    repeated = surveys.with_row_index("_i").filter(
        considered & pl.when(considered).then(rid).is_duplicated()
    )
    if not repeated.height:
        return surveys, empty
    order = [pl.col("answered_on"), pl.col(FILE), pl.col(ROW)]
    latest = repeated.group_by("request_id").agg(
        pl.col("_i").sort_by(order).last().alias("_keep"),
        pl.col("response_id").sort_by(order).last().alias("superseded_by"),
        pl.col("answered_on").sort_by(order).last().alias("_on"),
    )
    replaced = repeated.join(latest, on="request_id", how="left", maintain_order="left").filter(
        pl.col("_i") != pl.col("_keep")
    )
    superseded = replaced.select(
        *surveys.columns,
        "superseded_by",
        pl.col("response_id").alias("set_aside_what"),
        pl.format("服务需求 {} 以 {} 的评价 {} 为准", rid, pl.col("_on"), "superseded_by").alias(
            "set_aside_zh"
        ),
        pl.format("request {}: replaced by {} of {}", rid, "superseded_by", pl.col("_on")).alias(
            "set_aside_en"
        ),
    )
    gone = pl.repeat(False, surveys.height, eager=True).scatter(replaced["_i"], True)
    # in id order: the notes and explain do not depend on the order of the rows
    return surveys.filter(~gone), superseded.sort("response_id")


def _after_completion(
    rows: pl.DataFrame, done: pl.DataFrame, column: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``rows`` (summaries or evaluations) dated on or after their project's completion, and
    the others set aside: dated before it, or of a project with no ``completed_on``."""
    joined = rows.join(done, on="project_id", how="left", maintain_order="left")
    early = pl.col(column) < pl.col("_done")
    missing = pl.col("_done").is_null()
    out = joined.filter(early | missing).select(
        *rows.columns,
        pl.format("{} {}", pl.col("project_id"), pl.col(column)).alias("set_aside_what"),
        pl.when(missing)
        .then(pl.lit("项目没有完成日期"))
        .otherwise(pl.format("早于项目完成日期 {}", pl.col("_done")))
        .alias("set_aside_zh"),
        pl.when(missing)
        .then(pl.lit("the project has no completed_on"))
        .otherwise(pl.format("before the project's completion on {}", pl.col("_done")))
        .alias("set_aside_en"),
    )
    if not out.height:
        return rows, out
    kept = joined.filter(~(early | missing)).select(rows.columns)
    return kept, out.sort("project_id", column, maintain_order=True)


#: how a data note names the rows of a record type that are set aside (zh, en)
SET_ASIDE_NOTES: Final = {
    "surveys": (
        "满意度测评 {n} 条被同一服务需求的追评取代，不计入任何评分、预警和表彰",
        "{n} survey response(s) replaced by a later rating of the same request, counted nowhere",
    ),
    "summaries": (
        "项目小结 {n} 条早于项目完成日期或所属项目没有完成日期，不计",
        "{n} summary(ies) dated before the project's completion, or of a project with no "
        "completed_on, not counted",
    ),
    "evaluations": (
        "绩效评价 {n} 条早于项目完成日期或所属项目没有完成日期，不计",
        "{n} evaluation(s) dated before the project's completion, or of a project with no "
        "completed_on, not counted",
    ),
}
#: how many rows a data note names (the count says how many there are)
NOTE_NAMES: Final = 10


def set_aside_notes(ev: Evidence) -> tuple[str, ...]:
    """One data note per record type with rows set aside: how many, and the first
    :data:`NOTE_NAMES` of them, each with why."""
    out = []
    for name, rows in ev.set_aside.items():
        n = rows.height
        zh, en = SET_ASIDE_NOTES.get(
            name, ("{label} {n} 条不计", "{n} row(s) of {name} not counted")
        )
        label = ev.record_types[name].label if name in ev.record_types else name
        head_zh, head_en = zh.format(n=n, label=label), en.format(n=n, name=name)
        named = rows.head(NOTE_NAMES)
        listed_zh = "、".join(
            f"{w}（{why}）" for w, why in named.select("set_aside_what", "set_aside_zh").iter_rows()
        )
        listed_en = ", ".join(
            f"{w} ({why})" for w, why in named.select("set_aside_what", "set_aside_en").iter_rows()
        )
        more_zh = f"…（共 {n} 条）" if n > NOTE_NAMES else ""
        more_en = f" … ({n} in all)" if n > NOTE_NAMES else ""
        out.append(f"{head_zh}：{listed_zh}{more_zh} / {head_en}: {listed_en}{more_en}")
    return tuple(out)


def build_evidence(
    ds: Dataset,
    workdays: WorkdayTable,
    period: tuple[dt.date, dt.date],
    record_types: Mapping[str, RecordType],
    *,
    completion_days: Mapping[str, int],
) -> Evidence:
    """Candidates, derived frames and the calendar: what every rule and threshold reads.

    ``completion_days`` are the ruleset's ``[limits]``: each request is marked against
    its kind's limit (:func:`mark_completion`)."""
    frames, set_aside = derive(
        ds,
        workdays,
        period_end=period[1],
        completion_days=completion_days,
        period_start=period[0],
        timezone=ds.timezone,
    )
    return Evidence(
        candidates=candidates_of(ds, record_types),
        frames=frames,
        set_aside=set_aside,
        record_types=record_types,
        period_start=period[0],
        period_end=period[1],
        workdays=workdays,
        timezone=ds.timezone,
    )
