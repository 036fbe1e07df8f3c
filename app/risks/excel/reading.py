"""Read a filled-in risk list workbook into API payloads, reporting every bad cell at once."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from app.risks.rules import (
    AccidentTypeError,
    AssessmentError,
    AssessmentMethod,
    ControlStatus,
    Evaluation,
    GradingConfig,
    RiskPointType,
    allowed_values,
    default_grading_config,
    evaluate,
    validate_accident_type_codes,
)

from .columns import (
    BY_HEADER,
    BY_KEY,
    COLUMNS,
    DATA_SHEET,
    EXAMPLE_SHEET,
    FACTORS,
    GUIDE_SHEET,
    MAX_ROWS,
    MEASURE_CATEGORIES,
    METHOD_LABELS,
    Column,
    fmt_number,
    header_key,
    json_number,
    label_of,
    member_for,
    split_accident_types,
)

# A small xlsx can inflate to gigabytes of XML; real risk lists of MAX_ROWS rows stay far below.
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted .xlsx
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
# Same rule as the API schemas (app/web.py): tab, LF and CR are text, other controls are not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLAIN_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
_COLUMN_ORDER = {c.key: i for i, c in enumerate(COLUMNS)}

NOT_XLSX = "文件不是有效的 .xlsx 工作簿，请使用下载的模板填写后再导入"
ENCRYPTED = "文件设置了打开密码，请在 Excel 中取消密码后再导入"
LEGACY_XLS = "这是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入"
TOO_LARGE = "文件解压后过大，无法作为风险清单导入"
NO_SHEET = f"工作簿中没有可导入的工作表（应为“{DATA_SHEET}”）"
FORMULA = "公式不被接受：请填写值本身（可复制后“选择性粘贴→数值”）"
REQUIRED = "必填"


@dataclass
class ParseResult:
    """Payloads with their spreadsheet row numbers, or the errors.

    Import is all-or-nothing, so `rows` is empty whenever `errors` is not: a caller cannot import
    part of a file by mistake. Each error is {"row", "column", "message"}; row 0 is the file.
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Unreadable(Exception):
    """openpyxl failed while streaming the sheet: the file is broken, not our code."""


def parse_workbook(
    data: bytes, *, config: GradingConfig | None = None, max_rows: int = MAX_ROWS
) -> ParseResult:
    """Parse the 风险清单 sheet (else the first sheet that is not the example or the guide)."""
    config = config or default_grading_config()
    if problem := _container_problem(data):
        return _fail(problem)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises a dozen types for a broken package; all mean "not xlsx"
        return _fail(NOT_XLSX)
    try:
        sheets = workbook.worksheets
        names = [ws.title for ws in sheets]
        usable = [ws for ws in sheets if ws.title not in (EXAMPLE_SHEET, GUIDE_SHEET)]
        sheet = sheets[names.index(DATA_SHEET)] if DATA_SHEET in names else next(iter(usable), None)
        if sheet is None:
            return _fail(NO_SHEET)
        # Writers other than Excel leave wrong <dimension> tags; read what is really there.
        sheet.reset_dimensions()
        return _parse_sheet(_stream(sheet), config, max_rows)
    except _Unreadable:
        return _fail(NOT_XLSX)
    finally:
        workbook.close()


def _container_problem(data: bytes) -> str | None:
    if not isinstance(data, bytes | bytearray) or not data:
        return NOT_XLSX
    if data.startswith(_CFB_MAGIC):
        return ENCRYPTED if _ENCRYPTION_INFO in data else LEGACY_XLS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
                return TOO_LARGE
    except Exception:  # zipfile raises BadZipFile, but also NotImplementedError, ValueError...
        return NOT_XLSX
    return None


def _stream(sheet: Any) -> Iterator[tuple[Any, ...]]:
    rows = iter(sheet.iter_rows(min_row=1, min_col=1))
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # parse errors of a corrupt sheet surface only while streaming
            raise _Unreadable from exc
        yield row


def _fail(message: str) -> ParseResult:
    return ParseResult(errors=[{"row": 0, "column": "", "message": message}])


