"""A self-contained HTML report of one :class:`~dxe_eval.result.Evaluation`.

One file that needs nothing from the network when it is opened: the CSS is
inline and the charts are SVG drawn here in Python. Chinese first
(``lang="zh-CN"``) with English beside the headings; it prints on A4.

Every text that comes from the input (names, categories, reasons, file names)
goes through :func:`esc`; nothing is inserted into the page unescaped.

Sections: summary figures, charts (totals per peer group as a box-and-strip
plot; average points per rule per peer group as grouped bars), the
commendation lists with near misses and exclusions, the findings, every unit's
breakdown, people and projects in collapsible ``<details>``, the data read and
its problems, and the run's manifest.
"""

from __future__ import annotations

import html
import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from wcwidth import wcswidth

from dxe_eval.model import KIND_LIST_ZH, KIND_ZH, KINDS, LEVEL_RANK, LEVEL_ZH, Scorecard
from dxe_eval.report.json import manifest
from dxe_eval.report.present import (
    EXCLUDED,
    LISTED,
    NEAR,
    PENDING,
    decided_link,
    evidence_item,
    level_name,
    rank_text,
    record_type_name,
    standings,
    status_text,
    titled,
)
from dxe_eval.report.reporter import Reporter, ReportOptions
from dxe_eval.report.yoy import (
    Previous,
    PreviousResult,
    Signature,
    finding_changes,
    list_changes,
)
from dxe_eval.result import Evaluation

#: Okabe–Ito colours (told apart by colour-blind readers), then greys
PALETTE: Final = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#999999",
    "#000000",
)
KIND_EN: Final = {"unit": "units", "person": "people", "project": "projects"}
LIST_EN: Final = {
    "unit": "Advanced units",
    "person": "Advanced individuals",
    "project": "Excellent projects",
}
LEVEL_CLASS: Final = {"warning": "lv-warning", "rectify": "lv-rectify", "criticize": "lv-criticize"}
#: rejected rows listed in the report; the rest are counted
REJECTIONS_SHOWN: Final = 500
#: a peer group of fewer candidates is drawn as dots only, without a box
BOX_MIN: Final = 5
EVIDENCE_SHOWN: Final = 10
FONT_STACK: Final = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif'
)

CSS: Final = """
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0 auto; max-width: 1100px;
       padding: 24px 28px 48px; line-height: 1.55; font-size: 14px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; border-bottom: 2px solid var(--accent); padding-bottom: 4px;
     margin-top: 36px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
h2 .en, h3 .en { font-weight: normal; color: var(--muted); font-size: 0.8em; margin-left: 6px; }
.sub { color: var(--muted); margin: 0; }
nav.toc { margin: 16px 0; padding: 8px 12px; background: var(--soft); border-radius: 6px; }
nav.toc a { margin-right: 14px; color: var(--accent); text-decoration: none; white-space: nowrap; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px; }
.figure { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: #fff; }
.figure .v { font-size: 26px; font-weight: bold; }
.figure .k { color: var(--muted); font-size: 13px; }
.figure .d { font-size: 12px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id { white-space: nowrap; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.scroll { overflow-x: auto; }
table.scores { font-size: 12px; }
table.scores th { white-space: normal; min-width: 2.8em; }
table.scores td.nm, table.scores th:first-child { white-space: nowrap; }
.muted { color: var(--muted); }
.na { color: var(--muted); }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px;
         white-space: nowrap; }
.lv-warning { background: #fff4d6; color: #7a4f00; }
.lv-rectify { background: #ffe2cc; color: #8a3300; }
.lv-criticize { background: #ffd7d5; color: #a40e26; }
.ok { background: #dafbe1; color: #116329; }
figure { margin: 10px 0 18px; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
svg.chart { width: 100%; height: auto; display: block; font-family: FONTS; }
svg.chart text { fill: var(--ink); }
/* column widths of the narrow tables: the reason gets the room, not the figures */
table.rules th:nth-child(1) { width: 16%; } table.rules th:nth-child(2),
table.rules th:nth-child(3) { width: 7%; } table.rules th:nth-child(4) { width: 48%; }
table.findings th:nth-child(1) { width: 9%; } table.findings th:nth-child(2),
table.findings th:nth-child(3) { width: 7%; } table.findings th:nth-child(4) { width: 17%; }
table.findings th:nth-child(5) { width: 40%; }
table.entries th:nth-child(1) { width: 10%; } table.entries th:nth-child(2) { width: 8%; }
table.entries th:nth-child(3) { width: 8%; } table.entries th:nth-child(4) { width: 20%; }
table.entries th:nth-child(5) { width: 8%; } table.entries th:nth-child(6) { width: 16%; }
table.excl th:nth-child(1) { width: 8%; } table.excl th:nth-child(2) { width: 24%; }
table.excl th:nth-child(3) { width: 10%; } table.excl th:nth-child(4) { width: 8%; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 4px 14px 8px; margin: 12px 0; }
.card h3 { margin-top: 10px; }
.card .total { float: right; font-size: 18px; font-weight: bold; }
details { margin: 8px 0; }
details > summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
details.cand { border-bottom: 1px solid var(--line); margin: 0; padding: 2px 0; }
details.cand > summary { font-weight: normal; }
footer { margin-top: 40px; font-size: 12px; color: var(--muted);
         border-top: 1px solid var(--line); }
footer td { font-size: 11px; word-break: break-all; }
.prose p { margin: 6px 0; }
.prose ul { margin: 4px 0 8px; padding-left: 22px; }
table.sign { margin-top: 18px; font-size: 14px; }
table.sign th { width: 7em; }
table.sign td { height: 2.4em; min-width: 12em; }
@page { size: A4; margin: 14mm 12mm 16mm;
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                   font-size: 9pt; color: #57606a; } }
@page wide { size: A4 landscape; margin: 12mm 12mm 14mm;
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                   font-size: 9pt; color: #57606a; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav.toc { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 0; }
  h3 { break-after: avoid; page-break-after: avoid; }
  section.page { break-before: page; page-break-before: always; }
  section.wide { page: wide; }
  section#summary { break-after: page; }
  figure, .card, .figure, tr, table.sign { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  /* no clipped column: a table never grows past the page; its cells wrap instead */
  table { font-size: 8.5pt; table-layout: fixed; width: 100%; }
  th, td { white-space: normal !important; overflow-wrap: anywhere; min-width: 0 !important; }
  th .badge, td .badge { white-space: normal; }
  table.scores { font-size: 7.5pt; }
  table.scores th, table.scores td { padding: 2px 3px; }
  .figures { grid-template-columns: repeat(5, 1fr); }
  .figure .v { font-size: 18px; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
""".replace("FONTS", FONT_STACK)

