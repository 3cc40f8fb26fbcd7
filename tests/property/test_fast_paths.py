"""The fast paths give what the plain way gives.

Each speed-up of the province-scale work (docs/performance.md) replaced a plain
formulation by a faster one; these laws hold the two to the same values:
whole-cent arithmetic against exact fractions, a facts list grouped apart
against a list filtered inside the group-by, attribution as a query against
the kept frame.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxe_eval.engine import prepare
from dxe_eval.evidence import CID, KIND, per_candidate
from dxe_eval.manager import get_registry
from dxe_eval.numbers import cents, exact, half_up_div, round2
from dxe_eval.ruleset import DEFAULT_RULESET, load_ruleset
from dxe_eval.totals import card_cents as _card_cents
from dxe_eval.totals import card_numbers as _card_numbers

# points as rules give them: whole cents up to 1,000 points
point_cents = st.integers(min_value=0, max_value=100_000)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_cents_of_a_value_with_two_decimals_is_exact(c: int) -> None:
    # c / 100 is the float nearest the decimal c/100, so its exact value is c/100
    x = c / 100
    assert cents(x) == c
    assert exact(x) == Fraction(c, 100)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_cents_is_none_exactly_when_the_value_is_not_whole_cents(x: float) -> None:
    c = cents(x)
    hundredfold = exact(x) * 100
    if c is None:
        assert hundredfold.denominator != 1
    else:
        assert hundredfold == c


@given(st.integers(-(10**9), 10**9), st.integers(1, 10**6))
def test_half_up_division_is_decimal_half_up(num: int, den: int) -> None:
    expected = (Decimal(num) / Decimal(den)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert half_up_div(num, den) == int(expected)


def _fraction_card(
    weighted: tuple[tuple[float, float], ...],
    bonuses: tuple[float, ...],
    deductions: tuple[float, ...],
    total: float,
) -> tuple[float, float, float, float]:
    """The scorecard arithmetic with exact fractions, as the engine had it."""
    got = sum((exact(p) for p, _ in weighted), Fraction(0))
    most = sum((exact(m) for _, m in weighted), Fraction(0))
    base = got * exact(total) / most if most else Fraction(0)
    base2 = round2(base)
    bonus2 = round2(sum((exact(b) for b in bonuses), Fraction(0)))
    ded2 = round2(sum((exact(d) for d in deductions), Fraction(0)))
    return base2, bonus2, ded2, round2(max(Fraction(0), exact(base2) + exact(bonus2) - exact(ded2)))


@given(
    st.lists(st.tuples(point_cents, point_cents), max_size=12).map(
        lambda pairs: tuple((min(p, m) / 100, m / 100) for p, m in pairs)
    ),
    st.lists(point_cents, max_size=3).map(lambda xs: tuple(x / 100 for x in xs)),
    st.lists(st.sampled_from([0.5, 1.0, 2.0, 5.0, 0.25]), max_size=4).map(tuple),
    st.sampled_from([100.0, 100, 90.0, 120.5, 1000.0]),
)
def test_scorecards_in_cents_equal_the_fraction_arithmetic(
    weighted: tuple[tuple[float, float], ...],
    bonuses: tuple[float, ...],
    deductions: tuple[float, ...],
    total: float,
) -> None:
    expected = _fraction_card(weighted, bonuses, deductions, total)
    assert _card_cents(weighted, bonuses, deductions, total) == expected
    assert _card_numbers(weighted, bonuses, deductions, total) == expected


def test_values_not_in_whole_cents_take_the_fraction_way() -> None:
    # 1/3 of a point is no whole number of cents: the exact way, rounded at the edge
    weighted = ((1 / 3, 1.0), (2.0, 2.0))
    assert _card_cents(weighted, (), (0.125,), 100.0) is None
    assert _card_numbers(weighted, (), (0.125,), 100.0) == _fraction_card(
        weighted, (), (0.125,), 100.0
    )


rows = st.lists(
    st.tuples(
        st.sampled_from(["unit", "person"]),
        st.sampled_from(["A", "B", "C", "D"]),
        st.text("xyz0123", min_size=1, max_size=4),
        st.booleans(),
    ),
    max_size=40,
)


@given(rows)
def test_a_list_grouped_apart_equals_a_list_filtered_in_the_group_by(
    data: list[tuple[str, str, str, bool]],
) -> None:
    frame = pl.DataFrame(
        data,
        schema={KIND: pl.String, CID: pl.String, "id": pl.String, "late": pl.Boolean},
        orient="row",
    )
    late = pl.col("late")
    plain = (
        frame.group_by([KIND, CID])
        .agg(
            pl.len().alias("n"),
            late.sum().alias("late_n"),
            pl.col("id").filter(late).sort().alias("ids"),
        )
        .sort([KIND, CID])
    )
    fast = per_candidate(
        frame, [pl.len().alias("n"), late.sum().alias("late_n")], {"ids": ("id", late)}
    ).sort([KIND, CID])
    assert fast.select(plain.columns).to_dicts() == plain.to_dicts()


def test_attribution_as_a_query_gives_the_kept_frame() -> None:
    # every record type of the bundled example: the same rows, in the same order
    from dxe_eval.engine import default_data

    registry = get_registry()
    ruleset = load_ruleset(DEFAULT_RULESET, registry)
    ev = prepare(default_data(), ruleset, registry).evidence
    for name in ev.frames:
        lazy = ev.attributed_lazy(name).collect()
        kept = ev.attributed(name)
        assert lazy.equals(kept), name
        assert ev.attributed_lazy(name).collect().equals(kept), name  # now from the cache


def test_the_shared_requests_are_the_requests_as_read() -> None:
    # prepare keeps one copy of the requests: the derived frame's columns as read
    from dxe_eval.engine import default_data
    from dxe_eval.read.dataset import read_dataset

    registry = get_registry()
    ruleset = load_ruleset(DEFAULT_RULESET, registry)
    as_read = read_dataset(default_data(), registry.record_types, timezone=ruleset.timezone)
    prepared = prepare(default_data(), ruleset, registry)
    for name, frame in as_read.frames.items():
        assert prepared.dataset.frames[name].equals(frame), name


# ids as files hold them: short codes, some repeated, some missing, in any order
ids_text = st.text(alphabet="RU0123é", min_size=0, max_size=4)


@given(
    st.lists(ids_text, max_size=30),
    st.lists(st.one_of(st.none(), ids_text), max_size=30),
    st.sampled_from([0, 10**9]),  # searched, or in a hash set
)
def test_membership_by_binary_search_is_is_in(
    known: list[str], values: list[str | None], search_from: int
) -> None:
    from dxe_eval.read.validate import known_ids as _known_ids
    from dxe_eval.read.validate import member as _member

    ids = _known_ids(pl.Series(known, dtype=pl.String))
    frame = pl.DataFrame({"v": pl.Series(values, dtype=pl.String)})
    got = frame.select(
        (pl.col("v").is_not_null() & ~_member(pl.col("v"), ids, search_from)).fill_null(False)
    ).to_series()
    every = pl.Series(known, dtype=pl.String).implode()
    want = frame.select(
        (pl.col("v").is_not_null() & ~pl.col("v").is_in(every)).fill_null(False)
    ).to_series()
    assert got.to_list() == want.to_list()


@given(st.lists(st.one_of(st.none(), ids_text), max_size=30), st.booleans())
def test_duplicates_found_without_hashing_are_the_repeats(
    values: list[str | None], ordered: bool
) -> None:
    from dxe_eval.read.validate import duplicated as _duplicated

    given_ids = sorted(v for v in values if v is not None) if ordered else values
    s = pl.Series(given_ids, dtype=pl.String)
    got = _duplicated(s)
    want = ~s.is_first_distinct()
    assert (got.to_list() if got is not None else [False] * s.len()) == want.to_list()


@given(
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    st.sampled_from(["Asia/Shanghai", "Asia/Kolkata", "UTC", "Europe/Berlin"]),
)
def test_a_time_placed_by_the_fixed_offset_is_placed_as_in_the_zone(
    when: dt.datetime, tz: str
) -> None:
    from dxe_eval.read.parse import fixed_offset, in_fixed_window, parse_expr
    from dxe_eval.schema import Column

    col = Column(name="t", label="时间", type="datetime")
    frame = pl.DataFrame({"t": [when.strftime("%Y-%m-%d %H:%M:%S")]})
    by_zone = frame.select(parse_expr(pl.col("t"), col, tz)).to_series()
    by_offset = frame.select(parse_expr(pl.col("t"), col, tz, fixed=True)).to_series()
    if fixed_offset(tz) is None:
        assert by_offset.equals(by_zone)  # no fixed offset: placed in the zone
    elif in_fixed_window(by_offset, tz):
        assert by_offset.equals(by_zone)
    else:  # outside the window the reader parses again, in the zone
        assert not dt.datetime(1992, 1, 1) <= when.replace(microsecond=0) < dt.datetime(2100, 1, 1)


def _words_column(kind: str) -> Any:
    from dxe_eval.records import REQUESTS, VISITS

    return VISITS.column("reached") if kind == "bool" else REQUESTS.column("outcome")


@given(
    st.sampled_from(["bool", "choice"]),
    st.lists(
        st.tuples(
            st.sampled_from(
                ["是", "yes", "true", "n", "×", "delivered", "已办结", "open", "x", ""]
            ),
            st.sampled_from(["as is", "upper", "title"]),
        ),
        max_size=12,
    ),
)
def test_words_looked_up_as_written_then_lower_cased_are_the_lower_cased_lookup(
    kind: str, cells: list[tuple[str, str]]
) -> None:
    from dxe_eval.read.parse import _word_map, fix_other_shapes, other_shape_expr, parse_expr

    column = _words_column(kind)
    cased = {"as is": str, "upper": str.upper, "title": str.title}
    texts = [cased[how](word) or None for word, how in cells]
    frame = pl.DataFrame({"t": pl.Series(texts, dtype=pl.String)})
    t = pl.col("t")
    fast = frame.select(parse_expr(t, column, "UTC")).to_series()
    flag = other_shape_expr(t, column)
    assert flag is not None
    other = frame.select(flag).to_series()
    got = fix_other_shapes(fast, frame["t"], other.arg_true(), column, "UTC")
    dtype = pl.Boolean if kind == "bool" else pl.String
    want = frame.select(
        t.str.to_lowercase().replace_strict(_word_map(column), default=None, return_dtype=dtype)
    ).to_series()
    assert got.to_list() == want.to_list()


@given(
    st.lists(
        st.datetimes(min_value=dt.datetime(1980, 1, 1), max_value=dt.datetime(2120, 1, 1)),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["Asia/Shanghai", "Asia/Kolkata", "UTC", "Europe/Berlin"]),
    st.sampled_from(["ns", "us", "ms"]),
)
def test_local_dates_by_the_fixed_offset_are_the_zones_local_dates(
    instants: list[dt.datetime], tz: str, unit: str
) -> None:
    from dxe_eval.read.parse import local_date_expr

    kind = pl.Datetime(unit)
    utc = pl.Series("t", instants, dtype=kind).dt.replace_time_zone("UTC")
    frame = pl.DataFrame({"t": utc.dt.convert_time_zone(tz)})
    got = frame.select(local_date_expr(frame["t"])).to_series()
    assert got.to_list() == frame.select(pl.col("t").dt.date()).to_series().to_list()


def test_evidence_for_some_kinds_is_the_evidence_filtered_to_them(tmp_path: Path) -> None:
    # on the bundled example and a generated set, for every record type and every set of
    # kinds: the rows attributed for those kinds only are the rows of those kinds, in order;
    # and every built-in rule and threshold that declares collect_per_kind collects from them
    # the facts it collects from all the rows, for those kinds
    from itertools import combinations

    from dxe_eval.engine import default_data
    from dxe_eval.generate import Sizes, generate
    from dxe_eval.model import KINDS

    registry = get_registry()
    ruleset = load_ruleset(DEFAULT_RULESET, registry)
    generate(tmp_path, Sizes(units=20, people=120, projects=30, requests=800, surveys=200), seed=3)
    for data in (default_data(), tmp_path):
        ev = prepare(data, ruleset, registry).evidence
        for n in (1, 2):
            for kinds in map(frozenset, combinations(KINDS, n)):
                some = ev.for_kinds(kinds)
                assert some.kinds == kinds and ev.for_kinds(kinds) is some
                for name in ev.frames:
                    want = ev.attributed(name).filter(pl.col(KIND).is_in(sorted(kinds)))
                    assert some.attributed_lazy(name).collect().equals(want), (name, kinds)
                    assert some.attributed(name).equals(want), (name, kinds)
                stages = [*registry.rules.values(), *registry.thresholds.values()]
                for obj in (o for o in stages if o.collect_per_kind):
                    params = (ruleset.rules | ruleset.thresholds).get(obj.id) or obj.params()
                    order = [KIND, CID]
                    full = obj.collect(ev, params).filter(pl.col(KIND).is_in(sorted(kinds)))
                    got = obj.collect(some, params)
                    assert got.sort(order).equals(full.sort(order)), (obj.id, kinds)
        assert ev.for_kinds(KINDS) is ev


def test_a_shuffled_folder_read_by_binary_search_evaluates_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a generated set written in id order, and the same rows shuffled (so no id column is
    # sorted and the duplicate test hashes), with every reference searched in sorted ids:
    # the same scorecards, findings and lists
    import random

    from dxe_eval import evaluate
    from dxe_eval.generate import Sizes, generate
    from dxe_eval.read import validate as read
    from dxe_eval.report.json import to_dict

    sizes = Sizes(units=20, people=120, projects=30, requests=800, surveys=200)
    generate(tmp_path / "a", sizes, seed=5)
    (tmp_path / "b").mkdir()
    rng = random.Random(5)
    for src in sorted((tmp_path / "a").glob("*.csv")):
        head, *rows = src.read_text(encoding="utf-8").splitlines(keepends=True)
        rng.shuffle(rows)
        (tmp_path / "b" / src.name).write_text(head + "".join(rows), encoding="utf-8")

    def report(folder: Path) -> dict[str, Any]:
        doc = to_dict(evaluate(folder))
        keep = ("records", "rejected", "scorecards", "findings", "commendation", "near_misses")
        return {k: doc[k] for k in (*keep, "excluded")}

    plain = report(tmp_path / "a")
    monkeypatch.setattr(read, "SEARCH_FROM", 0)
    assert report(tmp_path / "b") == plain
    assert report(tmp_path / "a") == plain
