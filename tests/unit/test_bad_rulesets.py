"""Bad rulesets: each mistake is a named error (file, table, key), and a ruleset is only data.

tests/unit/test_ruleset.py covers the first examples of each kind; this file
covers the rest: malformed TOML, wrong types, missing values, ``extends``
cycles and escapes, and names that look like code.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import pytest

from dxe_eval.cli import main
from dxe_eval.errors import RulesetError, RulesetProblems
from dxe_eval.ruleset import check_ruleset, load_ruleset
from tests import builders

CANARY = "tests.fixtures.plugins.canary"
HEAD = '[ruleset]\nextends = "hubei-2022"\nid = "t"\n'
FULL_HEAD = '[ruleset]\nid = "t"\ntitle = "t"\nperiod = { start = 2022-01-01, end = 2022-12-31 }\n'


def _check(tmp_path: Path, text: str | bytes, name: str = "r.toml") -> list:
    f = tmp_path / name
    if isinstance(text, bytes):
        f.write_bytes(text)
    else:
        f.write_text(text, encoding="utf-8")
    return check_ruleset(f, builders.registry())


def _one(problems: list, table: str | None, key: str | None):
    found = [p for p in problems if (p.table, p.key) == (table, key)]
    assert found, [(p.table, p.key, p.reason) for p in problems]
    return found[0]


# ---------------------------------------------------------------------------
# malformed files
# ---------------------------------------------------------------------------

MALFORMED = {
    "unclosed-table": "[ruleset\nid = 1\n",
    "duplicate-key": '[ruleset]\nid = "a"\nid = "b"\n',
    "bare-string": "[ruleset]\nid = hubei\n",
    "duplicate-table": '[ruleset]\nid = "a"\n[ruleset]\ntitle = "b"\n',
    "bad-date": "[ruleset]\nperiod = { start = 2022-02-30, end = 2022-12-31 }\n",
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_toml_names_file_and_line(name: str, tmp_path: Path) -> None:
    (p,) = _check(tmp_path, MALFORMED[name])
    assert p.file.endswith("r.toml")
    assert "malformed TOML" in p.reason and "line" in p.reason


def test_not_utf8(tmp_path: Path) -> None:
    (p,) = _check(tmp_path, '[ruleset]\nid = "甲"\n'.encode("gbk"))
    assert p.file.endswith("r.toml") and "cannot read" in p.reason


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RulesetError, match="file not found") as info:
        load_ruleset(tmp_path / "nope.toml", builders.registry())
    assert info.value.file.endswith("nope.toml")


def test_empty_file_lacks_the_ruleset_table(tmp_path: Path) -> None:
    p = _one(_check(tmp_path, ""), "ruleset", None)
    assert "missing table [ruleset]" in p.reason


# ---------------------------------------------------------------------------
# wrong types, missing and out-of-range values
# ---------------------------------------------------------------------------

WRONG = [
    # (body, table, key, fragment of the reason)
    ('[rules.satisfaction]\npoints = "30"\n', "rules.satisfaction", "points", "expected a number"),
    (
        "[rules.satisfaction]\nmin_cases = 10.5\n",
        "rules.satisfaction",
        "min_cases",
        "whole number",
    ),
    ('[rules.satisfaction]\nenabled = "yes"\n', "rules.satisfaction", "enabled", "true or false"),
    ("[rules]\nsatisfaction = 3\n", "rules.satisfaction", None, "must be a table"),
    ('[commendation]\ntie_break = "id"\n', "commendation", "tie_break", "expected a list"),
    (
        '[calendar]\nextra_holidays = "2022-10-01"\n',
        "calendar",
        "extra_holidays",
        "expected a list",
    ),
    (
        '[calendar]\nextra_holidays = ["2022-10-01", 7]\n',
        "calendar",
        "extra_holidays",
        "expected a date",
    ),
    ('[commendation]\ntie_at_cutoff = "coin"\n', "commendation", "tie_at_cutoff", "must be in"),
    ("[commendation.unit]\nshare = 150.0\n", "commendation.unit", "share", "0 to 100"),
    ("[commendation]\nunit = 5\n", "commendation", "unit", "expected a table"),
    ("[effects]\ndeductions = { warning = -1.0 }\n", "effects.deductions", "warning", "negative"),
    ('[effects]\nveto_levels = ["publish"]\n', "effects", "veto_levels", "unknown level"),
    ("[rules.satisfaction]\nfull_at = 120.0\n", "rules.satisfaction", "full_at", "100"),
    (
        "[rules.satisfaction]\nzero_at = 99.0\n",
        "rules.satisfaction",
        "zero_at",
        "must be below 'full_at'",
    ),
    ('[rules.timeliness]\nwhen_empty = "maybe"\n', "rules.timeliness", "when_empty", "must be in"),
    (
        '[rules.satisfaction]\nfallback = "score"\n',
        "rules.satisfaction",
        "fallback",
        "removed key 已删除的键: replaced by min_cases",
    ),
    (
        "[thresholds.late-response]\nwarning = 20.0\ncriticize = 5.0\n",
        "thresholds.late-response",
        "criticize",
        "increase strictly",
    ),
    ("[rules.satisfaction]\npoints = 31\n", "rules", "points", "not the declared total 100"),
    # TOML's inf and nan are numbers, but no parameter means either
    ("[rules.media-bonus]\ncap = inf\n", "rules.media-bonus", "cap", "finite number"),
    ("[rules.timeliness]\nzero_at = inf\n", "rules.timeliness", "zero_at", "finite number"),
    ("[rules.satisfaction]\npoints = nan\n", "rules.satisfaction", "points", "finite number"),
    ("[commendation.unit]\nmin_total = nan\n", "commendation.unit", "min_total", "finite number"),
]


@pytest.mark.parametrize(("body", "table", "key", "fragment"), WRONG)
def test_wrong_value_is_named(
    body: str, table: str, key: str | None, fragment: str, tmp_path: Path
) -> None:
    p = _one(_check(tmp_path, HEAD + body), table, key)
    assert fragment in p.reason
    assert p.file.endswith("r.toml")
    assert table in str(p) and (key is None or key in str(p))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        # TOML reads these as a date and time and a time; shown as the ISO text written
        # (datetime.isoformat), not as datetime.datetime(2022, 1, 1, 0, 0)
        ("2022-01-01T00:00:00", "got a date and time 2022-01-01T00:00:00 应为日期"),
        ("2022-01-01T08:30:00+08:00", "got a date and time 2022-01-01T08:30:00+08:00"),
        ("08:30:00", "got a time 08:30:00 应为日期"),
    ],
)
def test_a_date_given_with_a_time_is_shown_as_written(
    value: str, shown: str, tmp_path: Path
) -> None:
    header = f'id = "t"\ntitle = "t"\nperiod = {{ start = {value}, end = 2022-12-31 }}\n'
    p = _one(_check(tmp_path, "[ruleset]\n" + header), "ruleset.period", "start")
    assert shown in p.reason and "datetime." not in str(p)


@pytest.mark.parametrize(
    ("header", "table", "key", "fragment"),
    [
        (
            'title = "t"\nperiod = { start = 2022-01-01, end = 2022-12-31 }\n',
            "ruleset",
            "id",
            "required value missing",
        ),
        (
            'id = "t"\ntitle = "t"\nperiod = { start = 2022-01-01 }\n',
            "ruleset.period",
            "end",
            "required value missing",
        ),
        ('id = "t"\ntitle = "t"\nperiod = "2022"\n', "ruleset", "period", "expected a table"),
        (
            'id = "t"\ntitle = "t"\nperiod = { start = 2022-12-31, end = 2022-01-01 }\n',
            "ruleset.period",
            "end",
            "before 'start'",
        ),
        (
            'id = "t"\ntitle = "t"\ntimezone = 8\nperiod = { start = 2022-01-01, end = 2022-12-31 }'
            "\n",
            "ruleset",
            "timezone",
            "expected text",
        ),
        (
            'id = "t"\ntitle = "t"\ntotal = 0\nperiod = { start = 2022-01-01, end = 2022-12-31 }\n',
            "ruleset",
            "total",
            "positive",
        ),
    ],
)
def test_missing_or_wrong_header_value(
    header: str, table: str, key: str, fragment: str, tmp_path: Path
) -> None:
    p = _one(_check(tmp_path, "[ruleset]\n" + header), table, key)
    assert fragment in p.reason


def test_load_raises_every_problem_at_once(tmp_path: Path) -> None:
    f = tmp_path / "r.toml"
    f.write_text(
        HEAD + '[rules.satisfaction]\npoints = "30"\n[rules.ledger]\ndays = 1.5\n', encoding="utf-8"
    )
    with pytest.raises(RulesetProblems) as info:
        load_ruleset(f, builders.registry())
    assert {(p.table, p.key) for p in info.value.problems} >= {
        ("rules.satisfaction", "points"),
        ("rules.ledger", "days"),
    }


# ---------------------------------------------------------------------------
# extends
# ---------------------------------------------------------------------------


def test_extends_itself(tmp_path: Path) -> None:
    p = _one(_check(tmp_path, '[ruleset]\nextends = "r.toml"\n'), "ruleset", "extends")
    assert "cycle" in p.reason and "r.toml → r.toml" in p.reason


def test_extends_three_cycle(tmp_path: Path) -> None:
    for a, b in (("a", "b"), ("b", "c"), ("c", "a")):
        (tmp_path / f"{a}.toml").write_text(f'[ruleset]\nextends = "{b}.toml"\n', "utf-8")
    (p,) = check_ruleset(tmp_path / "a.toml", builders.registry())
    assert p.key == "extends" and "a.toml → b.toml → c.toml → a.toml" in p.reason


@pytest.mark.parametrize(
    "ref",
    ["/etc/passwd.toml", "../outside.toml", "sub/../../outside.toml", "/tmp/../etc/x.toml"],
)
def test_extends_outside_the_folder(ref: str, tmp_path: Path) -> None:
    folder = tmp_path / "rs"
    folder.mkdir()
    (tmp_path / "outside.toml").write_text(FULL_HEAD, encoding="utf-8")
    (p,) = _check(folder, f'[ruleset]\nextends = "{ref}"\n')
    assert (p.table, p.key) == ("ruleset", "extends") and "outside" in p.reason


def test_extends_through_a_symlink_that_leaves_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "rs"
    folder.mkdir()
    (tmp_path / "outside.toml").write_text(FULL_HEAD, encoding="utf-8")
    (folder / "link.toml").symlink_to(tmp_path / "outside.toml")
    (p,) = _check(folder, '[ruleset]\nextends = "link.toml"\n')
    assert p.key == "extends" and "outside" in p.reason


def test_extends_a_bare_name_never_reads_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``extends = "secrets"`` is a shipped name; a file ``secrets`` in the cwd is not read."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "secrets").write_text(FULL_HEAD, encoding="utf-8")
    monkeypatch.chdir(cwd)
    (p,) = _check(tmp_path, '[ruleset]\nextends = "secrets"\n')
    assert (p.table, p.key) == ("ruleset", "extends")
    assert "no shipped ruleset" in p.reason and p.file.endswith("r.toml")


@pytest.mark.parametrize(
    ("value", "fragment"), [("5", "name or path"), ('"hubei-2022x"', "did you mean 'hubei-2022'")]
)
def test_extends_wrong_value(value: str, fragment: str, tmp_path: Path) -> None:
    (p,) = _check(tmp_path, f"[ruleset]\nextends = {value}\n")
    assert (p.table, p.key) == ("ruleset", "extends") and fragment in p.reason


# ---------------------------------------------------------------------------
# a ruleset is data: nothing in it imports or runs code
# ---------------------------------------------------------------------------

CODE_LIKE = [
    (f'[ruleset]\nextends = "{CANARY}"\n', "ruleset", "extends"),
    ("[ruleset]\nextends = \"__import__('os').system('touch pwned')\"\n", "ruleset", "extends"),
    (f'{HEAD}calendar = "{CANARY}"\n', "ruleset", "calendar"),
    (f'{HEAD}calendar = "{CANARY}:register"\n', "ruleset", "calendar"),
    (f'{HEAD}timezone = "../../../etc/passwd"\n', "ruleset", "timezone"),
    (f'{HEAD}[rules."{CANARY}"]\npoints = 1\n', "rules", CANARY),
    (f'{HEAD}[rules."{CANARY}:register"]\n', "rules", f"{CANARY}:register"),
    (f"{HEAD}[thresholds.__import__]\nwarning = 1.0\n", "thresholds", "__import__"),
    (f'{HEAD}[effects]\nveto_thresholds = ["os.system"]\n', "effects", "veto_thresholds"),
    (
        f'{HEAD}[commendation]\ntie_break = ["__import__(\'os\')", "id"]\n',
        "commendation",
        "tie_break",
    ),
    (
        f"{HEAD}[rules.timeliness]\nwhen_empty = \"__import__('{CANARY}')\"\n",
        "rules.timeliness",
        "when_empty",
    ),
    (f'{HEAD}plugins = ["{CANARY}"]\n', "ruleset", "plugins"),
    (f'{HEAD}[plugins]\nload = ["{CANARY}"]\n', "plugins", None),
    (f'{HEAD}[rules.satisfaction]\n__class__ = "{CANARY}"\n', "rules.satisfaction", "__class__"),
]


@pytest.mark.parametrize(("text", "table", "key"), CODE_LIKE)
def test_code_in_a_ruleset_is_only_an_unknown_value(
    text: str, table: str, key: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, CANARY, raising=False)
    monkeypatch.delenv("DXE_EVAL_CANARY_IMPORTED", raising=False)
    monkeypatch.chdir(tmp_path)
    problems = _check(tmp_path, text)
    _one(problems, table, key)
    assert CANARY not in sys.modules
    assert "DXE_EVAL_CANARY_IMPORTED" not in os.environ
    assert not (tmp_path / "pwned").exists()


def test_check_command_prints_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "r.toml"
    f.write_text(HEAD + '[commendation]\ntie_break = "id"\n[rules.satisfacton]\n', "utf-8")
    rc = main(["check", str(f)])
    err = capsys.readouterr().err
    assert rc == 1 and "Traceback" not in err
    assert "[commendation] tie_break: expected a list" in err
    assert "did you mean 'satisfaction'" in err
    assert "2 problem(s)" in err


@pytest.mark.parametrize(
    "body",
    [
        "[effects]\ndeductions = { criticize = inf }\n",
        "[effects]\ndeductions = { criticize = nan }\n",
        "[commendation]\nmin_total = nan\n",
        "[rules.media-bonus]\nnational = inf\n",
    ],
)
def test_evaluate_names_a_non_finite_number(
    body: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # these passed the check and failed later: a traceback, or a fault blamed on a plugin
    f = tmp_path / "r.toml"
    f.write_text(HEAD + body, "utf-8")
    rc = main(["evaluate", "--ruleset", str(f), "--format", "json"])
    err = capsys.readouterr().err
    assert rc == 1 and "Traceback" not in err
    assert "r.toml" in err and "finite number" in err and "plugin" not in err


# ---------------------------------------------------------------------------
# a period that holds none of the data
# ---------------------------------------------------------------------------

EXAMPLE = builders.ROOT / "examples" / "hubei-2022"


def test_a_period_holding_none_of_the_data_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the example's requests were received 2021-03-01 (R00472, of its 2021 records) to
    # 2022-12-22 and its surveys answered 2021-03-04 (S00409) to 2022-12-15 (the first and
    # last of each column, sorted): a 2023 period holds none of them. A warning, not an
    # error: exit 0.
    f = tmp_path / "r.toml"
    f.write_text(HEAD + "period = { start = 2023-01-01, end = 2023-12-31 }\n", "utf-8")
    rc = main(["evaluate", "--data", str(EXAMPLE), "--ruleset", str(f), "--format", "json"])
    out, err = capsys.readouterr()
    assert rc == 0 and "Traceback" not in err
    [warning] = [w for w in json.loads(out)["warnings"] if "2023-01-01 – 2023-12-31" in w]
    assert warning.startswith("评价期间 2023-01-01 – 2023-12-31 内没有任何服务需求")
    assert "服务需求 2021-03-01 – 2022-12-22，满意度测评 2021-03-04 – 2022-12-15" in warning
    assert (
        "no request (by received time) and no survey response (by answered date) falls in "
        "the evaluated period 2023-01-01 – 2023-12-31"
    ) in warning
    assert "requests 2021-03-01 – 2022-12-22, survey responses 2021-03-04 – 2022-12-15" in warning
    # JSON on standard output has no 提示 part for a person to see: the note is on stderr
    assert f"提示 / note: {warning}" in err.splitlines()


def test_a_period_holding_some_of_the_data_is_no_warning() -> None:
    # 2021: the example's 2021 records and R00001…, received in December 2021, fall in it
    from dxe_eval.engine import prepare, run

    reg = builders.registry()
    for period in ({}, {"start": dt.date(2021, 1, 1), "end": dt.date(2021, 12, 31)}):
        rs = builders.ruleset({"ruleset": {"period": period}} if period else None, reg=reg)
        ev = run(prepare(EXAMPLE, rs, reg), rs, reg)
        assert not [w for w in ev.warnings if "没有任何服务需求" in w], period