# Closed <details> do not print: open them all while printing, then restore.
PRINT_SCRIPT: Final = """
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true; opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
"""


def esc(value: Any) -> str:
    """Text for HTML and SVG: every ``&``, ``<``, ``>`` and quote escaped; ``None`` is empty."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def num(value: float | int | None) -> str:
    """A number as people read it: ``101``, ``94.41``; ``None`` is a dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        return f"{round(value, 2):g}" if abs(value) < 1e6 else f"{value:.0f}"
    return str(value)


def _cell(value: Any, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{value}</td>"


def _table(headers: Sequence[tuple[str, str]], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """A table: headers as (text, css class); rows hold cells already rendered as ``<td>``."""
    head = "".join(
        f'<th class="{cls}">{esc(text)}</th>' if cls else f"<th>{esc(text)}</th>"
        for text, cls in headers
    )
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    attr = f' class="{cls}"' if cls else ""
    return (
        f'<div class="scroll"><table{attr}><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _badge(level: str) -> str:
    return f'<span class="badge {LEVEL_CLASS.get(level, "")}">{esc(level_name(level))}</span>'


# ---------------------------------------------------------------------------
# charts (inline SVG)
# ---------------------------------------------------------------------------


def _nice_step(span: float) -> float:
    """A tick step giving about five to ten ticks over ``span``."""
    raw = max(span, 1e-9) / 6
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power  # pragma: no cover


def _axis_range(values: Sequence[float]) -> tuple[float, float, float]:
    lo, hi = (min(values), max(values)) if values else (0.0, 100.0)
    if hi - lo < 10:
        mid = (hi + lo) / 2
        lo, hi = mid - 5, mid + 5
    step = _nice_step(hi - lo)
    lo = math.floor(lo / step) * step
    hi = math.ceil(hi / step) * step
    if lo < 0 <= min(values or [0]):
        lo = 0.0
    return lo, hi, step


def _text_width(text: str, size: float) -> float:
    """Approximate rendered width: a Chinese character is about one em, Latin about half."""
    w = wcswidth(text)
    return (w if w >= 0 else len(text) * 2) * size * 0.55


def strip_chart(
    groups: Sequence[tuple[str, Sequence[tuple[str, float]]]],
    *,
    title: str,
    width: int = 960,
) -> str:
    """Totals per peer group: one row per group, a box (quartiles, median), whiskers and dots.

    ``groups``: (group name, [(label for the dot's tooltip, total), …]).
    """
    if not groups:
        return ""
    values = [v for _, pts in groups for _, v in pts]
    lo, hi, step = _axis_range(values)
    label_w = max(90.0, max(_text_width(g, 13) for g, _ in groups) + 16)
    left, right, top, row_h = label_w, 56.0, 30.0, 46.0
    plot_w = width - left - right
    height = int(top + row_h * len(groups) + 34)

    def x(v: float) -> float:
        return left + (v - lo) / (hi - lo) * plot_w

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
    ]
    tick = lo
    bottom = top + row_h * len(groups)
    while tick <= hi + step / 1000:
        tx = x(tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top - 6:.1f}" x2="{tx:.1f}" y2="{bottom:.1f}" '
            f'stroke="#e3e6ea" stroke-width="1"/>'
            f'<text x="{tx:.1f}" y="{bottom + 16:.1f}" font-size="12" '
            f'text-anchor="middle">{esc(num(tick))}</text>'
        )
        tick += step
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{bottom + 31:.1f}" font-size="12" '
        f'text-anchor="middle" fill="#57606a">总分 total</text>'
    )
    for gi, (group, pts) in enumerate(groups):
        color = PALETTE[gi % len(PALETTE)]
        cy = top + row_h * gi + row_h / 2
        parts.append(
            f'<text x="{left - 10:.1f}" y="{cy + 4:.1f}" font-size="13" '
            f'text-anchor="end">{esc(group)}</text>'
        )
        vals = sorted(v for _, v in pts)
        if len(vals) >= BOX_MIN:  # fewer: the dots alone (a box of 2 or 3 says nothing)
            q1, med, q3 = statistics.quantiles(vals, n=4, method="inclusive")
            parts.append(
                f'<line x1="{x(vals[0]):.1f}" y1="{cy:.1f}" x2="{x(vals[-1]):.1f}" '
                f'y2="{cy:.1f}" stroke="{color}" stroke-width="1.5"/>'
                f'<rect x="{x(q1):.1f}" y="{cy - 11:.1f}" width="{max(x(q3) - x(q1), 1.5):.1f}" '
                f'height="22" fill="{color}" fill-opacity="0.15" stroke="{color}"/>'
                f'<line x1="{x(med):.1f}" y1="{cy - 11:.1f}" x2="{x(med):.1f}" '
                f'y2="{cy + 11:.1f}" stroke="{color}" stroke-width="2.5"/>'
            )
        ordered = sorted(pts, key=lambda p: (p[1], p[0]))
        for i, (label, v) in enumerate(ordered):
            jitter = ((i * 37) % 7 - 3) * 2.6
            parts.append(
                f'<circle cx="{x(v):.1f}" cy="{cy + jitter:.1f}" r="4" fill="{color}" '
                f'fill-opacity="0.8" stroke="#fff" stroke-width="0.8">'
                f"<title>{esc(label)}: {esc(num(v))}</title></circle>"
            )
        parts.append(
            f'<text x="{width - right + 8:.1f}" y="{cy + 4:.1f}" font-size="12" '
            f'fill="#57606a">n={len(pts)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def rule_bars(
    rules: Sequence[tuple[str, float]],
    groups: Sequence[str],
    averages: Mapping[tuple[int, str], float | None],
    *,
    title: str,
    width: int = 960,
) -> str:
    """Average points per rule per peer group as grouped horizontal bars.

    ``rules``: (label, maximum) per rule; ``averages[(rule index, group)]`` is the
    group's average points on that rule (``None``: no candidate it applies to).
    Each bar's length is the average as a share of the rule's maximum, the light
    track behind it the maximum itself; the number at its end is the average.
    """
    if not rules or not groups:
        return ""
    label_w = max(120.0, max(_text_width(lbl, 13) for lbl, _ in rules) + 16)
    left, right, top = label_w, 60.0, 34.0
    bar_h, gap, block_gap = 11.0, 2.0, 12.0
    block_h = len(groups) * (bar_h + gap) - gap
    plot_w = width - left - right
    height = int(top + len(rules) * (block_h + block_gap) + 10)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
    ]
    lx = left
    for gi, group in enumerate(groups):
        color = PALETTE[gi % len(PALETTE)]
        parts.append(
            f'<rect x="{lx:.1f}" y="8" width="12" height="12" fill="{color}"/>'
            f'<text x="{lx + 16:.1f}" y="18.5" font-size="12">{esc(group)}</text>'
        )
        lx += 16 + _text_width(group, 12) + 22
    for ri, (label, maximum) in enumerate(rules):
        y0 = top + ri * (block_h + block_gap)
        parts.append(
            f'<text x="{left - 10:.1f}" y="{y0 + block_h / 2 + 4:.1f}" font-size="13" '
            f'text-anchor="end">{esc(label)}</text>'
        )
        for gi, group in enumerate(groups):
            color = PALETTE[gi % len(PALETTE)]
            y = y0 + gi * (bar_h + gap)
            parts.append(
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{plot_w:.1f}" height="{bar_h:.1f}" '
                f'fill="#f0f2f4"/>'
            )
            avg = averages.get((ri, group))
            if avg is None:
                parts.append(
                    f'<text x="{left + 4:.1f}" y="{y + bar_h - 2:.1f}" font-size="10" '
                    f'fill="#57606a">—</text>'
                )
                continue
            share = 0.0 if maximum <= 0 else max(0.0, min(1.0, avg / maximum))
            bw = plot_w * share
            parts.append(
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{bar_h:.1f}" '
                f'fill="{color}"><title>{esc(group)} · {esc(label)}: {esc(num(avg))} / '
                f"{esc(num(maximum))}</title></rect>"
                f'<text x="{left + plot_w + 6:.1f}" y="{y + bar_h - 2:.1f}" font-size="10">'
                f"{esc(num(avg))}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------


def _groups(cards: Sequence[Scorecard]) -> list[str]:
    return sorted({c.candidate.category for c in cards})


def _rule_ids(cards: Sequence[Scorecard]) -> list[tuple[str, str, float]]:
    """(rule id, title, maximum) in the order the scorecards list them."""
    seen: dict[str, tuple[str, float]] = {}
    for card in cards:
        for r in card.rules:
            seen.setdefault(r.rule, (r.title, r.result.max))
    return [(rid, t, m) for rid, (t, m) in seen.items()]


def distribution_chart(cards: Sequence[Scorecard], kind: str) -> str:
    groups = []
    for g in _groups(cards):
        pts = [
            (f"{c.candidate.candidate_id} {c.candidate.name}", c.total)
            for c in cards
            if c.candidate.category == g
        ]
        groups.append((g, pts))
    title = (
        f"{KIND_ZH.get(kind, kind)}总分分布（按类别） Totals of {KIND_EN.get(kind, kind)} by group"
    )
    return strip_chart(groups, title=title)


def averages_chart(cards: Sequence[Scorecard], kind: str) -> str:
    rules = _rule_ids(cards)
    groups = _groups(cards)
    averages: dict[tuple[int, str], float | None] = {}
    for ri, (rid, _, _) in enumerate(rules):
        for g in groups:
            pts = [
                r.result.points
                for c in cards
                if c.candidate.category == g
                for r in c.rules
                if r.rule == rid and r.result.applicable
            ]
            averages[(ri, g)] = sum(pts) / len(pts) if pts else None
    labels = [(f"{title}（满分 {num(m)}）", m) for _, title, m in rules]
    title = (
        f"{KIND_ZH.get(kind, kind)}各规则平均得分（按类别） "
        f"Average points per rule, {KIND_EN.get(kind, kind)} by group"
    )
    return rule_bars(labels, groups, averages, title=title)


def _status_map(ev: Evaluation) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for key, s in standings(ev).items():
        text = esc(status_text(s, short=True))
        if s.state in (EXCLUDED, NEAR):
            out[key] = f'<span class="muted">{text}</span>'
        elif s.state == LISTED:
            out[key] = f'<span class="badge ok">{text}</span>'
        else:
            out[key] = f'<span class="badge">{text}</span>'
    return out


def _findings_by(ev: Evaluation) -> dict[tuple[str, str], list[Any]]:
    by: dict[tuple[str, str], list[Any]] = {}
    for f in ev.findings:
        by.setdefault((f.kind, f.candidate_id), []).append(f)
    return by


def _who(entries: Iterable[Any]) -> str:
    return "、".join(
        f"{esc(e.name)}（{esc(e.candidate_id)}，{esc(num(e.total))} 分）" for e in entries
    )


def reason_group(reason: str) -> str:
    """An exclusion reason without the candidate's own figure, to count candidates by
    reason: ``总分 84.14 低于 85 (total below 85)`` → ``总分低于 85``;
    ``有效测评 3 份，少于 5 份`` → ``有效测评少于 5 份``;
    ``期末仍有 1 条差评未整改（S00281）`` → ``期末仍有差评未整改``."""
    zh = reason.split(" (", 1)[0]
    zh = re.sub(r"（[^）]*）", "", zh)
    return re.sub(r"\s*\d+(\.\d+)?\s*(%|份|条|个|件)?[，,]?\s*", "", zh, count=1).strip()


def _overview_lines(ev: Evaluation) -> list[str]:
    """The 概要's sentences, in Chinese, worked out from the results."""
    rs = ev.ruleset
    by_kind = {k: sum(1 for c in ev.scorecards if c.candidate.kind == k) for k in KINDS}
    counted = (
        "、".join(f"{by_kind[k]} 个{esc(KIND_ZH[k])}" for k in KINDS if by_kind[k]) or "0 个对象"
    )
    lines = [
        f"本次评价依据{esc(rs.source) or '规则集'}，考评期间 {esc(rs.period.start.isoformat())} 至 "
        f"{esc(rs.period.end.isoformat())}，共 {counted}参评。"
    ]
    for kind in KINDS:
        entries = ev.commendation.lists.get(kind)
        if entries is None:
            continue
        listed = [e for e in entries if e.status != PENDING]
        pending = [e for e in entries if e.status == PENDING]
        list_name = esc(KIND_LIST_ZH.get(kind, kind))
        if listed:
            text = f"建议表彰{list_name} {len(listed)} 个：{_who(listed)}。"
        else:
            text = f"{list_name}：无建议表彰对象。"
        if pending:
            text += f"另有 {len(pending)} 个在名额线上并列、待定：{_who(pending)}，须集体研究决定。"
        lines.append(text)
    if ev.findings:
        parts = []
        for level in sorted(LEVEL_ZH, key=lambda lv: -LEVEL_RANK[lv]):
            units = sorted({f.unit_id for f in ev.findings if f.level == level})
            n = sum(1 for f in ev.findings if f.level == level)
            if n:
                parts.append(f"{esc(level_name(level))} {n} 条（涉及单位 {esc('、'.join(units))}）")
        lines.append(f"预警与通报共 {len(ev.findings)} 条：{'；'.join(parts)}。")
    else:
        lines.append("本期无预警与通报。")
    excluded = ev.commendation.excluded
    if excluded:
        groups: dict[str, set[tuple[str, str]]] = {}
        for x in excluded:
            for r in x.reasons:
                groups.setdefault(reason_group(r), set()).add((x.kind, x.candidate_id))
        ranked = sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))
        lines.append(
            f"不符合表彰条件 {len(excluded)} 个（可有多项原因）："
            + "；".join(f"{esc(k)}（{len(v)} 个）" for k, v in ranked)
            + "。"
        )
    read = sum(c.read for c in ev.dataset.counts.values())
    rejected = sum(c.rejected for c in ev.dataset.counts.values())
    lines.append(
        f"共读取记录 {read} 行，接收 {read - rejected} 行，拒收 {rejected} 行"
        + ("（见“数据读取与问题”）。" if rejected else "。")
    )
    return lines


