"""Risk list workbooks: template, import, export. Pure: test workbooks are built with openpyxl."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from app.risks.excel import (
    COLUMNS,
    COMPUTED_COLUMNS,
    DATA_SHEET,
    EXAMPLE_SHEET,
    GUIDE_SHEET,
    export_workbook,
    parse_workbook,
    reading,
    template_workbook,
)
from app.risks.excel.examples import EXAMPLES
from app.risks.rules import default_grading_config, evaluate

HEADERS = [c.title for c in COLUMNS]
MEASURE_KEYS = ("engineering", "management", "training", "ppe", "emergency")


def build(rows, header=HEADERS, *, title=DATA_SHEET, before=()) -> bytes:
    """A workbook whose data sheet has `header` and `rows` (dicts by header, or lists, or None)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in before:
        workbook.create_sheet(name).append(["示例"])
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for row in rows:
        if row is None:
            sheet.append([])
        elif isinstance(row, dict):
            sheet.append([row.get(h) for h in header])
        else:
            sheet.append(row)
    return save(workbook)


def save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lec_row(**cells) -> dict:
    row = {
        "风险点名称*": "配电室",
        "风险点类型*": "作业场所",
        "危险有害因素*": "带电体裸露",
        "固有风险评价方法*": "LEC",
        "固有L": 6,
        "固有E": 3,
        "固有C": 15,
        "现实风险评价方法*": "LEC",
        "现实L": 1,
        "现实E": 3,
        "现实C": 15,
    }
    # Keyword names cannot carry the required mark: 风险点名称="" means the 风险点名称* column.
    titles = {h.rstrip("*"): h for h in HEADERS}
    row.update({titles.get(k, k): v for k, v in cells.items()})
    return row


def payload(**fields) -> dict:
    base = {
        "code": None,
        "name": "配电室",
        "area": None,
        "point_type": "site",
        "activity": None,
        "hazard_factors": "带电体裸露",
        "accident_types": [],
        "inherent": {"method": "LEC", "l": 6, "e": 3, "c": 15},
        "residual": {"method": "LEC", "l": 1, "e": 3, "c": 15},
        "measures": dict.fromkeys(MEASURE_KEYS),
        "responsible_department": None,
        "responsible_person": None,
        "control_status": "in_control",
    }
    return base | fields


def located(result) -> list[tuple[int, str]]:
    return [(e["row"], e["column"]) for e in result.errors]


def file_error(result) -> str:
    assert result.rows == [] and len(result.errors) == 1, result.errors
    assert result.errors[0]["row"] == 0
    return result.errors[0]["message"]


# --- template ----------------------------------------------------------------------------------


def test_template_imports_as_no_rows_and_no_errors():
    result = parse_workbook(template_workbook())
    assert (result.rows, result.row_numbers, result.errors) == ([], [], [])
    assert result.ok


