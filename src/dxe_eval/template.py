"""An empty input workbook for supervision staff to fill in: ``dxe-eval template``.

A 填报说明 sheet comes first: what each sheet is for, its required and optional
columns, the colour legend of the header cells, the value formats (dates, times
with offsets, 是/否, ratings, ids) and every closed list. Then one sheet per
record type, named by its Chinese label, in the order the registry lists them
(a plugin's record types included). Row 1 holds the Chinese column labels,
which the reader accepts as headers. Each header cell carries a note with the
English name, the value type, whether the column is required, a Chinese example
and what the column means; required headers are highlighted. Text columns (ids
among them) are formatted as text, so that ``0012`` stays ``0012``. Columns
that take fixed values (ratings, media tiers, outcomes, kinds, levels, the
ruleset's categories, yes/no) offer them as a drop-down list; other spellings
the reader accepts (``delivered``, ``5``…) can still be typed, after a warning.
The reader skips the 填报说明 sheet.
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
from dxe_eval.read.parse import MAX_OFFSET_MINUTES, fixed_offset
from dxe_eval.read.xlsx import INSTRUCTIONS_SHEET
from dxe_eval.records import BUILTIN_RECORD_TYPES
from dxe_eval.report.xlsx import display_width
from dxe_eval.schema import FIRST_YEAR, LAST_YEAR, RATING_LEVELS, Column, RecordType

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
REQUIRED_FONT: Final = "9C0006"
#: rows the drop-down lists cover below the header
VALIDATION_ROWS: Final = 1_048_576
#: Excel's number format for text: what is typed is kept as written (0012 stays 0012)
TEXT_FORMAT: Final = "@"
#: how each value format is written, for the 填报说明 sheet
_OFFSET_HOURS: Final = MAX_OFFSET_MINUTES // 60
FORMATS: Final = (
    (
        "日期",
        f"2022-09-30；也可写 2022/9/30、2022年9月30日。年份在 {FIRST_YEAR}–{LAST_YEAR} 之间。"
        "该列已设为日期格式。",
    ),
    (
        "日期时间",
        "2022-09-30 10:15 或 2022-09-30 10:15:00；也可写 2022/9/30 10:15。可带时区偏移："
        "2022-09-30 10:15+08:00、2022-09-30T02:15:00Z（UTC）；不带时区偏移的时间按规则集的时区"
        f"（{{zone}}）理解。偏移不超过 ±{_OFFSET_HOURS}:00。",
    ),
    ("是/否", "是 或 否（从下拉列表选择）。"),
    ("评价等级", "非常满意、满意、基本满意、不满意、非常不满意（也可写 5、4、3、2、1）。"),
    ("整数", "不小于 0 的整数，如 24。"),
    (
        "编号与文本",
        "编号列和其他文本列已设为文本格式，按原样保存：0012 仍是 0012，不会变成 12。"
        "同一工作表中的编号不得重复；引用其他记录的编号（如单位编号）须在对应工作表中存在。",
    ),
    ("固定取值", "从下拉列表选择，可选值见下文“固定取值”。"),
    ("空单元格", "表示没有该项；必填列不得为空。"),
)


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


def accepted_words(column: Column) -> tuple[str, ...]:
    """A choice column's spellings a note lists: the Chinese ones, or all when none is."""
    words = tuple(column.choices)
    chinese = tuple(w for w in words if not w.isascii())
    return chinese or words


def is_text(column: Column) -> bool:
    """Whether the column is formatted as text in the template (ids and other text)."""
    return column.type == "str"


def column_note(column: Column, rt: RecordType, labels: Mapping[str, str] | None = None) -> str:
    """The note on a header cell: name, type, required, example, meaning, accepted values.

    ``labels``: record type name → Chinese label, for naming what an id refers to."""
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
        if column.refers_to == "candidates":
            target = "单位、人员或项目"
        else:
            target = (labels or {}).get(column.refers_to, column.refers_to)
        lines.append(f"须为已有的{target}编号 (an id of {column.refers_to})")
    if column.type == "choice":
        words = accepted_words(column)
        more = "；也接受对应的英文写法" if len(words) < len(column.choices) else ""
        lines.append("可填 accepted: " + "、".join(words) + more)
    if column.type == "bool":
        lines.append("可填 accepted: 是、否")
    if column.type == "date":
        lines.append("格式：2022-09-30（也可写 2022/9/30、2022年9月30日）")
    if column.type == "datetime":
        lines.append("格式：2022-09-30 10:15；可带时区偏移，如 2022-09-30 10:15+08:00")
    if is_text(column):
        lines.append("按文本保存，0012 仍为 0012 (kept as text)")
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


