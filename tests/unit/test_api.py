"""The Python API: public names, lookups that raise, pandas input, frames and codes."""

from __future__ import annotations

import datetime as dt
import inspect
import subprocess
import sys
from typing import Any

import pandas as pd
import polars as pl
import pytest

import dxe_eval
from dxe_eval.commend import EXCLUSION_CODES
from dxe_eval.model import Candidate, RuleResult, Scorecard, ScoredRule, UnknownId
from dxe_eval.read.frames import from_pandas
from dxe_eval.result import FRAME_SCHEMAS, Evaluation


@pytest.fixture(scope="module")
def ev() -> Evaluation:
    return dxe_eval.evaluate()


# --- public names ---------------------------------------------------------------------


def test_dir_shows_the_public_names_and_not_the_helpers() -> None:
    names = dir(dxe_eval)
    for public in ("evaluate", "Evaluation", "to_dict", "to_json", "result_schema", "UnknownId"):
        assert public in names and public in dxe_eval.__all__
    for helper in ("Any", "TYPE_CHECKING", "importlib", "annotations"):
        assert helper not in names
    assert names == sorted(dxe_eval.__all__)


def test_every_public_name_resolves_and_importing_does_not_load_polars() -> None:
    for name in dxe_eval.__all__:
        assert getattr(dxe_eval, name) is not None, name
    code = "import sys, dxe_eval; dir(dxe_eval); print('polars' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _public_methods(cls: type) -> list[str]:
    return [
        name
        for name, value in vars(cls).items()
        if not name.startswith("_") and (callable(value) or isinstance(value, property))
    ]


def test_public_methods_and_facade_functions_have_docstrings() -> None:
    missing = [
        f"{cls.__name__}.{name}"
        for cls in (Evaluation, Scorecard, dxe_eval.Finding)
        for name in _public_methods(cls)
        if not inspect.getdoc(getattr(cls, name))
    ]
    missing += [
        name
        for name in dxe_eval.__all__
        if callable(getattr(dxe_eval, name)) and not inspect.getdoc(getattr(dxe_eval, name))
    ]
    assert missing == []


# --- lookups --------------------------------------------------------------------------


def test_an_unknown_candidate_raises_key_error_with_the_nearest_id(ev: Evaluation) -> None:
    with pytest.raises(KeyError) as caught:
        ev.scorecard("U7")
    assert isinstance(caught.value, UnknownId)
    # the message itself, not KeyError's quoted repr
    assert str(caught.value).startswith("没有对象 U7（是否要找 U07？")
    assert ev.get_scorecard("U7") is None
    assert ev.scorecard("U07").candidate.candidate_id == "U07"


def test_a_rule_by_id_or_by_its_title(ev: Evaluation) -> None:
    card = ev.scorecard("U07")
    assert card.rule("时效") is card.rule("timeliness")
    assert card.rule("timeliness").result.points == 18.25
    with pytest.raises(KeyError, match="是否要找 timeliness"):
        card.rule("timelines")
    with pytest.raises(KeyError, match="是否要找 时效"):
        card.rule("时")
    assert card.get_rule("时效") is None  # get_rule takes ids only


def _scored(rule: str, title: str, points: float) -> ScoredRule:
    result = RuleResult(points=points, max=10.0, reason="")
    return ScoredRule(rule=rule, title=title, plugin="p", bonus=False, result=result)


def test_a_title_two_rules_share_is_refused_naming_both() -> None:
    cand = Candidate(candidate_id="U1", kind="unit", name="甲", category="处室", unit_id="U1")
    card = Scorecard(
        candidate=cand,
        rules=(_scored("a", "时效", 1.0), _scored("b", "时效", 2.0), _scored("c", "满意度", 3.0)),
        base=6.0,
        bonus=0.0,
        deductions=0.0,
        total=6.0,
    )
    assert card.rule("满意度").result.points == 3.0
    with pytest.raises(KeyError, match="a、b"):
        card.rule("时效")
    assert card.points("a") == 1.0
    assert card.points("nope") == 0.0


# --- pandas input ---------------------------------------------------------------------


def test_from_pandas_reads_every_kind_of_column_without_pyarrow() -> None:
    frame = pd.DataFrame(
        {
            "text": pd.array(["x", None], dtype="string"),
            "whole": pd.array([1, None], dtype="Int64"),
            "cat": pd.Series(["p", None], dtype="category"),
            "number": [1.5, float("nan")],
            "flag": [True, False],
            "naive": pd.to_datetime(["2022-03-01 09:30", None]),
            "zoned": pd.to_datetime(["2022-03-01 09:30", None]).tz_localize("Asia/Shanghai"),
            "day": [dt.date(2022, 3, 1), None],
        }
    )
    out = from_pandas(frame)
    assert out.rows() == [
        ("x", "1", "p", 1.5, True, dt.datetime(2022, 3, 1, 9, 30), "2022-03-01T09:30:00+08:00",
         "2022-03-01"),
        (None, None, None, None, False, None, None, None),
    ]  # fmt: skip


def _request_records() -> dict[str, list[dict[str, Any]]]:
    return {
        "units": [
            {"unit_id": "U1", "name": "质量发展处", "category": "处室", "staff_count": 12},
            {"unit_id": "U2", "name": "标准化处", "category": "处室", "staff_count": 8},
        ],
        "requests": [
            {
                "request_id": f"R{i}",
                "unit_id": "U1" if i % 2 else "U2",
                "kind": "服务",
                "received_at": f"2022-09-{10 + i:02d} 10:00",
                "responded_at": f"2022-09-{11 + i:02d} 09:00",
                "closed_at": f"2022-09-{12 + i:02d} 09:00",
                "outcome": "delivered",
            }
            for i in range(1, 9)
        ],
    }