def _change_lines(ev: Evaluation, prev: PreviousResult) -> list[str]:
    """What changed against a previous result, in Chinese."""
    lines = []
    for change in list_changes(ev, prev):
        name = esc(KIND_LIST_ZH.get(change.kind, change.kind))
        if not change.entered and not change.left:
            lines.append(f"{name}：名单未变（{change.size_b} 个）。")
            continue
        parts = [f"{name}：由 {change.size_a} 个变为 {change.size_b} 个"]
        if change.entered:
            parts.append("新进 " + "、".join(f"{esc(n)}（{esc(c)}）" for c, n in change.entered))
        if change.left:
            parts.append("退出 " + "、".join(f"{esc(n)}（{esc(c)}）" for c, n in change.left))
        lines.append("，".join(parts) + "。")
    findings = finding_changes(ev, prev)
    new = [f for f in findings if f.level_a is None]
    gone = [f for f in findings if f.level_b is None]
    moved = [f for f in findings if f.level_a and f.level_b]

    def who(fs: Sequence[Any]) -> str:
        return "、".join(esc(f.candidate_id) for f in fs)

    if findings:
        text = "预警与通报："
        text += "；".join(
            part
            for part in (
                f"新增 {len(new)} 条（{who(new)}）" if new else "",
                f"不再出现 {len(gone)} 条（{who(gone)}）" if gone else "",
                f"等级变化 {len(moved)} 条（{who(moved)}）" if moved else "",
            )
            if part
        )
        lines.append(text + "。")
    else:
        lines.append("预警与通报：与上期相同。")
    changes = []
    for card in ev.scorecards:
        c = card.candidate
        if c.kind != "unit":
            continue
        before = prev.totals.get((c.kind, c.candidate_id))
        if before is not None:
            changes.append((round(card.total - before, 2), c.name, c.candidate_id))
    if changes and all(c[0] == 0 for c in changes):
        lines.append("各单位总分与上期相同。")
    elif changes:
        up = max(changes)
        down = min(changes)
        lines.append(
            f"单位总分升幅最大：{esc(up[1])}（{up[0]:+.2f}）；降幅最大：{esc(down[1])}（{down[0]:+.2f}）。"
        )
    return lines


