"""Every datum once: no tracked file under the data homes is a byte copy of another.

The example data set (``examples/hubei-2022/``, ``examples/hubei-2022.xlsx``) and the shipped
rulesets (``rulesets/*.toml``) are the homes; ``src/dxe_eval/data/`` links to them (symbolic
links, which setuptools follows into the wheel) and the example plugin's data holds only the
files it adds or changes, linking to the rest."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOMES = ("examples", "src/dxe_eval/data", "plugins", "rulesets")


def _tracked() -> list[tuple[str, str, str]]:
    """(mode, blob id, path) of every tracked file under the homes."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files", "-s", "--", *HOMES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = []
    for line in out.splitlines():
        meta, path = line.split("\t", 1)
        mode, blob, _stage = meta.split()
        rows.append((mode, blob, path))
    return rows


def test_no_tracked_file_is_a_byte_copy_of_another() -> None:
    by_blob: dict[str, list[str]] = defaultdict(list)
    for mode, blob, path in _tracked():
        if mode != "120000":  # a symbolic link's blob is its target's name, not a copy
            by_blob[blob].append(path)
    copies = [paths for paths in by_blob.values() if len(paths) > 1]
    assert copies == []


def test_the_package_data_links_to_the_homes() -> None:
    # the packaged example and rulesets are links into the homes users see, so they
    # read the same bytes as the homes
    data = ROOT / "src" / "dxe_eval" / "data"
    for packaged, home in [
        (data / "examples" / "hubei-2022", ROOT / "examples" / "hubei-2022"),
        (data / "examples" / "hubei-2022.xlsx", ROOT / "examples" / "hubei-2022.xlsx"),
        (data / "rulesets" / "hubei-2022.toml", ROOT / "rulesets" / "hubei-2022.toml"),
        (data / "rulesets" / "hubei-2021.toml", ROOT / "rulesets" / "hubei-2021.toml"),
    ]:
        assert packaged.is_symlink(), packaged
        assert packaged.resolve() == home.resolve()


def test_a_copy_is_found(tmp_path: Path) -> None:
    # the check itself can fail: two files with the same bytes share one blob id
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.csv").write_text("id\nU01\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("id\nU01\n", encoding="utf-8")
    subprocess.run(["git", "add", "a.csv", "b.csv"], cwd=tmp_path, check=True)
    out = subprocess.run(
        ["git", "ls-files", "-s"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    blobs = [line.split()[1] for line in out.splitlines()]
    assert len(blobs) == 2 and blobs[0] == blobs[1]