def _header_style(cell: Any, required: bool) -> None:
    cell.font = Font(bold=True, color=REQUIRED_FONT if required else "000000")
    cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if required else OPTIONAL_FILL)


def zone_text(timezone: str) -> str:
    """A time zone as the 填报说明 sheet names it: ``Asia/Shanghai，即 +08:00``."""
    off = fixed_offset(timezone)
    if off is None:
        return timezone
    minutes = int(off.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{timezone}，即 {sign}{hours:02d}:{mins:02d}"


def _instructions(ws: Any, types: list[RecordType], timezone: str) -> None:
    """The 填报说明 sheet: sheets, colour legend, value formats, closed lists; times
    without an offset are read in ``timezone`` (the ruleset's)."""
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def heading(text: str) -> None:
        ws.append([])
        ws.append([text])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)

    def row(*values: str, head: bool = False) -> None:
        ws.append(list(values))
        for i in range(1, len(values) + 1):
            cell = ws.cell(ws.max_row, i)
            cell.alignment = wrap
            if head:
                cell.font = bold

    ws.append(["金牌“店小二”评价数据填报说明 / How to fill in this workbook"])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.append(
        [
            "每类记录填在同名工作表中，表头在第 1 行，每行一条记录。请勿修改表头；"
            "不需要的工作表可以留空或删除（只有“单位”必须有数据）。本说明页读取时会被忽略。"
        ]
    )
    ws.cell(2, 1).alignment = Alignment(wrap_text=False)

    heading("一、表头颜色 Header colours")
    row("颜色", "含义", head=True)
    row("必填列", "表头橙色底、深红字：每行都必须填写，为空则该行被拒收。")
    _header_style(ws.cell(ws.max_row, 1), required=True)
    row("选填列", "表头浅蓝底：可以为空；填了但无法识别的取值会被置空，该行照常接收。")
    _header_style(ws.cell(ws.max_row, 1), required=False)
    row(
        "批注", "每个表头单元格带批注：英文列名、类型、是否必填、示例和含义（鼠标移到表头上查看）。"
    )

    heading("二、各工作表 Sheets")
    row("工作表", "用途", "必填列", "选填列", head=True)
    for rt in types:
        row(
            rt.label,
            rt.doc,
            "、".join(c.label for c in rt.columns if c.required),
            "、".join(c.label for c in rt.columns if not c.required),
        )

    heading("三、取值格式 Value formats")
    row("类型", "写法", head=True)
    for kind, text in FORMATS:
        row(kind, text.replace("{zone}", zone_text(timezone)))

    heading("四、固定取值 Closed lists（带下拉列表的列）")
    row("工作表", "列", "可选值", head=True)
    for rt in types:
        for column in rt.columns:
            values = choice_values(column)
            if values:
                row(rt.label, column.label, "、".join(values))

    for letter, width in zip("ABCD", (16, 70, 40, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.sheet_view.showGridLines = False


def build_template(
    record_types: Mapping[str, RecordType], *, timezone: str = "Asia/Shanghai"
) -> Any:
    """The template workbook (an openpyxl ``Workbook``) for ``record_types``: the
    填报说明 sheet, then one sheet per record type. ``timezone``: the ruleset's, in
    which times without an offset are read."""
    wb = Workbook()
    types = sheet_order(record_types)
    labels = {rt.name: rt.label for rt in types}
    guide = wb.active
    guide.title = INSTRUCTIONS_SHEET
    _instructions(guide, types, timezone)
    for rt in types:
        ws = wb.create_sheet(rt.label)
        ws.append([c.label for c in rt.columns])
        for i, column in enumerate(rt.columns, start=1):
            letter = get_column_letter(i)
            cell = ws.cell(1, i)
            _header_style(cell, column.required)
            cell.alignment = Alignment(horizontal="center")
            note = column_note(column, rt, labels)
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
            elif is_text(column):
                ws.column_dimensions[letter].number_format = TEXT_FORMAT
            width = max(display_width(column.label), display_width(column.example), 10)
            ws.column_dimensions[letter].width = min(width + 4, 40)
        ws.freeze_panes = "A2"
    return wb


def write_template(
    path: str | Path,
    record_types: Mapping[str, RecordType],
    *,
    force: bool = False,
    timezone: str = "Asia/Shanghai",
) -> Path:
    """Write the template to ``path``; an existing file is kept unless ``force``.
    ``timezone``: the ruleset's (the 填报说明 sheet says times are read in it)."""
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
        build_template(record_types, timezone=timezone).save(f)
    return path