def test_template_layout():
    workbook = load_workbook(io.BytesIO(template_workbook()))
    assert workbook.sheetnames == [DATA_SHEET, GUIDE_SHEET, EXAMPLE_SHEET]
    sheet = workbook[DATA_SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.max_row == 1
    assert all(c.font.b for c in sheet[1])
    assert {c.value for c in sheet[1] if c.font.color and c.font.color.rgb == "00C00000"} == {
        "风险点名称*",
        "风险点类型*",
        "危险有害因素*",
        "固有风险评价方法*",
        "现实风险评价方法*",
    }
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["F"].width == 36
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["D2:D2001"] == '"作业场所,设备设施,常规作业活动,特殊作业活动,管理活动"'
    assert lists["AA2:AA2001"] == '"受控,预警,失控"'
    assert lists["H2:H2001 N2:N2001"] == '"LEC,LS,直接判定"'
    assert lists["J2:J2001 P2:P2001"] == '"10,6,3,2,1,0.5"'

    guide = [[c for c in row if c is not None] for row in workbook[GUIDE_SHEET].values]
    for expected in (
        ["作业场所", "site"],
        ["直接判定", "直接判定为重大风险，须填写直接判定理由，不填参数"],
        ["LEC 法 L 取值"],
        ["0.5", "很不可能，可以设想"],
        ["100", "大灾难，许多人死亡"],
        ["LS 法 S 取值"],
        ["失控", "out_of_control"],
        ["火灾", "WSA10009"],
        ["其他", "WSA10099"],
        ["固有直接判定理由", "仅直接判定：判定为重大风险的理由（必填）；不超过 500 字"],
    ):
        assert expected in guide


def test_template_examples_are_valid_rows_and_never_imported():
    workbook = load_workbook(io.BytesIO(template_workbook()))
    example = [list(row) for row in workbook[EXAMPLE_SHEET].values]
    assert example[0] == HEADERS
    result = parse_workbook(build(example[1:]))
    assert result.errors == []
    assert result.rows == list(EXAMPLES)


# --- import ------------------------------------------------------------------------------------


def test_filled_workbook_parses_to_exact_payloads():
    # Any column order, headers without "*" and with stray spaces, English enum values, numbers
    # typed as text, blank rows skipped but counted in the row numbers.
    header = [h.rstrip("*") for h in reversed(HEADERS)]
    header[header.index("固有L")] = " 固有 l "
    full = {
        "编号": "FX-9",
        "风险点名称": "  液氨储罐区 ",
        "所在区域": "罐区",
        "风险点类型": "equipment_facility",
        "作业活动/设备设施": "储罐\n管线",
        "危险有害因素": "泄漏；超压",
        "可能导致的事故类型": "中毒、WSA10014，容器爆炸; wsa10026\n厂（场）内车辆致害",
        "固有风险评价方法": "lec",
        " 固有 l ": "6",
        "固有E": "3",
        "固有C": 40,
        "现实风险评价方法": "LS",
        "现实L": 2,
        "现实S": "4",
        "工程技术措施": "紧急切断阀",
        "管理措施": "巡检",
        "培训教育措施": "年度培训",
        "个体防护措施": "空气呼吸器",
        "应急处置措施": "专项预案",
        "责任部门": "生产部",
        "责任人": "张工",
        "管控状态": "预警",
    }
    direct = {
        "编号": 101,
        "风险点名称": "清罐作业",
        "风险点类型": "特殊作业活动",
        "危险有害因素": "缺氧",
        "固有风险评价方法": "直接判定",
        "固有直接判定理由": "有限空间作业",
        "现实风险评价方法": "DIRECT",
        "现实直接判定理由": "仍属重大风险",
        "固有L": "   ",
    }
    minimal = {h.rstrip("*"): v for h, v in lec_row(现实L="0.1", 固有C=1).items()}
    minimal[" 固有 l "] = 0.5
    result = parse_workbook(build([full, None, direct, minimal], header))
    assert result.errors == []
    assert result.row_numbers == [2, 4, 5]
    assert result.rows == [
        {
            "code": "FX-9",
            "name": "液氨储罐区",
            "area": "罐区",
            "point_type": "equipment_facility",
            "activity": "储罐\n管线",
            "hazard_factors": "泄漏；超压",
            "accident_types": ["WSA10023", "WSA10014", "WSA10026", "WSA10002"],
            "inherent": {"method": "LEC", "l": 6, "e": 3, "c": 40},
            "residual": {"method": "LS", "l": 2, "s": 4},
            "measures": {
                "engineering": "紧急切断阀",
                "management": "巡检",
                "training": "年度培训",
                "ppe": "空气呼吸器",
                "emergency": "专项预案",
            },
            "responsible_department": "生产部",
            "responsible_person": "张工",
            "control_status": "warning",
        },
        payload(
            code="101",
            name="清罐作业",
            point_type="special_operation",
            hazard_factors="缺氧",
            inherent={"method": "DIRECT", "reason": "有限空间作业"},
            residual={"method": "DIRECT", "reason": "仍属重大风险"},
        ),
        payload(
            inherent={"method": "LEC", "l": 0.5, "e": 3, "c": 1},
            residual={"method": "LEC", "l": 0.1, "e": 3, "c": 15},
        ),
    ]
    assert isinstance(result.rows[0]["inherent"]["l"], int)


@pytest.mark.parametrize(
    ("cell", "codes"),
    [
        ("火灾", ["WSA10009"]),
        ("WSA10009", ["WSA10009"]),
        ("火灾、高处坠落", ["WSA10009", "WSA10010"]),
        ("WSA10006，触电,WSA10099；其他\r\n淹溺", ["WSA10006", "WSA10099", "WSA10007"]),
        ("  ", []),
    ],
)
def test_accident_types_by_name_and_code(cell, codes):
    result = parse_workbook(build([lec_row(可能导致的事故类型=cell)]))
    assert result.errors == []
    assert result.rows[0]["accident_types"] == codes


def test_every_bad_cell_on_every_row_is_reported_at_once():
    rows = [
        lec_row(风险点名称="", 风险点类型="仓库", 固有L=5, 现实风险评价方法="FMEA"),
        lec_row(),
        lec_row(
            危险有害因素="因" * 1001,
            可能导致的事故类型="火灾、车辆伤害、爆炸",
            固有风险评价方法="LS",
            固有L=4,
            固有E=3,
            固有C=None,
            管控状态="正常",
        ),
        lec_row(现实风险评价方法="直接判定", 现实L=None, 现实E=None, 现实C=None),
        lec_row(固有L="六", 现实直接判定理由="多余", 编号="X" * 41),
    ]
    result = parse_workbook(build(rows))
    assert result.rows == [] and result.row_numbers == []
    assert located(result) == [
        (2, "风险点名称*"),
        (2, "风险点类型*"),
        (2, "固有L"),
        (2, "现实风险评价方法*"),
        (4, "危险有害因素*"),
        (4, "可能导致的事故类型"),
        (4, "固有E"),
        (4, "固有S"),
        (4, "管控状态"),
        (5, "现实直接判定理由"),
        (6, "编号"),
        (6, "固有L"),
        (6, "现实直接判定理由"),
    ]
    messages = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert messages[(2, "风险点名称*")] == "必填"
    assert messages[(2, "风险点类型*")] == (
        "“仓库”不是可选值；可选：作业场所、设备设施、常规作业活动、特殊作业活动、管理活动"
    )
    assert messages[(2, "固有L")] == "5 不是 LEC 法 L 的标准取值；可选：10、6、3、1、0.5、0.2、0.1"
    assert messages[(2, "现实风险评价方法*")] == "“FMEA”不是可选值；可选：LEC、LS、直接判定"
    assert messages[(4, "危险有害因素*")] == "不能超过 1000 个字符（现有 1001 个）"
    assert "车辆伤害、爆炸" in messages[(4, "可能导致的事故类型")]
    assert messages[(4, "固有E")] == "评价方法为 LS 时此列应留空"
    assert messages[(4, "固有S")] == "评价方法为 LS 时必填；可选：5、4、3、2、1"
    assert messages[(4, "管控状态")] == "“正常”不是可选值；可选：受控、预警、失控"
    assert messages[(5, "现实直接判定理由")] == "直接判定时必填：写明判定为重大风险的理由"
    assert messages[(6, "编号")] == "不能超过 40 个字符（现有 41 个）"
    assert messages[(6, "固有L")].startswith("六 不是 LEC 法 L 的标准取值")
    assert messages[(6, "现实直接判定理由")] == "评价方法为 LEC 时此列应留空"


def test_header_problems_are_row_one_errors_and_rows_are_still_checked():
    header = [h for h in HEADERS if h not in ("风险点名称*", "现实风险评价方法*")]
    header += ["备注", "固有L"]
    row = lec_row(风险点类型="不存在")
    result = parse_workbook(build([row], header))
    assert located(result) == [
        (1, "备注"),
        (1, "固有L"),
        (1, "风险点名称*"),
        (1, "现实风险评价方法*"),
        (2, "风险点类型*"),
    ]
    assert [e["message"] for e in result.errors[:4]] == [
        "无法识别的列名；可用的列见“填写说明”",
        "列名重复",
        "缺少必填列",
        "缺少必填列",
    ]


def test_data_under_no_header_is_reported_once_per_column():
    rows = [[*lec_row().values(), "?"], [*lec_row().values(), "?"]]
    header = list(lec_row())
    result = parse_workbook(build(rows, header))
    assert result.errors == [{"row": 2, "column": "L列", "message": "该列没有列名"}]


def test_formula_cells_are_refused_but_formulas_in_computed_columns_are_ignored():
    header = [*HEADERS, "固有风险值"]
    row = lec_row(风险点名称="=A1", 固有L="=3*2", 责任人='=HYPERLINK("http://x","y")')
    row["固有风险值"] = "=I2*J2*K2"
    result = parse_workbook(build([row], header))
    assert located(result) == [(2, "风险点名称*"), (2, "固有L"), (2, "责任人")]
    assert {e["message"] for e in result.errors} == {reading.FORMULA}
    assert "公式不被接受" in reading.FORMULA


def test_sheet_fallback_and_missing_sheet():
    first_other = build([lec_row()], title="Sheet1", before=[EXAMPLE_SHEET])
    assert parse_workbook(first_other).rows == [payload()]
    workbook = Workbook()
    workbook.active.title = EXAMPLE_SHEET
    workbook.create_sheet(GUIDE_SHEET)
    assert file_error(parse_workbook(save(workbook))) == reading.NO_SHEET


def test_too_many_rows_is_one_file_error():
    rows = [lec_row(编号=str(i)) for i in range(4)]
    assert len(parse_workbook(build(rows[:3], HEADERS), max_rows=3).rows) == 3
    assert file_error(parse_workbook(build(rows), max_rows=3)) == "数据超过 3 行的上限，请分批导入"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", reading.NOT_XLSX),
        (b"garbage \x00\xff not a workbook", reading.NOT_XLSX),
        (b"PK\x03\x04 truncated zip", reading.NOT_XLSX),
        (_zip({"hello.txt": b"hi"}), reading.NOT_XLSX),
        (_zip({"[Content_Types].xml": b"<nope"}), reading.NOT_XLSX),
        (_CFB + "EncryptionInfo".encode("utf-16-le"), reading.ENCRYPTED),
        (_CFB + "Workbook".encode("utf-16-le"), reading.LEGACY_XLS),
        ("not bytes", reading.NOT_XLSX),
    ],
)
def test_unreadable_files_give_one_clear_error(data, message):
    assert file_error(parse_workbook(data)) == message


