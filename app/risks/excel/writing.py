"""Write the import template and the export (same columns, so an export re-imports as it is)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from app.risks.rules import (
    AssessmentMethod,
    Color,
    ControlStatus,
    ControlTier,
    RiskLevel,
    RiskPointType,
    accident_types,
    allowed_values,
    lec_values,
    ls_values,
)
from app.xlsx import put_text_safely

from .columns import (
    COLUMNS,
    COMPUTED_COLUMNS,
    DATA_SHEET,
    EXAMPLE_SHEET,
    GUIDE_SHEET,
    KINDS,
    MAX_ROWS,
    METHOD_LABELS,
    Column,
    accident_names,
    fmt_number,
    json_number,
    label_of,
)
from .examples import EXAMPLES

# Text starting with these is what Excel (or a CSV made from the file) may run as a formula.
_BOLD = Font(bold=True)
_REQUIRED = Font(bold=True, color="C00000")
_COMPUTED = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAP_WIDTH = 20  # the free-text columns; short codes and labels stay on one line
_COLOR_FILLS = {
    Color.RED: PatternFill("solid", fgColor="FF0000"),
    Color.ORANGE: PatternFill("solid", fgColor="FFC000"),
    Color.YELLOW: PatternFill("solid", fgColor="FFFF00"),
    Color.BLUE: PatternFill("solid", fgColor="0070C0"),
}
_ENUMS: dict[str, type[StrEnum]] = {
    "point_type": RiskPointType,
    "control_status": ControlStatus,
    "inherent.method": AssessmentMethod,
    "residual.method": AssessmentMethod,
    "inherent_level": RiskLevel,
    "residual_level": RiskLevel,
    "color": Color,
    "control_tier": ControlTier,
}


def template_workbook() -> bytes:
    """The empty import template: 风险清单 (headers only), 填写说明, and 示例 (never imported)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    _data_sheet(sheet, COLUMNS, MAX_ROWS)
    _guide_sheet(workbook.create_sheet(GUIDE_SHEET))
    example = workbook.create_sheet(EXAMPLE_SHEET)
    _data_sheet(example, COLUMNS, len(EXAMPLES))
    example.sheet_properties.tabColor = "FFC000"
    example["A1"].comment = Comment(
        f"本工作表仅为示例，导入时不读取；请在“{DATA_SHEET}”中填写", "安监"
    )
    for row, point in enumerate(EXAMPLES, start=2):
        _write_row(example, row, point, COLUMNS)
    return _save(workbook)


