"""Rulesets: TOML files policy staff edit, structured into the plugins' parameter classes.

A ruleset names its period, time zone and calendar, the rules and thresholds
it enables with their parameters, the effects of findings and the
commendation policy. It may ``extends`` a shipped ruleset by name or another
file by path (relative to its own folder) and override single values; a
table ``enabled = false`` drops an inherited rule or threshold. Every problem
is collected and reported at once, each naming file, table and key, with the
nearest valid name where there is one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import tomllib
import zoneinfo
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final

import attrs
from attrs import field, frozen

from dxe_eval.convert import iter_problems, structure, unstructure
from dxe_eval.errors import DxeEvalError, RulesetError, RulesetProblem, RulesetProblems, nearest
from dxe_eval.manager import Registry
from dxe_eval.model import LEVELS
from dxe_eval.read.limits import RULESET_BYTES, read_capped
from dxe_eval.schema import FIRST_YEAR, LAST_YEAR
from dxe_eval.service import DEFAULT_COMPLETION_DAYS, REQUEST_KINDS

#: how deep tables and arrays may nest in a ruleset (``rules.x.completion_days`` is 3)
MAX_DEPTH: Final = 8
#: no number in a ruleset is larger (points, days, counts, percentages are far below it)
MAX_NUMBER: Final = 1e9

#: keys a ``[rules.<id>]`` or ``[thresholds.<id>]`` table may hold besides the plugin's parameters
META_KEYS: Final = ("enabled", "source", "effective")
BAND_KEYS: Final = ("warning", "rectify", "criticize")
TIE_BREAK_BUILTINS: Final = ("caseload", "satisfaction_rate", "satisfied_ratings", "id")
TIE_AT_CUTOFF: Final = ("decide", "all", "by_id")


def _percent(_: Any, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"'{attribute.name}' must be a percentage from 0 to 100, got {value}")


def _non_negative(_: Any, attribute: attrs.Attribute[Any], value: float | int | None) -> None:
    if value is not None and value < 0:
        raise ValueError(f"'{attribute.name}' must not be negative, got {value}")


@frozen(kw_only=True)
class Period:
    """The evaluated period, both ends included."""

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"'end' {self.end} is before 'start' {self.start}")
        for name, day in (("start", self.start), ("end", self.end)):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise ValueError(
                    f"'{name}' {day} is outside the years {FIRST_YEAR}–{LAST_YEAR} "
                    f"（评价期间的年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间）"
                )


@frozen(kw_only=True)
class Effective:
    """The dates a ruleset (or one parameter table) is in force, either end open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"'end' {self.end} is before 'start' {self.start}")

    def covers(self, period: Period) -> bool:
        """Whether the period overlaps the dates in force (an open end reaches forever)."""
        return (self.start is None or period.end >= self.start) and (
            self.end is None or period.start <= self.end
        )

    def describe(self) -> str:
        start = self.start.isoformat() if self.start else "…"
        end = self.end.isoformat() if self.end else "…"
        return f"{start} – {end}"


@frozen(kw_only=True)
class CalendarSettings:
    """``[calendar]``: days that override the calendar plugin's answer."""

    extra_holidays: tuple[dt.date, ...] = ()
    extra_workdays: tuple[dt.date, ...] = ()


def completion_days_valid(
    _: object, attribute: attrs.Attribute[Any], value: Mapping[str, int]
) -> None:
    """At least one kind, every kind known, no negative limit; the message names the field."""
    if not value:
        raise ValueError(f"'{attribute.name}' must name at least one kind of request")
    known = sorted(set(REQUEST_KINDS.values()))
    unknown = sorted(k for k in value if k not in known)
    if unknown:
        raise ValueError(f"'{attribute.name}' has unknown kind(s) {unknown}; use {known}")
    negative = sorted(k for k, v in value.items() if v < 0)
    if negative:
        raise ValueError(f"'{attribute.name}' must not be negative for {negative}")


@frozen(kw_only=True)
class Limits:
    """``[limits]``: time limits declared once and read by several rules and thresholds.

    ``completion_days``: the working days after receipt within which a request of each
    kind must be closed (the day of receipt not counted); a request of a kind not
    named, or of no kind, gets the largest. The index stage marks each request
    against it (``completion_judged``, ``completion_late``): the ``timeliness`` rule's
    completion part and the ``not-delivered`` threshold read those marks. A change
    of a limit indexes the data again.
    """

    completion_days: dict[str, int] = field(
        factory=lambda: dict(DEFAULT_COMPLETION_DAYS), validator=completion_days_valid
    )


