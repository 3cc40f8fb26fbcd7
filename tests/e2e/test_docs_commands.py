"""Every ``dxe-eval`` command shown in docs/ runs as written and succeeds.

Each page's commands run in order in a fresh folder holding the files the page
names (the example data as 数据/ and 模板.xlsx, the shipped rulesets …), so a
command a page shows a user is a command that works. ``generate`` runs with its
counts divided by 1,000 to stay quick.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import builders

ROOT = builders.ROOT
DOCS = ROOT / "docs"
EXAMPLE = ROOT / "examples" / "hubei-2022"
WORKBOOK = ROOT / "examples" / "hubei-2022.xlsx"
PLUGIN = ROOT / "plugins" / "dxe-eval-innovation"


def _commands(page: Path) -> list[str]:
    out: list[str] = []
    for lang, body in re.findall(r"```(\w*)\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
        if lang not in ("", "bash", "sh", "shell", "console"):
            continue
        body = re.sub(r"\\\n\s*", " ", body)  # join continued lines
        for line in body.splitlines():
            line = line.strip()
            if line.startswith("dxe-eval "):
                out.append(line.split("  #", 1)[0].split(" # ", 1)[0].strip())
    return out


PAGES = [p for p in sorted(DOCS.glob("*.md")) if _commands(p)]


def _stage(folder: Path, page: Path) -> None:
    for name in ("数据", "我的数据", "数据文件夹", "另一份数据"):
        shutil.copytree(EXAMPLE, folder / name)
    targets = ["数据.xlsx"] if page.name == "reports.md" else ["数据.xlsx", "模板.xlsx"]
    for name in targets:
        shutil.copy(WORKBOOK, folder / name)
    shutil.copytree(ROOT / "rulesets", folder / "rulesets")
    shutil.copytree(ROOT / "tests" / "data" / "rulesets", folder / "tests" / "data" / "rulesets")
    for name in ("我的规则集.toml", "A.toml", "新规则.toml"):
        shutil.copy(builders.DEFAULT_RULESET, folder / name)
    shutil.copy(ROOT / "tests" / "data" / "rulesets" / "timeliness-25.toml", folder / "B.toml")
    if PLUGIN.exists():
        for sub in ("data", "rulesets"):
            shutil.copytree(PLUGIN / sub, folder / "plugins" / PLUGIN.name / sub)


def _exe() -> str:
    return shutil.which("dxe-eval") or str(Path(sys.executable).parent / "dxe-eval")


def _shrink(argv: list[str]) -> list[str]:
    if argv[:1] != ["generate"]:
        return argv
    out = []
    for arg in argv:
        out.append(
            str(max(1, int(arg) // 1000))
            if arg.isdigit()
            and out
            and out[-1] in ("--units", "--people", "--projects", "--requests", "--surveys")
            else arg
        )
    return out


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_documented_commands_run(page: Path, tmp_path: Path) -> None:
    _stage(tmp_path, page)
    plugin_installed = importlib.util.find_spec("dxe_eval_innovation") is not None
    for command in _commands(page):
        if "innovation" in command and not plugin_installed:
            continue
        stdout_to = None
        if " > " in command:
            command, stdout_to = (part.strip() for part in command.split(" > ", 1))
        argv = _shrink(shlex.split(command)[1:])
        out = subprocess.run(
            [_exe(), *argv], cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert out.returncode == 0, f"{page.name}: {command}\n{out.stderr}"
        assert "Traceback" not in out.stderr
        if stdout_to:
            (tmp_path / stdout_to).write_text(out.stdout, encoding="utf-8")
