"""The ``dxe-eval`` command.

Every user mistake ends with a one-line message (Chinese, then English) on
stderr and a non-zero exit, never a traceback: 1 for bad data, rulesets or
plugins, 2 for bad command-line usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dxe_eval import __version__
from dxe_eval.errors import DxeEvalError

EXIT_ERROR = 1


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        metavar="PATH",
        help="数据文件夹或 .xlsx 工作簿（默认：内置示例） / data folder or workbook",
    )
    p.add_argument(
        "--ruleset",
        metavar="FILE",
        help="规则集文件或内置规则集名称（默认 hubei-2022） / ruleset file or name",
    )
    p.add_argument(
        "--disable-plugin",
        action="append",
        default=[],
        metavar="NAME",
        help="停用插件（可重复） / disable a plugin (repeatable)",
    )
    p.add_argument(
        "--strict", action="store_true", help="有任何拒收行即停止 / stop on any rejected row"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dxe-eval",
        description="金牌“店小二”服务年度绩效评价 / "
        "annual evaluation of the 店小二 service programme",
    )
    parser.add_argument("--version", action="version", version=f"dxe-eval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ev = sub.add_parser("evaluate", help="评分、预警、表彰 / score, assess and commend")
    _common(ev)
    ev.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="输出格式 / output format (default: table)",
    )
    ev.add_argument("--output", metavar="FILE", help="写入文件（默认标准输出） / write to FILE")
    ev.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言 / language")

    cm = sub.add_parser("commend", help="只显示表彰建议名单 / print the commendation lists only")
    _common(cm)
    cm.add_argument("--format", choices=("table", "json"), default="table")
    cm.add_argument("--lang", choices=("zh", "en"), default="zh")

    ex = sub.add_parser("explain", help="解释某个对象的得分 / explain one candidate's score")
    ex.add_argument("candidate_id", metavar="ID")
    _common(ex)
    ex.add_argument("--lang", choices=("zh", "en"), default="zh")

    ck = sub.add_parser("check", help="检查规则集 / check a ruleset")
    ck.add_argument("ruleset", metavar="RULESET")
    ck.add_argument("--disable-plugin", action="append", default=[], metavar="NAME")

    pl = sub.add_parser("plugins", help="列出插件 / list plugins")
    pl.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")
    pl.add_argument("--disable-plugin", action="append", default=[], metavar="NAME")
    return parser


def _registry(args: argparse.Namespace) -> Any:
    from dxe_eval.manager import get_registry

    return get_registry(disabled=args.disable_plugin)


def _evaluate(args: argparse.Namespace) -> Any:
    from dxe_eval.engine import evaluate

    return evaluate(args.data, args.ruleset, registry=_registry(args), strict=args.strict)


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_evaluate(args: argparse.Namespace) -> int:
    ev = _evaluate(args)
    if args.format == "json":
        _write(ev.to_json() + "\n", args.output)
    else:
        _write(ev.to_table(lang=args.lang), args.output)
    if ev.dataset.rejected:
        n = len(ev.dataset.rejected)
        print(
            f"提示：{n} 行数据被拒收，详见输出中的拒收清单 ({n} row(s) rejected)", file=sys.stderr
        )
    return 0


def cmd_commend(args: argparse.Namespace) -> int:
    ev = _evaluate(args)
    if args.format == "json":
        import json

        d = ev.to_dict()
        sys.stdout.write(
            json.dumps(
                {k: d[k] for k in ("ruleset", "commendation", "near_misses", "excluded")},
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    else:
        from dxe_eval.io.render import commendation_table

        sys.stdout.write(commendation_table(ev, args.lang).lstrip("\n") + "\n")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from dxe_eval.explain import explain

    ev = _evaluate(args)
    sys.stdout.write(explain(ev, args.candidate_id, lang=args.lang))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from dxe_eval.ruleset import check_ruleset

    problems = check_ruleset(args.ruleset, _registry(args))
    if not problems:
        print(f"规则集无误 / ruleset OK: {args.ruleset}")
        return 0
    for p in problems:
        print(str(p), file=sys.stderr)
    print(f"共 {len(problems)} 个问题 / {len(problems)} problem(s)", file=sys.stderr)
    return EXIT_ERROR


def cmd_plugins(args: argparse.Namespace) -> int:
    import json

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
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    from tabulate import tabulate

    table = [
        [
            r["name"],
            r["distribution"],
            r["version"],
            ", ".join(r["rules"] + r["thresholds"] + r["calendars"] + r["record_types"]),
        ]
        for r in rows
    ]
    print(
        tabulate(
            table,
            headers=["插件 plugin", "发行包 distribution", "版本 version", "提供 provides"],
            tablefmt="simple",
        )
    )
    return 0


COMMANDS = {
    "evaluate": cmd_evaluate,
    "commend": cmd_commend,
    "explain": cmd_explain,
    "check": cmd_check,
    "plugins": cmd_plugins,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return COMMANDS[args.command](args)
    except DxeEvalError as exc:
        print(f"dxe-eval: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"dxe-eval: 文件操作失败 / cannot read or write: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # pragma: no cover
        print("dxe-eval: 已中断 / interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
