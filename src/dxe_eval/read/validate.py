"""
Reading a data set: files (CSV, JSON Lines, XLSX) or in-memory records into typed columns.

Every row read is accepted or rejected with its file, row, column and reason;
the per-type counts travel with the result and ``read == accepted + rejected``
always holds. A missing required column or an unreadable file is a
:class:`~dxe_eval.errors.DataError`: the run cannot go on without it.

Row numbers are the ones a person sees: in a CSV file or a sheet the header is
row 1 and the first record row 2; in a JSON Lines file, the line number; in
in-memory records, the record's position counting from 1.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import polars as pl

from dxe_eval.errors import DataError, nearest
from dxe_eval.read.parse import (
    SEP,
    bad_expr,
    fix_other_shapes,
    fixed_offset,
    in_fixed_window,
    local_date_expr,
    other_shape_expr,
    parse_expr,
    problem_expr,
    readable,
    shown,
)
from dxe_eval.read.raw import (
    FILE,
    ROW,
    Blank,
    Counts,
    Dataset,
    FileColumns,
    Raw,
    Rejection,
    SourceFile,
)
from dxe_eval.schema import Column, RecordType

_TEXT = "__text:"  # internal column names in validation


_OTHER = "__other:"


_STRIP = "__strip:"


_RAW = "__raw:"


def type_order(record_types: Mapping[str, RecordType]) -> list[str]:
    """Record types ordered so that every referenced type comes before its referrers."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name in visiting or name not in record_types:
            return
        visiting.add(name)
        for col in record_types[name].columns:
            if col.refers_to == "candidates":
                for t in record_types.values():
                    if t.candidate_kind:
                        visit(t.name)
            elif col.refers_to:
                visit(col.refers_to)
        visiting.discard(name)
        order.append(name)

    for name in record_types:
        visit(name)
    return order


def _validate(
    rt: RecordType,
    raws: list[Raw],
    tz: str,
    known: Mapping[str, pl.Series],
    rejected_ids: Mapping[str, Mapping[str, Rejection]],
    record_types: Mapping[str, RecordType],
    dates: Mapping[tuple[str, str], pl.DataFrame] | None = None,
) -> tuple[pl.DataFrame, list[Rejection], list[Blank], int, dict[str, int]]:
    """The accepted rows, the rejections, the cells left empty in accepted rows, the rows
    read, and the rows read per file.

    ``rejected_ids``: per record type, its rejected rows by id, so that a reference to
    one names it (:func:`_cascaded`); ``dates``: the accepted rows' dates that the type's
    :class:`~dxe_eval.schema.RefCheck` compare with (:func:`ref_dates`)."""
    refs = _RefDates(record_types, dates or {})
    nul_free = all(r.nul_free for r in raws)
    try:
        text = _text_of(rt, raws)
        frame, bad_rows, blank_rows = _parse_all(
            rt, text, tz, known, nul_free, refs, _text_pieces(rt, raws)
        )
    except pl.exceptions.PolarsError:
        # polars could not read some file as it is: those files the slow way
        raws = [_materialized(raw) for raw in raws]
        text = _text_of(rt, raws)
        nul_free = all(r.nul_free for r in raws)
        frame, bad_rows, blank_rows = _parse_all(rt, text, tz, known, nul_free, refs)
    rejected: list[Rejection] = [r for raw in raws for r in raw.pre_rejected]
    headers = {raw.file: raw.headers for raw in raws}
    read = frame.height + len(rejected)
    per_file = Counter(r.file for r in rejected)
    if frame.height and len(raws) == 1:  # one file: all its rows (no group-by of a million)
        per_file[raws[0].file] += frame.height
    elif frame.height:
        per_file.update(dict(frame.group_by(FILE).len().iter_rows()))
    if blank_rows is not None:  # known only once rejections are: kept beside the rows
        frame = frame.with_columns(blank_rows.alias(_BLANKED))
    if bad_rows is not None:
        # why, only for the rejected rows: the same tests on them, with the reasons (their
        # text read again: for a CSV file, from its bytes)
        bad = frame.filter(bad_rows)
        bad_text = text.join(
            bad.select(FILE, ROW).lazy(), on=[FILE, ROW], how="semi", maintain_order="left"
        ).collect()
        rejected.extend(
            _reasons(rt, bad_text, bad, known, rejected_ids, record_types, headers, refs)
        )
        frame = frame.filter(~bad_rows)
    if rt.id_column and frame.height:
        dup = duplicated(frame[rt.id_column])
        if dup is not None:
            firsts = frame.filter(~dup).select(rt.id_column, ROW, FILE)
            lookup = {k: (r, f) for k, r, f in firsts.iter_rows()}
            id_col = rt.column(rt.id_column)
            for ident, row, file in frame.filter(dup).select(rt.id_column, ROW, FILE).iter_rows():
                r0, f0 = lookup[ident]
                head = headers.get(file, {}).get(rt.id_column, id_col.label)
                rejected.append(
                    Rejection(
                        record_type=rt.name,
                        file=file,
                        row=row,
                        column=rt.id_column,
                        reason=shown(
                            f"{head} {ident} 重复，保留 {f0} 第 {r0} 行{SEP}"
                            f"duplicate id {ident}: the first, {f0} row {r0}, is kept"
                        ),
                        ident=ident,
                    )
                )
            frame = frame.filter(~dup)
    blanks: list[Blank] = []
    if _BLANKED in frame.columns:
        rows = frame.filter(pl.col(_BLANKED)).drop(_BLANKED)
        if rows.height:
            rows_text = text.join(
                rows.select(FILE, ROW).lazy(), on=[FILE, ROW], how="semi", maintain_order="left"
            ).collect()
            blanks = _blanks(rt, rows_text, rows, headers)
        frame = frame.drop(_BLANKED)
    return frame, rejected, blanks, read, dict(per_file)


