"""Closed vocabularies of the risk domain.

Values are stable lower-case codes stored in the database and sent over the API; the Chinese
labels are what safety officers see and type in the Excel template, so each enum can go both ways.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class _Labelled(StrEnum):
    """A StrEnum whose members carry a Chinese label (from `_LABELS_CN`)."""

    @property
    def label_cn(self) -> str:
        # Keyed by class as well as value: members of different enums compare equal as str
        # (RiskPointType.MANAGEMENT == ControlMeasureCategory.MANAGEMENT == "management").
        return _LABELS_CN[type(self)][self.value]

    @classmethod
    def from_label_cn(cls, label: str) -> Self | None:
        # Excel cells arrive with stray spaces; the label set is small, so a scan is fine.
        wanted = label.strip()
        return next((m for m in cls if m.label_cn == wanted), None)


class RiskLevel(_Labelled):
    MAJOR = "major"
    SIGNIFICANT = "significant"
    GENERAL = "general"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for max() and monotonicity checks."""
        return _LEVEL_RANK[self]

    @property
    def color(self) -> Color:
        return _LEVEL_COLOR[self]


class Color(_Labelled):
    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    BLUE = "blue"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self.level]

    @property
    def level(self) -> RiskLevel:
        return _COLOR_LEVEL[self]


class ControlTier(_Labelled):
    """Organisational level that controls a risk (管控层级).

    Five tiers are offered because authorities differ (FACTS §2.4); the default table uses four.
    """

    COMPANY = "company"
    DEPARTMENT = "department"
    WORKSHOP = "workshop"
    TEAM = "team"
    POST = "post"

    @property
    def rank(self) -> int:
        """Higher is a higher organisational level."""
        return _TIER_RANK[self]


class AssessmentMethod(StrEnum):
    LEC = "LEC"
    LS = "LS"
    DIRECT = "DIRECT"  # direct judgement: major outright, with a reason


class AssessmentKind(_Labelled):
    """Each risk point is assessed twice: before and with its controls."""

    INHERENT = "inherent"
    RESIDUAL = "residual"


class RiskPointType(_Labelled):
    SITE = "site"
    EQUIPMENT_FACILITY = "equipment_facility"
    ROUTINE_OPERATION = "routine_operation"
    SPECIAL_OPERATION = "special_operation"
    MANAGEMENT = "management"


class ControlMeasureCategory(_Labelled):
    ENGINEERING = "engineering"
    MANAGEMENT = "management"
    TRAINING = "training"
    PERSONAL_PROTECTION = "personal_protection"
    EMERGENCY = "emergency"


class ControlStatus(_Labelled):
    IN_CONTROL = "in_control"
    WARNING = "warning"
    OUT_OF_CONTROL = "out_of_control"


_LEVEL_RANK = {
    RiskLevel.LOW: 0,
    RiskLevel.GENERAL: 1,
    RiskLevel.SIGNIFICANT: 2,
    RiskLevel.MAJOR: 3,
}
# The level→color pairing is national practice (FACTS §2.1), not an authority setting.
_LEVEL_COLOR = {
    RiskLevel.MAJOR: Color.RED,
    RiskLevel.SIGNIFICANT: Color.ORANGE,
    RiskLevel.GENERAL: Color.YELLOW,
    RiskLevel.LOW: Color.BLUE,
}
_COLOR_LEVEL = {color: level for level, color in _LEVEL_COLOR.items()}
_TIER_RANK = {
    ControlTier.POST: 0,
    ControlTier.TEAM: 1,
    ControlTier.WORKSHOP: 2,
    ControlTier.DEPARTMENT: 3,
    ControlTier.COMPANY: 4,
}

_LABELS_CN: dict[type[StrEnum], dict[str, str]] = {
    RiskLevel: {
        "major": "重大风险",
        "significant": "较大风险",
        "general": "一般风险",
        "low": "低风险",
    },
    Color: {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"},
    ControlTier: {
        "company": "公司级",
        "department": "部门级",
        "workshop": "车间级",
        "team": "班组级",
        "post": "岗位级",
    },
    AssessmentKind: {"inherent": "固有风险", "residual": "现实风险"},
    RiskPointType: {
        "site": "作业场所",
        "equipment_facility": "设备设施",
        "routine_operation": "常规作业活动",
        "special_operation": "特殊作业活动",
        "management": "管理活动",
    },
    ControlMeasureCategory: {
        "engineering": "工程技术",
        "management": "管理",
        "training": "培训教育",
        "personal_protection": "个体防护",
        "emergency": "应急处置",
    },
    ControlStatus: {"in_control": "受控", "warning": "预警", "out_of_control": "失控"},
}
