"""The template's columns and the cell vocabularies shared by reading and writing.

A column is identified by its Chinese header (what safety officers see) and carries the payload
path it fills (`key`, dotted for nested fields: "inherent.l", "measures.ppe").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from app.risks.rules import (
    AssessmentMethod,
    ControlMeasureCategory,
    ControlStatus,
    RiskPointType,
    accident_type,
    accident_type_for_name,
    is_accident_type_code,
)

DATA_SHEET = "风险清单"
EXAMPLE_SHEET = "示例"
GUIDE_SHEET = "填写说明"
MAX_ROWS = 2000

# The API payload says "ppe"; the rules' enum says "personal_protection". The payload keys are
# the contract, the enum supplies the Chinese label.
MEASURE_CATEGORIES: dict[str, ControlMeasureCategory] = {
    "engineering": ControlMeasureCategory.ENGINEERING,
    "management": ControlMeasureCategory.MANAGEMENT,
    "training": ControlMeasureCategory.TRAINING,
    "ppe": ControlMeasureCategory.PERSONAL_PROTECTION,
    "emergency": ControlMeasureCategory.EMERGENCY,
}
METHOD_LABELS = {
    AssessmentMethod.LEC: "LEC",
    AssessmentMethod.LS: "LS",
    AssessmentMethod.DIRECT: "直接判定",
}
KINDS = {"inherent": "固有", "residual": "现实"}
FACTORS = ("l", "e", "c", "s")

MEASURE_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 500
ACCIDENTS_MAX_LENGTH = 500


@dataclass(frozen=True)
class Column:
    key: str  # payload path, or the point key of an export-only computed column
    header: str  # Chinese header without the required mark
    width: int
    required: bool = False
    max_length: int | None = None
    note: str = ""  # shown in the 填写说明 sheet

    @property
    def title(self) -> str:
        """The header cell as written in the template: required columns end with "*"."""
        return f"{self.header}*" if self.required else self.header


def label_of(member: StrEnum) -> str:
    if isinstance(member, AssessmentMethod):
        return METHOD_LABELS[member]
    return member.label_cn  # type: ignore[attr-defined]


def member_for(enum: type[StrEnum], text: str) -> Any:
    """The member whose Chinese label or English value is `text` (value case-insensitively)."""
    wanted = text.strip()
    for member in enum:
        if wanted == label_of(member) or wanted.casefold() == member.value.casefold():
            return member
    return None


def _assessment_columns(kind: str, cn: str) -> list[Column]:
    return [
        Column(f"{kind}.method", f"{cn}风险评价方法", 14, True, note="LEC、LS 或 直接判定"),
        Column(f"{kind}.l", f"{cn}L", 7, note="LEC 或 LS 法的 L（可能性）"),
        Column(f"{kind}.e", f"{cn}E", 7, note="仅 LEC 法：暴露频繁程度"),
        Column(f"{kind}.c", f"{cn}C", 7, note="仅 LEC 法：后果严重程度"),
        Column(f"{kind}.s", f"{cn}S", 7, note="仅 LS 法：后果严重性"),
        Column(
            f"{kind}.reason",
            f"{cn}直接判定理由",
            24,
            max_length=REASON_MAX_LENGTH,
            note="仅直接判定：判定为重大风险的理由（必填）",
        ),
    ]


def _choices(enum: type[StrEnum]) -> str:
    return "、".join(label_of(m) for m in enum)


COLUMNS: tuple[Column, ...] = (
    Column("code", "编号", 12, max_length=40, note="企业自编的风险点编号"),
    Column("name", "风险点名称", 20, True, 120),
    Column("area", "所在区域", 14, max_length=120),
    Column("point_type", "风险点类型", 14, True, note=_choices(RiskPointType)),
    Column("activity", "作业活动/设备设施", 20, max_length=200),
    Column("hazard_factors", "危险有害因素", 36, True, 1000),
    Column(
        "accident_types",
        "可能导致的事故类型",
        24,
        max_length=ACCIDENTS_MAX_LENGTH,
        note="GB 6441-2025 名称或代码，多个用 、 ， , ; 或换行分隔",
    ),
    *_assessment_columns("inherent", KINDS["inherent"]),
    *_assessment_columns("residual", KINDS["residual"]),
    *(
        Column(f"measures.{key}", f"{category.label_cn}措施", 28, max_length=MEASURE_MAX_LENGTH)
        for key, category in MEASURE_CATEGORIES.items()
    ),
    Column("responsible_department", "责任部门", 14, max_length=60),
    Column("responsible_person", "责任人", 12, max_length=60),
    Column("control_status", "管控状态", 10, note=f"{_choices(ControlStatus)}；留空为受控"),
)

# Export only: computed by the server, ignored on import (the server recomputes them).
COMPUTED_COLUMNS: tuple[Column, ...] = (
    Column("inherent_score", "固有风险值", 10),
    Column("inherent_level", "固有风险等级", 12),
    Column("residual_score", "现实风险值", 10),
    Column("residual_level", "现实风险等级", 12),
    Column("color", "风险颜色", 10),
    Column("control_tier", "管控层级", 10),
)

BY_KEY = {c.key: c for c in COLUMNS}


def header_key(text: str) -> str:
    """What header matching compares: no whitespace, no required mark, letters folded."""
    return re.sub(r"\s+", "", text).rstrip("*＊").casefold()


BY_HEADER = {header_key(c.header): c for c in (*COLUMNS, *COMPUTED_COLUMNS)}


_ACCIDENT_SEPARATORS = re.compile(r"[、，,;；\r\n]+")
_FULLWIDTH_PARENS = str.maketrans("（）", "()")


def split_accident_types(text: str) -> tuple[list[str], list[str]]:
    """(codes in first-seen order, tokens that are neither a GB 6441-2025 name nor a code)."""
    codes: list[str] = []
    bad: list[str] = []
    for token in _ACCIDENT_SEPARATORS.split(text):
        token = token.strip()
        if not token:
            continue
        code = token.upper()
        if not is_accident_type_code(code):
            found = accident_type_for_name(re.sub(r"\s+", "", token).translate(_FULLWIDTH_PARENS))
            code = found.code if found else None
        if code is None:
            bad.append(token)
        elif code not in codes:
            codes.append(code)
    return codes, bad


def accident_names(codes: list[str]) -> str:
    return "、".join(accident_type(c).name_cn if is_accident_type_code(c) else c for c in codes)


def fmt_number(value: Decimal | int | float) -> str:
    """10, 0.5 — never 1E+1 or 6.0."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    return format(Decimal(value).normalize(), "f")


def json_number(value: Decimal | int | float) -> int | float:
    """A factor or score as the API's JSON carries it: 6, not 6.0; 0.5 as a float."""
    number = value if isinstance(value, Decimal) else Decimal(fmt_number(value))
    return int(number) if number == number.to_integral_value() else float(number)
