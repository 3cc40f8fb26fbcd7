"""The JSON writer gives the text ``json.dumps(..., ensure_ascii=False, indent=2)`` gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dxe_eval
from dxe_eval import evaluate
from dxe_eval.report import json as render
from dxe_eval.report.json import dumps, dumps_bytes, to_dict, to_json_bytes, write_json

# what a report holds: text (any characters, control ones too), whole numbers, points
# with two decimals, booleans, null, and lists and string-keyed dicts of those
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2))
    | st.text()
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(documents)
def test_same_text_as_the_standard_library(doc: Any) -> None:
    assert dumps(doc) == json.dumps(doc, ensure_ascii=False, indent=2)


def test_what_orjson_refuses_goes_through_the_standard_library() -> None:
    # a non-string key and an integer beyond 64 bits: orjson raises, json.dumps does not
    doc = {1: "a", "big": 2**70, "tuple": (1, 2)}
    assert dumps(doc) == json.dumps(doc, ensure_ascii=False, indent=2)
    assert dumps_bytes(doc) == json.dumps(doc, ensure_ascii=False, indent=2).encode()


def test_the_example_report_is_the_standard_librarys_text() -> None:
    ev = evaluate()
    expected = json.dumps(to_dict(ev), ensure_ascii=False, indent=2)
    assert dxe_eval.to_json(ev) == expected
    assert to_json_bytes(ev) == (expected + "\n").encode("utf-8")


def test_the_written_file_is_the_document(tmp_path: Path) -> None:
    ev = evaluate()
    out = tmp_path / "report.json"
    write_json(ev, out)
    assert out.read_bytes() == to_json_bytes(ev)


@pytest.mark.usefixtures("unchecked_results")  # a key no schema allows, on purpose
def test_no_scorecards_and_a_refused_value_write_the_same_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ev = evaluate()
    empty = attrs.evolve(ev, scorecards=())
    write_json(empty, tmp_path / "empty.json")
    assert (tmp_path / "empty.json").read_bytes() == to_json_bytes(empty)
    assert b'"scorecards": []' in to_json_bytes(empty)
    # no findings either: the streamed list is written as the empty list it is
    bare = attrs.evolve(ev, scorecards=(), findings=())
    write_json(bare, tmp_path / "bare.json")
    assert (tmp_path / "bare.json").read_bytes() == to_json_bytes(bare)
    assert b'"findings": []' in to_json_bytes(bare)

    # a value orjson refuses (a non-string key) mid-way: the file is rewritten the slow way
    card = render._card
    monkeypatch.setattr(render, "_card", lambda c, limit=None: {**card(c, limit), 1: "x"})
    write_json(ev, tmp_path / "refused.json")
    expected = json.dumps(to_dict(ev), ensure_ascii=False, indent=2) + "\n"
    assert (tmp_path / "refused.json").read_text(encoding="utf-8") == expected


def test_scorecards_written_in_many_batches_are_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the example's 93 cards in batches of 2 and 7 (an odd batch leaves a part batch at the end)
    ev = evaluate()
    for size in (2, 7):
        monkeypatch.setattr(render, "_BATCH", size)
        write_json(ev, tmp_path / f"b{size}.json")
        assert (tmp_path / f"b{size}.json").read_bytes() == to_json_bytes(ev)


class _FullDisk:
    def __init__(self, room: int) -> None:
        self.room, self.written = room, 0

    def write(self, chunk: bytes) -> int:
        if self.written + len(chunk) > self.room:
            raise OSError(28, "No space left on device")
        self.written += len(chunk)
        return len(chunk)


def test_a_failed_write_is_raised_in_the_caller() -> None:
    # the writer thread's error comes back: at the next chunk or on leaving the block
    disk = _FullDisk(room=10)
    with pytest.raises(OSError, match="No space left"), render._Writer(disk) as out:
        for _ in range(100):
            out.write(b"0123456789")
    assert disk.written == 10


@given(documents)
def test_compact_is_the_standard_librarys_text_without_spaces(doc: Any) -> None:
    expected = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    assert dumps_bytes(doc, compact=True) == expected.encode("utf-8")


@pytest.mark.usefixtures("unchecked_results")  # a key no schema allows, on purpose
def test_compact_file_is_the_same_document_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --compact: the same keys and values as the indented file, on one line with no space
    # after , and : — streamed in batches (2, 7: a part batch at the end), with no cards,
    # and rewritten the slow way when orjson refuses a value, it is always the one text
    ev = evaluate()
    compact = json.dumps(to_dict(ev), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert to_json_bytes(ev, compact=True) == compact.encode("utf-8")
    assert dxe_eval.to_json(ev, compact=True) + "\n" == compact
    for size in (2, 7, 512):
        monkeypatch.setattr(render, "_BATCH", size)
        write_json(ev, tmp_path / f"c{size}.json", compact=True)
        assert (tmp_path / f"c{size}.json").read_text(encoding="utf-8") == compact
    indented = tmp_path / "indented.json"
    write_json(ev, indented)
    assert json.loads(indented.read_text(encoding="utf-8")) == json.loads(compact)
    assert compact.count("\n") == 1 and len(compact) < 0.8 * indented.stat().st_size
    bare = attrs.evolve(ev, scorecards=(), findings=())
    write_json(bare, tmp_path / "bare.json", compact=True)
    assert (tmp_path / "bare.json").read_bytes() == to_json_bytes(bare, compact=True)
    assert b'"scorecards":[]' in to_json_bytes(bare, compact=True)
    card = render._card
    monkeypatch.setattr(render, "_card", lambda c, limit=None: {**card(c, limit), 1: "x"})
    write_json(ev, tmp_path / "refused.json", compact=True)
    expected = json.dumps(to_dict(ev), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert (tmp_path / "refused.json").read_text(encoding="utf-8") == expected
