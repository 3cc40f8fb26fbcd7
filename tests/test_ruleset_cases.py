"""Every hand-worked case in ``rulesets/*.cases.toml`` is a pytest test (see ``dxe_eval.cases``)."""

from __future__ import annotations

import pytest

from dxe_eval.cases import Case, find_case_files, load_cases, run_case
from tests import builders

CASES: list[Case] = [
    case for file in find_case_files(builders.ROOT / "rulesets") for case in load_cases(file)
]


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c.file.rsplit('/', 1)[-1]}::{c.name}" for c in CASES]
)
def test_ruleset_case(case: Case) -> None:
    result = run_case(case, builders.registry())
    assert result.ok, "\n".join(result.failures)


def test_there_are_cases_for_the_default_ruleset() -> None:
    names = [c.name for c in CASES if c.file.endswith("hubei-2022.cases.toml")]
    assert len(names) >= 6