@frozen(kw_only=True)
class Effects:
    """``[effects]``: what findings do to a score and to the commendation.

    ``deductions`` maps a level to the points taken off per finding of that level.
    A finding vetoes a commendation when its level is in ``veto_levels`` or its
    threshold is in ``veto_thresholds``. By default only a 通报批评 vetoes: a 差评 still
    unrectified at the period's end is a condition of the lists
    (:attr:`ListPolicy.no_unrectified_bad`), not a veto of a warning.
    """

    deductions: dict[str, float] = field(factory=dict)
    veto_levels: tuple[str, ...] = ("criticize",)
    veto_thresholds: tuple[str, ...] = ()


@frozen(kw_only=True, cache_hash=True)
class ListPolicy:
    """One commendation list (``[commendation.unit]``, ``.person``, ``.project``).

    Eligibility: ``min_total``; ``min_satisfaction_rate`` and ``max_bad_review_rate``
    (percent, ``None`` = not checked); ``min_responses`` survey responses and
    ``min_requests`` requests at least; ``min_judged_share``: the rules that judged the
    candidate (applicable) carry at least this percent of the weight of the weighted
    rules that apply to its kind (0: not checked); ``no_unrectified_bad``: no valid
    差评 answered in the period still unrectified at its end (no ``rectified_on``, or one
    after the period's end); no vetoing finding; a project completed in the period.
    Quota: ``count`` candidates, or ``share`` percent of the eligible (rounded down,
    at least one where any is eligible), ``per`` ``"all"`` or ``"category"`` (peer
    group). ``per_unit_staff``: at most one person per that many staff of a unit.
    """

    enabled: bool = True
    title: str = ""
    min_total: float = field(default=0.0, validator=_non_negative)
    min_satisfaction_rate: float | None = field(default=None, validator=_percent)
    max_bad_review_rate: float | None = field(default=None, validator=_percent)
    min_responses: int = field(default=0, validator=_non_negative)
    min_requests: int = field(default=0, validator=_non_negative)
    min_judged_share: float = field(default=60.0, validator=_percent)
    no_unrectified_bad: bool = False
    count: int | None = field(default=None, validator=_non_negative)
    share: float | None = field(default=None, validator=_percent)
    per: str = field(default="all", validator=attrs.validators.in_(("all", "category")))
    per_unit_staff: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.count is not None and self.share is not None:
            raise ValueError("'share' and 'count' cannot both be set; choose one quota")
        if self.per_unit_staff is not None and self.per_unit_staff <= 0:
            raise ValueError(f"'per_unit_staff' must be positive, got {self.per_unit_staff}")


LIST_POLICY_KEYS: Final = tuple(a.name for a in attrs.fields(ListPolicy))


