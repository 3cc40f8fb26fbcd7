"""Ruleset test cases as data: loading, checking and reporting expected vs got."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxe_eval.cases import CaseFileError, load_cases, run_case, run_cases
from dxe_eval.ruleset import Ruleset
from tests import builders

RULESET = builders.DEFAULT_RULESET

CASE = """
ruleset = "{ruleset}"

[[case]]
name = "one unit, ten 非常满意"
[case.input]
units = [{{ unit_id = "U1", name = "甲", category = "处室" }}]
surveys = [
{surveys}
]
[case.expect.points]
U1 = {{ satisfaction = {points}, timeliness = "n/a" }}
[case.expect.totals]
U1 = {total}
[case.expect.findings]
U1 = {{ bad-review-rate = "{level}" }}
[case.expect.ranks]
U1 = {rank}
"""


def write(tmp_path: Path, **values: object) -> Path:
    surveys = "\n".join(
        f'  {{ response_id = "S{i}", unit_id = "U1", answered_on = 2022-03-01, rating = 5 }},'
        for i in range(10)
    )
    fields = {"points": 30, "total": 69.77, "level": "none", "rank": 1, **values}
    path = tmp_path / "x.cases.toml"
    path.write_text(
        CASE.format(ruleset=RULESET.as_posix(), surveys=surveys, **fields), encoding="utf-8"
    )
    return path


def test_a_passing_case(tmp_path: Path) -> None:
    # 10 非常满意 → 30 of 30; standard 0 of 8 and publicity 0 of 5 apply to a unit:
    # total 30 × 100 / 43 = 69.767… → 69.77; 69.77 < 85, so no commendation
    path = write(tmp_path, rank='"none"')
    [result] = run_cases(path, builders.registry())
    assert result.ok, result.failures


def test_failures_say_expected_and_got(tmp_path: Path) -> None:
    path = write(tmp_path, points=29, total=70, level="warning", rank=1)
    [case] = load_cases(path)
    result = run_case(case, builders.registry())
    text = "\n".join(result.failures)
    assert "points U1 satisfaction: expected 29, got 30" in text
    assert "total U1: expected 70, got 69.77" in text
    assert "finding U1 bad-review-rate: expected warning, got none" in text
    assert "rank U1: expected 1, got none" in text and "总分 69.77 低于 85" in text


def test_tolerance(tmp_path: Path) -> None:
    path = write(tmp_path, total=69.8, rank='"none"')
    text = path.read_text(encoding="utf-8").replace("[[case]]\n", "[[case]]\ntolerance = 0.05\n")
    path.write_text(text, encoding="utf-8")
    [result] = run_cases(path, builders.registry())
    assert result.ok, result.failures


def test_rejected_rows_fail_the_case(tmp_path: Path) -> None:
    path = write(tmp_path, rank='"none"')
    text = path.read_text(encoding="utf-8").replace("rating = 5 }", 'rating = "很好" }', 1)
    path.write_text(text, encoding="utf-8")
    [result] = run_cases(path, builders.registry())
    assert any("input row rejected" in f for f in result.failures)


def test_override_and_ruleset_errors(tmp_path: Path) -> None:
    path = write(tmp_path, rank='"none"')
    text = path.read_text(encoding="utf-8").replace(
        "[case.input]", "override = { rules = { satisfaction = { pointz = 1 } } }\n[case.input]"
    )
    path.write_text(text, encoding="utf-8")
    [result] = run_cases(path, builders.registry())
    assert any("pointz" in f and "did you mean 'points'" in f for f in result.failures)


def test_default_ruleset_is_the_neighbour(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(
        '[ruleset]\nid = "mine"\ntitle = "t"\nextends = "hubei-2022"\n', encoding="utf-8"
    )
    (tmp_path / "mine.cases.toml").write_text(
        '[[case]]\nname = "n"\n[case.expect.totals]\n', encoding="utf-8"
    )
    with pytest.raises(CaseFileError, match="nothing expected"):
        load_cases(tmp_path / "mine.cases.toml")
    (tmp_path / "mine.cases.toml").write_text(
        '[[case]]\nname = "n"\n[case.input]\nunits = [{ unit_id = "U1", name = "a", '
        'category = "处室" }]\n[case.expect.totals]\nU1 = 0\n',
        encoding="utf-8",
    )
    [case] = load_cases(tmp_path / "mine.cases.toml")
    assert case.ruleset == tmp_path / "mine.toml"
    cache: dict[object, Ruleset] = {}
    assert run_case(case, builders.registry(), cache).ok
    assert [rs.id for rs in cache.values()] == ["mine"]


def test_unknown_keys_are_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.cases.toml"
    path.write_text('[[case]]\nname = "n"\nexpected = {}\n', encoding="utf-8")
    with pytest.raises(CaseFileError, match="unknown key"):
        load_cases(path)


def test_status_and_reasons(tmp_path: Path) -> None:
    # total 69.77 < 85: U1 is excluded, the reason names the total
    path = write(tmp_path, rank='"none"')
    text = path.read_text(encoding="utf-8")
    good = text + '[case.expect.status]\nU1 = "excluded"\n[case.expect.reasons]\nU1 = ["低于 85"]\n'
    path.write_text(good, encoding="utf-8")
    [result] = run_cases(path, builders.registry())
    assert result.ok, result.failures
    bad = text + '[case.expect.status]\nU1 = "listed"\n[case.expect.reasons]\nU1 = ["一票否决"]\n'
    path.write_text(bad, encoding="utf-8")
    [result] = run_cases(path, builders.registry())
    failures = "\n".join(result.failures)
    assert "status U1: expected listed, got excluded" in failures
    assert "reasons U1: expected '一票否决' in ['总分 69.77 低于 85" in failures


def test_an_unknown_status_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, rank='"none"')
    path.write_text(
        path.read_text(encoding="utf-8") + '[case.expect.status]\nU1 = "maybe"\n', encoding="utf-8"
    )
    with pytest.raises(CaseFileError, match="status of U1 is 'maybe'"):
        load_cases(path)


def test_expected_rejections_and_data_notes(tmp_path: Path) -> None:
    # a ledger entry of 2022-03-01 for a request received 2022-03-02 is rejected: the case
    # expects it (no "input row rejected" failure), and fails when the count differs; a
    # text expected in a data note is looked for in every warning
    path = tmp_path / "r.cases.toml"
    body = f"""
ruleset = "{RULESET.as_posix()}"
[[case]]
name = "rejected"
[case.input]
units = [{{ unit_id = "U1", name = "甲", category = "处室" }}]
requests = [{{ request_id = "R1", unit_id = "U1", received_at = "2022-03-02 09:00:00" }}]
ledger = [{{ entry_id = "L1", unit_id = "U1", recorded_on = 2022-03-01, request_id = "R1" }}]
[case.expect.rejected]
ledger = @N@
[case.expect]
warnings = [@SAID@]
"""
    path.write_text(body.replace("@N@", "1").replace("@SAID@", ""), encoding="utf-8")
    [result] = run_cases(path, builders.registry())
    assert result.ok, result.failures
    path.write_text(body.replace("@N@", "2").replace("@SAID@", '"no such note"'), encoding="utf-8")
    [result] = run_cases(path, builders.registry())
    assert result.failures[0].startswith(
        "rejected ledger: expected 2, got 1 (<ledger> row 1: "
        "台账登记日期 2022-03-01 早于其服务需求 R1 的接收日期 2022-03-02"
    )
    assert result.failures[1].startswith("warnings: expected 'no such note' in a data note")
