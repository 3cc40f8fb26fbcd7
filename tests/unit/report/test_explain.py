"""``explain`` of any id or name in the example: requests with their working days, labelled
evidence lists whose counts match the items, did-you-mean."""

from __future__ import annotations

import re

import pytest

import dxe_eval
from dxe_eval.errors import DxeEvalError
from dxe_eval.report.explain import explain, explain_any


@pytest.fixture(scope="module")
def example() -> dxe_eval.Evaluation:
    return dxe_eval.evaluate()


def test_a_request_shows_its_working_days_against_the_limits(
    example: dxe_eval.Evaluation,
) -> None:
    # R00384 (requests.csv line 385): U01, handler P005, project J01, kind 服务.
    # received Fri 2022-10-14; answered Thu 10-20: Mon 17, Tue 18, Wed 19, Thu 20 = 4
    # working days > the 2 of [rules.timeliness] days: late.
    # closed Wed 10-26: 17–21 (5) + 24, 25, 26 (3) = 8 ≤ 15 (服务, [limits]): in time.
    # ledger Thu 10-27: 1 ≤ 5; visit Fri 10-28: 27, 28 = 2 ≤ 3.
    text = explain_any(example, "R00384")
    assert text.startswith("服务需求 R00384（requests.csv 第 385 行）\n")
    assert "- 受理 2022-10-14，在评价期间内，计入本期评价" in text
    assert "- 2022-10-14 → 首次响应 2022-10-20：4 个工作日（响应时限 2 个工作日，超时）" in text
    assert "- 2022-10-14 → 办结 2022-10-26：8 个工作日（服务办结时限 15 个工作日，未超时）" in text
    assert "- 2022-10-26 → 录入台账 2022-10-27：1 个工作日（台账时限 5 个工作日，未超时）" in text
    assert "- 2022-10-26 → 回访 2022-10-28：2 个工作日（回访时限 3 个工作日，未超时）" in text
    # it belongs to the unit, the handler and the project, and it is the late request of
    # U01's timeliness and late-response (1 late of 25: 4%, below the 5% warning)
    for who in (
        "- 单位 U01 质量发展处",
        "- 个人 P005 廖蕾宇",
        "- 项目 J01 企业首席质量官培育服务行动",
    ):
        assert who in text
    listed = text[text.index("【列为依据】") :]
    assert "- U01：时效（timeliness） — 响应超时或超期办结的需求；" in listed
    assert (
        "- U01：响应不及时（late-response）（无） — 响应超时的需求；响应超时率 4.0%（1/25）"
        in listed
    )
    assert "- P005：时效（timeliness）" in listed and "- J01：时效（timeliness）" in listed


def test_a_request_outside_the_period_counts_nowhere(example: dxe_eval.Evaluation) -> None:
    # R00001 was received 2021-12-20, before the period 2022-01-01 … 2022-12-31
    text = explain_any(example, "R00001")
    assert "- 受理 2021-12-20，不在评价期间 2022-01-01 至 2022-12-31 内" in text
    assert "（未列入任何规则或阈值的依据：未因它扣分或预警）" in text


def test_other_records_by_id(example: dxe_eval.Evaluation) -> None:
    # a ledger entry (L00001 → R00001) and a rating, each with its file and line
    assert explain_any(example, "L00001").startswith("台账 L00001（ledger.csv 第 2 行）\n")
    assert explain_any(example, "S00001").startswith("满意度测评 S00001（surveys.csv 第 2 行）\n")


@pytest.mark.parametrize("given", ["u07", "U07", " u07 ", "湖北省产品质量监督检验研究院"])
def test_a_candidate_by_id_in_any_case_or_by_name(example: dxe_eval.Evaluation, given: str) -> None:
    assert explain_any(example, given) == explain(example, "U07")


def test_did_you_mean(example: dxe_eval.Evaluation) -> None:
    with pytest.raises(DxeEvalError) as err:
        explain_any(example, "R0384")
    assert "找不到编号或名称为 R0384 的对象或记录；是否要找 R00384？" in str(err.value)
    assert "did you mean 'R00384'?" in str(err.value)


def test_every_evidence_list_is_labelled_and_counted_as_listed(
    example: dxe_eval.Evaluation,
) -> None:
    # an evidence line: "    LABEL（共 N 条）: a, b" or "（共 N 条，列出前 M 条）": N (or M)
    # is the number of ids listed
    line = re.compile(r"^    (\S+)（共 (\d+) 条(?:，列出前 (\d+) 条)?）: (.+)$")
    seen = 0
    for card in example.scorecards:
        for text in explain(example, card.candidate.candidate_id).splitlines():
            m = line.match(text)
            if m is None:
                assert "依据记录" not in text and not text.startswith("    evidence")
                continue
            seen += 1
            label, total, first, items = m.groups()
            assert label != "依据记录", text
            assert int(first or total) == len(items.split(", ")), text
    assert seen > 20
    # U01: one late request, R00384, as the late-response assessment's evidence
    assert "    响应超时的需求（共 1 条）: R00384" in explain(example, "U01")


def test_a_rejected_record_names_its_row(example: dxe_eval.Evaluation) -> None:
    # ledger.csv line 555 (L00554) is dated 2022-01-03, before its request R00008 was
    # received (2022-01-06): rejected; asked for in lower case, say so, not "not found"
    with pytest.raises(DxeEvalError) as err:
        explain_any(example, "l00554")
    said = "台账 L00554 未计入评价：其数据行被拒收（ledger.csv 第 555 行：台账登记日期 2022-01-03"
    assert said in str(err.value)


def test_a_visit_counts_through_its_request(example: dxe_eval.Evaluation) -> None:
    # visits.csv line 2: V00001, a visit of R00001 on 2021-12-27
    text = explain_any(example, "v00001")
    assert text.startswith("回访 V00001（visits.csv 第 2 行）\n")
    assert "（不直接计入任何对象；按其服务需求计入，见 dxe-eval explain R00001）" in text