class _RefDates(NamedTuple):
    """What the :class:`~dxe_eval.schema.RefCheck` of a type compare with: the record
    types, and per referenced type and column its accepted rows' ids, sorted, beside
    their dates (:func:`ref_dates`)."""

    record_types: Mapping[str, RecordType]
    dates: Mapping[tuple[str, str], pl.DataFrame]


def ref_dates(
    frame: pl.DataFrame, rt: RecordType, record_types: Mapping[str, RecordType]
) -> dict[tuple[str, str], pl.DataFrame]:
    """The dates of ``frame`` (the accepted rows of ``rt``) that another type's
    :class:`~dxe_eval.schema.RefCheck` compares with, by ``(rt.name, column)``: the ids
    (``id``, strings, sorted) beside the column's values (``day``; of a time, its local
    date), so that a row finds its record's date by binary search (:func:`_looked_up`)."""
    out: dict[tuple[str, str], pl.DataFrame] = {}
    if rt.id_column is None:
        return out
    for other in record_types.values():
        for check in other.ref_checks:
            if other.column(check.via).refers_to != rt.name or (rt.name, check.other) in out:
                continue
            col = rt.column(check.other)
            day = pl.col(check.other)
            if col.type == "datetime":
                day = local_date_expr(frame[check.other])
            got = frame.select(pl.col(rt.id_column).cast(pl.String).alias("id"), day.alias("day"))
            out[(rt.name, check.other)] = got if got["id"].is_sorted() else got.sort("id")
    return out


def _looked_up(s: pl.Expr, by_id: pl.DataFrame) -> pl.Expr:
    """The ``day`` of the row of ``by_id`` (sorted by ``id``) whose id is each value of
    ``s``; null for a value that is no id there."""
    n = by_id.height
    if not n:
        return pl.lit(None, by_id.schema["day"])
    ids = pl.lit(by_id["id"])
    at = ids.search_sorted(s).clip(0, n - 1)
    return pl.when(ids.gather(at) == s).then(pl.lit(by_id["day"]).gather(at))


def _ref_date_checks(
    rt: RecordType, refs: _RefDates, head: Callable[[Column], pl.Expr]
) -> list[_Check]:
    """The :class:`~dxe_eval.schema.RefCheck` of ``rt`` as row tests: a date earlier than
    the date of the record its ``via`` column refers to (that record's accepted row; for
    a time, its local date). The reason names the column as the check's ``what`` says,
    else by its header (``head``)."""
    out: list[_Check] = []
    for check in rt.ref_checks:
        target = rt.column(check.via).refers_to or ""
        other_rt = refs.record_types.get(target)
        by_id = refs.dates.get((target, check.other))
        if other_rt is None or by_id is None or not by_id.height:
            continue
        olabel = other_rt.column(check.other).label
        if other_rt.column(check.other).type == "datetime":  # named as a date: 接收日期
            olabel = f"{olabel.removesuffix('时间')}日期"
        other = _looked_up(pl.col(check.via), by_id)
        bad = (pl.col(check.column) < other).fill_null(False)
        what = pl.lit(check.what) if check.what else head(rt.column(check.column))
        reason = pl.format(
            f"{{}} {{}} 早于其{other_rt.label} {{}} 的{olabel} {{}}{SEP}"
            f"{check.column} {{}} is before {check.other} {{}} of {{}} in {target}",
            what,
            pl.col(check.column),
            pl.col(check.via),
            other,
            pl.col(check.column),
            other,
            pl.col(check.via),
        )
        out.append(_Check(check.column, bad, pl.when(bad).then(reason)))
    return out