def test_corrupt_sheet_xml_is_a_file_error():
    with zipfile.ZipFile(io.BytesIO(template_workbook())) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files["xl/worksheets/sheet1.xml"] = files["xl/worksheets/sheet1.xml"][:-40]
    assert file_error(parse_workbook(_zip(files))) == reading.NOT_XLSX


def test_inflated_archive_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED_BYTES", 1000)
    assert file_error(parse_workbook(template_workbook())) == reading.TOO_LARGE


def test_config_is_passed_through():
    result = parse_workbook(build([lec_row()]), config=default_grading_config())
    assert result.rows == [payload()]


# --- export ------------------------------------------------------------------------------------


def graded(point: dict) -> dict:
    inherent = evaluate(point["inherent"])
    residual = evaluate(point["residual"])
    return point | {
        "inherent_score": inherent.score,
        "inherent_level": str(inherent.level),
        "residual_score": residual.score,
        "residual_level": str(residual.level),
        "color": str(residual.color),
        "control_tier": str(residual.control_tier),
    }


INJECTION = {
    "name": '=HYPERLINK("http://evil.example","点我")',
    "area": "+86 10 1234",
    "activity": "-5℃ 冷库",
    "hazard_factors": "@SUM(1+1)*cmd|' /C calc'!A0",
    "responsible_person": "=1+1",
    "responsible_department": "#N/A",  # openpyxl would guess an error cell
}


