"""``dxe-eval plugins``: installed plugins, their versions, hooks and what they provide."""

from __future__ import annotations

import argparse
import json

from dxe_eval.commands.common import add_disable

NAME = "plugins"
HELP = "列出插件 / list plugins"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")
    add_disable(p)


def run(args: argparse.Namespace) -> int:
    from dxe_eval.manager import get_registry

    reg = get_registry(disabled=args.disable_plugin)
    rows = [
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
        }
        for p in reg.plugins
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=args.stdout)
        return 0
    from tabulate import tabulate

    table = [
        [
            p.name,
            p.distribution,
            p.version,
            "是 yes" if p.enabled else "否 no（已停用 disabled）",
            ", ".join(h.removeprefix("dxe_eval_register_") for h in p.hooks),
            ", ".join(p.rules + p.thresholds + p.calendars + p.record_types),
        ]
        for p in reg.plugins
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