def _pandas(records: dict[str, list[dict[str, Any]]]) -> dict[str, pd.DataFrame]:
    frames = {name: pd.DataFrame(rows) for name, rows in records.items()}
    req = frames["requests"]
    for col in ("received_at", "responded_at", "closed_at"):
        req[col] = pd.to_datetime(req[col])
    frames["units"]["staff_count"] = frames["units"]["staff_count"].astype("Int64")
    return frames


def test_pandas_frames_give_the_result_mappings_give() -> None:
    records = _request_records()
    from_records = dxe_eval.to_dict(dxe_eval.evaluate(records, "hubei-2022"))
    from_frames = dxe_eval.to_dict(dxe_eval.evaluate(_pandas(records), "hubei-2022"))
    assert from_frames["scorecards"] == from_records["scorecards"]
    assert from_frames["records"] == from_records["records"]
    # 8 requests, each answered and closed on the next working day or the one after:
    # 4 for each unit, none late → timeliness 20 of 20 for both
    assert [r["points"] for c in from_frames["scorecards"] for r in c["rules"]
            if r["rule"] == "timeliness"] == [20.0, 20.0]  # fmt: skip


def test_a_frame_of_another_type_is_a_data_error() -> None:
    with pytest.raises(dxe_eval.DataError, match="<units>"):
        dxe_eval.evaluate({"units": object()}, "hubei-2022")


# --- codes ----------------------------------------------------------------------------


def test_a_finding_s_code_is_its_threshold_and_level(ev: Evaluation) -> None:
    f = next(f for f in ev.findings if f.candidate_id == "U11" and f.threshold == "late-response")
    assert f.code == "late-response.criticize"  # 响应超时率 25.0% > 20% → 通报批评


def test_every_exclusion_has_a_code_per_reason(ev: Evaluation) -> None:
    for x in ev.commendation.excluded:
        assert len(x.codes) == len(x.reasons) and set(x.codes) <= set(EXCLUSION_CODES)
    u10 = next(x for x in ev.commendation.excluded if x.candidate_id == "U10")
    # U10 has a 通报批评 from escalation, and 通报批评 vetoes
    assert "finding-veto" in u10.codes
    assert u10.reasons[u10.codes.index("finding-veto")].startswith("一票否决：通报批评")


# --- frames ---------------------------------------------------------------------------


def test_frames_have_the_documented_columns_and_one_row_per_thing(ev: Evaluation) -> None:
    frames = ev.frames()
    assert list(frames) == ["scorecards", "rules", "findings", "lists", "excluded"]
    for name, frame in frames.items():
        assert dict(frame.schema) == FRAME_SCHEMAS[name], name
    assert frames["scorecards"].height == len(ev.scorecards)
    assert frames["rules"].height == sum(len(c.rules) for c in ev.scorecards)
    assert frames["findings"].height == len(ev.findings)
    listed = sum(len(v) for v in ev.commendation.lists.values())
    near = sum(len(v) for v in ev.commendation.near_misses.values())
    assert frames["lists"].height == listed + near
    assert frames["excluded"].height == sum(len(x.reasons) for x in ev.commendation.excluded)


def test_frames_values_for_the_example(ev: Evaluation) -> None:
    frames = ev.frames()
    u07 = frames["scorecards"].filter(pl.col("candidate_id") == "U07").row(0, named=True)
    # base 98.25 + bonus 4.5 − 0 = 102.75; listed first of 直属单位; no finding
    assert (u07["base"], u07["bonus"], u07["total"]) == (98.25, 4.5, 102.75)
    assert (u07["standing"], u07["finding_count"]) == ("listed", 0)
    t = frames["rules"].filter(pl.col("candidate_id") == "U07", pl.col("rule") == "timeliness")
    # response 14 × (1 − 2.5% ÷ 20%) = 12.25, completion 6 → 18.25; one late request R00365
    assert t.select("points", "max", "applicable", "evidence_count").row(0) == (
        18.25,
        20.0,
        True,
        1,
    )
    # 处室 has one place: U02 and U01 both 102.2, U02 ahead on caseload
    office = frames["lists"].filter(pl.col("kind") == "unit", pl.col("group") == "处室")
    assert office.select("status", "rank", "candidate_id", "decided_by").rows()[:2] == [
        ("listed", 1, "U02", ""),
        ("near", 2, "U01", "caseload"),
    ]
    u10 = frames["excluded"].filter(pl.col("candidate_id") == "U10")
    assert u10["code"].to_list() == ["finding-veto"]


def test_frames_of_an_evaluation_with_nothing_keep_their_columns() -> None:
    empty = dxe_eval.evaluate({"units": []}, "hubei-2022")
    for name, frame in empty.frames().items():
        assert frame.height == 0 and dict(frame.schema) == FRAME_SCHEMAS[name]


def test_to_pandas_gives_the_same_tables(ev: Evaluation) -> None:
    frames = ev.frames()
    tables = ev.to_pandas()
    assert list(tables) == list(frames)
    for name, frame in frames.items():
        table = tables[name]
        assert list(table.columns) == frame.columns
        assert len(table) == frame.height
    cards = tables["scorecards"].set_index("candidate_id")
    assert cards.loc["U07", "total"] == 102.75
    assert str(cards["total"].dtype) == "float64" and str(cards["finding_count"].dtype) == "int64"
    assert str(tables["rules"]["applicable"].dtype) == "bool"
    # a finding without a limit (escalation) has NaN, not None, in a float column
    assert tables["findings"]["limit"].isna().sum() == frames["findings"]["limit"].null_count()


def test_to_pandas_without_pandas_says_how_to_install_it(
    ev: Evaluation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(dxe_eval.DxeEvalError, match="pip install pandas"):
        ev.to_pandas()
