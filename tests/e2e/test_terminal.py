"""The terminal's default view: a summary that fits the terminal; ``--full``: every table."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from wcwidth import wcswidth

from dxe_eval.generate import Sizes, generate

EXE = shutil.which("dxe-eval") or str(Path(sys.executable).parent / "dxe-eval")
# 300 units (and people and projects in proportion): a province-sized list, small requests
SIZES = Sizes(units=300, people=1500, projects=400, requests=20_000, surveys=5_000)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("g300")
    generate(folder, SIZES, seed=1)
    return folder


def _evaluate(folder: Path, *args: str) -> str:
    env = {**os.environ, "COLUMNS": "120", "LINES": "40"}
    out = subprocess.run(
        [EXE, "evaluate", "--data", str(folder), "--no-progress", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_summary_fits_a_120_column_terminal_and_full_prints_everything(generated: Path) -> None:
    summary = _evaluate(generated)
    lines = summary.splitlines()
    assert len(lines) < 120
    assert max(wcswidth(line) for line in lines) <= 120
    assert "表彰" in summary and "--full" in summary
    full = _evaluate(generated, "--full")
    # every unit, person and project has its row in the score tables: ids U0001…U0300,
    # P0001…P1500, J0001…J0400 as the generator numbers them
    words = set(full.split())
    for prefix, n in (("U", 300), ("P", 1500), ("J", 400)):
        assert {f"{prefix}{i:04d}" for i in range(1, n + 1)} <= words, prefix


def test_top_n_shows_n_per_group(generated: Path) -> None:
    one = _evaluate(generated, "--top", "1")
    three = _evaluate(generated, "--top", "3")
    assert len(one.splitlines()) < len(three.splitlines())


def test_english_summary_fits_too(generated: Path) -> None:
    summary = _evaluate(generated, "--lang", "en")
    lines = summary.splitlines()
    assert len(lines) < 120
    assert max(wcswidth(line) for line in lines) <= 120
    assert "Advanced units: " in summary and "every table: --full" in summary


def test_a_tie_break_is_seen_in_the_summary() -> None:
    # the example's 处室 units: U02 and U01 both 102.2, one place; equal on satisfaction
    # and timeliness, U02 handled 50 requests and U01 25, so U01 is over the quota
    out = subprocess.run(
        [EXE, "evaluate", "--no-progress"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "160"},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    u01 = next(line for line in out.stdout.splitlines() if " U01 " in line)
    assert "102.2" in u01 and "总分、满意度、时效相同，办件量 50 > 25" in u01
    assert "名额外：超出名额 1" in u01


def test_the_summary_counts_the_cells_left_empty(tmp_path: Path) -> None:
    # surveys.csv line 2 (S00001): its appeal_upheld (column 8, optional) set to 也许, not a
    # yes/no: the cell is left empty and the row kept — one cell, counted in the summary
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "hubei-2022", data)
    surveys = data / "surveys.csv"
    lines = surveys.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    assert cells[0] == "S00001"
    cells[7] = "也许"
    lines[1] = ",".join(cells)
    surveys.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = _evaluate(data)
    assert "取值无效、已置空的单元格 1 个（所在行照常接收；明细见 --full）" in out


def test_the_summary_shows_escapes_as_text(tmp_path: Path) -> None:
    # U02 标准化处 is listed (处室 rank 1): its name with a colour escape in front reaches
    # the summary only as the visible text \u001b[31m
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "hubei-2022", data)
    units = data / "units.csv"
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace("U02,标准化处", "U02,\x1b[31m标准化处"), encoding="utf-8")
    out = _evaluate(data)
    assert "\x1b" not in out
    assert "\\u001b[31m标准化处" in out


def test_top_must_be_a_positive_whole_number() -> None:
    out = subprocess.run(
        [EXE, "evaluate", "--top", "0"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "需要正整数 / a positive whole number: '0'" in out.stderr
