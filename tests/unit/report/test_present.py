"""The presentation model: each candidate's status, ranks, tie notes and level names in words,
worked out once for every format. Expected texts written out by hand."""

from __future__ import annotations

import pytest

from dxe_eval.report.present import (
    EXCLUDED,
    LISTED,
    NEAR,
    PENDING,
    Standing,
    cell_text,
    entry_status,
    level_name,
    levels_text,
    rank_text,
    status_text,
    tie_note,
)

LISTED_TIED = Standing(state=LISTED, list_name="先进单位", group="处室", rank=2, tied=True)


@pytest.mark.parametrize(
    "standing,long,short",
    [
        (LISTED_TIED, "先进单位（处室第 2 名，并列）", "先进单位（第 2 名，并列）"),
        (
            Standing(state=LISTED, list_name="优秀项目", group="项目", rank=1),
            "优秀项目（项目第 1 名）",
            "优秀项目（第 1 名）",
        ),
        (
            Standing(
                state=PENDING,
                list_name="先进个人",
                group="个人",
                rank=3,
                tied=True,
                note="并列待定：名额 3 个，第 3 名有 2 人同分",
            ),
            "先进个人（个人第 3 名）并列待定：名额 3 个，第 3 名有 2 人同分",
            "先进个人（第 3 名）并列待定：名额 3 个，第 3 名有 2 人同分",
        ),
        (
            Standing(state=NEAR, list_name="先进单位", group="市州局", rank=4),
            "名额外候选（市州局第 4 名）",
            "名额外（第 4 名）",
        ),
        (Standing(state=EXCLUDED, list_name="先进单位"), "不符合条件", "不符合条件"),
    ],
)
def test_status_texts(standing: Standing, long: str, short: str) -> None:
    assert status_text(standing) == long
    assert status_text(standing, short=True) == short


def test_ranks_and_tie_notes() -> None:
    assert rank_text(2, True) == "2（并列）"
    assert rank_text(2, True, "en") == "2 (tied)"
    assert rank_text(5, False) == rank_text(5, False, "en") == "5"
    assert tie_note(False) == ""


def test_levels_most_severe_first_each_once() -> None:
    # 通报批评 (criticize) > 责令改正 (rectify) > 警示 (warning)
    assert levels_text(["warning", "criticize", "warning"]) == "通报批评、警示"
    assert levels_text(["rectify", "warning", "criticize"]) == "通报批评、责令改正、警示"
    assert level_name("rectify") == "责令改正"
    assert level_name("rectify", "en") == "rectify"


def test_entry_status_and_cell_text() -> None:
    statuses = [entry_status(s) for s in ("listed", "pending", "near")]
    assert statuses == ["建议表彰", "并列待定", "名额外"]
    assert entry_status("other") == "other"
    assert [cell_text(v) for v in (None, 3.0, 2.5, 7, "x")] == ["", "3", "2.5", "7", "x"]


def test_title_of_names_rules_and_thresholds_by_their_titles() -> None:
    from dxe_eval.manager import get_registry
    from dxe_eval.report.present import title_of, titled

    reg = get_registry()
    # follow-up's titles, as written in rules/follow_up.py:
    # 事后有回访 / Served enterprises are followed up
    assert title_of("rule", "follow-up", registry=reg) == "事后有回访"
    assert title_of("rule", "follow-up", "en", registry=reg) == "Served enterprises are followed up"
    assert titled("rule", "follow-up", registry=reg) == "事后有回访（follow-up）"
    # without a registry the installed plugins' one is asked
    assert title_of("rule", "follow-up") == "事后有回访"
    # an unknown id stays as it is, and is not bracketed again
    assert title_of("threshold", "no-such") == "no-such"
    assert titled("rule", "no-such") == "no-such"
    with pytest.raises(ValueError):
        title_of("calendar", "follow-up")