_BLANKABLE = "__blankable"


_BLANK = "__blank"


def _text_rows(rt: RecordType, raw: Raw, f: pl.LazyFrame) -> pl.LazyFrame:
    """The text rows ``f`` of ``raw`` (all of it, or a piece) with every column of the
    type (a column the file lacks: empty) and their file."""
    have = set(f.collect_schema().names())
    missing = [c.name for c in rt.columns if c.name not in have]
    if missing:
        f = f.with_columns([pl.lit(None, dtype=pl.String).alias(c) for c in missing])
    return f.select([c.name for c in rt.columns] + [ROW]).with_columns(
        pl.lit(raw.file).alias(FILE), pl.lit(raw.blankable).alias(_BLANKABLE)
    )


def _text_pieces(rt: RecordType, raws: list[Raw]) -> list[Callable[[], pl.LazyFrame]]:
    """The text rows of the type's files in pieces, in order, each made when called: a
    file read in pieces (:attr:`~dxe_eval.read.raw.Raw.parts`) piece by piece, any other
    file whole. None (``[]``) when no file is read in pieces: the type's text is then
    the one query of :func:`_text_of`."""
    if not any(raw.parts for raw in raws):
        return []
    return [
        functools.partial(_text_piece, rt, raw, part)
        for raw in raws
        for part in (raw.parts or (raw.frame.lazy,))
    ]


def _text_piece(rt: RecordType, raw: Raw, part: Callable[[], pl.LazyFrame]) -> pl.LazyFrame:
    return _text_rows(rt, raw, part())


def _text_of(rt: RecordType, raws: list[Raw]) -> pl.LazyFrame:
    """The text rows of all the record type's files as one query, with their file."""
    frames = [_text_rows(rt, raw, raw.frame.lazy()) for raw in raws]
    if frames:
        return pl.concat(frames, how="vertical")
    return pl.LazyFrame(
        {
            **{c.name: pl.Series([], dtype=pl.String) for c in rt.columns},
            ROW: pl.Series([], dtype=pl.Int64),
            FILE: pl.Series([], dtype=pl.String),
            _BLANKABLE: pl.Series([], dtype=pl.Boolean),
        }
    )


def _materialized(raw: Raw) -> Raw:
    """``raw`` with its rows read: by polars if it can, else the slow way."""
    if isinstance(raw.frame, pl.DataFrame):
        return raw
    try:
        return attrs.evolve(raw, frame=raw.frame.collect(), fallback=None, parts=())
    except pl.exceptions.PolarsError:
        if raw.fallback is None:
            raise
        return raw.fallback()


def _text_exprs(rt: RecordType) -> dict[str, pl.Expr]:
    """Each column's cell text stripped, an empty cell null (``_STRIP`` columns hold the strip)."""
    return {
        c.name: pl.when(pl.col(f"{_STRIP}{c.name}") != "").then(pl.col(f"{_STRIP}{c.name}"))
        for c in rt.columns
    }


def _strip(rt: RecordType, prefix: str = "") -> list[pl.Expr]:
    """Each column's cell text (from the column ``prefix + name``) stripped, as ``_STRIP``."""
    return [
        pl.col(f"{prefix}{c.name}").str.strip_chars().alias(f"{_STRIP}{c.name}") for c in rt.columns
    ]


def _texts(rt: RecordType) -> list[pl.Expr]:
    """The ``_TEXT`` columns the row tests read: the stripped text, an empty cell null."""
    return [e.alias(f"{_TEXT}{name}") for name, e in _text_exprs(rt).items()]


class _Check(NamedTuple):
    """A test of a parsed row: the column it names (``None``: the whole row), whether the
    row fails it, why (null where it does not), and the record type a reference names."""

    column: str | None
    bad: pl.Expr
    reason: pl.Expr
    refers_to: str | None = None