def _categories(_: Any, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    blank = [c for c in value if not c.strip()]
    if blank:
        raise ValueError(f"'{attribute.name}' holds an empty name")
    twice = sorted({c for c in value if value.count(c) > 1})
    if twice:
        raise ValueError(f"'{attribute.name}' names {', '.join(twice)} more than once")


@frozen(kw_only=True)
class PeerGroups:
    """``[peer_groups]``: the unit categories (类别) a ranking compares within.

    ``categories``: every category a unit may have; a unit of another is rejected,
    naming the nearest declared one (a free-text 类别 would otherwise make a peer
    group of its own). Empty (the table absent): any category is accepted, each its
    own group, and ``dxe-eval check`` says so. ``min_group``: a peer group with fewer
    eligible candidates than this is named in a warning on every report.
    """

    categories: tuple[str, ...] = field(default=(), validator=_categories)
    min_group: int = field(default=3, validator=attrs.validators.ge(1))


@frozen(kw_only=True)
class ReportSettings:
    """``[report]``: the signature block of the HTML report (制表单位 / 审核 / 签发).

    Each value is printed as written; the ``--issuer``, ``--reviewer`` and ``--signer``
    flags win over it. Empty (the default) prints a line to sign on by hand. None of them
    changes a result, so they are left out of the ruleset's fingerprint.
    """

    issuer: str = ""
    reviewer: str = ""
    signer: str = ""


@frozen(kw_only=True)
class Commendation:
    """``[commendation]``: the tie-break chain, the cut-off rule and the three lists.

    ``tie_break``: rule ids (their points), ``caseload`` (requests received, more
    first), ``satisfaction_rate``, ``satisfied_ratings`` (the number of satisfied
    ratings), optionally ending in ``id``. ``tie_at_cutoff``, for a tie still standing
    at the cut-off after the whole chain: ``"decide"`` (the default, DOMAIN's policy:
    never cut by id) lists every tied candidate as pending (并列，待定) with the places
    left, for the leading group to decide; ``"all"`` admits them all; ``"by_id"`` cuts
    by the id order, the only setting under which the id decides a place.
    Keys of :class:`ListPolicy` set at this level are defaults for every list.
    """

    tie_break: tuple[str, ...] = ("satisfaction", "timeliness", "caseload", "satisfied_ratings")
    tie_at_cutoff: str = field(default="decide", validator=attrs.validators.in_(TIE_AT_CUTOFF))
    unit: ListPolicy = field(factory=ListPolicy)
    person: ListPolicy = field(factory=ListPolicy)
    project: ListPolicy = field(factory=ListPolicy)

    def policy(self, kind: str) -> ListPolicy:
        return {"unit": self.unit, "person": self.person, "project": self.project}[kind]


@frozen(kw_only=True)
class Ruleset:
    """A loaded, checked ruleset. ``rules`` and ``thresholds`` map ids to parameter objects."""

    id: str
    title: str
    period: Period
    source: str = ""
    timezone: str = "Asia/Shanghai"
    calendar: str = "cn-statutory"
    total: float = 100.0
    effective: Effective = field(factory=Effective)
    calendar_settings: CalendarSettings = field(factory=CalendarSettings)
    limits: Limits = field(factory=Limits)
    rules: Mapping[str, Any] = field(factory=dict)
    thresholds: Mapping[str, Any] = field(factory=dict)
    sources: Mapping[str, str] = field(factory=dict)
    effective_tables: Mapping[str, Effective] = field(factory=dict)
    effects: Effects = field(factory=Effects)
    commendation: Commendation = field(factory=Commendation)
    peer_groups: PeerGroups = field(factory=PeerGroups)
    report: ReportSettings = field(factory=ReportSettings)
    file: str = ""
    fingerprint: str = ""

    def with_params(self, table: str, **changes: Any) -> Ruleset:
        """A copy with some parameters of ``rules.<id>`` or ``thresholds.<id>`` changed."""
        section, _, ident = table.partition(".")
        current = dict(getattr(self, section))
        current[ident] = attrs.evolve(current[ident], **changes)
        replaced: dict[str, Any] = {section: current}
        changed = attrs.evolve(self, **replaced)
        return attrs.evolve(changed, fingerprint=fingerprint(changed))


@frozen(kw_only=True)
class _Header:
    id: str
    title: str
    period: Period
    source: str = ""
    timezone: str = "Asia/Shanghai"
    calendar: str = "cn-statutory"
    total: float = 100.0
    extends: str | None = None
    effective: Effective = field(factory=Effective)


TOP_TABLES: Final = (
    "ruleset",
    "calendar",
    "limits",
    "rules",
    "thresholds",
    "effects",
    "commendation",
    "peer_groups",
    "report",
)


def shipped_rulesets() -> dict[str, Path]:
    """The rulesets shipped inside the package, by name."""
    folder = resources.files("dxe_eval") / "data" / "rulesets"
    out: dict[str, Path] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".toml"):
            out[entry.name[: -len(".toml")]] = Path(str(entry))
    return dict(sorted(out.items()))


DEFAULT_RULESET: Final = "hubei-2022"


