"""Every case of the bad-input corpus (tests/data/bad) through ``dxe-eval``.

Each case states what must happen in its ``expect.toml`` (see the README beside
the cases): an error naming the file, or exactly which (file, row, column) are
rejected, with the message and the per-type counts. Whatever the case, no
traceback appears, and ``read == accepted + rejected`` for every record type.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import dxe_eval
from dxe_eval.cli import main
from dxe_eval.errors import DxeEvalError

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.toml").is_file())
#: files of a case that are not data: they are not copied into the data folder
NOT_DATA = ("expect.toml", "plugin.py")


def _expect(case: str) -> dict[str, Any]:
    return tomllib.loads((CORPUS / case / "expect.toml").read_text(encoding="utf-8"))


def _materialise(case: str, into: Path) -> Path:
    """A copy of the case's data files, with ``@@BIG@@`` expanded where asked and the
    special entries of ``[make]`` made (they cannot be kept in a repository)."""
    folder = into / case
    folder.mkdir()
    for src in (CORPUS / case).iterdir():
        if src.name not in NOT_DATA and src.is_file():
            shutil.copyfile(src, folder / src.name)
    expect = _expect(case)
    for name, size in expect.get("big", {}).items():
        path = folder / name
        path.write_bytes(path.read_bytes().replace(b"@@BIG@@", b"x" * size))
    make = expect.get("make", {})
    for name in make.get("fifo", []):
        os.mkfifo(folder / name)
    for name in make.get("dir", []):
        (folder / name).mkdir()
        (folder / name / "inside.csv").write_text("x\n", encoding="utf-8")
    for name in make.get("loop", []):
        os.symlink(name, folder / name)  # a link to itself
    for name in make.get("dangling", []):
        os.symlink("does-not-exist.csv", folder / name)
    for name, text in make.get("existing", {}).items():
        (into / name).write_text(text, encoding="utf-8")
    return folder


def _fill(args: list[str], data: Path, tmp: Path) -> list[str]:
    return [a.replace("{data}", str(data)).replace("{tmp}", str(tmp)) for a in args]


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


def _plugin(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the case's ``plugin.py`` beside the installed plugins, as an entry point would."""
    path = CORPUS / case / "plugin.py"
    spec = importlib.util.spec_from_file_location(f"bad_case_{case.replace('-', '_')}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from dxe_eval.commands import common
    from dxe_eval.manager import get_registry

    monkeypatch.setattr(
        common, "registry", lambda args: get_registry(disabled=args.disable_plugin, extra=[module])
    )


def _forge(path: Path, steps: list[dict[str, Any]]) -> None:
    """Change a saved JSON result as a forger would: insert a (changed) copy of an item of a
    section, or a new item, at a position."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    for step in steps:
        section = doc
        for key in step["at"].split("."):
            section = section[key]
        item = dict(section[step["copy"]]) if "copy" in step else dict(step["value"])
        item.update(step.get("set", {}))
        section.insert(step.get("index", 0), item)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


def _interrupting(target: str, after: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``target`` (``module.function``) raise KeyboardInterrupt on its call after
    ``after`` calls, as a Ctrl-C in the middle of writing would."""
    module_name, _, name = target.rpartition(".")
    module = importlib.import_module(module_name)
    real = getattr(module, name)
    calls = {"n": 0}

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > after:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, interrupted)