def _signature(sign: Signature) -> str:
    cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in sign.rows())
    return f'<table class="sign" aria-label="签署 signatures"><tbody>{cells}</tbody></table>'


def _summary(
    ev: Evaluation, sign: Signature | None = None, prev: PreviousResult | None = None
) -> str:
    """The one-page 概要: what the results say, in sentences; the figures; the signatures."""
    by_kind = {k: sum(1 for c in ev.scorecards if c.candidate.kind == k) for k in KINDS}
    levels = {lv: sum(1 for f in ev.findings if f.level == lv) for lv in LEVEL_ZH}
    commended = {k: len(ev.commendation.lists.get(k, ())) for k in KINDS}
    read = sum(c.read for c in ev.dataset.counts.values())
    rejected = sum(c.rejected for c in ev.dataset.counts.values())
    figures = [
        (
            f"{by_kind['unit']} / {by_kind['person']} / {by_kind['project']}",
            "参评单位 / 个人 / 项目",
            '<span class="en">candidates: units / people / projects</span>',
        ),
        (
            str(len(ev.findings)),
            "预警与通报",
            esc("，".join(f"{level_name(lv)} {n}" for lv, n in levels.items())),
        ),
        (
            f"{commended['unit']} / {commended['person']} / {commended['project']}",
            "建议表彰 单位 / 个人 / 项目",
            '<span class="en">commended: units / people / projects</span>',
        ),
        (
            str(len(ev.commendation.excluded)),
            "未入选（不符合条件）",
            '<span class="en">not eligible</span>',
        ),
        (f"{read} 行", "读取记录", f"接收 {read - rejected}，拒收 {rejected} (rows read)"),
    ]
    cards = "".join(
        f'<div class="figure"><div class="v">{esc(v)}</div><div class="k">{esc(k)}</div>'
        f'<div class="d">{d}</div></div>'
        for v, k, d in figures
    )
    prose = "".join(f"<p>{line}</p>" for line in _overview_lines(ev))
    if prev is not None:
        prose += f'<h3>与上期比较<span class="en">Against {esc(prev.label)}</span></h3>'
        prose += "<ul>" + "".join(f"<li>{line}</li>" for line in _change_lines(ev, prev))
        prose += "</ul>"
    return (
        '<section id="summary"><h2>概要<span class="en">Summary</span></h2>'
        f'<div class="figures">{cards}</div><div class="prose">{prose}</div>'
        f"{_signature(sign or Signature())}</section>"
    )