def resolve_ruleset_path(ref: str | Path) -> Path:
    """A path as given, or the path of a shipped ruleset named ``ref``."""
    path = Path(ref)
    if path.suffix == ".toml" or path.exists() or "/" in str(ref) or "\\" in str(ref):
        return path
    shipped = shipped_rulesets()
    if str(ref) in shipped:
        return shipped[str(ref)]
    hint = nearest(str(ref), shipped)
    raise RulesetError(
        f"no ruleset named {str(ref)!r}; shipped: {', '.join(shipped)}"
        + (f" (did you mean {hint!r}?)" if hint else ""),
        zh=f"找不到规则集 {ref}",
    )


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def merge_raw(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` merged into ``base`` table by table, as ``extends`` does; ``over`` wins."""
    return _merge(dict(base), over)


def _depth(value: Any, path: str = "") -> tuple[int, str]:
    """How deep tables and arrays nest in ``value``, and the key path of the deepest."""
    if isinstance(value, Mapping):
        items: list[tuple[str, Any]] = [
            (f"{path}.{k}" if path else str(k), v) for k, v in value.items()
        ]
    elif isinstance(value, list):
        items = [(f"{path}[{i}]", v) for i, v in enumerate(value)]
    else:
        return 0, path
    deepest = (0, path)
    for where, v in items:
        d, at = _depth(v, where)
        if d > deepest[0]:
            deepest = (d, at)
    return deepest[0] + 1, deepest[1]


def read_raw(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Read a ruleset file and everything it extends, merged; the child's values win.

    A ruleset is at most :data:`~dxe_eval.read.limits.RULESET_BYTES` of a regular file
    (``/dev/zero`` is refused, not read forever) and nests tables and arrays at most
    :data:`MAX_DEPTH` deep."""
    try:
        text = read_capped(path, RULESET_BYTES, "ruleset", "规则集").decode("utf-8-sig")
    except FileNotFoundError:
        raise RulesetError("file not found", file=str(path), zh="找不到规则集文件") from None
    except DxeEvalError as exc:
        raise RulesetError(exc.message, file=str(path), zh=exc.zh_message) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesetError(f"cannot read: {exc}", file=str(path), zh="无法读取规则集文件") from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesetError(
            f"malformed TOML: {exc}", file=str(path), zh=f"TOML 格式错误：{exc}"
        ) from exc
    except RecursionError:
        raise RulesetError(
            f"tables or arrays nested too deeply (more than {MAX_DEPTH} levels)",
            file=str(path),
            zh=f"表或数组嵌套过深（超过 {MAX_DEPTH} 层）",
        ) from None
    depth, where = _depth(raw)
    if depth > MAX_DEPTH:
        raise RulesetError(
            f"tables or arrays nested {depth} levels deep at {where}; a ruleset needs at most "
            f"{MAX_DEPTH}",
            file=str(path),
            key=where,
            zh=f"表或数组嵌套 {depth} 层（{where}），规则集至多需要 {MAX_DEPTH} 层",
        )
    header = raw.get("ruleset")
    parent_ref = header.get("extends") if isinstance(header, Mapping) else None
    if parent_ref is None:
        return raw
    if not isinstance(parent_ref, str):
        raise RulesetError(
            "expected the name or path of a ruleset", file=str(path), table="ruleset", key="extends"
        )
    if parent_ref.endswith(".toml") or "/" in parent_ref:
        parent = (path.parent / parent_ref).resolve()
        # a shipped ruleset may be a link to its home (rulesets/ in a source checkout)
        allowed = [
            path.parent.resolve(),
            *(p.resolve().parent for p in shipped_rulesets().values()),
            *(p.parent.resolve() for p in shipped_rulesets().values()),
        ]
        if not any(parent.is_relative_to(a) for a in allowed):
            raise RulesetError(
                f"extends {parent_ref!r} points outside the ruleset's folder",
                file=str(path),
                table="ruleset",
                key="extends",
                zh=f"extends 指向规则集所在文件夹之外：{parent_ref}",
            )
    else:
        # a bare name is a shipped ruleset, never a file found from the working directory
        shipped = shipped_rulesets()
        if parent_ref not in shipped:
            hint = nearest(parent_ref, shipped)
            raise RulesetError(
                f"extends {parent_ref!r}: no shipped ruleset of that name "
                f"(shipped: {', '.join(shipped)}); give a file as a path ending in .toml"
                + (f" (did you mean {hint!r}?)" if hint else ""),
                file=str(path),
                table="ruleset",
                key="extends",
                zh=f"extends 指定的内置规则集 {parent_ref} 不存在",
            )
        parent = shipped[parent_ref].resolve()
    chain = (*_seen, path.resolve())
    if parent in chain:
        cycle = " → ".join(p.name for p in (*chain, parent))
        raise RulesetError(
            f"extends cycle: {cycle}",
            file=str(path),
            table="ruleset",
            key="extends",
            zh=f"extends 循环引用：{cycle}",
        )
    base = read_raw(parent, chain)
    merged = _merge(base, raw)
    merged["ruleset"] = {k: v for k, v in merged["ruleset"].items() if k != "extends"}
    return merged


def fingerprint(ruleset: Ruleset) -> str:
    """A short SHA-256 of the resolved ruleset's content (not of its file name)."""
    data = unstructure(attrs.evolve(ruleset, file="", fingerprint=""))
    data.pop("report", None)  # who signs the report changes no result
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def load_ruleset(ref: str | Path | Ruleset, registry: Registry) -> Ruleset:
    """Load, merge, structure and check a ruleset; raise every problem at once."""
    if isinstance(ref, Ruleset):
        return ref
    if not isinstance(ref, str | Path):
        raise RulesetError(
            f"expected the path or name of a ruleset (or a Ruleset), got {type(ref).__name__}",
            zh=f"规则集应为文件路径或内置规则集名称，而不是 {type(ref).__name__}",
        )
    path = resolve_ruleset_path(ref)
    raw = read_raw(path)
    ruleset, problems = build_ruleset(raw, registry, file=str(path))
    if problems or ruleset is None:
        raise RulesetProblems(problems)
    return ruleset


def check_ruleset(ref: str | Path, registry: Registry) -> list[RulesetProblem]:
    """Every problem of a ruleset, as a list (empty when it is fine)."""
    try:
        path = resolve_ruleset_path(ref)
        raw = read_raw(path)
    except RulesetError as exc:
        return [RulesetProblem(exc.reason, file=exc.file, table=exc.table, key=exc.key)]
    _, problems = build_ruleset(raw, registry, file=str(path))
    return problems


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[RulesetProblem] = []

    def add(self, table: str, key: str | None, reason: str, valid: Any = ()) -> None:
        hint = nearest(key, valid) if key and valid else None
        if hint and hint != key:
            reason += f" (did you mean {hint!r}?)"
        self.items.append(RulesetProblem(reason, file=self.file, table=table, key=key))

    def structure(self, data: Any, cls: type, table: str) -> Any:
        try:
            return structure(data, cls)
        except Exception as exc:
            for key_path, reason, valid in iter_problems(exc):
                sub_table = ".".join((table, *key_path[:-1])) if len(key_path) > 1 else table
                self.add(sub_table, key_path[-1] if key_path else None, reason, valid)
            return None


def _numbers(p: _Problems, value: Any, table: str = "", key: str | None = None) -> None:
    """A problem for each number larger than any ruleset value can be (:data:`MAX_NUMBER`):
    it would make no score, or none that means anything (``inf`` and ``nan`` the one
    converter refuses where a number is expected)."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            if isinstance(v, Mapping):
                _numbers(p, v, f"{table}.{k}" if table else str(k))
            else:
                _numbers(p, v, table, str(k))
    elif isinstance(value, list):
        for v in value:
            _numbers(p, v, table, key)
    elif (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) > MAX_NUMBER
    ):
        p.add(
            table,
            key,
            f"{value:g} is out of range: no ruleset value is larger than {MAX_NUMBER:g} "
            f"（数值超出范围）",
        )


def build_ruleset(
    raw: Mapping[str, Any], registry: Registry, *, file: str = "<ruleset>"
) -> tuple[Ruleset | None, list[RulesetProblem]]:
    """Structure a merged raw ruleset; return it (or ``None``) and every problem found."""
    p = _Problems(file)
    _numbers(p, raw)
    for table in raw:
        if table not in TOP_TABLES:
            p.add(table, None, f"unknown table [{table}] 未知的表", ())
            if (hint := nearest(table, TOP_TABLES)) is not None:
                p.items[-1] = RulesetProblem(
                    f"unknown table [{table}] 未知的表 (did you mean [{hint}]?)",
                    file=file,
                    table=table,
                )
    header_raw = raw.get("ruleset")
    if not isinstance(header_raw, Mapping):
        p.add(
            "ruleset", None, "missing table [ruleset] with id, title and period 缺少 [ruleset] 表"
        )
        return None, p.items
    header: _Header | None = p.structure(dict(header_raw), _Header, "ruleset")
    if header is not None:
        try:
            zoneinfo.ZoneInfo(header.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            p.add("ruleset", "timezone", f"unknown time zone {header.timezone!r}")
        if header.calendar not in registry.calendars:
            p.add(
                "ruleset",
                "calendar",
                f"no plugin provides calendar {header.calendar!r}",
                registry.calendars,
            )
        if header.total <= 0:
            p.add("ruleset", "total", f"must be positive, got {header.total}")

    cal_raw = raw.get("calendar", {})
    cal = (
        p.structure(dict(cal_raw), CalendarSettings, "calendar")
        if isinstance(cal_raw, Mapping)
        else None
    )
    if cal is not None and header is not None and header.calendar in registry.calendars:
        lo, hi = registry.calendars[header.calendar].years
        supplied = {d.year for d in (*cal.extra_holidays, *cal.extra_workdays)}
        for year in range(header.period.start.year, header.period.end.year + 1):
            if not lo <= year <= hi and year not in supplied:
                p.add(
                    "ruleset",
                    "period",
                    f"calendar {header.calendar!r} knows {lo}–{hi}, not {year}; list {year}'s "
                    f"days in [calendar] extra_holidays and extra_workdays "
                    f"（日历缺少 {year} 年节假日数据）",
                )

    limits_raw = raw.get("limits", {})
    limits: Limits | None = None
    if isinstance(limits_raw, Mapping):
        limits = p.structure(dict(limits_raw), Limits, "limits")
    else:
        p.add("limits", None, "[limits] must be a table")

    sources: dict[str, str] = {}
    effective: dict[str, Effective] = {}
    rules = _plugin_tables(p, raw, "rules", registry.rules, sources, effective)
    thresholds = _plugin_tables(p, raw, "thresholds", registry.thresholds, sources, effective)

    if header is not None and rules is not None:
        weighted: list[tuple[str, float]] = []
        knowable = True
        raw_rules = raw.get("rules", {})
        for rid in sorted({*rules, *(r for r in raw_rules if r in registry.rules)}):
            if registry.rules[rid].bonus:
                continue
            table = raw_rules.get(rid, {})
            if isinstance(table, Mapping) and table.get("enabled", True) is False:
                continue
            if rid in rules:
                weighted.append((rid, float(rules[rid].points)))
            elif isinstance(table, Mapping) and isinstance(table.get("points"), int | float):
                weighted.append((rid, float(table["points"])))
            elif isinstance(table, Mapping) and "points" in table:
                knowable = False
            else:
                points_field = attrs.fields_dict(registry.rules[rid].params).get("points")
                # no such field, no default, or a default of None: the points are not known
                default = None if points_field is None else points_field.default
                if default is None or default is attrs.NOTHING:
                    knowable = False
                else:
                    weighted.append((rid, float(default)))
        total = sum(w for _, w in weighted)
        if knowable and weighted and abs(total - header.total) > 1e-9:
            listing = " + ".join(f"{rid} {w:g}" for rid, w in weighted)
            p.add(
                "rules",
                "points",
                f"weights add up to {total:g}, not the declared total {header.total:g}: "
                f"{listing}（各规则分值之和应为 {header.total:g}）",
            )

    if rules is not None and thresholds is not None:
        thresholds = inherited(thresholds, rules, registry)

    effects_raw = raw.get("effects", {})
    effects = (
        p.structure(dict(effects_raw), Effects, "effects")
        if isinstance(effects_raw, Mapping)
        else None
    )
    if effects is not None:
        for level, points in effects.deductions.items():
            if level not in LEVELS:
                p.add("effects.deductions", level, f"unknown level {level!r}; use {LEVELS}", LEVELS)
            elif points < 0:
                p.add("effects.deductions", level, f"must not be negative, got {points}")
        for level in effects.veto_levels:
            if level not in LEVELS:
                p.add("effects", "veto_levels", f"unknown level {level!r}; use {LEVELS}", LEVELS)
        for tid in effects.veto_thresholds:
            if tid not in registry.thresholds:
                p.add(
                    "effects",
                    "veto_thresholds",
                    f"no plugin provides threshold {tid!r}",
                    registry.thresholds,
                )

    named = raw.get("rules", {})
    rule_ids = [r for r in named if r in registry.rules] if isinstance(named, Mapping) else []
    commendation = _commendation(p, raw.get("commendation", {}), rule_ids)
    groups_raw = raw.get("peer_groups", {})
    groups: PeerGroups | None = None
    if isinstance(groups_raw, Mapping):
        groups = p.structure(dict(groups_raw), PeerGroups, "peer_groups")
    else:
        p.add("peer_groups", None, "[peer_groups] must be a table")

    report_raw = raw.get("report", {})
    report: ReportSettings | None = None
    if isinstance(report_raw, Mapping):
        report = p.structure(dict(report_raw), ReportSettings, "report")
    else:
        p.add("report", None, "[report] must be a table")

    if p.items or header is None:
        return None, p.items
    ruleset = Ruleset(
        id=header.id,
        title=header.title,
        period=header.period,
        source=header.source,
        timezone=header.timezone,
        calendar=header.calendar,
        total=header.total,
        effective=header.effective,
        calendar_settings=cal or CalendarSettings(),
        limits=limits or Limits(),
        rules=rules or {},
        thresholds=thresholds or {},
        sources=sources,
        effective_tables=effective,
        effects=effects or Effects(),
        commendation=commendation or Commendation(),
        peer_groups=groups or PeerGroups(),
        report=report or ReportSettings(),
        file=file,
    )
    return attrs.evolve(ruleset, fingerprint=fingerprint(ruleset)), p.items


def inherited(
    thresholds: Mapping[str, Any], rules: Mapping[str, Any], registry: Registry
) -> dict[str, Any]:
    """The thresholds' parameters with those left out (``None``) that a parameter class
    declares it ``INHERITS`` from a rule filled in: the rule's value in this ruleset, or
    the rule's parameter class default when the rule is not enabled (``[thresholds.
    late-response] days`` is ``[rules.timeliness] days`` unless set)."""
    out = dict(thresholds)
    for tid, params in thresholds.items():
        links: Mapping[str, tuple[str, str]] = getattr(type(params), "INHERITS", {})
        changes = {}
        for name, (rule_id, key) in links.items():
            if getattr(params, name) is not None:
                continue
            if rule_id in rules:
                changes[name] = getattr(rules[rule_id], key)
            elif rule_id in registry.rules:
                default = attrs.fields_dict(registry.rules[rule_id].params)[key].default
                if default is not attrs.NOTHING:
                    changes[name] = default
        if changes:
            out[tid] = attrs.evolve(params, **changes)
    return out


def ruleset_notes(ref: str | Path, registry: Registry) -> list[str]:
    """What ``dxe-eval check`` says of a ruleset that is valid but may not mean what it
    says: a threshold's parameter set to differ from the rule's it would otherwise take
    (``INHERITS``), e.g. ``[thresholds.late-response] days`` beside ``[rules.timeliness]
    days`` — two meanings of "late" in one ruleset."""
    raw = read_raw(resolve_ruleset_path(ref))
    out: list[str] = []
    tables = raw.get("thresholds", {})
    rules = raw.get("rules", {})
    if not isinstance(tables, Mapping) or not isinstance(rules, Mapping):
        return out
    for tid, table in tables.items():
        threshold = registry.thresholds.get(tid)
        if threshold is None or not isinstance(table, Mapping):
            continue
        links: Mapping[str, tuple[str, str]] = getattr(threshold.params, "INHERITS", {})
        for name, (rule_id, key) in links.items():
            rule_table = rules.get(rule_id)
            if not isinstance(rule_table, Mapping) or name not in table:
                continue
            if key not in rule_table or table[name] == rule_table[key]:
                continue
            mine, theirs = f"[thresholds.{tid}] {name}", f"[rules.{rule_id}] {key}"
            out.append(
                f"{mine} = {table[name]!r} 与 {theirs} = {rule_table[key]!r} 不同：阈值与它沿用的"
                f"规则取值不同；删去 {mine} 即沿用规则的值 / {mine} = {table[name]!r} differs "
                f"from {theirs} = {rule_table[key]!r}: leave it out to use the rule's"
            )
    return out


def _plugin_tables(
    p: _Problems,
    raw: Mapping[str, Any],
    section: str,
    provided: Mapping[str, Any],
    sources: dict[str, str],
    effective: dict[str, Effective],
) -> dict[str, Any] | None:
    tables = raw.get(section, {})
    if not isinstance(tables, Mapping):
        p.add(section, None, f"[{section}] must be a table of tables")
        return None
    out: dict[str, Any] = {}
    noun = "rule" if section == "rules" else "threshold"
    for ident, table in tables.items():  # the file's order is the display order
        name = f"{section}.{ident}"
        if ident not in provided:
            p.add(
                section,
                ident,
                f"no plugin provides {noun} {ident!r}（没有插件提供{ident}）",
                provided,
            )
            continue
        if not isinstance(table, Mapping):
            p.add(name, None, f"[{name}] must be a table")
            continue
        params_raw = {k: v for k, v in table.items() if k not in META_KEYS}
        enabled = table.get("enabled", True)
        if not isinstance(enabled, bool):
            p.add(name, "enabled", f"expected true or false, got {enabled!r}")
            continue
        if not enabled:
            continue
        if "source" in table:
            if isinstance(table["source"], str):
                sources[name] = table["source"]
            else:
                p.add(name, "source", f"expected text, got {table['source']!r}")
        if "effective" in table:
            if isinstance(table["effective"], Mapping):
                in_force = p.structure(dict(table["effective"]), Effective, f"{name}.effective")
                if in_force is not None:
                    effective[name] = in_force
            else:
                p.add(name, "effective", "expected a table like { start = 2022-01-01 }")
        params = p.structure(params_raw, provided[ident].params, name)
        if params is None:
            continue
        bands = [(k, getattr(params, k)) for k in BAND_KEYS if getattr(params, k, None) is not None]
        for (k1, v1), (k2, v2) in itertools.pairwise(bands):
            if not v1 < v2:
                p.add(
                    name,
                    k2,
                    f"bands must increase strictly: {k1} = {v1:g} is not below {k2} = {v2:g}"
                    f"（分级阈值须严格递增）",
                )
        out[ident] = params
    return out


def _commendation(p: _Problems, raw: Any, rules: list[str]) -> Commendation | None:
    if not isinstance(raw, Mapping):
        p.add("commendation", None, "[commendation] must be a table")
        return None
    defaults = {k: v for k, v in raw.items() if k in LIST_POLICY_KEYS}
    data: dict[str, Any] = {k: v for k, v in raw.items() if k not in LIST_POLICY_KEYS}
    for kind in ("unit", "person", "project"):
        sub = data.get(kind, {})
        if isinstance(sub, Mapping):
            data[kind] = {**defaults, **sub}
    out: Commendation | None = p.structure(data, Commendation, "commendation")
    if out is not None:
        valid = (*rules, *TIE_BREAK_BUILTINS)
        for link in out.tie_break:
            if link not in valid:
                p.add(
                    "commendation",
                    "tie_break",
                    f"unknown tie-break {link!r}: use an enabled rule id or one of "
                    f"{', '.join(TIE_BREAK_BUILTINS)}"
                    + (
                        f" (did you mean {nearest(link, valid)!r}?)" if nearest(link, valid) else ""
                    ),
                )
    return out


def validity_warnings(ruleset: Ruleset) -> tuple[str, ...]:
    """Why the ruleset (or one of its tables) may not govern its period; empty when it does.

    A ruleset or a parameter table is in force from ``effective.start`` to
    ``effective.end`` (either end open). The evaluated period must overlap
    those dates: a notice issued in May governs the whole year's evaluation,
    but a 2022 ruleset whose period was moved to 2023 is outside its validity.
    """
    out: list[str] = []
    period = ruleset.period
    span = f"{period.start.isoformat()} – {period.end.isoformat()}"
    tables = [("ruleset", ruleset.effective, ruleset.source)]
    for table, in_force in sorted(ruleset.effective_tables.items()):
        tables.append((table, in_force, ruleset.sources.get(table, "")))
    for table, in_force, source in tables:
        if in_force.covers(period):
            continue
        src = f"（{source}）" if source else ""
        out.append(
            f"规则集 {ruleset.id} [{table}]{src} 的有效期 {in_force.describe()} 不含评价期间 {span}"
            f" / [{table}] of ruleset {ruleset.id} is in force {in_force.describe()}, "
            f"outside the evaluated period {span}"
        )
    return tuple(out)
