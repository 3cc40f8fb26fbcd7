"""Every case of the bad-input corpus (tests/data/bad) through ``dxe-eval evaluate``.

Each case states what must happen in its ``expect.toml`` (see the README beside
the cases): an error naming the file, or exactly which (file, row, column) are
rejected, with the message and the per-type counts. Whatever the case, no
traceback appears, and ``read == accepted + rejected`` for every record type.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dxe_eval.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.toml").is_file())


def _expect(case: str) -> dict[str, Any]:
    return tomllib.loads((CORPUS / case / "expect.toml").read_text(encoding="utf-8"))


def _materialise(case: str, into: Path) -> Path:
    """A copy of the case's data files, with ``@@BIG@@`` expanded where asked."""
    folder = into / case
    folder.mkdir()
    for src in (CORPUS / case).iterdir():
        if src.name != "expect.toml":
            shutil.copyfile(src, folder / src.name)
    for name, size in _expect(case).get("big", {}).items():
        path = folder / name
        path.write_bytes(path.read_bytes().replace(b"@@BIG@@", b"x" * size))
    return folder


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_corpus_is_there() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expect = _expect(case)
    data = _materialise(case, tmp_path)
    rc, out, err = _cli(capsys, "evaluate", "--data", str(data), "--format", "json")
    assert "Traceback" not in err + out

    if "error" in expect:
        assert rc == 1, err
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
        for fragment in expect["error"]:
            assert fragment in err, (fragment, err)
        return

    assert rc == 0, err
    result = json.loads(out)
    for name, c in result["records"].items():
        assert c["read"] == c["accepted"] + c["rejected"], name
    for name, (read, accepted, rejected) in expect.get("counts", {}).items():
        c = result["records"][name]
        assert (c["read"], c["accepted"], c["rejected"]) == (read, accepted, rejected), name
    got = sorted((r["file"], r["row"], r["column"] or "") for r in result["rejected"])
    assert got == sorted(tuple(r) for r in expect.get("rejected", []))
    reasons = "\n".join(r["reason"] for r in result["rejected"])
    for fragment in expect.get("messages", []):
        assert fragment in reasons, (fragment, reasons)
    strings = set(_strings(result))
    for text in expect.get("json_contains", []):
        assert text in strings, text

    if result["rejected"]:
        # lenient (the default) says on stderr how many rows of each type were rejected
        per_type = {k: c["rejected"] for k, c in result["records"].items() if c["rejected"]}
        for name, n in per_type.items():
            assert f"{name} {n}" in err, err
        # strict stops, non-zero, with the same summary
        rc, out, err = _cli(capsys, "evaluate", "--data", str(data), "--strict")
        assert rc == 1 and out == "" and "Traceback" not in err
        assert f"{len(result['rejected'])} row(s) rejected" in err
        for name, n in per_type.items():
            assert f"{name} {n}" in err, err
    else:
        assert "rejected" not in err


@pytest.mark.parametrize("case", ["utf16", "nul-bytes"])
def test_installed_command_shows_no_traceback(case: str, tmp_path: Path) -> None:
    """The same through the installed command, in a process of its own."""
    exe = shutil.which("dxe-eval") or str(Path(sys.executable).parent / "dxe-eval")
    data = _materialise(case, tmp_path)
    out = subprocess.run(
        [exe, "evaluate", "--data", str(data), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in out.stderr
    if "error" in _expect(case):
        assert out.returncode == 1 and "units.csv" in out.stderr
    else:
        assert out.returncode == 0
        assert json.loads(out.stdout)["records"]["units"]["rejected"] == 1