def _charts(ev: Evaluation) -> str:
    out = ['<section id="charts" class="page"><h2>得分分布<span class="en">Charts</span></h2>']
    for kind in KINDS:
        cards = [c for c in ev.scorecards if c.candidate.kind == kind]
        if not cards:
            continue
        out.append(
            f'<h3>{esc(KIND_ZH.get(kind, kind))}<span class="en">{KIND_EN[kind]}</span></h3>'
        )
        out.append(
            f"<figure>{distribution_chart(cards, kind)}<figcaption>"
            f"每个点为一个{esc(KIND_ZH[kind])}；"
            "5 个及以上时方框为四分位距，竖线为中位数，横线为最低至最高分；横轴不一定从 0 开始。"
            " Each dot is a candidate; the box spans the quartiles, the bar marks the median."
            "</figcaption></figure>"
        )
        out.append(
            f"<figure>{averages_chart(cards, kind)}<figcaption>条长为平均得分占该规则满分的比例，"
            "右侧数字为平均得分；不适用的对象不计入平均。"
            " Bar length: average points as a share of the rule's maximum; "
            "candidates the rule could not judge are left out.</figcaption></figure>"
        )
    out.append("</section>")
    return "".join(out)


def _entry_rows(ev: Evaluation, entries: Iterable[Any], note: bool = False) -> list[list[str]]:
    rows = []
    for e in entries:
        rank = rank_text(e.rank, e.tied)
        row = [
            _cell(esc(e.group)),
            _cell(esc(rank), "num"),
            _cell(esc(e.candidate_id), "id"),
            _cell(esc(e.name)),
            _cell(esc(num(e.total)), "num"),
            _cell(esc(decided_link(ev, e.decided_by))),
        ]
        if note:
            row.append(_cell(esc(e.note)))
        rows.append(row)
    return rows