def _row_checks(
    rt: RecordType,
    known: Mapping[str, pl.Series],
    nul_free: bool = False,
    header: Callable[[Column], pl.Expr] | None = None,
    refs: _RefDates | None = None,
) -> list[_Check]:
    """The tests that reject a row, in the order their reasons are reported: a repeated
    header row, the cells of required columns (on the ``_TEXT`` columns), the ordering
    checks, the references and the dates compared with the referenced records'
    (``refs``: :func:`_ref_date_checks`). A cell of an optional column that cannot be read does not
    reject its row: it is left empty (:func:`_blank_exprs`).
    ``nul_free``: the files hold no NUL byte, so the test for one is left out.
    ``header``: per column, its header as the row's file spells it, which the reasons
    name (default: the column's label)."""
    out: list[_Check] = []

    def head(col: Column) -> pl.Expr:
        return pl.lit(col.label) if header is None else header(col)

    repeated = _header_row_expr(rt)
    if repeated is not None:  # first: a header row read as data fails every other test
        out.append(
            _Check(
                None,
                repeated,
                pl.when(repeated).then(
                    pl.lit(
                        f"重复的表头行，例如两份导出文件拼接而成{SEP}"
                        "a repeated header row, as when two exports are joined"
                    )
                ),
            )
        )
    for col in rt.columns:
        if not col.required:
            continue
        out.append(
            _Check(
                col.name,
                bad_expr(f"{_TEXT}{col.name}", col.name, col, nul_free=nul_free),
                problem_expr(f"{_TEXT}{col.name}", col.name, col, head(col)),
            )
        )
    types = {c.name: c.type for c in rt.columns}
    for check in rt.checks:
        bad = (pl.col(check.column) < pl.col(check.not_before)).fill_null(False)
        # the reason shows both values: 整改日期早于评价日期 (…)（2022-03-01 < 2022-03-05）
        zh, en = _split_reason(check.reason)
        a = _value_text(check.column, types[check.column])
        b = _value_text(check.not_before, types[check.not_before])
        said = (
            pl.format(f"{zh}（{{}} < {{}}）{SEP}{en} ({{}} < {{}})", a, b, a, b)
            if en
            else pl.format(f"{zh}（{{}} < {{}}）", a, b)
        )
        out.append(_Check(check.column, bad, pl.when(bad).then(said).otherwise(None)))
    for col in rt.columns:  # references to unknown ids
        if not col.refers_to:
            continue
        ids = known.get(col.refers_to, pl.Series([], dtype=pl.String))
        s = pl.col(col.name)
        bad = (s.is_not_null() & ~member(s, ids)).fill_null(False)
        target = "candidate" if col.refers_to == "candidates" else col.refers_to
        # 找不到单位编号 DW01 / unknown units id DW01 (the header as the file spells it)
        reason = (
            pl.when(bad)
            .then(
                pl.format(
                    f"找不到{{}} {{}}{SEP}unknown {target} id {{}}",
                    _spaced(head(col)),
                    s,
                    s,
                )
            )
            .otherwise(None)
        )
        out.append(_Check(col.name, bad, reason, col.refers_to))
    if refs is not None:
        out.extend(_ref_date_checks(rt, refs, head))
    return out


def _split_reason(reason: str) -> tuple[str, str]:
    """A :class:`~dxe_eval.schema.RowCheck`'s reason, ``中文 (English)`` or
    ``中文 / English``, as its Chinese and English parts (``""``: none)."""
    if " / " in reason:
        zh, _, en = reason.partition(" / ")
        return zh.strip(), en.strip()
    if reason.endswith(")") and " (" in reason:
        zh, _, en = reason[:-1].rpartition(" (")
        return zh.strip(), en.strip()
    return reason, ""


def _spaced(header: pl.Expr) -> pl.Expr:
    """A header after a Chinese word: an English one set off by a space (找不到 unit_id)."""
    return (
        pl.when(header.str.contains(r"^[\x00-\x7f]")).then(pl.lit(" ") + header).otherwise(header)
    )


def _value_text(column: str, kind: str) -> pl.Expr:
    """A parsed date or time as a reason shows it (a time to the minute, local)."""
    if kind == "datetime":
        return pl.col(column).dt.strftime("%Y-%m-%d %H:%M")
    return pl.col(column).cast(pl.String)


def _header_row_expr(rt: RecordType) -> pl.Expr | None:
    """Whether a row is a header row repeated inside the file: each required cell holds a
    column name or label of the record type (in any order, in the usual cases)."""
    words: set[str] = set()
    for col in rt.columns:
        words |= {col.name, col.name.lower(), col.name.upper(), col.name.title(), col.label}
    required = [c.name for c in rt.columns if c.required]
    if not required:
        return None
    return pl.all_horizontal(
        [pl.col(f"{_TEXT}{c}").is_in(sorted(words)).fill_null(False) for c in required]
    )


