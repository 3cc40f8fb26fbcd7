"""The input template: every sheet, Chinese headers, notes, drop-downs, required highlighted."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from dxe_eval.errors import DxeEvalError
from dxe_eval.read.dataset import read_dataset
from dxe_eval.records import BUILTIN_RECORD_TYPES, MEDIA, REQUESTS, SURVEYS
from dxe_eval.template import REQUIRED_FILL, choice_values, write_template
from tests import builders

LABELS = ["单位", "人员", "项目", "能力清单", "服务需求", "台账", "督办", "项目小结", "回访"]
LABELS += ["满意度测评", "绩效评价", "宣传报道", "既往处理"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("t") / "模板.xlsx"
    return write_template(path, builders.registry().record_types)


def test_every_sheet_with_chinese_headers_and_notes(template: Path) -> None:
    wb = load_workbook(template)
    assert wb.sheetnames == LABELS
    for rt in BUILTIN_RECORD_TYPES:
        ws = wb[rt.label]
        assert [c.value for c in ws[1]] == [c.label for c in rt.columns]
        assert ws.freeze_panes == "A2"
        for cell, col in zip(ws[1], rt.columns, strict=True):
            note = cell.comment.text
            assert col.name in note
            assert ("必填" in note) == col.required
            if col.example:
                assert col.example in note
        for cell, col in zip(ws[1], rt.columns, strict=True):
            required_fill = cell.fill.fgColor.rgb.endswith(REQUIRED_FILL)
            assert required_fill == col.required, (rt.label, col.name)


def _lists(ws) -> dict[str, str]:
    """Column letter → the list a drop-down offers."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
    return out


def test_drop_down_lists(template: Path) -> None:
    wb = load_workbook(template)
    reqs = _lists(wb["服务需求"])
    # kind (G) and outcome (K) take fixed values
    assert reqs["G"] == '"咨询,求助,建议,投诉,举报,服务"'
    assert reqs["K"] == '"已办结,未落实,已撤回,办理中"'
    surveys = _lists(wb["满意度测评"])
    assert surveys["D"] == '"非常满意,满意,基本满意,不满意,非常不满意"'
    assert surveys["H"] == '"是,否"'  # appeal_upheld
    assert _lists(wb["宣传报道"])["C"] == '"国家级,省级,市级,行业"'
    assert _lists(wb["既往处理"])["B"] == '"警示,责令改正,通报批评"'
    assert _lists(wb["单位"])["D"] == '"省级,市级,县级"'


def test_drop_down_values_are_accepted_by_the_reader() -> None:
    for rt in (REQUESTS, SURVEYS, MEDIA):
        for col in rt.columns:
            for value in choice_values(col):
                if col.type == "choice":
                    assert value in col.choices, (col.name, value)


def test_empty_template_reads_as_an_empty_data_set(template: Path) -> None:
    ds = read_dataset(template, builders.registry().record_types)
    assert all(c.read == 0 for c in ds.counts.values())
    assert not ds.warnings


def test_existing_file_is_kept_unless_forced(template: Path) -> None:
    before = template.read_bytes()
    with pytest.raises(DxeEvalError, match="--force"):
        write_template(template, builders.registry().record_types)
    assert template.read_bytes() == before
    write_template(template, builders.registry().record_types, force=True)
    assert load_workbook(template).sheetnames == LABELS


def test_name_must_end_in_xlsx(tmp_path: Path) -> None:
    with pytest.raises(DxeEvalError, match="xlsx"):
        write_template(tmp_path / "模板.csv", builders.registry().record_types)


def test_the_category_column_offers_the_rulesets_categories(tmp_path: Path) -> None:
    # the shipped ruleset declares 处室, 直属单位, 市州局, 县市区局, 社会服务力量 (in that
    # order); the template's 类别 column (C, the third of 单位) offers exactly those
    from openpyxl import load_workbook

    from dxe_eval.cli import main

    out = tmp_path / "模板.xlsx"
    assert main(["template", "--output", str(out)]) == 0
    ws = load_workbook(out)["单位"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["C2:C1048576"] == '"处室,直属单位,市州局,县市区局,社会服务力量"'
