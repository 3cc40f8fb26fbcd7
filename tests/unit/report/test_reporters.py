"""Reporters: each format one module and one registration; a plugin adds one the same way.

The worked example is the Markdown reporter in docs/plugins.md: the test loads that very
block as a module, registers it like an installed plugin and runs it.
"""

from __future__ import annotations

import io
import re
import sys
import types
from pathlib import Path
from types import SimpleNamespace

import pytest

import dxe_eval
from dxe_eval.commands.evaluate import _write
from dxe_eval.errors import PluginError
from dxe_eval.hookspecs import hookimpl
from dxe_eval.report.registry import reporters
from dxe_eval.report.reporter import Reporter, ReportOptions

DOCS = Path(__file__).resolve().parents[3] / "docs" / "plugins.md"


def _markdown_plugin() -> types.ModuleType:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## 输出格式 Reporters") :]
    code = re.findall(r"```python\n(.*?)```", section, re.S)[0]
    module = types.ModuleType("dxe_eval_markdown")
    exec(compile(code, str(DOCS), "exec"), module.__dict__)
    return module


@pytest.fixture(scope="module")
def example() -> dxe_eval.Evaluation:
    return dxe_eval.evaluate()


def test_the_built_in_formats_are_registered_by_name() -> None:
    found = reporters(autoload=False)
    assert list(found) == ["table", "json", "csv", "xlsx", "html", "explain"]
    assert {r.plugin for r in found.values()} == {"dxe_eval.report.builtin"}
    assert found["xlsx"].render is None  # a workbook: --output only
    assert found["html"].file_only and found["explain"].per_candidate
    assert found["json"].machine and found["csv"].machine and not found["table"].machine


def test_the_docs_markdown_reporter_runs_as_a_plugin(example: dxe_eval.Evaluation) -> None:
    plugin = _markdown_plugin()
    sys.modules["dxe_eval_markdown"] = plugin
    try:
        found = reporters(autoload=False, extra=[plugin])
    finally:
        del sys.modules["dxe_eval_markdown"]
    md = found["markdown"]
    assert md.plugin == "dxe_eval_markdown"
    out = io.StringIO()
    assert _write(md, example, ReportOptions(), None, out) == []  # to standard output
    text = out.getvalue()
    lines = text.splitlines()
    assert lines[0] == f"# {example.ruleset.title}"
    # one heading per enabled list, and one row per listed candidate under a 2-line header
    lists = example.commendation.lists
    assert [ln for ln in lines if ln.startswith("## ")] == [
        f"## {md_name}" for md_name in ("先进单位", "先进个人", "优秀项目")[: len(lists)]
    ]
    rows = [ln for ln in lines if ln.startswith("| ") and not ln.startswith(("| 分组", "| ---"))]
    listed = [e for entries in lists.values() for e in entries]
    assert len(rows) == len(listed)
    first = listed[0]
    assert rows[0].startswith(f"| {first.group} | {first.rank}")
    assert f"| {first.candidate_id} | {first.name} |" in rows[0]


def test_the_markdown_reporter_writes_the_lists_as_worked_out_by_hand() -> None:
    # two units tied for first in 处室 (both rank 1, tied), one project listed
    entry = dict(kind="unit", category="处室", decided_by="", note="", status="listed")
    lists = {
        "unit": [
            SimpleNamespace(
                rank=1,
                candidate_id="U1",
                name="甲处",
                unit_id="U1",
                total=95.5,
                group="处室",
                tied=True,
                **entry,
            ),
            SimpleNamespace(
                rank=1,
                candidate_id="U2",
                name="乙处",
                unit_id="U2",
                total=95.5,
                group="处室",
                tied=True,
                **entry,
            ),
        ],
        "project": [
            SimpleNamespace(
                rank=1,
                candidate_id="J1",
                name="项目一",
                unit_id="U1",
                total=90.0,
                group="项目",
                tied=False,
                **entry,
            ),
        ],
    }
    ev = SimpleNamespace(
        ruleset=SimpleNamespace(title="测试"), commendation=SimpleNamespace(lists=lists)
    )
    plugin = _markdown_plugin()
    assert plugin.markdown(ev, ReportOptions()) == (
        "# 测试\n"
        "\n## 先进单位\n\n"
        "| 分组 | 名次 | 编号 | 名称 | 总分 |\n| --- | ---: | --- | --- | ---: |\n"
        "| 处室 | 1（并列） | U1 | 甲处 | 95.5 |\n"
        "| 处室 | 1（并列） | U2 | 乙处 | 95.5 |\n"
        "\n## 优秀项目\n\n"
        "| 分组 | 名次 | 编号 | 名称 | 总分 |\n| --- | ---: | --- | --- | ---: |\n"
        "| 项目 | 1 | J1 | 项目一 | 90 |\n"
    )
    # in English the tie note is the explanation's " (tied)"
    assert "| 处室 | 1 (tied) | U1 |" in plugin.markdown(ev, ReportOptions(lang="en"))


def test_a_reporter_without_write_writes_its_text_to_the_file(
    example: dxe_eval.Evaluation, tmp_path: Path
) -> None:
    plain = Reporter(name="plain", render=lambda ev, options: f"{len(ev.scorecards)} cards\n")
    target = tmp_path / "out.txt"
    assert _write(plain, example, ReportOptions(), str(target), io.StringIO()) == [str(target)]
    assert target.read_text(encoding="utf-8") == f"{len(example.scorecards)} cards\n"


class _Twice:
    """A plugin that registers a format the built-ins already have."""

    @hookimpl
    def dxe_eval_register_reporters(self) -> list[Reporter]:
        return [Reporter(name="json", render=lambda ev, options: "{}")]


def test_two_reporters_of_one_name_name_both_plugins() -> None:
    with pytest.raises(PluginError, match=r"'json' is registered by both"):
        reporters(autoload=False, extra=[_Twice()])


def test_a_name_that_is_not_a_word_is_refused() -> None:
    with pytest.raises(ValueError, match="reporter's name"):
        Reporter(name="mark down")


def test_the_facade_renders_what_the_reporters_render(example: dxe_eval.Evaluation) -> None:
    found = reporters(autoload=False)
    opts = ReportOptions(lang="en")
    assert found["table"].render is not None and found["json"].render is not None
    # the table reporter's --full is the façade's to_table (its default is the summary)
    full = ReportOptions(lang="en", full=True)
    assert found["table"].render(example, full) == dxe_eval.to_table(example, lang="en")
    assert found["table"].render(example, opts) != dxe_eval.to_table(example, lang="en")
    assert found["json"].render(example, opts) == dxe_eval.to_json(example) + "\n"