#: from this many ids on, a reference is looked up by binary search, not in a hash set
SEARCH_FROM = 200_000


def member(s: pl.Expr, ids: pl.Series, search_from: int | None = None) -> pl.Expr:
    """Whether each value of ``s`` is one of ``ids`` (sorted, as :func:`known_ids` keeps
    them). A few thousand ids (units, people) go in a hash set, which costs next to
    nothing; a million (requests) are searched, value by value, in their sorted
    order, which costs about half the hash set ``is_in`` would build and probe."""
    if ids.len() == 0:
        return pl.lit(False)
    if ids.len() < (SEARCH_FROM if search_from is None else search_from):
        return s.is_in(ids.implode())
    sorted_ids = pl.lit(ids)
    at = sorted_ids.search_sorted(s).clip(0, ids.len() - 1)
    return sorted_ids.gather(at) == s


def known_ids(ids: pl.Series) -> pl.Series:
    """Accepted ids as :func:`member` searches them: strings, sorted (in files written
    in id order, as most are, already so: then the column itself, not a sorted copy of
    its 30 million strings at a national size)."""
    ids = ids.cast(pl.String)
    return ids if ids.is_sorted() else ids.sort()


def duplicated(ids: pl.Series) -> pl.Series | None:
    """Which ids repeat one before them (``None``: none does). Ids that strictly increase,
    as in most files, are known to be distinct without hashing them all."""
    n = ids.len()
    if n < 2:
        return None
    if ids.null_count() == 0 and (ids.slice(1) > ids.slice(0, n - 1)).all():
        return None
    dup = ~ids.is_first_distinct()
    return dup if dup.any() else None


_BAD = "__bad"


_BLANKED = "__blanked"


def _parse_all(
    rt: RecordType,
    text: pl.LazyFrame,
    tz: str,
    known: Mapping[str, pl.Series],
    nul_free: bool = False,
    refs: _RefDates | None = None,
    pieces: Sequence[Callable[[], pl.LazyFrame]] | None = None,
) -> tuple[pl.DataFrame, pl.Series | None, pl.Series | None]:
    """Every column parsed, which rows are rejected and which have a cell left empty
    (``None``: none is).

    One query strips each cell once, parses every column and tests every row;
    the text lives only inside the query (for a CSV file, polars reads it as the
    query runs). Dates and times of an uncommon shape, if any, are then parsed by
    the general pattern and the rows tested again. A wholly blank line of a CSV
    file is dropped: it is no row. A cell of an optional column that cannot be read
    is null in the frame (:func:`_blank_exprs` tells which).
    """
    pieces = pieces or [lambda: text]
    columns = [c.name for c in rt.columns]
    t_of = _text_exprs(rt)
    others = {c.name: e for c in rt.columns if (e := other_shape_expr(t_of[c.name], c)) is not None}
    flags = [f"{_OTHER}{name}" for name in others]
    checks = _row_checks(rt, known, nul_free, refs=refs)
    bad = pl.any_horizontal([c.bad for c in checks]) if checks else pl.lit(False)
    blanks = _blank_exprs(rt)
    blanked = pl.any_horizontal([b for _, b in blanks]) if blanks else pl.lit(False)
    blank = pl.col(_BLANKABLE) & pl.all_horizontal(
        [pl.col(f"{_TEXT}{c}").is_null() for c in columns]
    )

    def query(fixed: bool) -> pl.DataFrame:
        # piece by piece when the files come in pieces: only a piece's text and working
        # columns are held at once, beside the typed rows so far
        done = [one(piece(), fixed) for piece in pieces]
        return done[0] if len(done) == 1 else pl.concat(done, how="vertical", rechunk=False)

    def one(text: pl.LazyFrame, fixed: bool) -> pl.DataFrame:
        return (
            text.with_columns(_strip(rt))
            .with_columns(
                [
                    readable(
                        t_of[c.name],
                        parse_expr(t_of[c.name], c, tz, fixed=fixed),
                        c,
                        nul_free=nul_free,
                    ).alias(c.name)
                    for c in rt.columns
                ]
                + _texts(rt)
            )
            .select(
                [*columns, ROW, FILE, bad.alias(_BAD), blanked.alias(_BLANKED), blank.alias(_BLANK)]
                + [e.alias(flag) for e, flag in zip(others.values(), flags, strict=True)]
            )
            .collect()
        )

    # times placed by the zone's one offset, when it has one where they all fall
    by_offset = fixed_offset(tz) is not None and any(c.type == "datetime" for c in rt.columns)
    parsed = query(by_offset)
    if by_offset and not all(
        in_fixed_window(parsed[c.name], tz) for c in rt.columns if c.type == "datetime"
    ):  # a time outside the window: placed in the zone one by one
        parsed = query(fixed=False)
    if flags and parsed.height:
        anyflag = parsed.select(pl.col(flags).any()).row(0)
        todo = [name for name, has in zip(others, anyflag, strict=True) if has]
        if todo:  # the text again (rare: dates written another way), row for row
            raw = text.select(columns).collect()
            fixed = [
                fix_other_shapes(
                    parsed[name],
                    raw[name],
                    parsed[f"{_OTHER}{name}"].arg_true(),
                    rt.column(name),
                    tz,
                ).alias(name)
                for name in todo
            ]
            # test the rows again with the values the general pattern gave
            parsed = parsed.with_columns(fixed)
            again = (
                _with_text(rt, parsed, raw)
                .select(bad.alias(_BAD), blanked.alias(_BLANKED))
                .collect()
            )
            parsed = parsed.with_columns(again[_BAD], again[_BLANKED])
    if parsed.height and parsed[_BLANK].any():
        parsed = parsed.filter(~pl.col(_BLANK))
    frame = parsed.select([*columns, ROW, FILE])
    bad_rows = parsed[_BAD]
    blank_rows = parsed[_BLANKED] & ~bad_rows
    return (
        frame,
        bad_rows if frame.height and bad_rows.any() else None,
        blank_rows if frame.height and blank_rows.any() else None,
    )