def export_workbook(points: list[dict[str, Any]], *, title: str) -> bytes:
    """The risk list with the computed columns appended; `title` goes to the document properties
    and the printed page header, so row 1 stays the header and the file re-imports unchanged."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    workbook.properties.title = title
    sheet.oddHeader.center.text = title.replace("&", "&&")  # "&" starts a header format code
    columns = (*COLUMNS, *COMPUTED_COLUMNS)
    _data_sheet(sheet, columns, max(len(points), MAX_ROWS))
    for row, point in enumerate(points, start=2):
        _write_row(sheet, row, point, columns)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(points) + 1}"
    return _save(workbook)


def cell_value(point: dict[str, Any], key: str) -> Any:
    """What the column `key` shows for a point: labels for enums, names for accident types."""
    value: Any = point
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return None
    if key in _ENUMS:
        enum = _ENUMS[key]
        return label_of(enum(value)) if value in enum._value2member_map_ else str(value)
    if key == "accident_types":
        return accident_names(list(value)) or None
    if key.endswith(("_score", ".l", ".e", ".c", ".s")):
        number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        return json_number(value) if number else value
    return value


def _write_row(sheet: Worksheet, row: int, point: dict[str, Any], columns: Iterable[Column]):
    for index, column in enumerate(columns, start=1):
        value = cell_value(point, column.key)
        if value is None:
            continue  # no cell at all: styling 60k empty cells is most of an export's time
        cell = sheet.cell(row=row, column=index)
        put_text_safely(cell, value)
        if column.width >= _WRAP_WIDTH:
            cell.alignment = _WRAP
        if column.key == "color" and point["color"] in Color._value2member_map_:
            cell.fill = _COLOR_FILLS[Color(point["color"])]


def _data_sheet(sheet: Worksheet, columns: Iterable[Column], rows: int) -> None:
    """Header row, widths, frozen header, dropdowns for rows 2..rows+1."""
    letters: dict[str, str] = {}
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        letters[column.key] = letter
        cell = sheet.cell(row=1, column=index, value=column.title)
        cell.font = _REQUIRED if column.required else _BOLD
        if column in COMPUTED_COLUMNS:
            cell.fill = _COMPUTED
            cell.comment = Comment("导出时由系统计算，导入时忽略", "安监")
        sheet.column_dimensions[letter].width = column.width
    # "001" typed into a General cell becomes the number 1; a text column keeps it.
    sheet.column_dimensions[letters["code"]].number_format = "@"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    last = rows + 1

    def dropdown(keys: Iterable[str], options: Iterable[str], prompt: str | None = None) -> None:
        listed = ",".join(options)
        validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
        validation.showErrorMessage = True
        validation.error = f"请从下拉列表中选择：{listed}"
        if prompt:
            validation.showInputMessage, validation.prompt = True, prompt
        for key in keys:
            validation.add(f"{letters[key]}2:{letters[key]}{last}")
        sheet.add_data_validation(validation)

    dropdown(["point_type"], (label_of(m) for m in RiskPointType))
    dropdown(["control_status"], (label_of(m) for m in ControlStatus))
    dropdown([f"{k}.method" for k in KINDS], METHOD_LABELS.values())
    lec, ls = allowed_values(AssessmentMethod.LEC), allowed_values(AssessmentMethod.LS)
    both_l = sorted({*lec["l"], *ls["l"]}, reverse=True)
    lec_l, ls_l = ("、".join(map(fmt_number, values["l"])) for values in (lec, ls))
    l_prompt = f"LEC 法 L：{lec_l}；LS 法 L：{ls_l}"
    dropdown([f"{k}.l" for k in KINDS], map(fmt_number, both_l), l_prompt)
    dropdown([f"{k}.e" for k in KINDS], map(fmt_number, lec["e"]), "仅 LEC 法填写")
    dropdown([f"{k}.c" for k in KINDS], map(fmt_number, lec["c"]), "仅 LEC 法填写")
    dropdown([f"{k}.s" for k in KINDS], map(fmt_number, ls["s"]), "仅 LS 法填写")


def _guide_sheet(sheet: Worksheet) -> None:
    rows: list[tuple[tuple[Any, ...], bool]] = [(("风险清单填写说明",), True)]
    rows += [
        (line, False)
        for line in (
            ("1", f"在“{DATA_SHEET}”工作表中填写，第一行是表头，每行一个风险点；空行会被忽略。"),
            ("2", "列名带 * 的为必填列；列的顺序可以调整，列名不可改动。"),
            ("3", f"“{EXAMPLE_SHEET}”工作表是填写示例，导入时不读取。"),
            ("4", "只接受填写的值，不接受公式；评价参数只能取下列标准值。"),
            (
                "5",
                f"一次最多导入 {MAX_ROWS} 行；任何一行有错误时整个文件不导入，所有错误一次列出。",
            ),
            ("6", "风险值、风险等级、颜色和管控层级由系统按主管部门的分级标准计算，无需填写。"),
        )
    ]
    rows += _section("列说明", ("列名", "必填", "说明"), (_column_help(c) for c in COLUMNS))
    rows += _section(
        "风险点类型", ("填写", "代码"), ((label_of(m), m.value) for m in RiskPointType)
    )
    rows += _section(
        "评价方法",
        ("填写", "说明"),
        [
            ("LEC", "作业条件危险性评价法：D = L × E × C，填写 L、E、C"),
            ("LS", "风险矩阵法：R = L × S，填写 L、S"),
            ("直接判定", "直接判定为重大风险，须填写直接判定理由，不填参数"),
        ],
    )
    for method, table in ((AssessmentMethod.LEC, lec_values()), (AssessmentMethod.LS, ls_values())):
        for letter, values in table.items():
            title = f"{METHOD_LABELS[method]} 法 {letter} 取值"
            rows += _section(
                title, ("取值", "含义"), ((fmt_number(v.value), v.label_cn) for v in values)
            )
    rows += _section("管控状态", ("填写", "代码"), ((label_of(m), m.value) for m in ControlStatus))
    rows += _section(
        "可能导致的事故类型（GB 6441-2025）",
        ("名称", "代码"),
        ((t.name_cn, t.code) for t in accident_types()),
    )
    for row, bold in rows:
        sheet.append(row)
        if bold:
            for cell in sheet[sheet.max_row]:
                cell.font = _BOLD
    for letter, width in (("A", 26), ("B", 16), ("C", 90)):
        sheet.column_dimensions[letter].width = width


def _section(
    title: str, head: tuple[str, ...], body: Iterable[tuple[Any, ...]]
) -> list[tuple[tuple[Any, ...], bool]]:
    """A blank line, a bold title and column heads, then the rows."""
    return [((), False), ((title,), True), (head, True), *((row, False) for row in body)]


def _column_help(column: Column) -> tuple[str, str, str]:
    limit = f"不超过 {column.max_length} 字" if column.max_length else ""
    note = "；".join(part for part in (column.note, limit) if part)
    return column.title, "是" if column.required else "", note


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
