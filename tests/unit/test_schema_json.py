"""The shipped JSON Schema (``dxe_eval/report/result.schema.json``) validates every result
the suite makes, and is strict enough that a broken document fails."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import dxe_eval
from dxe_eval.cases import Case, _ruleset, find_case_files, load_cases
from dxe_eval.commend import EXCLUSION_CODES
from dxe_eval.engine import default_data, prepare, run
from dxe_eval.generate import Sizes, generate
from dxe_eval.report.json import to_json
from tests import builders

VALIDATOR = jsonschema.Draft202012Validator(
    dxe_eval.result_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
CASES: list[Case] = [
    case for file in find_case_files(builders.ROOT / "rulesets") for case in load_cases(file)
]
DOCS = builders.ROOT / "docs" / "json.md"


def errors(doc: dict[str, Any]) -> list[str]:
    """Every schema error of ``doc`` as ``path: message``."""
    return [f"{e.json_path}: {e.message[:200]}" for e in VALIDATOR.iter_errors(doc)]


def document(ev: dxe_eval.Evaluation) -> dict[str, Any]:
    """The JSON text as another system reads it (not the dict: a tuple would pass as a list)."""
    doc: dict[str, Any] = json.loads(to_json(ev))
    return doc


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return document(dxe_eval.evaluate())


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = dxe_eval.result_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # a fresh copy each call: a caller changing its copy changes no one else's
    schema["title"] = "changed"
    assert dxe_eval.result_schema()["title"] != "changed"


def test_the_example_validates(example: dict[str, Any]) -> None:
    assert errors(example) == []
    # the example has what the schema's closed shapes must allow: a rejected ledger row,
    # findings of three thresholds and exclusions with codes
    assert len(example["rejected"]) == 1
    assert {f["code"] for f in example["findings"]} >= {"late-response.criticize"}
    assert all(len(x["codes"]) == len(x["reasons"]) for x in example["excluded"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_example_from_the_command_line_validates(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dxe_eval.cli import main

    out = tmp_path / "result.json"
    code = main(["evaluate", "--format", "json", "--lang", lang, "--output", str(out)])
    assert code in (0, None)
    assert errors(json.loads(out.read_text(encoding="utf-8"))) == []


def test_the_example_workbook_and_the_2021_ruleset_validate() -> None:
    data = default_data()
    workbook = data.parent / f"{data.name}.xlsx"
    assert errors(document(dxe_eval.evaluate(workbook))) == []
    assert errors(document(dxe_eval.evaluate(None, "hubei-2021"))) == []


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.file.rsplit('/', 1)[-1]}::{c.name}" for c in CASES]
)
def test_every_ruleset_case_validates(case: Case) -> None:
    registry = builders.registry()
    rs = _ruleset(case, registry, {})
    data = {"units": [], "people": [], "projects": [], **case.input}
    ev = run(prepare(data, rs, registry), rs, registry)
    assert errors(document(ev)) == []


def test_a_generated_data_set_validates(tmp_path: Path) -> None:
    generate(tmp_path, Sizes(units=12, people=60, projects=15, requests=600, surveys=150), seed=5)
    doc = document(dxe_eval.evaluate(tmp_path))
    assert doc["scorecards"] and errors(doc) == []


def test_an_evaluation_with_rejections_blanks_and_warnings_validates() -> None:
    records = {
        "units": [
            # 人数 十二 is blanked; 备注 is not in the contract: a warning
            {
                "unit_id": "U1",
                "name": "甲处",
                "category": "处室",
                "staff_count": "十二",
                "备注": "x",
            },
            {"unit_id": "U2", "name": "乙处", "category": "处室"},
        ],
        "requests": [
            {
                "request_id": "R1",
                "unit_id": "U1",
                "received_at": "2022-09-30 10:00",
                "responded_at": "2022-10-09 09:00",
                "closed_at": "2022-10-09 09:00",
                "outcome": "delivered",
            },
            # 三十日 is no date: the row is rejected
            {"request_id": "R2", "unit_id": "U1", "received_at": "三十日", "outcome": "delivered"},
        ],
    }
    doc = document(dxe_eval.evaluate(records, "hubei-2022"))
    assert [r["row"] for r in doc["rejected"]] == [2]
    assert [b["value"] for b in doc["blanked"]] == ["十二"]
    assert len(doc["warnings"]) == 2  # the ignored column, the blanked cell
    # U1: total below 85, no survey, 0 of 10 responses, 51 of 100 weight judged (< 60 %)
    u1 = next(x for x in doc["excluded"] if x["candidate_id"] == "U1")
    assert u1["codes"] == ["min-total", "no-survey", "min-responses", "min-judged-share"]
    assert errors(doc) == []


def test_the_evidence_keys_are_allowed_as_optional(example: dict[str, Any]) -> None:
    doc = copy.deepcopy(example)
    doc["evidence_limit"] = 3
    doc["scorecards"][0]["rules"][0]["evidence_count"] = 7
    assert errors(doc) == []
    doc["evidence_limit"] = "3"
    doc["scorecards"][0]["rules"][0]["evidence_count"] = -1
    assert len(errors(doc)) == 2


#: one change each that a reader relying on the contract would trip over
BROKEN = [
    ("a required key missing", lambda d: d.pop("findings")),
    ("an unknown top-level key", lambda d: d.update(extra=1)),
    ("an unknown key in a card", lambda d: d["scorecards"][0].update(score=1)),
    ("an unknown key in a rule result", lambda d: d["scorecards"][0]["rules"][0].update(x=1)),
    ("a total as text", lambda d: d["scorecards"][0].update(total="102.2")),
    ("a kind not unit/person/project", lambda d: d["scorecards"][0].update(kind="team")),
    ("a finding level not in the three", lambda d: d["findings"][0].update(level="severe")),
    ("a finding without its code", lambda d: d["findings"][0].pop("code")),
    ("an exclusion code not in the table", lambda d: d["excluded"][0]["codes"].__setitem__(0, "x")),
    ("a list status not in the three", lambda d: d["commendation"]["unit"][0].update(status="ok")),
    ("a fourth list", lambda d: d["commendation"].update(team=[])),
    ("a period date not a date", lambda d: d["ruleset"]["period"].update(start="2022/01/01")),
    ("a count below zero", lambda d: d["records"]["units"].update(read=-1)),
    ("another schema version", lambda d: d.update(schema_version=2)),
]


@pytest.mark.parametrize("change", [c for _, c in BROKEN], ids=[name for name, _ in BROKEN])
def test_a_broken_document_fails(example: dict[str, Any], change: Any) -> None:
    doc = copy.deepcopy(example)
    change(doc)
    assert errors(doc)


def test_the_exclusion_codes_are_the_schema_s_and_the_docs() -> None:
    assert dxe_eval.result_schema()["$defs"]["exclusion_code"]["enum"] == sorted(EXCLUSION_CODES)
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", DOCS.read_text(encoding="utf-8"), re.M))
    assert set(EXCLUSION_CODES) <= documented


def test_the_docs_publish_the_shipped_schema() -> None:
    page = (builders.ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", page, re.S)
    assert block, "docs/schema.md has no json block"
    assert json.loads(block.group(1)) == dxe_eval.result_schema()


def test_every_result_the_suite_makes_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py wraps to_dict and write_json: a result that breaks the schema fails
    the test that made it (here, a scorecard with a key no schema allows)."""
    import dxe_eval.report.json as result_json

    ev = dxe_eval.evaluate()
    result_json.to_dict(ev)  # the example passes
    card = result_json._card
    monkeypatch.setattr(result_json, "_card", lambda c, limit=None: {**card(c, limit), "x": 1})
    with pytest.raises(AssertionError, match="does not match the JSON Schema"):
        result_json.to_dict(ev)
