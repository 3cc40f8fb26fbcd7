"""同比 — year over year: each candidate's total beside the previous period's.

When the archive holds the run published for the period before (``evaluate --archive``,
``archive export``), the reports gain:

- xlsx: the 总分 sheet's columns 上期总分 (the previous run's total) and 同比 (this total
  minus that one, rounded to cents) after 总分; empty for a candidate the previous run
  did not score;
- html: a 同比 section: the units' totals then and now, the change, and a bar chart of
  the change per unit (:func:`dxe_eval.report.html.html_section`).

Nothing here reads the archive: the caller hands over the previous run's totals.

``evaluate --previous RESULT.json`` (a result published earlier, as JSON) gives the same
同比, and the HTML 概要 says what changed against it: who entered and left each list,
which findings appeared, went or changed level (the what-if comparison's value objects,
:mod:`dxe_eval.changes`). The signature block's values (:class:`Signature`) live here too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from dxe_eval.changes import FindingChange, ListChange
from dxe_eval.errors import DxeEvalError
from dxe_eval.model import KIND_ZH, KINDS
from dxe_eval.numbers import round2
from dxe_eval.report.present import Table
from dxe_eval.result import Evaluation


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


# ---------------------------------------------------------------------------
# the signature block and ``--previous RESULT.json``
# ---------------------------------------------------------------------------


@frozen(kw_only=True)
class Signature:
    """The block a leader signs under the HTML report's 概要: 制表单位 / 制表日期 / 审核 / 签发.

    Empty values print as a line to sign on. ``date`` is text as it should appear
    (``2023-01-15``); the command fills in the run's date when no ``--date`` is given.
    """

    issuer: str = ""
    date: str = ""
    reviewer: str = ""
    signer: str = ""

    def rows(self) -> tuple[tuple[str, str], ...]:
        return (
            ("制表单位", self.issuer),
            ("制表日期", self.date),
            ("审核", self.reviewer),
            ("签发", self.signer),
        )


@frozen(kw_only=True)
class PreviousResult:
    """What a published result (its JSON, ``--previous RESULT.json``) said: totals, who was
    listed, which findings were issued; compared with this run in the 概要."""

    label: str
    totals: Mapping[tuple[str, str], float] = field(factory=dict)
    names: Mapping[tuple[str, str], str] = field(factory=dict)
    #: kind → ids on the commendation list (listed or pending a tie)
    listed: Mapping[str, frozenset[str]] = field(factory=dict)
    #: (kind, candidate id, threshold) → (level, unit id)
    findings: Mapping[tuple[str, str, str], tuple[str, str]] = field(factory=dict)

    def as_previous(self) -> Previous:
        """The totals as a :class:`Previous`, for the 同比 columns and section."""
        return Previous(label=self.label, totals=self.totals)


def previous_from_dict(data: Mapping[str, Any], label: str) -> PreviousResult:
    """A :class:`PreviousResult` from a result's JSON dict (``docs/json.md``)."""
    totals: dict[tuple[str, str], float] = {}
    names: dict[tuple[str, str], str] = {}
    for card in data["scorecards"]:
        key = (str(card["kind"]), str(card["candidate_id"]))
        totals[key] = float(card["total"])
        names[key] = str(card.get("name", ""))
    listed = {
        str(kind): frozenset(str(e["candidate_id"]) for e in entries)
        for kind, entries in data["commendation"].items()
    }
    findings = {
        (str(f["kind"]), str(f["candidate_id"]), str(f["threshold"])): (
            str(f["level"]),
            str(f["unit_id"]),
        )
        for f in data["findings"]
    }
    return PreviousResult(label=label, totals=totals, names=names, listed=listed, findings=findings)


def load_previous(path: str | Path) -> PreviousResult:
    """Read a published result (``evaluate --format json``); a clear error when it is not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        ruleset = data.get("ruleset", {})
        label = f"{ruleset.get('title', '')}（{path.name}）" if ruleset.get("title") else path.name
        return previous_from_dict(data, label)
    except OSError as e:
        raise DxeEvalError(
            f"--previous {path}: cannot read the file ({e.strerror})",
            zh=f"--previous 无法读取文件 {path}（{e.strerror}）",
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise DxeEvalError(
            f"--previous {path}: not a dxe-eval result in JSON (evaluate --format json): {e!s}",
            zh=f"--previous {path} 不是 dxe-eval 的 JSON 结果（evaluate --format json 的输出）",
        ) from None


def list_changes(ev: Evaluation, prev: PreviousResult) -> tuple[ListChange, ...]:
    """Who entered and who left each commendation list since ``prev``."""
    out = []
    for kind in KINDS:
        now = {e.candidate_id: e.name for e in ev.commendation.lists.get(kind, ())}
        before = prev.listed.get(kind, frozenset())
        names = {cid: prev.names.get((kind, cid), "") for cid in before}
        out.append(
            ListChange(
                kind=kind,
                size_a=len(before),
                size_b=len(now),
                entered=tuple(sorted((c, n) for c, n in now.items() if c not in before)),
                left=tuple(sorted((c, names[c]) for c in before if c not in now)),
            )
        )
    return tuple(out)


def finding_changes(ev: Evaluation, prev: PreviousResult) -> tuple[FindingChange, ...]:
    """Findings issued now and not then (``level_a`` None), then and not now, or changed."""
    now = {(f.kind, f.candidate_id, f.threshold): (f.level, f.unit_id) for f in ev.findings}
    out = []
    for key in sorted(set(now) | set(prev.findings)):
        a, b = prev.findings.get(key), now.get(key)
        if a is not None and b is not None and a[0] == b[0]:
            continue
        unit = (b or a or ("", ""))[1]
        out.append(
            FindingChange(
                kind=key[0],
                candidate_id=key[1],
                threshold=key[2],
                unit_id=unit,
                level_a=a[0] if a else None,
                level_b=b[0] if b else None,
            )
        )
    return tuple(out)