def _parse_sheet(rows: Iterator[tuple[Any, ...]], config: GradingConfig, limit: int) -> ParseResult:
    header = next(rows, ())
    columns, named, errors = _read_header(header)
    present = {c.key for c in columns.values()}
    result = ParseResult()
    data_rows = 0
    unnamed_reported: set[int] = set()
    for number, cells in enumerate(rows, start=2):
        by_key = {columns[i].key: cell for i, cell in enumerate(cells) if i in columns}
        if all(_blank(cell) for cell in by_key.values()):
            continue
        data_rows += 1
        if data_rows > limit:
            return _fail(f"数据超过 {limit} 行的上限，请分批导入")
        for i, cell in enumerate(cells):
            # Data under no header would be dropped silently; say so once per column.
            if i not in named and i not in unnamed_reported and not _blank(cell):
                unnamed_reported.add(i)
                errors.append(_error(number, f"{get_column_letter(i + 1)}列", "该列没有列名"))
        row = _Row(by_key, present, config)
        payload = row.payload()
        if row.errors:
            ordered = sorted(row.errors.items(), key=lambda item: _COLUMN_ORDER[item[0]])
            errors.extend(_error(number, BY_KEY[key].title, msg) for key, msg in ordered)
        else:
            result.rows.append(payload)
            result.row_numbers.append(number)
    return ParseResult(errors=errors) if errors else result


def _read_header(cells: tuple[Any, ...]) -> tuple[dict[int, Column], set[int], list[dict]]:
    """(input columns by position, positions that have a header, header errors on row 1)."""
    columns: dict[int, Column] = {}
    named: set[int] = set()
    errors: list[dict] = []
    seen: set[str] = set()
    for i, cell in enumerate(cells):
        if _blank(cell):
            continue
        named.add(i)
        text = str(cell.value).strip()
        column = BY_HEADER.get(header_key(text))
        if column is None:
            errors.append(_error(1, text, f"无法识别的列名；可用的列见“{GUIDE_SHEET}”"))
        elif column.key in seen:
            errors.append(_error(1, column.title, "列名重复"))
        else:
            seen.add(column.key)
            if column.key in BY_KEY:  # computed export columns are recognised, then ignored
                columns[i] = column
    missing = [c for c in COLUMNS if c.required and c.key not in seen]
    errors.extend(_error(1, c.title, "缺少必填列") for c in missing)
    return columns, named, errors


def _error(row: int, column: str, message: str) -> dict[str, Any]:
    return {"row": row, "column": column, "message": message}


def _blank(cell: Any) -> bool:
    value = cell.value
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_number(value)
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


