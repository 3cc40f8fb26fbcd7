"""``dxe-eval example --out DIR`` copies the bundled example and ruleset out of the package."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import run

ROOT = Path(__file__).resolve().parents[2]


def test_example_copies_the_homes_and_evaluates(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    done = run("example", "--out", str(out))
    assert done.returncode == 0, done.stderr
    homes = sorted(p.name for p in (ROOT / "examples" / "hubei-2022").iterdir())
    assert sorted(p.name for p in (out / "hubei-2022").iterdir()) == homes
    for name in homes:
        assert (out / "hubei-2022" / name).read_bytes() == (
            ROOT / "examples" / "hubei-2022" / name
        ).read_bytes(), name
    for mine, home in [("hubei-2022.xlsx", "examples"), ("hubei-2022.toml", "rulesets")]:
        assert (out / mine).read_bytes() == (ROOT / home / mine).read_bytes(), mine
    # the copy evaluates to the same scorecards as the bundled example
    mine = run(
        "evaluate",
        "--data",
        str(out / "hubei-2022"),
        "--ruleset",
        str(out / "hubei-2022.toml"),
        "--format",
        "json",
        "--no-progress",
    )
    bundled = run("evaluate", "--format", "json", "--no-progress")
    assert json.loads(mine.stdout)["scorecards"] == json.loads(bundled.stdout)["scorecards"]


def test_example_does_not_overwrite(tmp_path: Path) -> None:
    (tmp_path / "hubei-2022.toml").write_text("# mine\n", encoding="utf-8")
    done = run("example", "--out", str(tmp_path))
    assert done.returncode != 0
    assert "hubei-2022.toml" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "hubei-2022.toml").read_text(encoding="utf-8") == "# mine\n"
    assert not (tmp_path / "hubei-2022").exists()
