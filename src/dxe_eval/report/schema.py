"""The JSON Schema (draft 2020-12) of the JSON report, shipped beside it in the package.

``result.schema.json`` describes what :func:`dxe_eval.to_dict` gives (``docs/json.md``):
required keys, types, closed objects (``additionalProperties: false``), the candidate
kinds, finding levels, list statuses and exclusion codes. Another system validates a
result with any draft 2020-12 validator, for example::

    import jsonschema, dxe_eval
    jsonschema.validate(dxe_eval.to_dict(ev), dxe_eval.result_schema())
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Final

#: the schema's file name inside the package ``dxe_eval.report``
SCHEMA_FILE: Final = "result.schema.json"


def result_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report, as a new dict (a caller may change its copy)."""
    text = resources.files("dxe_eval.report").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