def _with_text(rt: RecordType, parsed: pl.DataFrame, text: pl.DataFrame) -> pl.LazyFrame:
    """The parsed rows beside their stripped text (``_TEXT`` columns), for the row tests."""
    columns = [c.name for c in rt.columns]
    raw = text.select([pl.col(c).alias(f"{_RAW}{c}") for c in columns])
    return (
        # in one chunk: the rows are few (rejected or with a cell left empty), and polars
        # 2.1 panics formatting a reason over columns cut into chunks at different rows
        # (tests/data/bad/rejected-ratings-of-one-request)
        pl.concat([parsed.select([*columns, ROW, FILE]), raw], how="horizontal")
        .rechunk()
        .lazy()
        .with_columns(_strip(rt, _RAW))
        .with_columns(_texts(rt))
    )


def _reasons(
    rt: RecordType,
    text: pl.DataFrame,
    parsed: pl.DataFrame,
    known: Mapping[str, pl.Series],
    rejected_ids: Mapping[str, Mapping[str, Rejection]],
    record_types: Mapping[str, RecordType],
    headers: Mapping[str, Mapping[str, str]] | None = None,
    refs: _RefDates | None = None,
) -> list[Rejection]:
    """The rejected rows (their text and parsed values), each with its first failing
    check's column and reason (the cell text it quotes with its invisible characters
    escaped: :func:`~dxe_eval.read.parse.shown`).

    A reference to a row that was itself rejected names that row and its reason (the
    first record of a cascade); a value that is not one of a choice column's names the
    nearest that is (:func:`_hint`). A reason names a column by its header in the row's
    file (``headers``: per file, contract name → header as written)."""
    checks = _row_checks(rt, known, header=_header_of(headers or {}), refs=refs)
    no_text = pl.lit(None, pl.String)
    first = (
        _with_text(rt, parsed, text)
        .select(
            pl.coalesce(
                [pl.when(c.reason.is_not_null()).then(pl.lit(i)) for i, c in enumerate(checks)]
            ).alias("i"),
            pl.coalesce([c.reason for c in checks]).alias("reason"),
            pl.coalesce(
                [
                    pl.when(c.reason.is_not_null()).then(
                        pl.col(f"{_TEXT}{c.column}") if c.column else no_text
                    )
                    for c in checks
                ]
            ).alias("value"),
            pl.col(ROW),
            pl.col(FILE),
            (pl.col(f"{_TEXT}{rt.id_column}") if rt.id_column else no_text).alias("ident"),
        )
        .collect()
    )
    out = []
    for i, reason, value, row, file, ident in first.iter_rows():
        check = checks[i]
        if check.refers_to and value is not None:
            reason = _cascaded(check.refers_to, value, reason, rejected_ids, record_types)
        elif check.column is not None:
            reason = _hinted(reason, rt.column(check.column), value)
        out.append(
            Rejection(
                record_type=rt.name,
                file=file,
                row=row,
                column=check.column,
                reason=shown(reason),
                ident=ident,
            )
        )
    return out


