"""A synthetic province-scale data set, for benchmarks and load tests.

:func:`generate_frames` builds every record type of the input contract as
text columns; :func:`generate` writes them as CSV files (one per record type)
or, for small sizes, one ``.xlsx`` workbook. The data are fictitious but have
the shapes of the real thing:

- unit sizes are skewed (log-normal), in the five categories 处室, 直属单位,
  市州局, 县市区局 and 社会服务力量; people, projects and requests go to units
  in proportion to their size;
- requests cluster on working days, some arrive on weekends and holidays, with
  rushes before and after National Day and the Spring Festival; most are
  answered within two working days, with a long tail of late responses and a
  few units much slower than the rest;
- about 95 % of ratings are satisfied, with a few units much worse;
- ledger entries, visits, supervision items, summaries, evaluations,
  capabilities, media items (national ones rare) and earlier sanctions come in
  proportion to the counts asked for.

Everything is columnar: the random numbers come from :mod:`random` as raw
bytes (``Random.randbytes``, stable for a seed across Python versions) and are
turned into uniforms, choices and dates by polars expressions, so a million
requests take seconds. The same sizes and seed give byte-identical files.
"""

from __future__ import annotations

import array
import datetime as dt
import io
import math
import random
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import polars as pl
from attrs import frozen

from dxe_eval.errors import DxeEvalError
from dxe_eval.io.atomic import write_bytes
from dxe_eval.records import BUILTIN_RECORD_TYPES

#: the largest data set written as a workbook (all rows of all sheets)
XLSX_MAX_ROWS: Final = 200_000

#: record types in the order they are written
ORDER: Final = tuple(rt.name for rt in BUILTIN_RECORD_TYPES)  # the contract's order

CATEGORIES: Final = (
    # category, share of units, level, size factor
    ("处室", 0.02, "province", 1.0),
    ("直属单位", 0.03, "province", 1.5),
    ("市州局", 0.02, "city", 4.0),
    ("县市区局", 0.13, "county", 1.5),
    ("社会服务力量", 0.80, "", 0.5),
)
CITIES: Final = (
    "武汉市",
    "黄石市",
    "十堰市",
    "宜昌市",
    "襄阳市",
    "鄂州市",
    "荆门市",
    "孝感市",
    "荆州市",
    "黄冈市",
    "咸宁市",
    "随州市",
    "恩施州",
    "仙桃市",
    "潜江市",
    "天门市",
    "神农架林区",
)
COUNTIES: Final = (
    "江岸区",
    "江汉区",
    "洪山区",
    "蔡甸区",
    "大冶市",
    "阳新县",
    "丹江口市",
    "竹山县",
    "宜都市",
    "当阳市",
    "枝江市",
    "秭归县",
    "枣阳市",
    "宜城市",
    "南漳县",
    "钟祥市",
    "京山市",
    "汉川市",
    "应城市",
    "安陆市",
    "松滋市",
    "石首市",
    "洪湖市",
    "监利市",
    "麻城市",
    "武穴市",
    "蕲春县",
    "赤壁市",
    "嘉鱼县",
    "广水市",
    "随县",
    "利川市",
    "建始县",
    "巴东县",
    "咸丰县",
    "来凤县",
)
OFFICES: Final = (
    "质量发展处",
    "标准化处",
    "计量处",
    "认证监督管理处",
    "登记注册处",
    "信用监督管理处",
    "知识产权促进处",
    "产品质量安全监督管理处",
    "特种设备安全监察处",
    "食品生产安全监督管理处",
)
INSTITUTES: Final = (
    "标准化与质量研究院",
    "计量测试技术研究院",
    "产品质量监督检验研究院",
    "特种设备检验检测研究院",
    "食品质量安全监督检验研究院",
    "纤维质量监测中心",
    "知识产权保护中心",
    "药品监督检验研究院",
)
BRANDS: Final = (
    "众信",
    "华测",
    "楚天",
    "长江",
    "鼎诚",
    "汉正",
    "荆楚",
    "同创",
    "恒信",
    "博达",
    "中鉴",
    "九州",
)
FIRMS: Final = (
    "质量技术服务有限公司",
    "检验检测有限公司",
    "标准化服务中心",
    "计量校准有限公司",
    "知识产权代理有限公司",
    "认证咨询有限公司",
    "行业协会",
)
SURNAMES: Final = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁")
GIVEN: Final = tuple(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏晨欣怡雪"
)
THEMES: Final = (
    "小微企业质量管理体系认证提升",
    "企业首席质量官培育",
    "计量服务中小企业",
    "标准化助力乡村振兴",
    "知识产权质押融资",
    "个转企登记服务",
    "食品小作坊提升",
    "电梯安全保险加服务",
    "重点工业产品质量提升",
    "质量基础设施一站式服务",
    "企业标准领跑者培育",
    "能源计量数据监测",
)
STANDARDS: Final = (
    "GB/T 19001-2016",
    "JJF 1069-2012",
    "GB/T 27922-2011",
    "DB42/T 1759-2021",
    "RB/T 214-2017",
    "GB/T 24421.1-2009",
    "JJF 1033-2016",
    "GB/T 32169.1-2015",
)
SERVICES: Final = (
    "计量器具检定",
    "产品质量检验",
    "标准咨询",
    "认证辅导",
    "商标注册指导",
    "质量诊断",
    "特种设备检验",
    "企业登记帮办",
    "专利预审",
    "能效检测",
)
OUTLETS: Final = {
    "national": ("人民日报", "新华社", "中国市场监管报", "央视新闻"),
    "provincial": ("湖北日报", "湖北广播电视台", "长江云", "楚天都市报"),
    "industry": ("中国质量报", "中国计量", "中国标准化", "中国知识产权报"),
    "city": ("武汉晚报", "宜昌日报", "襄阳日报", "荆州日报", "十堰日报", "黄冈日报"),
}
CHANNELS: Final = ("12345", "12315", "智慧服务一张网", "现场")
KINDS: Final = ("咨询", "求助", "建议", "投诉", "举报", "服务")
COMPLETION: Final = (3, 7, 7, 15, 15, 15)
RATINGS: Final = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")


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


# ---------------------------------------------------------------------------
# random columns
# ---------------------------------------------------------------------------


