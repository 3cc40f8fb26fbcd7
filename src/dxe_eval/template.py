"""An empty input workbook for supervision staff to fill in: ``dxe-eval template``.

One sheet per record type, named by its Chinese label, in the order the
registry lists them (a plugin's record types included). Row 1 holds the
Chinese column labels, which the reader accepts as headers. Each header cell
carries a note with the English name, the value type, whether the column is
required, an example and what the column means; required headers are
highlighted. Columns that take fixed values (ratings, media tiers, outcomes,
kinds, levels, yes/no) offer them as a drop-down list; other spellings the
reader accepts (``delivered``, ``5``…) can still be typed, after a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dxe_eval.errors import DxeEvalError
from dxe_eval.files import replacing
from dxe_eval.records import BUILTIN_RECORD_TYPES
from dxe_eval.report.xlsx import display_width
from dxe_eval.schema import RATING_LEVELS, Column, RecordType

TYPE_ZH: Final = {
    "str": "文本 text",
    "int": "不小于 0 的整数 whole number, 0 or more",
    "float": "数字 number",
    "date": "日期 date (2022-09-30)",
    "datetime": "日期时间 date and time (2022-09-30 10:15)",
    "bool": "是/否 yes/no",
    "rating": "评价等级 rating (非常满意…非常不满意 或 5…1)",
    "choice": "固定取值 fixed values",
}
YES_NO: Final = ("是", "否")
REQUIRED_FILL: Final = "FFE699"
OPTIONAL_FILL: Final = "DDEBF7"
#: rows the drop-down lists cover below the header
VALIDATION_ROWS: Final = 1_048_576


def choice_values(column: Column) -> tuple[str, ...]:
    """The values a drop-down list offers: one per canonical value, Chinese where there is one."""
    if column.type == "rating":
        return tuple(RATING_LEVELS)
    if column.type == "bool":
        return YES_NO
    if column.type != "choice":
        return ()
    shown: dict[str, str] = {}
    for spelling, canonical in column.choices.items():
        if canonical not in shown or (shown[canonical].isascii() and not spelling.isascii()):
            shown[canonical] = spelling
    return tuple(shown.values())


def column_note(column: Column, rt: RecordType) -> str:
    """The note on a header cell: name, type, required, example, meaning, accepted values."""
    lines = [
        f"{column.label}（{column.name}）",
        f"类型 type: {TYPE_ZH.get(column.type, column.type)}",
        "必填 required" if column.required else "选填 optional",
    ]
    if column.example:
        lines.append(f"示例 example: {column.example}")
    if column.doc:
        lines.append(column.doc)
    if column.refers_to:
        target = "单位、人员或项目" if column.refers_to == "candidates" else column.refers_to
        lines.append(f"须为已有的{target}编号 (an id of {column.refers_to})")
    if column.type == "choice":
        lines.append("可填 accepted: " + "、".join(column.choices))
    if rt.id_column == column.name:
        lines.append("编号不得重复 (unique id)")
    return "\n".join(lines)


def _validation(values: tuple[str, ...], letter: str) -> Any:
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(values) + '"',
        allow_blank=True,
        showDropDown=False,  # openpyxl's name for "hide the in-cell arrow"
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="取值不在列表中",
        error="请从下拉列表中选择；其他写法也可能被接受。 Choose from the list.",
    )
    dv.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
    return dv


def sheet_order(record_types: Mapping[str, RecordType]) -> list[RecordType]:
    """Built-in record types in the contract's order (units first), then plugins' by name."""
    builtin = [rt.name for rt in BUILTIN_RECORD_TYPES]
    return sorted(
        record_types.values(),
        key=lambda rt: (
            (builtin.index(rt.name), "") if rt.name in builtin else (len(builtin), rt.name)
        ),
    )


def build_template(record_types: Mapping[str, RecordType]) -> Any:
    """The template workbook (an openpyxl ``Workbook``) for ``record_types``."""
    wb = Workbook()
    wb.remove(wb.active)
    for rt in sheet_order(record_types):
        ws = wb.create_sheet(rt.label)
        ws.append([c.label for c in rt.columns])
        for i, column in enumerate(rt.columns, start=1):
            letter = get_column_letter(i)
            cell = ws.cell(1, i)
            cell.font = Font(bold=True, color="9C0006" if column.required else "000000")
            cell.fill = PatternFill(
                "solid", fgColor=REQUIRED_FILL if column.required else OPTIONAL_FILL
            )
            cell.alignment = Alignment(horizontal="center")
            note = column_note(column, rt)
            comment = Comment(note, "dxe-eval")
            comment.width = 320
            comment.height = 24 * (note.count("\n") + 2)
            cell.comment = comment
            values = choice_values(column)
            if values:
                ws.add_data_validation(_validation(values, letter))
            if column.type in ("date", "datetime"):
                fmt = "yyyy-mm-dd" if column.type == "date" else "yyyy-mm-dd hh:mm:ss"
                ws.column_dimensions[letter].number_format = fmt
            width = max(display_width(column.label), display_width(column.example), 10)
            ws.column_dimensions[letter].width = min(width + 4, 40)
        ws.freeze_panes = "A2"
    return wb


def write_template(
    path: str | Path, record_types: Mapping[str, RecordType], *, force: bool = False
) -> Path:
    """Write the template to ``path``; an existing file is kept unless ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise DxeEvalError(
            f"{path} exists; use --force to overwrite it",
            zh=f"文件 {path} 已存在；如需覆盖请加 --force",
        )
    if path.suffix.lower() != ".xlsx":
        raise DxeEvalError(
            f"{path}: the template is an .xlsx workbook; name the file *.xlsx",
            zh=f"模板为 .xlsx 工作簿，文件名应以 .xlsx 结尾：{path}",
        )
    with replacing(path) as f:
        build_template(record_types).save(f)
    return path
