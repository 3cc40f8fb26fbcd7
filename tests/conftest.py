from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# Every result the suite makes in the test process is checked against the shipped JSON
# Schema (issue 21: "a test that validates every result the suite produces"): to_dict and
# the streaming writer are wrapped once, here, before any test module imports them; a
# result that does not validate fails the test that made it. Results made by a `dxe-eval`
# subprocess are checked where those tests read them (tests/unit/test_schema_json.py).
#: off only inside a test that asks for ``unchecked_results`` (one that writes a result
#: made invalid on purpose)
_SCHEMA_CHECK = {"on": True}


def _check_every_result() -> None:
    import functools
    import json
    from pathlib import Path
    from typing import Any

    import jsonschema

    import dxe_eval
    import dxe_eval.report.json as result_json

    validator = jsonschema.Draft202012Validator(dxe_eval.result_schema())

    def check(text: str | bytes) -> None:
        if not _SCHEMA_CHECK["on"]:
            return
        errors = [
            f"{e.json_path}: {e.message[:200]}" for e in validator.iter_errors(json.loads(text))
        ]
        assert not errors, f"the result does not match the JSON Schema: {errors[:5]}"

    to_dict, write_json = result_json.to_dict, result_json.write_json

    @functools.wraps(to_dict)
    def checked_to_dict(*args: Any, **kwargs: Any) -> dict[str, Any]:
        doc = to_dict(*args, **kwargs)
        if _SCHEMA_CHECK["on"]:
            check(
                result_json.dumps(doc, indent=None)
            )  # as another system reads it: tuples as lists
        return doc

    @functools.wraps(write_json)
    def checked_write_json(ev: Any, path: Any, **kwargs: Any) -> None:
        write_json(ev, path, **kwargs)
        check(Path(path).read_bytes())

    result_json.to_dict = checked_to_dict  # type: ignore[assignment]
    result_json.write_json = checked_write_json  # type: ignore[assignment]


_check_every_result()


@pytest.fixture
def unchecked_results() -> Iterator[None]:
    """Results made in this test are not checked against the JSON Schema: for a test that
    breaks a result on purpose (the schema's own tests check broken documents fail)."""
    _SCHEMA_CHECK["on"] = False
    try:
        yield
    finally:
        _SCHEMA_CHECK["on"] = True