def _cascaded(
    target: str,
    value: str,
    reason: str,
    rejected_ids: Mapping[str, Mapping[str, Rejection]],
    record_types: Mapping[str, RecordType],
) -> str:
    """``reason`` for a reference to ``value``, naming the row of ``target`` with that id
    that was rejected, and why, when there is one."""
    first = rejected_ids.get(target, {}).get(value)
    if first is None:
        return reason
    rt = record_types.get(first.record_type)
    label = rt.label if rt is not None else first.record_type
    return (
        f"{label} {value} 在 {first.file} 第 {first.row} 行被拒收（{first.reason}）{SEP}"
        f"{first.record_type} id {value} was rejected at {first.file} row {first.row}"
    )


def _header_of(headers: Mapping[str, Mapping[str, str]]) -> Callable[[Column], pl.Expr]:
    """Per column, its header in each row's file (its label where the file has none)."""

    def header(col: Column) -> pl.Expr:
        spelled = {file: h[col.name] for file, h in headers.items() if col.name in h}
        if not spelled:
            return pl.lit(col.label)
        return pl.col(FILE).replace_strict(
            spelled, default=pl.lit(col.label), return_dtype=pl.String
        )

    return header


def _hinted(reason: str, column: Column, value: str | None) -> str:
    """``reason`` (Chinese, :data:`~dxe_eval.read.parse.SEP`, English) with
    ``；是否应为 X？`` and `` (did you mean X?)`` for a value of a choice column that is
    near one of its values."""
    if column.type != "choice" or not value:
        return reason
    near = nearest(value, list(column.choices))
    if near is None:
        return reason
    zh, sep, en = reason.partition(SEP)
    return f"{zh}；是否应为 {near}？{sep}{en} (did you mean {near}?)"


def _blank_exprs(rt: RecordType) -> list[tuple[str, pl.Expr]]:
    """Per optional column: whether its cell has text that could not be read (the value is
    then null: :func:`~dxe_eval.read.parse.readable`), on the ``_TEXT`` columns."""
    return [
        (c.name, pl.col(f"{_TEXT}{c.name}").is_not_null() & pl.col(c.name).is_null())
        for c in rt.columns
        if not c.required
    ]


def _blanks(
    rt: RecordType,
    text: pl.DataFrame,
    parsed: pl.DataFrame,
    headers: Mapping[str, Mapping[str, str]],
) -> list[Blank]:
    """The cells left empty in the rows given (their text and parsed values): one for each
    optional column whose text could not be read, with the value and why."""
    rows = _with_text(rt, parsed, text).collect()
    header = _header_of(headers)
    out: list[Blank] = []
    for name, flag in _blank_exprs(rt):
        column = rt.column(name)
        t = f"{_TEXT}{name}"
        found = rows.filter(flag).select(
            ROW,
            FILE,
            pl.col(t).str.slice(0, 40).alias("value"),
            problem_expr(t, name, column, header(column)).alias("reason"),
        )
        for row, file, value, reason in found.iter_rows():
            out.append(
                Blank(
                    record_type=rt.name,
                    file=file,
                    row=row,
                    column=name,
                    header=headers.get(file, {}).get(name, column.label),
                    value=shown(value, parts=False),
                    reason=shown(_hinted(reason, column, value)),
                )
            )
    return sorted(out, key=lambda b: (b.file, b.row, [c.name for c in rt.columns].index(b.column)))