class _Stream:
    """Uniform random columns from one seeded stream (one stream per record type)."""

    def __init__(self, seed: int, name: str) -> None:
        self._r = random.Random(f"dxe-eval:{seed}:{name}")

    def u(self, n: int, name: str = "u") -> pl.Series:
        """``n`` uniforms in ``[0, 1)`` (32-bit resolution)."""
        raw = array.array("I")
        if raw.itemsize != 4:  # pragma: no cover - exotic platforms
            raw = array.array("L")
        raw.frombytes(self._r.randbytes(4 * n))
        if sys.byteorder == "big":  # pragma: no cover - same numbers on every machine
            raw.byteswap()
        return (pl.Series(name, raw, dtype=pl.UInt32).cast(pl.Float64) / 4294967296.0).alias(name)

    def normal(self, n: int, name: str = "z") -> pl.Series:
        """Standard normal deviates (Box–Muller)."""
        u1 = 1.0 - self.u(n)  # (0, 1]
        u2 = self.u(n)
        return ((-2.0 * u1.log()).sqrt() * (2 * math.pi * u2).cos()).alias(name)

    def choice(self, n: int, weights: Sequence[float], name: str = "i") -> pl.Series:
        """Indexes into ``weights``, each drawn with its weight's share."""
        return pick(self.u(n), weights).alias(name)

    def below(self, n: int, bound: pl.Series | int, name: str = "i") -> pl.Series:
        """A whole number in ``[0, bound)`` for each row (``bound`` may vary by row)."""
        out = (self.u(n) * bound).floor().cast(pl.Int64)
        return out.alias(name)


def pick(u: pl.Series, weights: Sequence[float]) -> pl.Series:
    """Turn uniforms into indexes drawn with the given weights."""
    total = float(sum(weights))
    cum, acc = [], 0.0
    for w in weights:
        acc += w / total
        cum.append(acc)
    cum[-1] = 1.0
    idx = pl.Series(cum, dtype=pl.Float64).search_sorted(u, side="right")
    return idx.cast(pl.Int64).clip(0, len(weights) - 1)


def _ids(prefix: str, n: int) -> pl.Series:
    width = max(4, len(str(n)))
    return pl.select(
        (pl.lit(prefix) + (pl.int_range(1, n + 1).cast(pl.String).str.zfill(width))).alias("id")
    ).to_series()


def _from(values: Sequence[str], idx: pl.Series) -> pl.Series:
    return pl.Series(list(values), dtype=pl.String).gather(idx)


# ---------------------------------------------------------------------------
# calendar
# ---------------------------------------------------------------------------


class _Calendar:
    """Working days from one year before to one year after ``year`` (asked once per date)."""

    def __init__(self, year: int) -> None:
        import chinese_calendar

        self.first = dt.date(year - 1, 1, 1)
        last = dt.date(year + 1, 12, 31)
        days = [self.first + dt.timedelta(days=i) for i in range((last - self.first).days + 1)]
        flags = [bool(chinese_calendar.is_workday(d)) for d in days]
        self.flags = pl.Series("workday", flags, dtype=pl.Boolean)
        self.cum = self.flags.cast(pl.Int64).cum_sum()
        self.workdays = pl.Series(
            "d", [d for d, f in zip(days, flags, strict=True) if f], dtype=pl.Date
        )

    def offset(self, dates: pl.Series) -> pl.Series:
        return (dates.cast(pl.Int64) - (self.first - dt.date(1970, 1, 1)).days).alias("o")

    def add(self, dates: pl.Series, n: pl.Series) -> pl.Series:
        """The date ending the ``n``-th working day after each date (``n = 0``: the date)."""
        o = self.offset(dates).clip(0, len(self.cum) - 1)
        target = self.cum.gather(o) + n  # 1-based rank of the working day wanted
        pos = (target - 1).clip(0, len(self.workdays) - 1)
        moved = self.workdays.gather(pos)
        return (
            pl.DataFrame({"d": dates, "m": moved, "n": n})
            .select(pl.when(pl.col("n") <= 0).then(pl.col("d")).otherwise(pl.col("m")))
            .to_series()
            .alias(dates.name)
        )

    def is_workday(self, dates: pl.Series) -> pl.Series:
        return self.flags.gather(self.offset(dates).clip(0, len(self.flags) - 1))


def _ts(day: str, seconds: str) -> pl.Expr:
    return pl.col(day).cast(pl.Datetime("us")) + pl.duration(seconds=pl.col(seconds))


def _fmt_dt(col: str) -> pl.Expr:
    return pl.col(col).dt.strftime("%Y-%m-%d %H:%M:%S").alias(col)


def _fmt_d(col: str) -> pl.Expr:
    return pl.col(col).dt.strftime("%Y-%m-%d").alias(col)


# ---------------------------------------------------------------------------
# the record types
# ---------------------------------------------------------------------------


def _split(n: int) -> list[int]:
    """Units per category: the declared shares, at least one each where there is room."""
    counts = [int(n * share) for _, share, _, _ in CATEGORIES]
    if n >= len(CATEGORIES):
        counts = [max(1, c) for c in counts]
    while sum(counts) > n:
        i = counts.index(max(counts))
        counts[i] -= 1
    counts[-1] += n - sum(counts)
    return counts


