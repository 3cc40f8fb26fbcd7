"""``dxe-eval plugins``: installed plugins, their versions, hooks and what they provide."""

from __future__ import annotations

import argparse
import json
from typing import Any

from dxe_eval.commands.common import add_disable

NAME = "plugins"
HELP = "列出插件 / list plugins"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")
    add_disable(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.manager import get_registry
    from dxe_eval.report.builtin import __name__ as builtin_reporters
    from dxe_eval.report.registry import HOOK, reporters
    from dxe_eval.version import __version__

    reg = get_registry(disabled=args.disable_plugin)
    formats: dict[str, list[str]] = {}
    for reporter in reporters(disabled=args.disable_plugin).values():
        formats.setdefault(reporter.plugin, []).append(reporter.name)
    rows: list[dict[str, Any]] = [
        {
            "name": p.name,
            "distribution": p.distribution,
            "version": p.version,
            "builtin": p.builtin,
            "enabled": p.enabled,
            "hooks": list(p.hooks),
            "rules": list(p.rules),
            "thresholds": list(p.thresholds),
            "calendars": list(p.calendars),
            "record_types": list(p.record_types),
            "reporters": formats.get(p.name, []),
        }
        for p in reg.plugins
    ]
    if builtin_reporters in formats:  # the built-in formats: registered where they are used
        rows.append(
            {
                "name": builtin_reporters,
                "distribution": "dxe-eval",
                "version": __version__,
                "builtin": True,
                "enabled": True,
                "hooks": [HOOK],
                "rules": [],
                "thresholds": [],
                "calendars": [],
                "record_types": [],
                "reporters": formats[builtin_reporters],
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=args.stdout)
        return 0
    from tabulate import tabulate

    table = [
        [
            r["name"],
            r["distribution"],
            r["version"],
            "是 yes" if r["enabled"] else "否 no（已停用 disabled）",
            ", ".join(h.removeprefix("dxe_eval_register_") for h in r["hooks"]),
            ", ".join(
                r["rules"] + r["thresholds"] + r["calendars"] + r["record_types"] + r["reporters"]
            ),
        ]
        for r in rows
    ]
    headers = [
        "插件 plugin",
        "发行包 distribution",
        "版本 version",
        "启用 enabled",
        "钩子 hooks (dxe_eval_register_*)",
        "提供 provides",
    ]
    # a version "1.10" is text, not the number 1.1
    print(
        tabulate(table, headers=headers, tablefmt="simple", disable_numparse=True),
        file=args.stdout,
    )
    return 0