def validated(
    raws: dict[str, list[Raw]],
    sources: list[SourceFile],
    warnings: list[str],
    record_types: Mapping[str, RecordType],
    timezone: str,
    data: Any,
    digests: Mapping[str, Future[str]] | None = None,
) -> Dataset:
    """The data set of the raw rows: each type validated, in the order references need.

    The sources get what is known only now: the rows of a file read as a query, and
    the ``digests`` of a folder's files, worked out beside the validation."""
    for rt in record_types.values():
        # the type holding the peer groups (the units): every candidate needs one
        if rt.candidate_kind and rt.category_column and not raws.get(rt.name):
            _no_units(rt, data)
    frames: dict[str, pl.DataFrame] = {}
    counts: dict[str, Counts] = {}
    rejected: list[Rejection] = []
    blanked: list[Blank] = []
    known: dict[str, pl.Series] = {}  # the accepted ids of each type, for references
    # the rejected rows of each type by id (the first one of an id), for references to them
    rejected_ids: dict[str, dict[str, Rejection]] = {"candidates": {}}
    rows_of: dict[str, int] = {}  # rows read per file
    dates: dict[tuple[str, str], pl.DataFrame] = {}  # what the ref checks compare with
    columns = [
        (name, raw.file, raw.headers, raw.tabular) for name, some in raws.items() for raw in some
    ]
    for name in type_order(record_types):
        rt = record_types[name]
        # popped: the text frames of a type are dropped once it is validated
        frame, rej, blanks, read, per_file = _validate(
            rt, raws.pop(name, []), timezone, known, rejected_ids, record_types, dates
        )
        rows_of.update(per_file)
        frames[name] = frame
        rejected.extend(rej)
        blanked.extend(blanks)
        counts[name] = Counts(
            read=read, accepted=frame.height, rejected=len(rej), blanked=len(blanks)
        )
        by_id = {r.ident: r for r in reversed(rej) if r.ident}  # the first of an id wins
        rejected_ids[name] = by_id
        if rt.candidate_kind:
            rejected_ids["candidates"] = {**by_id, **rejected_ids["candidates"]}
        if rt.id_column:
            known[name] = known_ids(frame[rt.id_column])
            dates.update(ref_dates(frame, rt, record_types))
        if rt.candidate_kind:
            known["candidates"] = known_ids(
                pl.concat(
                    [
                        known.get("candidates", pl.Series([], dtype=pl.String)),
                        known.get(name, pl.Series([], dtype=pl.String)),
                    ]
                )
            )
    order = {name: i for i, name in enumerate(record_types)}
    rejected.sort(key=lambda r: (order.get(r.record_type, len(order)), r.file, r.row))
    blanked.sort(key=lambda b: (order.get(b.record_type, len(order)), b.file, b.row))
    if blanked:
        warnings.append(_blank_summary(blanked))
    return Dataset(
        frames={name: frames[name] for name in record_types},
        rejected=tuple(rejected),
        blanked=tuple(blanked),
        columns=tuple(
            FileColumns(record_type=t, file=f, headers=h, rows=rows_of.get(f, 0), tabular=tab)
            for t, f, h, tab in columns
        ),
        counts={name: counts[name] for name in record_types},
        sources=tuple(_completed(src, rows_of, digests or {}) for src in sources),
        warnings=tuple(warnings),
        timezone=timezone,
        origin=str(data) if isinstance(data, str | Path) else "",
    )


def _blank_summary(blanked: Sequence[Blank]) -> str:
    """One warning for the cells left empty: how many, of which types, and the first."""
    per_type = Counter(b.record_type for b in blanked)
    zh = "，".join(f"{k} {v}" for k, v in per_type.items())
    en = ", ".join(f"{k} {v}" for k, v in per_type.items())
    n = len(blanked)
    return (
        f"{n} 个单元格取值无效，已置空，所在行照常接收（{zh}），详见置空清单；"
        f"首个：{blanked[0].describe()} "
        f"/ {n} cell(s) with a value that cannot be read were left empty, their rows kept "
        f"({en}); see the blanked list"
    )


def _no_units(rt: RecordType, data: Any) -> None:
    """Raise for a data set without units, naming what is expected where: a file of the
    folder, a sheet of the workbook, records in memory."""
    en, zh = rt.name, rt.label
    if isinstance(data, str | Path) and Path(data).suffix.lower() == ".xlsx":
        raise DataError(
            f"no {en} sheet: the workbook needs a sheet named {zh} or {en}; "
            "there is nothing to score",
            file=str(data),
            zh=f"缺少{zh}工作表：工作簿中应有名为 {zh} 或 {en} 的工作表",
        )
    if isinstance(data, str | Path):
        raise DataError(  # no file=: the folder is no file
            f"no {en} file: the folder {data} needs {en}.csv or {zh}.csv; "
            "there is nothing to score",
            zh=f"缺少{zh}文件：文件夹 {data} 中应有 {en}.csv 或 {zh}.csv",
        )
    raise DataError(
        f"no {en} records ({en} or {zh}): there is nothing to score",
        zh=f"缺少{zh}记录（{zh} 或 {en}）",
    )


def _completed(
    src: SourceFile, rows_of: Mapping[str, int], digests: Mapping[str, Future[str]]
) -> SourceFile:
    """``src`` with its rows counted in validation (a query) and its digest (a folder's file)."""
    changes: dict[str, Any] = {}
    if src.rows < 0:
        changes["rows"] = rows_of.get(src.path, 0)
    if src.path in digests:
        changes["sha256"] = digests[src.path].result()
    return attrs.evolve(src, **changes) if changes else src
