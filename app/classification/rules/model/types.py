"""The model's vocabulary and shape: dimensions and their items, levels, vetoes, and the frozen
dataclasses a loaded model is made of. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

DEFAULT_MODEL_FILE = "model_2026.1.json"
TOTAL_POINTS = Decimal(100)

# Dimension → item → the item's parameters besides `max`. Order is presentation order.
DIMENSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "safety_conditions": {
        "principal_certificate": (),
        "safety_managers": ("per_unstaffed", "per_uncertified"),
        "special_operators": (),
        "insurance": (),
    },
    "standardization": {"grade": ("points_by_grade",)},
    "hidden_dangers": {
        "closure_rate": ("silent_points",),
        "open_major": ("per_danger",),
        "overdue": ("per_entry",),
        "self_inspection": ("tiers",),
    },
    "accidents": {
        "casualties": ("per_accident", "per_death", "per_serious_injury", "per_minor_injury"),
    },
    "enforcement": {"orders_on_time": (), "penalties": ("per_penalty",)},
}
_LABELS = ("安全生产条件", "安全生产标准化", "隐患排查治理", "生产安全事故", "执法检查与处罚")
DIMENSION_LABELS_CN = dict(zip(DIMENSIONS, _LABELS, strict=True))
GRADE_KEYS = ("1", "2", "3", "none")  # standardisation grade 一级/二级/三级, or not graded


class Level(StrEnum):
    GOOD = "good"
    NORMAL = "normal"
    REMINDER = "reminder"
    WARNING = "warning"

    @property
    def label_cn(self) -> str:
        return _LABELS_CN[self]

    @property
    def rank(self) -> int:
        """0 for GOOD (best) up to 3 for WARNING (worst); compare levels by this, not as str."""
        return _ORDER.index(self)

    @staticmethod
    def worst(*levels: Level) -> Level:
        return max(levels, key=lambda lv: lv.rank)


_ORDER = (Level.GOOD, Level.NORMAL, Level.REMINDER, Level.WARNING)
_LABELS_CN = dict(zip(_ORDER, ("良好", "正常", "提醒", "警示"), strict=True))
THRESHOLD_LEVELS = _ORDER[:-1]  # WARNING is whatever falls below the REMINDER threshold


class VetoKind(StrEnum):
    FATAL_ACCIDENT = "fatal_accident"
    SERIOUS_INJURIES = "serious_injuries"
    BLACKLISTED = "blacklisted"
    OVERDUE_MAJOR_DANGER = "overdue_major_danger"


class RulesError(ValueError):
    """`errors` maps a field to its messages, the shape of the API's problem+json `errors`."""

    def __init__(self, errors: Mapping[str, list[str]]):
        # Copy so that a caller mutating its dict afterwards cannot change a raised error.
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in errors.items()}
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class ModelError(RulesError):
    """A classification model that does not validate."""


@dataclass(frozen=True)
class Tier:  # self-inspection activity: `points` for ≥ `min_reported` self-reported dangers
    min_reported: int
    points: Decimal


@dataclass(frozen=True)
class Item:
    maximum: Decimal
    params: Mapping[str, Any]  # Decimal, or tuple[Tier, ...] (tiers), or {grade: Decimal}
    notes: str = ""


@dataclass(frozen=True)
class Dimension:
    maximum: Decimal
    items: Mapping[str, Item]
    notes: str = ""


@dataclass(frozen=True)
class Veto:
    kind: VetoKind
    level: Level
    # "level": the veto sets the level ("直接评为"); "cap": the level may be no better ("最高评为").
    # Both apply as the worse of the two, so a veto can never improve a level.
    effect: str
    threshold: int | None = None  # serious_injuries only
    notes: str = ""


@dataclass(frozen=True)
class Model:
    version: str
    thresholds: Mapping[Level, Decimal]  # lowest total for GOOD, NORMAL and REMINDER
    dimensions: Mapping[str, Dimension]
    vetoes: tuple[Veto, ...]
    notes: str = ""

    def level_for(self, total: Decimal) -> Level:
        """The level a total earns before vetoes; thresholds are inclusive (85 is GOOD)."""
        for level in THRESHOLD_LEVELS:
            if total >= self.thresholds[level]:
                return level
        return Level.WARNING