def _commendation(ev: Evaluation) -> str:
    out = [
        '<section id="commend" class="page">'
        '<h2>表彰建议名单<span class="en">Commendation</span></h2>'
    ]
    heads = [
        ("类别", ""),
        ("名次", "num"),
        ("编号", ""),
        ("名称", ""),
        ("总分", "num"),
        ("决定因素", ""),
    ]
    for kind in KINDS:
        entries = ev.commendation.lists.get(kind)
        if entries is None:
            continue
        out.append(
            f'<h3>{esc(KIND_LIST_ZH.get(kind, kind))}<span class="en">{LIST_EN[kind]}</span></h3>'
        )
        if entries:
            out.append(
                _table([*heads, ("说明", "")], _entry_rows(ev, entries, note=True), "entries")
            )
        else:
            out.append('<p class="muted">（无 none）</p>')
        near = ev.commendation.near_misses.get(kind, ())
        if near:
            out.append(
                f"<details><summary>名额外候选 {len(near)} 名 (over the quota)</summary>"
                + _table([*heads, ("说明", "")], _entry_rows(ev, near, note=True), "entries")
                + "</details>"
            )
    out.append('<h3>未入选原因<span class="en">Not eligible</span></h3>')
    if not ev.commendation.excluded:
        out.append('<p class="muted">（无 none）</p>')
    for kind in KINDS:
        excluded = sorted(
            (x for x in ev.commendation.excluded if x.kind == kind), key=lambda x: x.candidate_id
        )
        if not excluded:
            continue
        table = _table(
            [("编号", ""), ("名称", ""), ("类别", ""), ("总分", "num"), ("原因", "")],
            (
                [
                    _cell(esc(x.candidate_id), "id"),
                    _cell(esc(x.name)),
                    _cell(esc(x.category)),
                    _cell(esc(num(x.total)), "num"),
                    _cell("<br>".join(esc(r) for r in x.reasons)),
                ]
                for x in excluded
            ),
            "excl",
        )
        summary = f"{esc(KIND_ZH.get(kind, kind))}：{len(excluded)} 个 ({KIND_EN[kind]})"
        # units are few and matter most: shown; people and projects: collapsed
        opened = " open" if kind == "unit" else ""
        out.append(f"<details{opened}><summary>{summary}</summary>{table}</details>")
    out.append("</section>")
    return "".join(out)


def _evidence(ids: Sequence[str], count: int = 0, ev: Evaluation | None = None) -> str:
    """Evidence ids, the first :data:`EVIDENCE_SHOWN`; a threshold's id (a finding that
    led to another) is shown by its title, the id in brackets."""
    total = max(len(ids), count)
    shown = "，".join(esc(evidence_item(ev, i) if ev else i) for i in ids[:EVIDENCE_SHOWN])
    if total > min(len(ids), EVIDENCE_SHOWN):
        shown += f" 等共 {total} 条"
    return shown


def _findings(ev: Evaluation) -> str:
    out = ['<section id="findings"><h2>预警与通报<span class="en">Findings</span></h2>']
    if not ev.findings:
        out.append('<p class="muted">（无 none）</p></section>')
        return "".join(out)
    rows = [
        [
            _cell(_badge(f.level)),
            _cell(esc(f.unit_id), "id"),
            _cell(esc(f.candidate_id), "id"),
            _cell(esc(titled("threshold", f.threshold, registry=ev.registry))),
            _cell(esc(f.reason)),
            _cell(_evidence(f.evidence, f.count, ev)),
        ]
        for f in sorted(
            ev.findings, key=lambda f: (-LEVEL_RANK[f.level], f.unit_id, f.candidate_id)
        )
    ]
    out.append(
        _table(
            [
                ("等级", ""),
                ("单位", ""),
                ("对象", ""),
                ("阈值", ""),
                ("原因", ""),
                ("依据记录", ""),
            ],
            rows,
            "findings",
        )
    )
    out.append("</section>")
    return "".join(out)


def _scores_table(cards: Sequence[Scorecard], status: Mapping[tuple[str, str], str]) -> str:
    rules = _rule_ids(cards)
    heads = [("编号", ""), ("名称", ""), ("类别", "")]
    heads += [(title, "num") for _, title, _ in rules]
    heads += [("基础分", "num"), ("加分", "num"), ("扣分", "num"), ("总分", "num"), ("表彰", "")]
    rows = []
    for card in sorted(cards, key=lambda c: (-c.total, c.candidate.candidate_id)):
        c = card.candidate
        row = [_cell(esc(c.candidate_id), "id"), _cell(esc(c.name), "nm")]
        row.append(_cell(esc(c.category), "nm"))
        for rid, _, _ in rules:
            r = card.get_rule(rid)
            if r is None:
                row.append(_cell("", "num"))
            elif not r.result.applicable:
                row.append(_cell('<span class="na">不适用</span>', "num"))
            else:
                row.append(_cell(esc(num(r.result.points)), "num"))
        row += [
            _cell(esc(num(card.base)), "num"),
            _cell(esc(num(card.bonus)), "num"),
            _cell(esc(num(card.deductions)), "num"),
            _cell(f"<b>{esc(num(card.total))}</b>", "num"),
            _cell(status.get((c.kind, c.candidate_id), "")),
        ]
        rows.append(row)
    return _table(heads, rows, "scores")


