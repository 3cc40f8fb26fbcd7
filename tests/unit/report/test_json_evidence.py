"""``--evidence all|first:N|none``: lighter JSON for callers that want it, the count kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dxe_eval import evaluate
from dxe_eval.cli import main
from dxe_eval.report.json import evidence_limit, to_dict, to_json_bytes, write_json


def test_the_spec_is_read_as_a_limit() -> None:
    assert evidence_limit("all") is None
    assert evidence_limit(None) is None
    assert evidence_limit("none") == 0
    assert evidence_limit("first:20") == 20
    assert evidence_limit("first:0") == 0
    assert evidence_limit(3) == 3
    for bad in ("first:", "first:-1", "first:2x", "some", "", -1):
        with pytest.raises(ValueError, match="first:N"):
            evidence_limit(bad)


def test_first_two_cuts_every_list_to_two_and_keeps_the_count(tmp_path: Path) -> None:
    ev = evaluate()
    full = to_dict(ev)
    cut = to_dict(ev, evidence="first:2")
    assert cut["evidence_limit"] == 2 and "evidence_limit" not in full
    longer = 0  # rule entries whose list was actually cut: the test must see some
    for card_full, card_cut in zip(full["scorecards"], cut["scorecards"], strict=True):
        for r_full, r_cut in zip(card_full["rules"], card_cut["rules"], strict=True):
            assert r_cut["evidence"] == r_full["evidence"][:2]
            assert r_cut["evidence_count"] == len(r_full["evidence"])
            assert {k: v for k, v in r_cut.items() if k not in ("evidence", "evidence_count")} == {
                k: v for k, v in r_full.items() if k != "evidence"
            }
            longer += len(r_full["evidence"]) > 2
    assert longer > 0
    for f_full, f_cut in zip(full["findings"], cut["findings"], strict=True):
        assert f_cut["evidence"] == f_full["evidence"][:2]
        assert f_cut["count"] == f_full["count"]
    # everything else is as it was
    rest = {k: v for k, v in cut.items() if k not in ("scorecards", "findings", "evidence_limit")}
    assert rest == {k: v for k, v in full.items() if k not in ("scorecards", "findings")}
    # the file written piece by piece is the same document
    write_json(ev, tmp_path / "cut.json", evidence="first:2")
    assert (tmp_path / "cut.json").read_bytes() == to_json_bytes(ev, evidence="first:2")


def test_none_drops_the_ids_and_all_is_the_contract(tmp_path: Path) -> None:
    ev = evaluate()
    none = to_dict(ev, evidence="none")
    full = to_dict(ev)
    assert none["evidence_limit"] == 0
    for card_none, card_full in zip(none["scorecards"], full["scorecards"], strict=True):
        for r_none, r_full in zip(card_none["rules"], card_full["rules"], strict=True):
            assert r_none["evidence"] == []
            assert r_none["evidence_count"] == len(r_full["evidence"])
    assert all(f["evidence"] == [] and f["count"] >= 1 for f in none["findings"])
    # "all" is byte for byte the document without the option
    assert to_json_bytes(ev, evidence="all") == to_json_bytes(ev)
    write_json(ev, tmp_path / "all.json", evidence="all")
    assert (tmp_path / "all.json").read_bytes() == to_json_bytes(ev)


def test_the_command_takes_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    assert (
        main(["evaluate", "--format", "json", "--evidence", "first:1", "--output", str(out)]) == 0
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["evidence_limit"] == 1
    assert all(len(r["evidence"]) <= 1 for c in doc["scorecards"] for r in c["rules"])
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", "--format", "json", "--evidence", "first:many"])
    assert exit_.value.code == 2
    assert "first:N" in capsys.readouterr().err


def test_the_command_writes_compact_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --compact with --evidence none: the lightest file, to a file and to standard output
    out = tmp_path / "r.json"
    args = ["evaluate", "--format", "json", "--compact", "--evidence", "none"]
    assert main([*args, "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("\n") == 1 and text.startswith('{"schema_version":1,')
    assert json.loads(text)["evidence_limit"] == 0
    capsys.readouterr()
    assert main(args) == 0
    assert capsys.readouterr().out == text
