"""The enterprise's four-color grade, with the reasons that set it.

The color starts from the highest residual level among the enterprise's published risk points and
is only ever raised, never lowered, by floors: its major hazard sources (GB 18218 level 1 → red,
2 → orange, 3 and 4 → yellow by default) and, where the hidden-danger domain exists, its major
hidden dangers (open → orange, overdue → red). Every rule that fires gives a `Reason`; the grade
is the most severe of their colors, so the reasons of that color are the decisive ones.

Thresholds are data (`data/enterprise_color_rules.json`, versioned). The set-based SQL in
app/risks/service/grading.py (the nightly recompute and the one-enterprise re-grade alike) builds
its CASE expressions from the same `EnterpriseColorRules`; `grade_enterprise` is its oracle in
tests and explains each stored grade from the stored input counts. The stored grade's digest is
the SQL's own (rule version and counts); `inputs_digest` here serves callers of this function.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from typing import Any

from app.messages import Msg

from .enums import Color, RiskLevel
from .errors import EnterpriseColorInputError
from .reference import read_json

HAZARD_SOURCE_LEVELS = (1, 2, 3, 4)  # GB 18218-2018 一级 (highest) to 四级


class ColorRule(StrEnum):
    HIGHEST_RESIDUAL_RISK = "highest_residual_risk"
    NO_PUBLISHED_RISK_POINTS = "no_published_risk_points"
    MAJOR_HAZARD_SOURCE = "major_hazard_source"
    OPEN_MAJOR_HIDDEN_DANGER = "open_major_hidden_danger"
    OVERDUE_MAJOR_HIDDEN_DANGER = "overdue_major_hidden_danger"


@dataclass(frozen=True)
class EnterpriseColorRules:
    version: str
    # Without a published risk list there is nothing to grade from; this color is shown, and
    # the NO_PUBLISHED_RISK_POINTS reason says why, so a regulator can chase the enterprise.
    baseline_color: Color
    hazard_source_floors: Mapping[int, Color]
    open_danger_min_count: int
    open_danger_floor: Color
    overdue_danger_min_count: int
    overdue_danger_floor: Color

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "hazard_source_floors", MappingProxyType(dict(self.hazard_source_floors))
        )
        errors: dict[str, list[str]] = {}
        if problems := _floor_problems(self.hazard_source_floors):
            errors["hazard_source_floors"] = problems
        for name in ("open_danger_min_count", "overdue_danger_min_count"):
            value = getattr(self, name)
            if not _is_count(value) or value < 1:
                # 0 would fire on every enterprise, including those with no danger at all.
                errors[name] = [Msg("must be an integer ≥ 1")]
        if errors:
            raise EnterpriseColorInputError(errors)

    def __hash__(self) -> int:
        # Explicit because the floors mapping proxy is unhashable.
        return hash(json.dumps(self.to_dict(), sort_keys=True))

    @classmethod
    def from_dict(cls, data: Any) -> EnterpriseColorRules:
        """Build from the JSON form; every problem raised at once."""
        errors: dict[str, list[str]] = {}
        if not isinstance(data, Mapping):
            raise EnterpriseColorInputError({"_schema": [Msg("must be an object")]})
        known = (
            "version",
            "baseline_color",
            "hazard_source_floors",
            "open_major_hidden_danger",
            "overdue_major_hidden_danger",
        )
        for key in data:
            if key not in known:
                errors[str(key)] = [
                    Msg("unknown field; allowed: %(allowed)s", allowed=", ".join(known))
                ]
        version = data.get("version")
        if not isinstance(version, str) or not version.strip():
            errors["version"] = [Msg("required: a non-empty string")]
        baseline = _color(data.get("baseline_color"), "baseline_color", errors)
        floors = _hazard_floors(data.get("hazard_source_floors"), errors)
        open_rule = _count_rule(
            data.get("open_major_hidden_danger"), "open_major_hidden_danger", errors
        )
        overdue_rule = _count_rule(
            data.get("overdue_major_hidden_danger"), "overdue_major_hidden_danger", errors
        )
        if errors:
            raise EnterpriseColorInputError(errors)
        return cls(version, baseline, floors, *open_rule, *overdue_rule)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "baseline_color": str(self.baseline_color),
            "hazard_source_floors": {str(k): str(v) for k, v in self.hazard_source_floors.items()},
            "open_major_hidden_danger": {
                "min_count": self.open_danger_min_count,
                "floor": str(self.open_danger_floor),
            },
            "overdue_major_hidden_danger": {
                "min_count": self.overdue_danger_min_count,
                "floor": str(self.overdue_danger_floor),
            },
        }


@cache
def default_color_rules() -> EnterpriseColorRules:
    return EnterpriseColorRules.from_dict(read_json("enterprise_color_rules.json"))


@dataclass(frozen=True)
class Reason:
    rule: ColorRule
    color: Color
    detail: str
    facts: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": str(self.rule),
            "color": str(self.color),
            "detail": self.detail,
            "facts": dict(self.facts),
        }


@dataclass(frozen=True)
class EnterpriseGrade:
    color: Color
    reasons: tuple[Reason, ...]  # most severe first; never empty
    rule_version: str
    inputs_digest: str  # sha256 of the canonical inputs and rule version; unchanged ⇔ same grade

    def as_dict(self) -> dict[str, Any]:
        return {
            "color": str(self.color),
            "reasons": [r.as_dict() for r in self.reasons],
            "rule_version": self.rule_version,
            "inputs_digest": self.inputs_digest,
        }


def grade_enterprise(
    residual_levels: Iterable[RiskLevel | str],
    hazard_source_levels: Iterable[int] = (),
    open_major_hidden_dangers: int | None = None,
    overdue_major_hidden_dangers: int | None = None,
    rules: EnterpriseColorRules | None = None,
) -> EnterpriseGrade:
    """Grade one enterprise.

    residual_levels: the residual level of each published risk point (a multiset).
    hazard_source_levels: the GB 18218 level (1–4) of each major hazard source.
    open_/overdue_major_hidden_dangers: counts, or both None while the hidden-danger domain
    does not exist. Overdue dangers are open too, so overdue ≤ open.
    """
    rules = rules or default_color_rules()
    errors: dict[str, list[str]] = {}
    levels = _levels(residual_levels, errors)
    hazards = _hazards(hazard_source_levels, errors)
    _dangers(open_major_hidden_dangers, overdue_major_hidden_dangers, errors)
    if errors:
        raise EnterpriseColorInputError(errors)

    reasons: list[Reason] = []
    if levels:
        top = max(levels, key=lambda lv: lv.rank)
        reasons.append(
            Reason(
                ColorRule.HIGHEST_RESIDUAL_RISK,
                top.color,
                Msg(
                    "highest residual risk of %(points)s published risk points is %(level)s",
                    points=len(levels),
                    level=top,
                ),
                MappingProxyType(
                    {"level": str(top), "count": levels.count(top), "published_points": len(levels)}
                ),
            )
        )
    else:
        reasons.append(
            Reason(
                ColorRule.NO_PUBLISHED_RISK_POINTS,
                rules.baseline_color,
                Msg("no published risk points"),
            )
        )
    if hazards:
        # The most severe source decides: level 1 is the highest (一级为最高级别), and floors
        # are validated never to fall as severity rises, so the smallest level has the top floor.
        top_hazard = min(hazards)
        reasons.append(
            Reason(
                ColorRule.MAJOR_HAZARD_SOURCE,
                rules.hazard_source_floors[top_hazard],
                Msg(
                    "%(count)s major hazard source(s) of level %(level)s",
                    count=hazards.count(top_hazard),
                    level=top_hazard,
                ),
                MappingProxyType(
                    {
                        "level": top_hazard,
                        "count": hazards.count(top_hazard),
                        "sources": len(hazards),
                    }
                ),
            )
        )
    if open_major_hidden_dangers is not None and (
        open_major_hidden_dangers >= rules.open_danger_min_count
    ):
        reasons.append(
            Reason(
                ColorRule.OPEN_MAJOR_HIDDEN_DANGER,
                rules.open_danger_floor,
                Msg("%(count)s open major hidden danger(s)", count=open_major_hidden_dangers),
                MappingProxyType({"count": open_major_hidden_dangers}),
            )
        )
    if overdue_major_hidden_dangers is not None and (
        overdue_major_hidden_dangers >= rules.overdue_danger_min_count
    ):
        reasons.append(
            Reason(
                ColorRule.OVERDUE_MAJOR_HIDDEN_DANGER,
                rules.overdue_danger_floor,
                Msg(
                    "%(count)s overdue major hidden danger(s)",
                    count=overdue_major_hidden_dangers,
                ),
                MappingProxyType({"count": overdue_major_hidden_dangers}),
            )
        )

    reasons.sort(key=lambda r: -r.color.rank)  # stable: rule order breaks ties
    color = reasons[0].color
    digest = _digest(
        rules.version, levels, hazards, open_major_hidden_dangers, overdue_major_hidden_dangers
    )
    return EnterpriseGrade(color, tuple(reasons), rules.version, digest)


def _digest(
    version: str,
    levels: list[RiskLevel],
    hazards: list[int],
    open_count: int | None,
    overdue_count: int | None,
) -> str:
    # Counts, not lists: the inputs are multisets, and row order must not change the digest.
    canonical = {
        "rule_version": version,
        "residual_levels": {str(k): v for k, v in sorted(Counter(levels).items())},
        "hazard_source_levels": {str(k): v for k, v in sorted(Counter(hazards).items())},
        "open_major_hidden_dangers": open_count,
        "overdue_major_hidden_dangers": overdue_count,
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _levels(raw: Iterable[Any], errors: dict[str, list[str]]) -> list[RiskLevel]:
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        errors["residual_levels"] = [Msg("must be a list of risk levels")]
        return []
    items = list(raw)
    bad = [repr(v) for v in items if not (isinstance(v, str) and v in RiskLevel._value2member_map_)]
    if bad:
        errors["residual_levels"] = [
            Msg(
                "not risk levels: %(values)s; allowed: %(allowed)s",
                values=", ".join(bad),
                allowed=", ".join(RiskLevel),
            )
        ]
        return []
    return [RiskLevel(v) for v in items]


def _hazards(raw: Iterable[Any], errors: dict[str, list[str]]) -> list[int]:
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        errors["hazard_source_levels"] = [Msg("must be a list of levels 1–4")]
        return []
    items = list(raw)
    bad = [
        repr(v)
        for v in items
        if isinstance(v, bool) or not isinstance(v, int) or v not in HAZARD_SOURCE_LEVELS
    ]
    if bad:
        errors["hazard_source_levels"] = [
            Msg(
                "not major hazard source levels: %(values)s; allowed: 1, 2, 3, 4",
                values=", ".join(bad),
            )
        ]
        return []
    return items


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _dangers(open_count: Any, overdue_count: Any, errors: dict[str, list[str]]) -> None:
    if (open_count is None) != (overdue_count is None):
        # Half-known danger figures would grade as if the unknown half were zero.
        errors["major_hidden_dangers"] = [Msg("give both open and overdue counts, or neither")]
        return
    if open_count is None:
        return
    valid = True
    for name, value in (
        ("open_major_hidden_dangers", open_count),
        ("overdue_major_hidden_dangers", overdue_count),
    ):
        if not _is_count(value):
            errors[name] = [Msg("must be a non-negative integer")]
            valid = False
    if valid and overdue_count > open_count:
        errors["overdue_major_hidden_dangers"] = [
            "cannot exceed open_major_hidden_dangers: an overdue danger is still open"
        ]


def _color(value: Any, where: str, errors: dict[str, list[str]]) -> Color:
    if isinstance(value, str) and value in Color._value2member_map_:
        return Color(value)
    errors[where] = [Msg("must be one of %(allowed)s", allowed=", ".join(Color))]
    return Color.BLUE


def _hazard_floors(raw: Any, errors: dict[str, list[str]]) -> dict[int, Color]:
    where = "hazard_source_floors"
    if not isinstance(raw, Mapping) or sorted(map(str, raw)) != ["1", "2", "3", "4"]:
        errors[where] = ['required: an object with keys "1", "2", "3", "4" mapping to colors']
        return {}
    floors = {int(k): _color(v, f"{where}.{k}", errors) for k, v in raw.items()}
    if not any(f"{where}.{k}" in errors for k in raw) and (problems := _floor_problems(floors)):
        errors[where] = problems
    return floors


def _floor_problems(floors: Mapping[int, Color]) -> list[str]:
    if set(floors) != set(HAZARD_SOURCE_LEVELS):
        return ["a floor color is required for each level 1, 2, 3, 4 and no other"]
    # Level 1 is the most severe (GB 18218-2018 Table 6), so its floor may not be lower.
    return [
        f"level {higher} (more severe) floors at {floors[higher]}, "
        f"below level {lower}'s {floors[lower]}"
        for higher, lower in zip(HAZARD_SOURCE_LEVELS, HAZARD_SOURCE_LEVELS[1:], strict=False)
        if floors[higher].rank < floors[lower].rank
    ]


def _count_rule(raw: Any, where: str, errors: dict[str, list[str]]) -> tuple[int, Color]:
    if not isinstance(raw, Mapping) or set(raw) != {"min_count", "floor"}:
        errors[where] = [Msg("required: an object with min_count and floor")]
        return 1, Color.BLUE
    min_count = raw["min_count"]
    if not _is_count(min_count) or min_count < 1:
        errors[f"{where}.min_count"] = [Msg("must be an integer ≥ 1")]
    return min_count, _color(raw["floor"], f"{where}.floor", errors)