def _breakdown(card: Scorecard, findings: Sequence[Any], status: str) -> str:
    rows = []
    for r in card.rules:
        res = r.result
        pts = '<span class="na">不适用</span>' if not res.applicable else esc(num(res.points))
        title = f"{esc(r.title)}{'（加分）' if r.bonus else ''}"
        rows.append(
            [
                _cell(title),
                _cell(pts, "num"),
                _cell(esc(num(res.max)), "num"),
                _cell(esc(res.reason)),
                _cell(_evidence(res.evidence)),
            ]
        )
    table = _table(
        [("规则", ""), ("得分", "num"), ("满分", "num"), ("理由", ""), ("依据记录", "")],
        rows,
        "rules",
    )
    lines = [
        f'<p class="muted">基础分 {esc(num(card.base))} + 加分 {esc(num(card.bonus))} − 扣分 '
        f"{esc(num(card.deductions))} = 总分 {esc(num(card.total))}"
        + (f"　{status}" if status else "")
        + "</p>"
    ]
    for f in findings:
        lines.append(f"<p>{_badge(f.level)} {esc(f.reason)}</p>")
    return "".join(lines) + table


def _units(ev: Evaluation, status: Mapping[tuple[str, str], str]) -> str:
    cards = [c for c in ev.scorecards if c.candidate.kind == "unit"]
    if not cards:
        return ""
    findings = _findings_by(ev)
    out = ['<section id="units" class="page wide"><h2>单位得分<span class="en">Units</span></h2>']
    out.append(_scores_table(cards, status))
    out.append(
        '</section><section id="cards" class="page"><h2>附录：各单位得分明细'
        '<span class="en">Appendix: each unit</span></h2>'
    )
    for card in sorted(cards, key=lambda c: c.candidate.candidate_id):
        c = card.candidate
        key = (c.kind, c.candidate_id)
        out.append(
            f'<div class="card" id="c-{esc(c.candidate_id)}"><h3>'
            f'<span class="total">{esc(num(card.total))}</span>'
            f'{esc(c.candidate_id)} {esc(c.name)}<span class="en">{esc(c.category)}</span></h3>'
            f"{_breakdown(card, findings.get(key, []), status.get(key, ''))}</div>"
        )
    out.append("</section>")
    return "".join(out)


def _collapsible(ev: Evaluation, kind: str, status: Mapping[tuple[str, str], str]) -> str:
    cards = [c for c in ev.scorecards if c.candidate.kind == kind]
    if not cards:
        return ""
    findings = _findings_by(ev)
    zh = "个人" if kind == "person" else "项目"
    out = [
        f'<section id="{KIND_EN[kind]}" class="page wide"><h2>{zh}得分'
        f'<span class="en">{KIND_EN[kind].capitalize()}</span></h2>',
        f"<details><summary>得分表：{len(cards)} 个{esc(KIND_ZH[kind])} (scores table)</summary>"
        f"{_scores_table(cards, status)}</details></section>",
        f'<section id="{KIND_EN[kind]}-cards" class="page"><h2>附录：{zh}得分明细'
        f'<span class="en">Appendix: each {kind}</span></h2>'
        f"<details><summary>逐个明细 (each {kind}'s breakdown)</summary>",
    ]
    for card in sorted(cards, key=lambda c: c.candidate.candidate_id):
        c = card.candidate
        key = (c.kind, c.candidate_id)
        out.append(
            f'<details class="cand" id="c-{esc(c.candidate_id)}"><summary>{esc(c.candidate_id)} '
            f"{esc(c.name)}（{esc(c.category)}，{esc(c.unit_id)}） 总分 {esc(num(card.total))}"
            f"</summary>{_breakdown(card, findings.get(key, []), status.get(key, ''))}</details>"
        )
    out.append("</details></section>")
    return "".join(out)


def _data(ev: Evaluation) -> str:
    out = ['<section id="data" class="page"><h2>数据读取与问题<span class="en">Data</span></h2>']
    out.append(
        _table(
            [("记录类型", ""), ("读取", "num"), ("接收", "num"), ("拒收", "num")],
            (
                [
                    _cell(esc(record_type_name(ev, name))),
                    _cell(str(c.read), "num"),
                    _cell(str(c.accepted), "num"),
                    _cell(str(c.rejected), "num"),
                ]
                for name, c in ev.dataset.counts.items()
            ),
        )
    )
    rejected = ev.dataset.rejected
    out.append(f'<h3>拒收的行<span class="en">Rejected rows: {len(rejected)}</span></h3>')
    if rejected:
        out.append(
            _table(
                [("文件", ""), ("行", "num"), ("列", ""), ("原因", "")],
                (
                    [
                        _cell(esc(r.file)),
                        _cell(str(r.row), "num"),
                        _cell(esc(r.column or "")),
                        _cell(esc(r.reason)),
                    ]
                    for r in rejected[:REJECTIONS_SHOWN]
                ),
            )
        )
        if len(rejected) > REJECTIONS_SHOWN:
            out.append(
                f'<p class="muted">另有 {len(rejected) - REJECTIONS_SHOWN} 行未列出，'
                "见 --format xlsx 的“数据问题”表 (more rows: see the XLSX report)</p>"
            )
    else:
        out.append('<p class="muted">（无 none）</p>')
    if ev.warnings:
        out.append('<h3>提示<span class="en">Warnings</span></h3><ul>')
        out += [f"<li>{esc(w)}</li>" for w in ev.warnings]
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


# ---------------------------------------------------------------------------
# 同比: year over year
# ---------------------------------------------------------------------------


