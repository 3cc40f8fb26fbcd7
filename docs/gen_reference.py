"""Generate the reference pages in docs/reference/ from the code: record types, parameters, hooks.

Run ``python docs/gen_reference.py`` after changing a record type, a parameter
class or a hook spec; ``tests/unit/test_docs.py`` fails while the pages are stale.
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

import attrs

from dxe_eval import hookspecs
from dxe_eval.manager import get_registry

OUT = Path(__file__).resolve().parent / "reference"


def _field_docs(cls: type) -> dict[str, str]:
    """The ``#:`` comment above each field of an attrs class."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        try:
            lines = inspect.getsource(klass).splitlines()
        except (OSError, TypeError):
            continue
        pending: list[str] = []
        for line in lines:
            text = line.strip()
            if text.startswith("#:"):
                pending.append(text[2:].strip())
            elif ":" in text and pending and not text.startswith(("#", "def", "@", "class")):
                name = text.split(":", 1)[0].strip()
                docs[name] = " ".join(pending)
                pending = []
            elif not text.startswith("#:"):
                pending = []
    return docs


def _default(a: attrs.Attribute) -> str:
    if a.default is attrs.NOTHING:
        return "（必填）"
    if isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
        value = a.default.factory()
    else:
        value = a.default
    return f"`{value!r}`"


def params_table(cls: type) -> list[str]:
    docs = _field_docs(cls)
    rows = ["| 参数 parameter | 默认 default | 说明 meaning |", "|---|---|---|"]
    for a in attrs.fields(cls):
        rows.append(f"| `{a.name}` | {_default(a)} | {docs.get(a.name, '')} |")
    return rows


def data_page() -> str:
    reg = get_registry(autoload=False)
    out = [
        "# 数据格式参考 Data reference",
        "",
        "生成自代码（`python docs/gen_reference.py`），请勿手改。"
        " Generated from the record types; do not edit by hand.",
        "",
    ]
    for rt in reg.record_types.values():
        out += [
            f"## {rt.label} `{rt.name}`",
            "",
            rt.doc,
            "",
            f"文件名 file: `{rt.name}.csv` / `{rt.label}.csv` / `{rt.name}.jsonl`；"
            f"工作表 sheet: `{rt.label}` 或 `{rt.name}`。"
            + (
                f" 编号列 id column: `{rt.id_column}`（重复编号保留首行）。" if rt.id_column else ""
            ),
            "",
            "| 列 column | 中文表头 label | 类型 type | 必填 required "
            "| 引用 refers to | 示例 example |",
            "|---|---|---|---|---|---|",
        ]
        for c in rt.columns:
            kind = c.type
            if c.type == "choice":
                kind = "choice: " + " / ".join(sorted(set(c.choices.values())))
            out.append(
                f"| `{c.name}` | {c.label} | {kind} | {'是' if c.required else ''} | "
                f"{c.refers_to or ''} | {c.example} |"
            )
        if rt.checks:
            out += ["", "行内检查 row checks: " + "；".join(ch.reason for ch in rt.checks)]
        if rt.ref_checks:
            said = []
            for ch in rt.ref_checks:
                other = reg.record_types.get(rt.column(ch.via).refers_to or "")
                what = ch.what or rt.column(ch.column).label
                label = other.label if other else ch.via
                said.append(f"{what}（`{ch.column}`）不早于其{label}的 `{ch.other}`")
            out += ["", "跨记录检查 checks against the record referred to: " + "；".join(said)]
        out.append("")
    return "\n".join(out)


def params_page() -> str:
    reg = get_registry(autoload=False)
    out = [
        "# 规则与阈值参数参考 Parameter reference",
        "",
        "生成自各插件的参数类（`python docs/gen_reference.py`），请勿手改。",
        "",
    ]
    out += ["## 规则 Rules", ""]
    for rule in reg.rules.values():
        kinds = ", ".join(sorted(rule.applies_to))
        out += [
            f"### `{rule.id}` {rule.title} ({rule.title_en})",
            "",
            f"适用对象 applies to: {kinds}；插件 plugin: `{rule.plugin}`"
            + ("；加分项 bonus" if rule.bonus else ""),
            "",
            inspect.cleandoc(rule.description or ""),
            "",
            *params_table(rule.params),
            "",
        ]
    out += ["## 阈值 Thresholds", ""]
    for t in reg.thresholds.values():
        out += [
            f"### `{t.id}` {t.title} ({t.title_en})",
            "",
            f"插件 plugin: `{t.plugin}`；阶段 stage: {t.stage}",
            "",
            inspect.cleandoc(t.description or ""),
            "",
            *params_table(t.params),
            "",
        ]
    out += ["## 日历 Calendars", ""]
    for c in reg.calendars.values():
        out.append(f"- `{c.id}` {c.title}（{c.years[0]}–{c.years[1]}）")
    return "\n".join(out) + "\n"


def hooks_page() -> str:
    out = [
        "# 插件钩子参考 Hook reference",
        "",
        "生成自 `dxe_eval/hookspecs.py`，请勿手改。 Generated from the hook specs.",
        "",
        inspect.cleandoc(hookspecs.__doc__ or ""),
        "",
    ]
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction):
        if not name.startswith("dxe_eval_"):
            continue
        out += [f"## `{name}{inspect.signature(fn)}`", "", inspect.cleandoc(fn.__doc__ or ""), ""]
    return "\n".join(out)


def _walk_parser(parser: argparse.ArgumentParser, prefix: str) -> list[str]:
    out: list[str] = []
    rows = ["| 选项 option | 说明 help |", "|---|---|"]
    for action in parser._actions:  # argparse exposes no public list of actions
        if isinstance(action, argparse._SubParsersAction) or action.dest == "help":
            continue
        names = ", ".join(action.option_strings) or action.metavar or action.dest
        choices = f"（{' / '.join(map(str, action.choices))}）" if action.choices else ""
        rows.append(f"| `{names}` | {(action.help or '').replace('|', '/')}{choices} |")
    out += [f"```text\n{parser.format_usage().strip()}\n```", "", *rows, ""]
    return out


def commands_page() -> str:
    import os

    from dxe_eval.cli import build_parser

    os.environ["COLUMNS"] = "80"  # argparse wraps usage lines to the terminal width
    parser, commands = build_parser()
    out = [
        "# 命令参考 Command reference",
        "",
        "生成自命令行定义（`python docs/gen_reference.py`），请勿手改。"
        " Generated from the argument parser; do not edit by hand.",
        "",
        "## `dxe-eval`",
        "",
        *_walk_parser(parser, "dxe-eval"),
    ]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, module in commands.items():
        out += [
            f"## `dxe-eval {name}`",
            "",
            module.HELP,
            "",
            inspect.cleandoc(module.__doc__ or ""),
            "",
            *_walk_parser(sub.choices[name], f"dxe-eval {name}"),
        ]
    return "\n".join(out)


PAGES = {
    "data.md": data_page,
    "parameters.md": params_page,
    "hooks.md": hooks_page,
    "commands.md": commands_page,
}


def generate() -> dict[str, str]:
    return {name: fn() for name, fn in PAGES.items()}


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for name, text in generate().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote docs/reference/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