def test_export_round_trips_to_the_same_payloads():
    payloads = [
        *EXAMPLES,
        payload(),
        payload(
            code="0042",
            area="一车间\n二工段",
            accident_types=["WSA10002", "WSA10099"],
            inherent={"method": "LEC", "l": 0.1, "e": 0.5, "c": 100},
            residual={"method": "LS", "l": 1, "s": 1},
            measures=dict.fromkeys(MEASURE_KEYS, "措施 & 说明"),
            control_status="out_of_control",
        ),
        payload(**INJECTION),
    ]
    exported = export_workbook([graded(p) for p in payloads], title="某化工有限公司 风险清单")
    result = parse_workbook(exported)
    assert result.errors == []
    assert result.rows == [dict(p) for p in payloads]
    assert result.row_numbers == list(range(2, len(payloads) + 2))


def test_export_layout_and_computed_columns():
    exported = export_workbook([graded(p) for p in EXAMPLES], title="风险清单 A&B")
    workbook = load_workbook(io.BytesIO(exported))
    assert workbook.properties.title == "风险清单 A&B"
    sheet = workbook[DATA_SHEET]
    assert [c.value for c in sheet[1]] == HEADERS + [c.header for c in COMPUTED_COLUMNS]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0][:8] == ["FX-001", "液氨储罐区", "罐区", "设备设施", "液氨储罐及进出料管线"] + [
        "储罐、管线、阀门泄漏；超压；静电积聚",
        "中毒、容器爆炸、泄漏",
        "LEC",
    ]
    assert rows[0][-7:] == ["受控", 720, "重大风险", 90, "一般风险", "黄", "车间级"]
    assert rows[1][-7:] == ["受控", 16, "较大风险", 8, "低风险", "蓝", "岗位级"]
    assert rows[2][7] == "直接判定" and rows[2][-6] is None and rows[2][-5] == "重大风险"
    assert sheet.cell(row=2, column=len(HEADERS) + 5).fill.fgColor.rgb == "00FFFF00"
    assert sheet.freeze_panes == "A2"


def test_formula_looking_text_is_exported_as_text():
    exported = export_workbook([graded(payload(**INJECTION))], title="t")
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    sheet = load_workbook(io.BytesIO(exported))[DATA_SHEET]
    by_key = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
    for key, text in INJECTION.items():
        cell = sheet.cell(row=2, column=by_key[key])
        assert (cell.data_type, cell.value) == ("s", text)
        assert cell.quotePrefix is (key != "responsible_department")
    assert sheet.cell(row=2, column=by_key["code"]).quotePrefix is False
    assert parse_workbook(exported).rows == [payload(**INJECTION)]
