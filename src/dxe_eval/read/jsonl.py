"""Reading JSON Lines files into :class:`~dxe_eval.read.raw.Raw` rows."""

from __future__ import annotations

import json
from typing import Any, Final

from dxe_eval.read.frames import records_to_raw
from dxe_eval.read.raw import Raw, Reader, ReadFile, Rejection, decode
from dxe_eval.schema import RecordType


def read_jsonl_text(text: str, rt: RecordType, file: str) -> tuple[Raw, list[str]]:
    """Rows of a JSON Lines text: one object per line; a line that is not one is rejected.

    Lines end at ``\n`` (or ``\r\n``) only, as JSON Lines says: U+2028, U+0085 and the
    other characters ``str.splitlines`` would end a line at are text inside a string."""
    objs: list[dict[str, Any]] = []
    numbers: list[int] = []
    rejected: list[Rejection] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rejected.append(
                Rejection(
                    record_type=rt.name,
                    file=file,
                    row=number,
                    column=None,
                    reason=f"不是有效的 JSON / not valid JSON: {exc.msg}",
                )
            )
            continue
        if not isinstance(obj, dict):
            rejected.append(
                Rejection(
                    record_type=rt.name,
                    file=file,
                    row=number,
                    column=None,
                    reason="不是 JSON 对象 / not a JSON object",
                )
            )
            continue
        objs.append(obj)
        numbers.append(number)
    raw, ignored = records_to_raw(objs, rt, file, numbers)
    both = sorted((*rejected, *raw.pre_rejected), key=lambda r: r.row)
    return Raw(
        file=file, frame=raw.frame, pre_rejected=tuple(both), headers=raw.headers, tabular=False
    ), ignored


def read_jsonl_file(data: bytes, rt: RecordType, file: str) -> ReadFile:
    """A JSON Lines file's bytes, in UTF-8 or GB18030."""
    text, encoding = decode(data, file)
    raw, ignored = read_jsonl_text(text, rt, file)
    return ReadFile(raw=raw, ignored=ignored, encoding=encoding)


#: JSON Lines files: one record (a JSON object) per line
JSONL_READER: Final = Reader(name="jsonl", suffixes=(".jsonl", ".ndjson"), read=read_jsonl_file)