def test_corpus_is_there() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_bad_input(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expect = _expect(case)
    data = _materialise(case, tmp_path)
    if "api" in expect:
        _api(expect)
        return
    if (CORPUS / case / "plugin.py").is_file():
        _plugin(case, monkeypatch)
    if "forge" in expect:
        result = tmp_path / "result.json"
        rc, _, err = _cli(
            capsys, "evaluate", "--data", str(data), "--format", "json", "--output", str(result)
        )
        assert rc == 0, err
        _forge(result, expect["forge"])
    if "interrupt" in expect:
        _interrupting(expect["interrupt"], expect.get("interrupt_after", 0), monkeypatch)
    command = expect.get("command", ["evaluate", "--data", "{data}", "--format", "json"])
    argv = _fill([*command, *expect.get("args", [])], data, tmp_path)
    rc, out, err = _cli(capsys, *argv)
    assert "Traceback" not in err + out
    for fragment in expect.get("stderr", []):
        assert fragment in err, (fragment, err)
    for fragment in expect.get("stdout", []):
        assert fragment in out, (fragment, out)
    for fragment in expect.get("stdout_lacks", []):
        assert fragment not in out, (fragment, out)
    for name, text in expect.get("make", {}).get("existing", {}).items():
        if name in expect.get("unchanged", []):
            assert (tmp_path / name).read_text(encoding="utf-8") == text, name
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    if "error" in expect:
        assert rc == expect.get("exit", 1), err
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
        for fragment in expect["error"]:
            assert fragment in err, (fragment, err)
        return
    assert rc == expect.get("exit", 0), err
    if "command" in expect:
        return

    result = json.loads(out)
    _check_result(expect, result)

    if result["rejected"] or result.get("blanked"):
        # lenient (the default) says on stderr how many rows of each type were rejected
        per_type = {k: c["rejected"] for k, c in result["records"].items() if c["rejected"]}
        for name, n in per_type.items():
            assert f"{name} {n}" in err, err
        # strict stops, non-zero, with the same summary
        rc, out, err = _cli(capsys, *argv[:1], "--data", str(data), "--strict", *argv[5:])
        assert rc == 1 and out == "" and "Traceback" not in err
        if result["rejected"]:
            assert f"{len(result['rejected'])} row(s) rejected" in err
        for name, n in per_type.items():
            assert f"{name} {n}" in err, err
    else:
        assert "rejected" not in err


def _check_result(expect: dict[str, Any], result: dict[str, Any]) -> None:
    for name, c in result["records"].items():
        assert c["read"] == c["accepted"] + c["rejected"], name
    for name, (read, accepted, rejected) in expect.get("counts", {}).items():
        c = result["records"][name]
        assert (c["read"], c["accepted"], c["rejected"]) == (read, accepted, rejected), name
    got = sorted((r["file"], r["row"], r["column"] or "") for r in result["rejected"])
    assert got == sorted(tuple(r) for r in expect.get("rejected", []))
    for r in [*result["rejected"], *result.get("blanked", [])]:
        # Chinese first: the text before the English part has a Chinese character
        zh = r["reason"].split(" / ")[0]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), r["reason"]
    reasons = "\n".join(r["reason"] for r in result["rejected"])
    for fragment in expect.get("messages", []):
        assert fragment in reasons, (fragment, reasons)
    blanked = sorted((b["file"], b["row"], b["column"]) for b in result.get("blanked", []))
    assert blanked == sorted(tuple(b) for b in expect.get("blanked", []))
    blank_reasons = "\n".join(b["reason"] for b in result.get("blanked", []))
    for fragment in expect.get("blank_messages", []):
        assert fragment in blank_reasons, (fragment, blank_reasons)
    strings = set(_strings(result))
    for text in expect.get("json_contains", []):
        assert text in strings, text
    warnings = "\n".join(result["warnings"])
    for fragment in expect.get("warnings", []):
        assert fragment in warnings, (fragment, warnings)


def _api(expect: dict[str, Any]) -> None:
    """A case of the Python API: ``dxe_eval.evaluate(data, ruleset)`` with ``data`` given
    as JSON text (TOML has no null) and ``ruleset`` as TOML holds it."""
    api = expect["api"]
    data = json.loads(api["data"]) if "data" in api else None
    try:
        ev = dxe_eval.evaluate(data, api.get("ruleset"))
    except DxeEvalError as exc:
        assert "error" in expect, str(exc)
        for fragment in expect["error"]:
            assert fragment in str(exc), (fragment, str(exc))
        return
    assert "error" not in expect
    _check_result(expect, json.loads(dxe_eval.to_json(ev)))


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