def html_section(ev: Evaluation, previous: Previous) -> str:
    """The HTML report's 同比 section: the units' totals then and now, and a chart."""
    cards = sorted(
        (c for c in ev.scorecards if c.candidate.kind == "unit"),
        key=lambda c: (-c.total, c.candidate.candidate_id),
    )
    rows, bars = [], []
    for card in cards:
        c = card.candidate
        before = previous.totals.get((c.kind, c.candidate_id))
        change = previous.change(c.kind, c.candidate_id, card.total)
        shown = "—" if change is None else f"{change:+.2f}"
        rows.append(
            [
                _cell(esc(c.candidate_id), "id"),
                _cell(esc(c.name), "nm"),
                _cell(esc(num(before)), "num"),
                _cell(esc(num(card.total)), "num"),
                _cell(esc(shown), "num"),
            ]
        )
        if change is not None:
            bars.append((f"{c.candidate_id} {c.name}", change))
    table = _table(
        [("编号", ""), ("名称", ""), ("上期总分", "num"), ("本期总分", "num"), ("同比", "num")],
        rows,
    )
    return (
        '<section id="yoy" class="page"><h2>同比<span class="en">Year over year</span></h2>'
        f'<p class="muted">与 {esc(previous.label)} 比较 / compared with the previous period</p>'
        f"{change_chart(bars)}{table}</section>"
    )


def change_chart(bars: list[tuple[str, float]], *, width: int = 960) -> str:
    """Horizontal bars from a zero line: rises to the right (green), falls to the left (red)."""
    if not bars:
        return ""
    label_w = max(120.0, max(_text_width(label, 12) for label, _ in bars) + 16)
    bar_h, gap, top = 14.0, 4.0, 8.0
    plot_w = width - label_w - 60
    zero = label_w + plot_w / 2
    most = max(abs(v) for _, v in bars) or 1.0
    height = int(top + len(bars) * (bar_h + gap) + 8)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg" aria-label="同比 year over year">',
        "<title>同比 year over year</title>",
        f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="#57606a"/>',
    ]
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


def _footer(ev: Evaluation) -> str:
    m = manifest(ev)
    rs = m["ruleset"]
    rows = [
        ["dxe_eval", f"{m['dxe_eval']}（Python {m['python']}）"],
        ["规则集 ruleset", f"{rs['id']} {rs['fingerprint']}"],
        ["工作日历 calendar", f"{m['calendar']['id']} {m['calendar']['version']}"],
        ["时区 timezone", m["timezone"]],
    ]
    rows += [
        ["插件 plugin", f"{p['name']} {p['distribution']} {p['version']}"] for p in m["plugins"]
    ]
    rows += [
        [
            f"输入 {record_type_name(ev, i['record_type'])}",
            f"{i['file']}（{i['rows']} 行）sha256 {i['sha256']}",
        ]
        for i in m["inputs"]
    ]
    table = _table([("项目", ""), ("值", "")], ([_cell(esc(k)), _cell(esc(v))] for k, v in rows))
    return f'<footer><h3>运行信息<span class="en">Manifest</span></h3>{table}</footer>'


def to_html(
    ev: Evaluation,
    *,
    previous: Previous | None = None,
    previous_result: PreviousResult | None = None,
    summary: bool = False,
    signature: Signature | None = None,
) -> str:
    """The whole report as one HTML document.

    First the one-page 概要 (written from the results, with the signature block, and with
    ``previous_result`` what changed against it), then the charts, 同比 (with
    ``previous``, the previous period's published totals, or ``previous_result``'s:
    :mod:`dxe_eval.report.yoy`), the lists and the findings; then, unless ``summary``,
    the score tables (on landscape pages when printed), the cards as an appendix and the
    data read.
    """
    rs = ev.ruleset
    status = _status_map(ev)
    if previous is None and previous_result is not None:
        previous = previous_result.as_previous()
    sections = [
        ("summary", "概要"),
        ("charts", "得分分布"),
        ("commend", "表彰建议名单"),
        ("findings", "预警与通报"),
    ]
    if not summary:
        sections += [
            ("units", "单位得分"),
            ("cards", "单位明细"),
            ("people", "个人得分"),
            ("projects", "项目得分"),
            ("data", "数据问题"),
        ]
    toc = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in sections)
    title = f"{rs.title} 绩效评价报告"
    body = [
        "<header>",
        f"<h1>{esc(rs.title)}</h1>",
        f'<p class="sub">绩效评价报告{"（摘要）" if summary else ""} Evaluation report · '
        f"规则集 {esc(rs.id)}（{esc(rs.source)}）"
        f" · 考评期间 {esc(rs.period.start.isoformat())} 至 {esc(rs.period.end.isoformat())}</p>",
        "</header>",
        f'<nav class="toc">{toc}</nav>',
        _summary(ev, signature, previous_result),
        _charts(ev),
        html_section(ev, previous) if previous else "",
        _commendation(ev),
        _findings(ev),
    ]
    if not summary:
        body += [
            _units(ev, status),
            _collapsible(ev, "person", status),
            _collapsible(ev, "project", status),
            _data(ev),
        ]
    body.append(_footer(ev))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="dxe-eval">\n<title>{esc(title)}</title>\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(b for b in body if b)
        + f"\n<script>{PRINT_SCRIPT}</script>\n</body>\n</html>\n"
    )


def _render(ev: Evaluation, options: ReportOptions) -> str:
    return to_html(
        ev,
        previous=options.previous,
        previous_result=options.previous_result,
        summary=options.summary,
        signature=options.signature,
    )


REPORTER: Final = Reporter(
    name="html",
    title="一个自带图表的 HTML 报告（需 --output） / one HTML report with charts (needs --output)",
    render=_render,
    file_only=True,
)
