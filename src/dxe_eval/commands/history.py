"""``dxe-eval history ID``: a unit, person or project across the archive's published runs.

One block per run, oldest period first: the total and its change from the year
before, every rule's points, the findings (with the rectifications recorded), and
where the candidate stood on the commendation lists. ``--format json`` gives the
same as data. Every row shown is checked against the archive's hashes.

The archive's modules (and SQLAlchemy with them, 0.3 s) are imported inside the
functions, never at the top: every ``dxe-eval`` command imports this module to build
its parser, and ``--version`` and ``evaluate`` must not pay for them.
"""

from __future__ import annotations

import argparse
from typing import Any

from dxe_eval.commands.archive import add_format, add_target

NAME = "history"
HELP = "历年评价：一个单位、个人或项目在已发布评价中的得分、预警与表彰 / a candidate across years"

LIST_ZH = {"commendation": "入选", "near_misses": "名额外候选"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("candidate", metavar="ID", help="单位、个人或项目编号 / candidate id")
    p.add_argument("--drafts", action="store_true", help="也列出草稿 run / include draft runs")
    add_target(p)
    add_format(p)


def run(args: argparse.Namespace) -> int:
    # SQLAlchemy is imported only by the archive's commands: keeps start-up fast
    from dxe_eval.archive.history import candidate_history
    from dxe_eval.archive.store import open_archive
    from dxe_eval.errors import DxeEvalError

    with open_archive(args.archive, create=False) as archive:
        years = candidate_history(archive, args.candidate, include_drafts=args.drafts)
        label = archive.label
    if not years:
        raise DxeEvalError(
            f"{args.candidate} is in no published run of {label}",
            zh=f"{args.candidate} 不在评价档案 {label} 的任何已发布评价中",
        )
    if args.format == "json":
        from dxe_eval.report.json import dumps

        print(
            dumps({"candidate_id": args.candidate, "runs": [y.to_dict() for y in years]}),
            file=args.stdout,
        )
        return 0
    args.stdout.write(history_text(args.candidate, years))
    return 0


def _standing(year: Any) -> str:
    parts = [
        f"{LIST_ZH.get(e['list'], e['list'])}（{e['peer_group']} 第 {e['rank']} 名）"
        for e in year.lists
    ]
    parts += ["未入选：" + "；".join(_reasons(x)) for x in year.exclusions]
    return "，".join(parts) or "—"


def _reasons(x: Any) -> list[str]:
    import orjson

    return [r.split(" (")[0] for r in orjson.loads(x["reasons"])]


def history_text(candidate_id: str, years: list[Any]) -> str:
    from tabulate import tabulate

    from dxe_eval.archive.runs import STATUS_ZH
    from dxe_eval.model import KIND_ZH, LEVEL_ZH

    card = years[-1].scorecard
    out = [
        f"{candidate_id} {card['name']}（{KIND_ZH.get(card['kind'], card['kind'])}，"
        f"{card['category']}）：{len(years)} 次评价"
    ]
    summary = []
    previous: float | None = None
    for y in years:
        total = float(y.scorecard["total"])
        change = "" if previous is None else f"{total - previous:+.2f}"
        levels = (
            "、".join(
                f"{LEVEL_ZH.get(f['level'], f['level'])}（{f['threshold']}）" for f in y.findings
            )
            or "无"
        )
        summary.append(
            [
                f"run {y.run.id}",
                y.run.period,
                y.run.ruleset_id,
                STATUS_ZH[y.run.status],
                f"{total:g}",
                change,
                levels,
                _standing(y),
            ]
        )
        previous = total
    out.append(
        tabulate(
            summary,
            headers=["评价", "期间", "规则集", "状态", "总分", "同比", "预警与通报", "表彰"],
            tablefmt="simple",
            disable_numparse=True,
        )
    )
    rule_ids: list[str] = []
    titles: dict[str, str] = {}
    for y in years:
        for r in y.rules:
            if r["rule"] not in rule_ids:
                rule_ids.append(r["rule"])
                titles[r["rule"]] = r["title"]
    points = []
    for rid in rule_ids:
        row = [titles[rid]]
        for y in years:
            r = next((r for r in y.rules if r["rule"] == rid), None)
            row.append(
                ""
                if r is None
                else "—"
                if not r["applicable"]
                else f"{r['points']:g}/{r['max_points']:g}"
            )
        points.append(row)
    out.append("\n各项得分 rule points:")
    out.append(
        tabulate(
            points,
            headers=["规则", *(f"run {y.run.id}" for y in years)],
            tablefmt="simple",
            disable_numparse=True,
        )
    )
    findings = []
    for y in years:
        fixed = {r["candidate_id"]: r for r in y.rectified}
        for f in y.findings:
            r = fixed.get(f["candidate_id"])
            done = f"{r['rectified_on']} {r['note']}".strip() if r else ""
            findings.append(
                [
                    f"run {y.run.id}",
                    LEVEL_ZH.get(f["level"], f["level"]),
                    f["threshold"],
                    y.run.published_on or "",
                    done,
                    f["reason"],
                ]
            )
    if findings:
        out.append("\n预警与通报 findings:")
        out.append(
            tabulate(
                findings,
                headers=["评价", "等级", "阈值", "发布日期", "整改", "原因"],
                tablefmt="simple",
                disable_numparse=True,
            )
        )
    return "\n".join(out) + "\n"