class _Row:
    """One data row: reads its cells into a payload, keeping the first error of each cell."""

    def __init__(self, cells: dict[str, Any], present: set[str], config: GradingConfig):
        self.cells, self.present, self.config = cells, present, config
        self.errors: dict[str, str] = {}

    def payload(self) -> dict[str, Any]:
        return {
            "code": self.text("code"),
            "name": self.text("name"),
            "area": self.text("area"),
            "point_type": self.choice("point_type", RiskPointType),
            "activity": self.text("activity"),
            "hazard_factors": self.text("hazard_factors"),
            "accident_types": self.accident_types(),
            "inherent": self.assessment("inherent"),
            "residual": self.assessment("residual"),
            "measures": {key: self.text(f"measures.{key}") for key in MEASURE_CATEGORIES},
            "responsible_department": self.text("responsible_department"),
            "responsible_person": self.text("responsible_person"),
            "control_status": self.choice(
                "control_status", ControlStatus, ControlStatus.IN_CONTROL
            ),
        }

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)

    def raw(self, key: str) -> Any:
        """The cell's value, None if blank, absent or unusable (then the error is recorded)."""
        cell = self.cells.get(key)
        if cell is None or _blank(cell):
            return None
        if cell.data_type == "f":
            self.fail(key, FORMULA)
            return None
        if cell.data_type == "e":
            self.fail(key, f"单元格是错误值 {cell.value}")
            return None
        return cell.value

    def text(self, key: str) -> str | None:
        column = BY_KEY[key]
        value = self.raw(key)
        if value is None:
            if column.required and key in self.present:
                self.fail(key, REQUIRED)
            return None
        text = _as_text(value)
        if _CONTROL.search(text) or not _is_unicode(text):
            self.fail(key, "不能包含控制字符")
        elif column.max_length and len(text) > column.max_length:
            self.fail(key, f"不能超过 {column.max_length} 个字符（现有 {len(text)} 个）")
        return None if key in self.errors else text

    def choice(self, key: str, enum: type[StrEnum], default: StrEnum | None = None) -> str | None:
        text = self.text(key)
        if text is None:
            return None if default is None or key in self.errors else default.value
        member = member_for(enum, text)
        if member is None:
            allowed = "、".join(label_of(m) for m in enum)
            self.fail(key, f"“{text}”不是可选值；可选：{allowed}")
            return None
        return member.value

    def accident_types(self) -> list[str] | None:
        text = self.text("accident_types")
        if text is None:
            return None if "accident_types" in self.errors else []
        codes, bad = split_accident_types(text)
        if bad:
            self.fail(
                "accident_types",
                f"无法识别的事故类型：{'、'.join(bad)}；"
                f"请填写 GB 6441-2025 事故类型名称或代码（见“{GUIDE_SHEET}”）",
            )
            return None
        try:
            return list(validate_accident_type_codes(codes))
        except AccidentTypeError as exc:  # unreachable while split_accident_types checks codes
            self.fail("accident_types", str(exc))
            return None

    def assessment(self, kind: str) -> dict[str, Any] | None:
        method_key = f"{kind}.method"
        # Read every cell first, so a formula or an over-long reason is reported even when the
        # method itself is wrong.
        raw = {name: self.raw(f"{kind}.{name}") for name in FACTORS}
        reason = self.text(f"{kind}.reason")
        method_value = self.choice(method_key, AssessmentMethod)
        if method_value is None:
            return None
        method = AssessmentMethod(method_value)
        payload: dict[str, Any] = {"method": method.value}
        shown: dict[str, str] = {}
        for name, value in raw.items():
            if value is not None:
                payload[name], shown[name] = _factor_input(value), _as_text(value)
        if reason is not None:
            payload["reason"] = reason  # with LEC/LS it is refused below as a stray field
        try:
            evaluation = evaluate(payload, self.config)
        except AssessmentError as exc:
            for name, messages in exc.errors.items():
                key = f"{kind}.{name}" if f"{kind}.{name}" in BY_KEY else method_key
                self.fail(key, _assessment_message(method, name, shown, messages))
            return None
        return _assessment_payload(evaluation)


def _factor_input(value: Any) -> Any:
    """Text "6" or "0.5" becomes the number; anything else goes to evaluate() to be refused."""
    # Plain ASCII digits only: Decimal() alone would also take "1_0", "６" and "1e1".
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value.strip()):
        return Decimal(value.strip())
    return value


def _assessment_message(
    method: AssessmentMethod, name: str, shown: dict[str, str], messages: list[str]
) -> str:
    label = METHOD_LABELS[method]
    if name == "reason":
        if method is AssessmentMethod.DIRECT:
            return "直接判定时必填：写明判定为重大风险的理由"
        return f"评价方法为 {label} 时此列应留空"
    if name in FACTORS:
        allowed = {} if method is AssessmentMethod.DIRECT else allowed_values(method)
        if name not in allowed:
            return f"评价方法为 {label} 时此列应留空"
        choices = "、".join(fmt_number(v) for v in allowed[name])
        if name not in shown:
            return f"评价方法为 {label} 时必填；可选：{choices}"
        return f"{shown[name]} 不是 {label} 法 {name.upper()} 的标准取值；可选：{choices}"
    return "；".join(messages)


def _assessment_payload(evaluation: Evaluation) -> dict[str, Any]:
    if evaluation.method is AssessmentMethod.DIRECT:
        return {"method": evaluation.method.value, "reason": evaluation.reason}
    factors = {name: json_number(value) for name, value in evaluation.factors.items()}
    return {"method": evaluation.method.value, **factors}


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