def _units(s: Sizes, rng: _Stream) -> pl.DataFrame:
    n = s.units
    cat_idx: list[int] = []
    for i, c in enumerate(_split(n)):
        cat_idx += [i] * c
    cat = pl.Series("cat", cat_idx, dtype=pl.Int64)
    factor = pl.Series([c[3] for c in CATEGORIES]).gather(cat)
    # a skewed size: log-normal, times the category's factor
    size = ((rng.normal(n) * 1.0).exp() * factor).alias("size")
    # the rank of each unit within its category numbers its name
    rank = (
        pl.DataFrame({"cat": cat})
        .select(pl.int_range(pl.len(), dtype=pl.Int64).over("cat"))
        .to_series()
        .alias("rank")
    )
    city = _from(CITIES, (rng.below(n, len(CITIES))))
    county = _from(COUNTIES, rng.below(n, len(COUNTIES)))
    brand = _from(BRANDS, rng.below(n, len(BRANDS)))
    firm = _from(FIRMS, rng.below(n, len(FIRMS)))
    frame = pl.DataFrame(
        {
            "cat": cat,
            "rank": rank,
            "city": city,
            "county": county,
            "brand": brand,
            "firm": firm,
            "size": size,
            "u_level": rng.u(n),
            "u_parent": rng.u(n),
        }
    )
    n_city = _split(n)[2]
    first_city = sum(_split(n)[:2])
    ids = _ids("U", n)
    office = pl.Series(list(OFFICES))
    institute = pl.Series(list(INSTITUTES))
    r = pl.col("rank")
    suffix = (
        pl.when(r >= pl.lit(len(OFFICES)))
        .then(pl.lit("（") + (r // len(OFFICES) + 1).cast(pl.String) + pl.lit("）"))
        .otherwise(pl.lit(""))
    )
    name = (
        pl.when(pl.col("cat") == 0)
        .then(pl.lit(office).gather(r % len(OFFICES)) + suffix)
        .when(pl.col("cat") == 1)
        .then(
            pl.lit("湖北省")
            + pl.lit(institute).gather(r % len(INSTITUTES))
            + pl.when(r >= len(INSTITUTES))
            .then(pl.lit("分院") + (r // len(INSTITUTES)).cast(pl.String))
            .otherwise(pl.lit(""))
        )
        .when(pl.col("cat") == 2)
        .then(
            pl.lit(pl.Series(list(CITIES))).gather(r % len(CITIES))
            + pl.when(r >= len(CITIES))
            .then(pl.lit("第") + (r // len(CITIES) + 1).cast(pl.String) + pl.lit("分局"))
            .otherwise(pl.lit(""))
            + pl.lit("市场监督管理局")
        )
        .when(pl.col("cat") == 3)
        .then(pl.col("city") + pl.col("county") + pl.lit("市场监督管理局"))
        .otherwise(pl.col("city") + pl.col("brand") + pl.col("firm"))
    )
    levels = pl.Series(["province", "province", "city", "county", ""])
    level = (
        pl.when(pl.col("cat") == 4)
        .then(pl.when(pl.col("u_level") < 0.4).then(pl.lit("city")).otherwise(pl.lit("county")))
        .otherwise(pl.lit(levels).gather(pl.col("cat")))
    )
    if n_city:
        parent_idx = first_city + (pl.col("u_parent") * n_city).floor().cast(pl.Int64)
        parent = (
            pl.when(pl.col("cat") == 3)
            .then(pl.lit(ids).gather(parent_idx))
            .when((pl.col("cat") == 4) & (pl.col("u_level") < 0.6))
            .then(pl.lit(ids).gather(parent_idx))
            .otherwise(pl.lit(None, dtype=pl.String))
        )
    else:
        parent = pl.lit(None, dtype=pl.String)
    staff = (pl.col("size") * 12 + 3).round().cast(pl.Int64)
    return frame.select(
        pl.lit(ids).alias("unit_id"),
        name.alias("name"),
        pl.lit(pl.Series([c[0] for c in CATEGORIES])).gather(pl.col("cat")).alias("category"),
        level.alias("level"),
        parent.alias("parent_id"),
        staff.cast(pl.String).alias("staff_count"),
        pl.col("size").alias("_size"),
    )


def _by_size(rng: _Stream, n: int, units: pl.DataFrame, power: float = 1.0) -> pl.Series:
    """Unit indexes drawn in proportion to unit size (to ``power``)."""
    w = (units["_size"] ** power).to_list()
    return rng.choice(n, w, name="unit")


def _ranges(unit_of: pl.Series, n_units: int) -> pl.DataFrame:
    """For rows sorted by unit: each unit's first row and row count."""
    counts = pl.DataFrame({"unit": unit_of}).group_by("unit").agg(pl.len().alias("count"))
    full = (
        pl.DataFrame({"unit": pl.int_range(0, n_units, eager=True)})
        .join(counts, on="unit", how="left")
        .sort("unit")
        .with_columns(pl.col("count").fill_null(0).cast(pl.Int64))
        .with_columns((pl.col("count").cum_sum() - pl.col("count")).alias("start"))
    )
    return full


def _member(rng: _Stream, unit: pl.Series, ranges: pl.DataFrame, ids: pl.Series) -> pl.Series:
    """A random member (person, project) of each row's unit; null where the unit has none."""
    start = ranges["start"].gather(unit)
    count = ranges["count"].gather(unit)
    k = (rng.u(len(unit)) * count).floor().cast(pl.Int64)
    pos = (start + k).clip(0, max(len(ids) - 1, 0))
    out = ids.gather(pos) if len(ids) else pl.Series([None] * len(unit), dtype=pl.String)
    return (
        pl.DataFrame({"v": out, "c": count})
        .select(pl.when(pl.col("c") > 0).then(pl.col("v")).otherwise(None))
        .to_series()
    )


def _people(s: Sizes, rng: _Stream, units: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    n, nu = s.people, s.units
    first = pl.int_range(0, min(n, nu), eager=True).alias("unit")
    rest = _by_size(rng, max(0, n - nu), units)
    unit = pl.concat([first.cast(pl.Int64), rest]).sort()
    names = (
        _from(SURNAMES, rng.below(n, len(SURNAMES)))
        + _from(GIVEN, rng.below(n, len(GIVEN)))
        + pl.select(
            pl.when(pl.lit(rng.u(n)) < 0.6)
            .then(pl.lit(pl.Series(list(GIVEN))).gather(pl.lit(rng.below(n, len(GIVEN)))))
            .otherwise(pl.lit(""))
        ).to_series()
    )
    frame = pl.DataFrame(
        {
            "person_id": _ids("P", n),
            "name": names,
            "unit_id": units["unit_id"].gather(unit),
            "_unit": unit,
        }
    )
    return frame, _ranges(unit, nu)


def _projects(
    s: Sizes,
    rng: _Stream,
    units: pl.DataFrame,
    people: pl.DataFrame,
    pranges: pl.DataFrame,
    year: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    n = s.projects
    unit = _by_size(rng, n, units).sort()
    leader = _member(rng, unit, pranges, people["person_id"])
    leader = pl.select(
        pl.when(pl.lit(rng.u(n)) < 0.9).then(pl.lit(leader)).otherwise(None)
    ).to_series()
    theme = _from(THEMES, rng.below(n, len(THEMES)))
    kind = _from(("服务行动", "专项行动", "帮扶计划", "试点"), rng.below(n, 4))
    start = dt.date(year, 3, 1)
    span = (dt.date(year + 1, 6, 30) - start).days
    deadline = pl.select(pl.lit(start) + pl.duration(days=pl.lit(rng.below(n, span)))).to_series()
    end = dt.date(year, 12, 31)
    u_done = rng.u(n)
    early = rng.below(n, 45)
    late = rng.below(n, 25)
    u_late = rng.u(n)
    frame = pl.DataFrame(
        {
            "project_id": _ids("J", n),
            "theme": theme,
            "kind": kind,
            "unit_id": units["unit_id"].gather(unit),
            "leader_id": leader,
            "listed_in": pl.select(
                pl.when(pl.lit(rng.u(n)) < 0.4).then(pl.lit("key")).otherwise(pl.lit("capability"))
            ).to_series(),
            "deadline": deadline,
            "u_done": u_done,
            "early": early,
            "late": late,
            "u_late": u_late,
        }
    )
    due = pl.col("deadline") <= end
    completed = (
        pl.when(due & (pl.col("u_done") < 0.85))
        .then(
            pl.when(pl.col("u_late") < 0.15)
            .then(pl.col("deadline") + pl.duration(days=pl.col("late")))
            .otherwise(pl.col("deadline") - pl.duration(days=pl.col("early")))
        )
        .when(~due & (pl.col("u_done") < 0.10))
        .then(pl.lit(end) - pl.duration(days=pl.col("early")))
        .otherwise(None)
    )
    frame = frame.with_columns(completed.alias("completed_on"))
    frame = frame.with_columns(
        pl.when(pl.col("completed_on") > end)
        .then(pl.lit(end))
        .otherwise(pl.col("completed_on"))
        .alias("completed_on")
    )
    out = frame.select(
        "project_id",
        (pl.col("theme") + pl.col("kind")).alias("name"),
        "unit_id",
        "leader_id",
        "listed_in",
        "deadline",
        "completed_on",
        pl.lit(unit).alias("_unit"),
    )
    return out, _ranges(unit, s.units)


def _capabilities(s: Sizes, rng: _Stream, units: pl.DataFrame, year: int) -> pl.DataFrame:
    n = 3 * s.units
    # half spread evenly, half by size: most units list a few items, large ones more
    unit = pl.concat(
        [
            pl.int_range(0, n // 2, eager=True).cast(pl.Int64) % s.units,
            _by_size(rng, n - n // 2, units, power=0.5),
        ]
    ).sort()
    # some units rarely name a standard
    weak = (units["_size"].rank("ordinal") % 7 == 0).gather(unit)
    u = rng.u(n)
    std = _from(STANDARDS, rng.below(n, len(STANDARDS)))
    standard = (
        pl.DataFrame({"u": u, "w": weak, "s": std})
        .select(
            pl.when(pl.col("u") < pl.when(pl.col("w")).then(0.6).otherwise(0.1))
            .then(None)
            .otherwise(pl.col("s"))
        )
        .to_series()
    )
    first = dt.date(year - 3, 1, 1)
    published = pl.select(
        pl.lit(first) + pl.duration(days=pl.lit(rng.below(n, (dt.date(year, 6, 30) - first).days)))
    ).to_series()
    return pl.DataFrame(
        {
            "item_id": _ids("C", n),
            "unit_id": units["unit_id"].gather(unit),
            "name": _from(SERVICES, rng.below(n, len(SERVICES))),
            "standard": standard,
            "published_on": published,
        }
    )


def _day_weights(cal: _Calendar, year: int) -> tuple[list[dt.date], list[float]]:
    """Days requests arrive on (December of the year before through the year), and weights."""
    first = dt.date(year - 1, 12, 1)
    last = dt.date(year, 12, 31)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    work = cal.is_workday(pl.Series(days, dtype=pl.Date)).to_list()
    from chinese_calendar import get_holiday_detail

    weights = []
    for d, w in zip(days, work, strict=True):
        x = 1.0 if w else 0.07
        _, holiday = get_holiday_detail(d)
        if holiday and not w:
            x = 0.05  # the statutory holiday itself: the hotline only
        # rushes before and after the two long holidays
        nd = dt.date(d.year, 10, 1)
        if w and dt.timedelta(days=-7) <= d - nd < dt.timedelta(days=0):
            x *= 1.5
        if w and dt.timedelta(days=7) <= d - nd < dt.timedelta(days=15):
            x *= 1.35
        if w and d.month in (1, 2) and _near_spring_festival(d):
            x *= 1.4
        if d.year < year:
            x *= 0.5  # a thin December of the year before (outside the period)
        weights.append(x * (1.0 + 0.1 * math.sin(d.timetuple().tm_yday / 58.0)))
    return days, weights


def _near_spring_festival(d: dt.date) -> bool:
    from chinese_calendar import get_holiday_detail

    for delta in range(-8, 9):
        other = d + dt.timedelta(days=delta)
        is_h, name = get_holiday_detail(other)
        if is_h and name == "Spring Festival":
            return True
    return False


def _requests(
    s: Sizes,
    rng: _Stream,
    units: pl.DataFrame,
    people: pl.DataFrame,
    pranges: pl.DataFrame,
    projects: pl.DataFrame,
    jranges: pl.DataFrame,
    cal: _Calendar,
    year: int,
) -> pl.DataFrame:
    n = s.requests
    nu = s.units
    unit = _by_size(rng, n, units)
    days, weights = _day_weights(cal, year)
    day = pl.Series(days, dtype=pl.Date).gather(rng.choice(n, weights))
    work = cal.is_workday(day)
    # time of day: office hours, some in the evening (hotline), seconds resolution
    office = (8 * 3600 + 30 * 60) + (rng.u(n) * 9 * 3600).floor().cast(pl.Int64)
    evening = (7 * 3600) + (rng.u(n) * 15 * 3600).floor().cast(pl.Int64)
    u_evening = rng.u(n)
    # per-unit behaviour: most units answer quickly, a few are slow
    slow_u = rng.u(nu)
    p_late = (
        pl.select(
            pl.when(pl.lit(slow_u) < 0.05)
            .then(0.25)
            .when(pl.lit(slow_u) < 0.15)
            .then(0.07)
            .otherwise(0.02)
        )
        .to_series()
        .gather(unit)
    )
    u_late = rng.u(n)
    quick = rng.choice(n, (0.45, 0.38, 0.17))  # 0, 1, 2 working days
    tail = (3 + (-(1.0 - rng.u(n)).log() * 3.0).floor().cast(pl.Int64)).clip(3, 80)
    u_noresp = rng.u(n)
    kind = rng.choice(n, (40, 15, 8, 20, 5, 12))
    channel = rng.choice(n, (45, 15, 25, 15))
    u_outcome = rng.u(n)
    close_wd = (rng.u(n) * pl.Series(list(COMPLETION)).gather(kind)).floor().cast(pl.Int64)
    u_quick_close = rng.u(n)
    mins = rng.below(n, 175) + 5
    disp = rng.below(n, 55) + 5
    resp_secs = (8 * 3600 + 40 * 60) + (rng.u(n) * 9 * 3600).floor().cast(pl.Int64)
    close_secs = (9 * 3600) + (rng.u(n) * 8.5 * 3600).floor().cast(pl.Int64)
    u_handler = rng.u(n)
    u_project = rng.u(n)
    handler = _member(rng, unit, pranges, people["person_id"])
    project = _member(rng, unit, jranges, projects["project_id"])
    f = pl.DataFrame(
        {
            "unit": unit,
            "day": day,
            "work": work,
            "office": office,
            "evening": evening,
            "u_evening": u_evening,
            "p_late": p_late,
            "u_late": u_late,
            "quick": quick,
            "tail": tail,
            "u_noresp": u_noresp,
            "kind": kind,
            "channel": channel,
            "u_outcome": u_outcome,
            "close_wd": close_wd,
            "u_quick_close": u_quick_close,
            "mins": mins,
            "disp": disp,
            "resp_secs": resp_secs,
            "close_secs": close_secs,
            "handler": handler,
            "project": project,
            "u_handler": u_handler,
            "u_project": u_project,
        }
    )
    f = f.with_columns(
        pl.when(pl.col("u_evening") >= pl.when(pl.col("work")).then(0.05).otherwise(0.3))
        .then(pl.col("office"))
        .otherwise(pl.col("evening"))
        .alias("secs"),
        # on a holiday the hotline takes most calls
        pl.when(pl.col("work")).then(pl.col("channel")).otherwise(0).alias("channel"),
        pl.when(pl.col("u_late") < pl.col("p_late"))
        .then(pl.col("tail"))
        .otherwise(pl.col("quick"))
        .alias("wd"),
    )
    f = f.with_columns(_ts("day", "secs").alias("received_at"))
    f = f.sort("received_at", "unit", maintain_order=True)
    resp_day = cal.add(f["day"], f["wd"])
    f = f.with_columns(resp_day.alias("resp_day"))
    responded = (
        pl.when(pl.col("u_noresp") < 0.003)
        .then(None)
        .when(pl.col("wd") == 0)
        .then(pl.col("received_at") + pl.duration(minutes=pl.col("mins")))
        .otherwise(_ts("resp_day", "resp_secs"))
    )
    f = f.with_columns(responded.alias("responded_at"))
    # outcome: delivered most; a slow unit leaves more undone
    slow = pl.col("p_late") > 0.1
    outcome = (
        pl.when(pl.col("responded_at").is_null())
        .then(pl.lit("open"))
        .when(pl.col("u_outcome") < pl.when(slow).then(0.05).otherwise(0.012))
        .then(pl.lit("not_delivered"))
        .when(pl.col("u_outcome") > 0.975)
        .then(pl.lit("withdrawn"))
        .when(pl.col("u_outcome") > 0.95)
        .then(pl.lit("open"))
        .otherwise(pl.lit("delivered"))
    )
    f = f.with_columns(outcome.alias("outcome"))
    resp_date = f["responded_at"].dt.date()
    close_day = cal.add(resp_date, f["close_wd"])
    f = f.with_columns(close_day.alias("close_day"))
    closed = (
        pl.when(pl.col("outcome") == "open")
        .then(None)
        .when((pl.col("kind") == 0) & (pl.col("u_quick_close") < 0.7))
        .then(pl.col("responded_at"))
        .when(pl.col("close_wd") == 0)
        .then(pl.col("responded_at") + pl.duration(minutes=pl.col("mins")))
        .otherwise(
            pl.max_horizontal(
                _ts("close_day", "close_secs"),
                pl.col("responded_at") + pl.duration(minutes=5),
            )
        )
    )
    f = f.with_columns(closed.alias("closed_at"))
    online = pl.col("channel").is_in([0, 1, 2])
    f = f.with_columns(
        pl.when(online)
        .then(pl.col("received_at") + pl.duration(minutes=pl.col("disp")))
        .otherwise(None)
        .alias("dispatched_at"),
        pl.when(pl.col("u_handler") < 0.92)
        .then(pl.col("handler"))
        .otherwise(None)
        .alias("handler_id"),
        pl.when(pl.col("u_project") < 0.08)
        .then(pl.col("project"))
        .otherwise(None)
        .alias("project_id"),
    )
    return f.select(
        _ids("R", n).alias("request_id"),
        units["unit_id"].gather(f["unit"]).alias("unit_id"),
        "received_at",
        "handler_id",
        "project_id",
        pl.lit(pl.Series(list(CHANNELS))).gather(pl.col("channel")).alias("channel"),
        pl.lit(pl.Series(list(KINDS))).gather(pl.col("kind")).alias("kind"),
        "dispatched_at",
        "responded_at",
        "closed_at",
        "outcome",
        pl.col("unit").alias("_unit"),
        (pl.col("p_late") > 0.1).alias("_slow"),
    )


def _ledger(rng: _Stream, requests: pl.DataFrame, cal: _Calendar) -> pl.DataFrame:
    done = requests.filter(pl.col("outcome") == "delivered")
    m = done.height
    keep = rng.u(m) < 0.9
    delay = pl.select(
        pl.when(pl.lit(rng.u(m)) < 0.93)
        .then(pl.lit(rng.below(m, 4)))
        .otherwise(pl.lit(rng.below(m, 20)) + 4)
    ).to_series()
    closed = done["closed_at"].dt.date()
    recorded = cal.add(closed, delay)
    f = (
        done.select("unit_id", "request_id", "project_id")
        .with_columns(recorded.alias("recorded_on"))
        .filter(keep)
    )
    return f.select(
        _ids("L", f.height).alias("entry_id"),
        "unit_id",
        "recorded_on",
        "request_id",
        "project_id",
    )


def _visits(rng: _Stream, requests: pl.DataFrame, cal: _Calendar) -> pl.DataFrame:
    done = requests.filter(pl.col("outcome") == "delivered")
    m = done.height
    keep = rng.u(m) < 0.6
    delay = pl.select(
        pl.when(pl.lit(rng.u(m)) < 0.9)
        .then(pl.lit(rng.below(m, 4)))
        .otherwise(pl.lit(rng.below(m, 12)) + 4)
    ).to_series()
    reached = rng.u(m) >= 0.04
    closed = done["closed_at"].dt.date()
    f = (
        done.select("request_id")
        .with_columns(
            cal.add(closed, delay).alias("visited_on"),
            pl.Series(reached).alias("reached"),
        )
        .filter(keep)
    )
    return f.select(
        _ids("V", f.height).alias("visit_id"),
        "visited_on",
        "request_id",
        pl.lit(None, dtype=pl.String).alias("project_id"),
        pl.when(pl.col("reached")).then(pl.lit("是")).otherwise(pl.lit("否")).alias("reached"),
    )


def _supervision(
    s: Sizes, rng: _Stream, units: pl.DataFrame, projects: pl.DataFrame, year: int
) -> pl.DataFrame:
    n = s.units + s.projects
    unit = _by_size(rng, s.units, units)
    from_units = pl.DataFrame(
        {"unit_id": units["unit_id"].gather(unit)}, schema={"unit_id": pl.String}
    ).with_columns(pl.lit(None, dtype=pl.String).alias("project_id"))
    from_projects = projects.select("unit_id", "project_id")
    items = pl.concat([from_units, from_projects])
    start = dt.date(year, 1, 4)
    assigned = pl.select(pl.lit(start) + pl.duration(days=pl.lit(rng.below(n, 330)))).to_series()
    due = assigned + pl.select(pl.duration(days=pl.lit(rng.below(n, 45)) + 15)).to_series()
    u = rng.u(n)
    early = rng.below(n, 15)
    late = rng.below(n, 30) + 1
    f = items.with_columns(
        assigned.alias("assigned_on"),
        due.alias("due_on"),
        pl.Series(u).alias("u"),
        pl.Series(early).alias("early"),
        pl.Series(late).alias("late"),
    )
    closed = (
        pl.when(pl.col("u") < 0.8)
        .then(
            pl.max_horizontal(
                pl.col("due_on") - pl.duration(days=pl.col("early")), pl.col("assigned_on")
            )
        )
        .when(pl.col("u") < 0.92)
        .then(pl.col("due_on") + pl.duration(days=pl.col("late")))
        .otherwise(None)
    )
    f = f.with_columns(closed.alias("closed_on")).sort("assigned_on", maintain_order=True)
    return f.select(
        _ids("D", n).alias("item_id"),
        "unit_id",
        "assigned_on",
        "due_on",
        "project_id",
        "closed_on",
    )


def _summaries(rng: _Stream, projects: pl.DataFrame) -> pl.DataFrame:
    done = projects.filter(pl.col("completed_on").is_not_null())
    m = done.height
    keep = rng.u(m) < 0.85
    gap = (((rng.normal(m) * 0.8) + 2.3).exp()).floor().cast(pl.Int64).clip(0, 120)
    return done.select(
        "project_id",
        (pl.col("completed_on") + pl.duration(days=pl.lit(gap))).alias("submitted_on"),
    ).filter(keep)


def _evaluations(rng: _Stream, projects: pl.DataFrame) -> pl.DataFrame:
    done = projects.filter(pl.col("completed_on").is_not_null())
    m = done.height
    keep = rng.u(m) < 0.75
    gap = rng.below(m, 50) + 10
    grade = _from(("优秀", "良好", "合格", "不合格"), rng.choice(m, (30, 45, 20, 5)))
    return done.select(
        "project_id",
        (pl.col("completed_on") + pl.duration(days=pl.lit(gap))).alias("evaluated_on"),
        pl.lit(grade).alias("grade"),
    ).filter(keep)


def _surveys(
    s: Sizes,
    rng: _Stream,
    units: pl.DataFrame,
    people: pl.DataFrame,
    pranges: pl.DataFrame,
    requests: pl.DataFrame,
    year: int,
) -> pl.DataFrame:
    n = s.surveys
    nu = s.units
    linked = rng.u(n) < (0.85 if requests.height else 0.0)
    req = requests.gather(rng.below(n, max(1, requests.height))) if requests.height else None
    unit_free = _by_size(rng, n, units)
    handler_free = _member(rng, unit_free, pranges, people["person_id"])
    answered_free = pl.select(
        pl.lit(dt.date(year, 1, 1)) + pl.duration(days=pl.lit(rng.below(n, 365)))
    ).to_series()
    after = rng.below(n, 6)
    if req is not None:
        answered_req = pl.select(
            pl.coalesce(
                pl.lit(req["closed_at"]), pl.lit(req["responded_at"]), pl.lit(req["received_at"])
            ).dt.date()
            + pl.duration(days=pl.lit(after))
        ).to_series()
        f = pl.DataFrame(
            {
                "linked": linked,
                "unit": pl.Series(req["_unit"]),
                "unit_free": unit_free,
                "handler": req["handler_id"],
                "handler_free": handler_free,
                "project": req["project_id"],
                "request": req["request_id"],
                "answered": answered_req,
                "answered_free": answered_free,
            }
        )
    else:
        f = pl.DataFrame(
            {
                "linked": linked,
                "unit": unit_free,
                "unit_free": unit_free,
                "handler": pl.Series([None] * n, dtype=pl.String),
                "handler_free": handler_free,
                "project": pl.Series([None] * n, dtype=pl.String),
                "request": pl.Series([None] * n, dtype=pl.String),
                "answered": answered_free,
                "answered_free": answered_free,
            }
        )
    f = f.select(
        pl.when("linked").then("unit").otherwise("unit_free").alias("unit"),
        pl.when("linked")
        .then("handler")
        .otherwise(pl.when(pl.lit(rng.u(n)) < 0.5).then("handler_free").otherwise(None))
        .alias("handler_id"),
        pl.when("linked").then("project").otherwise(None).alias("project_id"),
        pl.when("linked").then("request").otherwise(None).alias("request_id"),
        pl.when("linked").then("answered").otherwise("answered_free").alias("answered_on"),
    )
    # a request rated again (追评) is rated on a later day: each earlier rating of it six days
    # before (the day after closing varies by at most five), so no two of one day and which
    # counts never hangs on the order of the rows
    again = pl.int_range(pl.len()).over("request_id")
    f = f.with_columns(
        pl.when(pl.col("request_id").is_not_null())
        .then(pl.col("answered_on") + pl.duration(days=6 * again))
        .otherwise(pl.col("answered_on"))
        .alias("answered_on")
    )
    # per unit: the share of bad ratings; a few units much worse
    u_unit = rng.u(nu)
    p_bad = pl.select(
        pl.when(pl.lit(u_unit) < 0.03)
        .then(0.18)
        .when(pl.lit(u_unit) < 0.10)
        .then(0.06)
        .otherwise(0.02)
    ).to_series()
    f = f.with_columns(p_bad.gather(f["unit"]).alias("p_bad"))
    u_bad = rng.u(n)
    good = rng.choice(n, (70, 22, 8))  # 非常满意, 满意, 基本满意
    bad = rng.choice(n, (70, 30)) + 3  # 不满意, 非常不满意
    u_appeal = rng.u(n)
    u_fix = rng.u(n)
    fix_days = rng.below(n, 5) + 1
    fix_late = rng.below(n, 15) + 6
    f = f.with_columns(
        pl.when(pl.lit(u_bad) < pl.col("p_bad"))
        .then(pl.lit(bad))
        .otherwise(pl.lit(good))
        .alias("r"),
    )
    isbad = pl.col("r") >= 3
    upheld = isbad & (pl.lit(u_appeal) < 0.1)
    fix = (
        pl.when(~isbad | upheld)
        .then(None)
        .when(pl.lit(u_fix) < 0.82)
        .then(pl.col("answered_on") + pl.duration(days=pl.lit(fix_days)))
        .when(pl.lit(u_fix) < 0.94)
        .then(pl.col("answered_on") + pl.duration(days=pl.lit(fix_late)))
        .otherwise(None)
    )
    f = f.with_columns(upheld.alias("upheld"), fix.alias("rectified_on")).sort(
        "answered_on", maintain_order=True
    )
    return f.select(
        _ids("S", n).alias("response_id"),
        units["unit_id"].gather(f["unit"]).alias("unit_id"),
        "answered_on",
        pl.lit(pl.Series(list(RATINGS))).gather(pl.col("r")).alias("rating"),
        "handler_id",
        "project_id",
        "request_id",
        pl.when(pl.col("upheld")).then(pl.lit("是")).otherwise(None).alias("appeal_upheld"),
        "rectified_on",
    )


def _media(
    s: Sizes, rng: _Stream, units: pl.DataFrame, projects: pl.DataFrame, year: int
) -> pl.DataFrame:
    n = (3 * s.units) // 2
    tier_names = ("national", "provincial", "industry", "city")
    tier = rng.choice(n, (1, 12, 17, 70))
    unit = _by_size(rng, n, units)
    on_project = (rng.u(n) < 0.15) & (s.projects > 0)
    proj = (
        projects["project_id"].gather(rng.below(n, s.projects))
        if s.projects
        else pl.Series([None] * n, dtype=pl.String)
    )
    outlet_idx = rng.u(n)
    start = dt.date(year - 1, 11, 1)
    published = pl.select(
        pl.lit(start)
        + pl.duration(days=pl.lit(rng.below(n, (dt.date(year, 12, 31) - start).days + 1)))
    ).to_series()
    ids = _ids("M", n)
    # a few items repeat an earlier story (same url) in another outlet
    repeat = (rng.u(n) < 0.05) & (pl.int_range(0, n, eager=True) > 0)
    earlier = (rng.u(n) * pl.int_range(0, n, eager=True)).floor().cast(pl.Int64)
    url = pl.lit("https://news.example.cn/dxe/") + pl.lit(ids) + pl.lit(".html")
    f = pl.DataFrame(
        {
            "tier": tier,
            "unit": unit,
            "on_project": on_project,
            "project": proj,
            "outlet_u": outlet_idx,
            "published_on": published,
            "id": ids,
            "repeat": repeat,
            "earlier": earlier,
            "theme": _from(THEMES, rng.below(n, len(THEMES))),
        }
    )
    f = f.with_columns(url.alias("own_url"))
    f = f.with_columns(
        pl.when("repeat")
        .then(pl.col("own_url").gather(pl.col("earlier")))
        .otherwise("own_url")
        .alias("url")
    )
    outlets = pl.concat(
        [
            pl.DataFrame({"tier": i, "k": list(range(len(OUTLETS[t]))), "outlet": list(OUTLETS[t])})
            for i, t in enumerate(tier_names)
        ]
    ).with_columns(pl.col("tier").cast(pl.Int64), pl.col("k").cast(pl.Int64))
    sizes = {i: len(OUTLETS[t]) for i, t in enumerate(tier_names)}
    f = f.with_columns(
        (pl.col("outlet_u") * pl.col("tier").replace_strict(sizes, return_dtype=pl.Float64))
        .floor()
        .cast(pl.Int64)
        .alias("k")
    ).join(outlets, on=["tier", "k"], how="left", maintain_order="left")
    return f.select(
        pl.col("id").alias("item_id"),
        "outlet",
        pl.lit(pl.Series(list(tier_names))).gather(pl.col("tier")).alias("tier"),
        "published_on",
        pl.when("on_project")
        .then(None)
        .otherwise(units["unit_id"].gather(f["unit"]))
        .alias("unit_id"),
        pl.when("on_project").then("project").otherwise(None).alias("project_id"),
        (pl.lit("“店小二”") + pl.col("theme") + pl.lit("见闻")).alias("title"),
        "url",
    )


def _sanctions(s: Sizes, rng: _Stream, units: pl.DataFrame, year: int) -> pl.DataFrame:
    n = max(1, s.units // 25) if s.units >= 5 else 0
    which = rng.below(n, s.units)
    level = _from(("warning", "rectify", "criticize"), rng.choice(n, (50, 40, 10)))
    start = dt.date(year - 1, 1, 4)
    issued = pl.select(pl.lit(start) + pl.duration(days=pl.lit(rng.below(n, 330)))).to_series()
    u = rng.u(n)
    fix = pl.select(
        pl.when(pl.lit(u) < 0.7)
        .then(pl.lit(issued) + pl.duration(days=pl.lit(rng.below(n, 14)) + 1))
        .when(pl.lit(u) < 0.9)
        .then(pl.lit(issued) + pl.duration(days=pl.lit(rng.below(n, 40)) + 25))
        .otherwise(None)
    ).to_series()
    return (
        pl.DataFrame(
            {
                "candidate_id": units["unit_id"].gather(which),
                "level": level,
                "issued_on": issued,
                "rectified_on": fix,
            }
        )
        .unique(subset=["candidate_id", "issued_on"], keep="first", maintain_order=True)
        .sort("issued_on", "candidate_id")
    )


def _check_year(year: int) -> None:
    """The data span the year before and the year after ``year``: the holiday calendar must
    know all three."""
    from dxe_eval.calendar import cn_years

    lo, hi = cn_years()
    if not lo < year < hi:
        raise GenerateError(
            f"--year must be from {lo + 1} to {hi - 1} (the holiday calendar knows {lo}–{hi}, "
            f"and the data reach into the year before and after), got {year}",
            zh=f"--year 应在 {lo + 1}–{hi - 1} 之间（节假日日历只有 {lo}–{hi} 年的数据）",
        )


def generate_frames(sizes: Sizes, seed: int = 1, year: int = 2022) -> dict[str, pl.DataFrame]:
    """Every record type as a frame of typed columns, in :data:`ORDER`."""
    sizes.check()
    _check_year(year)
    cal = _Calendar(year)

    def stream(name: str) -> _Stream:
        return _Stream(seed, name)

    units = _units(sizes, stream("units"))
    people, pranges = _people(sizes, stream("people"), units)
    projects, jranges = _projects(sizes, stream("projects"), units, people, pranges, year)
    requests = _requests(
        sizes, stream("requests"), units, people, pranges, projects, jranges, cal, year
    )
    frames = {
        "units": units,
        "people": people,
        "projects": projects,
        "capabilities": _capabilities(sizes, stream("capabilities"), units, year),
        "requests": requests,
        "ledger": _ledger(stream("ledger"), requests, cal),
        "supervision": _supervision(sizes, stream("supervision"), units, projects, year),
        "summaries": _summaries(stream("summaries"), projects),
        "visits": _visits(stream("visits"), requests, cal),
        "surveys": _surveys(sizes, stream("surveys"), units, people, pranges, requests, year),
        "evaluations": _evaluations(stream("evaluations"), projects),
        "media": _media(sizes, stream("media"), units, projects, year),
        "sanctions": _sanctions(sizes, stream("sanctions"), units, year),
    }
    return {name: _as_text(frames[name]) for name in ORDER}


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Drop helper columns (``_…``) and write every value as the text a file would hold."""
    cols = []
    for name, dtype in frame.schema.items():
        if name.startswith("_"):
            continue
        if isinstance(dtype, pl.Datetime):
            cols.append(_fmt_dt(name))
        elif dtype == pl.Date:
            cols.append(_fmt_d(name))
        else:
            cols.append(pl.col(name).cast(pl.String))
    return frame.select(cols)


def generate(
    out: str | Path,
    sizes: Sizes | None = None,
    *,
    seed: int = 1,
    year: int = 2022,
    fmt: str = "csv",
    force: bool = False,
) -> dict[str, int]:
    """Write a synthetic data set to the folder ``out``; return the rows per record type.

    ``fmt="csv"`` writes one UTF-8 CSV file per record type; ``fmt="xlsx"`` one
    workbook ``data.xlsx`` with a sheet per record type, for at most
    :data:`XLSX_MAX_ROWS` rows in all. A folder that holds anything already is refused
    unless ``force`` (the files of the same names are then replaced): a data set is
    never written over by mistake.
    """
    folder = Path(out)
    if not force and folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise GenerateError(
            f"{folder} exists and is not an empty folder; give a new folder, or --force to "
            "write into it (files of the same names are replaced)",
            zh=f"{folder} 已存在且不是空文件夹：请指定新的文件夹，或加 --force 写入"
            "（同名文件将被替换）",
        )
    sizes = sizes or Sizes()
    sizes.check()
    if fmt not in ("csv", "xlsx"):
        raise GenerateError(f"unknown format {fmt!r}; use csv or xlsx", zh="格式应为 csv 或 xlsx")
    if fmt == "xlsx":
        estimate = estimated_rows(sizes)
        if estimate > XLSX_MAX_ROWS:
            raise GenerateError(
                f"about {estimate:,} rows is too many for an .xlsx workbook (at most "
                f"{XLSX_MAX_ROWS:,}); use --format csv",
                zh=f"约 {estimate:,} 行，超过 .xlsx 工作簿上限 {XLSX_MAX_ROWS:,} 行，"
                "请用 --format csv",
            )
    frames = generate_frames(sizes, seed=seed, year=year)
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        for name, frame in frames.items():
            buf = io.BytesIO()
            frame.write_csv(buf, line_terminator="\n", null_value="")
            write_bytes(folder / f"{name}.csv", buf.getvalue())
    else:
        _write_xlsx(folder / "data.xlsx", frames)
    return {name: frame.height for name, frame in frames.items()}


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


def _write_xlsx(path: Path, frames: Mapping[str, pl.DataFrame]) -> None:
    try:
        from openpyxl import Workbook
    except ImportError:  # pragma: no cover - openpyxl comes with the xlsx reader
        raise GenerateError(
            "writing .xlsx needs openpyxl: pip install openpyxl",
            zh="生成 .xlsx 需要 openpyxl：pip install openpyxl",
        ) from None
    from dxe_eval.io.xlsx import save_reproducibly

    wb = Workbook(write_only=True)
    wb.properties.creator = "dxe-eval generate"
    for name, frame in frames.items():
        ws = wb.create_sheet(title=name)
        ws.append(frame.columns)
        for row in frame.iter_rows():
            ws.append(list(row))
    write_bytes(path, save_reproducibly(wb, dt.datetime(2000, 1, 1)))
