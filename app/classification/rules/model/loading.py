"""`load_model`: a model from its JSON form, every bad field named at once. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from math import isfinite
from types import MappingProxyType
from typing import Any

from app.messages import Msg

from .types import (
    DIMENSIONS,
    GRADE_KEYS,
    THRESHOLD_LEVELS,
    TOTAL_POINTS,
    Dimension,
    Item,
    Level,
    Model,
    ModelError,
    Tier,
    Veto,
    VetoKind,
)


def load_model(data: Any) -> Model:
    """Build a model from its JSON form; every problem raised at once as a ModelError."""
    if not isinstance(data, Mapping):
        raise ModelError({"_schema": [Msg("must be an object")]})
    errors: dict[str, list[str]] = {}
    _unknown(data, ("version", "notes", "thresholds", "dimensions", "vetoes"), "", errors)
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        errors["version"] = [Msg("required: a non-empty string naming this model")]
    notes = _notes(data, "notes", errors)
    thresholds = _thresholds(data.get("thresholds"), errors)
    dimensions = _dimensions(data.get("dimensions"), errors)
    vetoes = _vetoes(data.get("vetoes"), errors)
    if errors:
        raise ModelError(errors)
    return Model(version, thresholds, dimensions, vetoes, notes)


def _unknown(raw: Mapping, allowed: tuple[str, ...], where: str, errors: dict) -> None:
    for key in raw:
        if key not in allowed:
            name = f"{where}.{key}" if where else str(key)
            errors[name] = [Msg("unknown field; allowed: %(allowed)s", allowed=", ".join(allowed))]


def _notes(raw: Mapping, where: str, errors: dict) -> str:
    value = raw.get("notes", "")
    if not isinstance(value, str):
        errors[where] = [Msg("must be a string")]
        return ""
    return value


def _number(value: Any, where: str, errors: dict, upper: Decimal | None = None) -> Decimal | None:
    """A finite number ≥ 0 (points and deductions alike), at most `upper` if given."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
        errors[where] = [Msg("required: a number")]
        return None
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number < 0:
        # A negative deduction would add points, so a fault could lift a level.
        errors[where] = [Msg("must not be negative")]
        return None
    if upper is not None and number > upper:
        errors[where] = [Msg("must be at most %(max)s", max=_fmt(upper))]
        return None
    return number


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _thresholds(raw: Any, errors: dict) -> Mapping[Level, Decimal]:
    names = [str(lv) for lv in THRESHOLD_LEVELS]
    if not isinstance(raw, Mapping) or sorted(map(str, raw)) != sorted(names):
        errors["thresholds"] = [
            Msg("required: an object with exactly %(keys)s", keys=", ".join(names))
        ]
        return {}
    out = {}
    for level in THRESHOLD_LEVELS:
        value = _number(raw[str(level)], f"thresholds.{level}", errors, upper=TOTAL_POINTS)
        if value is not None:
            out[level] = value
    if len(out) == len(THRESHOLD_LEVELS):
        for better, worse in zip(THRESHOLD_LEVELS, THRESHOLD_LEVELS[1:], strict=False):
            if out[better] <= out[worse]:
                errors.setdefault("thresholds", []).append(
                    Msg(
                        "must be strictly descending: %(better)s %(a)s is not above %(worse)s"
                        " %(b)s",
                        better=better,
                        a=_fmt(out[better]),
                        worse=worse,
                        b=_fmt(out[worse]),
                    )
                )
    return MappingProxyType(out)


def _dimensions(raw: Any, errors: dict) -> Mapping[str, Dimension]:
    if not isinstance(raw, Mapping):
        errors["dimensions"] = [
            Msg("required: an object with %(keys)s", keys=", ".join(DIMENSIONS))
        ]
        return {}
    _unknown(raw, tuple(DIMENSIONS), "dimensions", errors)
    out: dict[str, Dimension] = {}
    for code, schema in DIMENSIONS.items():
        where = f"dimensions.{code}"
        section = raw.get(code)
        if not isinstance(section, Mapping):
            errors[where] = [
                Msg("required: an object with max and %(keys)s", keys=", ".join(schema))
            ]
            continue
        _unknown(section, ("max", "notes", *schema), where, errors)
        maximum = _number(section.get("max"), f"{where}.max", errors)
        items = {}
        for name, params in schema.items():
            if (item := _item(section.get(name), f"{where}.{name}", params, errors)) is not None:
                items[name] = item
        if maximum is None or len(items) != len(schema):
            continue
        if (total := sum(i.maximum for i in items.values())) != maximum:
            errors[f"{where}.max"] = [
                Msg(
                    "%(max)s is not the sum of its items' %(total)s",
                    max=_fmt(maximum),
                    total=_fmt(total),
                )
            ]
        notes = _notes(section, f"{where}.notes", errors)
        out[code] = Dimension(maximum, MappingProxyType(items), notes)
    total = sum(d.maximum for d in out.values())
    if len(out) == len(DIMENSIONS) and total != TOTAL_POINTS:
        errors["dimensions"] = [Msg("maxima must sum to 100, not %(total)s", total=_fmt(total))]
    return MappingProxyType(out)


def _item(raw: Any, where: str, params: tuple[str, ...], errors: dict) -> Item | None:
    if not isinstance(raw, Mapping):
        errors[where] = [Msg("required: an object with %(keys)s", keys=", ".join(("max", *params)))]
        return None
    before = len(errors)
    _unknown(raw, ("max", "notes", *params), where, errors)
    maximum = _number(raw.get("max"), f"{where}.max", errors)
    values: dict[str, Any] = {}
    for name in params:
        if name == "tiers":
            values[name] = _tiers(raw.get(name), f"{where}.tiers", maximum, errors)
        elif name == "points_by_grade":
            values[name] = _grades(raw.get(name), f"{where}.{name}", maximum, errors)
        elif name == "silent_points":  # points earned, not deducted, so bounded by the item
            values[name] = _number(raw.get(name), f"{where}.{name}", errors, upper=maximum)
        else:
            values[name] = _number(raw.get(name), f"{where}.{name}", errors)
    notes = _notes(raw, f"{where}.notes", errors)
    if len(errors) > before or maximum is None:
        return None
    return Item(maximum, MappingProxyType(values), notes)


def _tiers(raw: Any, where: str, maximum: Decimal | None, errors: dict) -> tuple[Tier, ...]:
    if not isinstance(raw, list) or not raw:
        errors[where] = [Msg("required: a non-empty list of {min_reported, points}")]
        return ()
    tiers = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, Mapping) or set(entry) != {"min_reported", "points"}:
            errors[f"{where}[{i}]"] = [Msg("must be an object with min_reported and points")]
            return ()
        if (count := _int(entry["min_reported"], f"{where}[{i}].min_reported", 0, errors)) is None:
            return ()
        points = _number(entry["points"], f"{where}[{i}].points", errors, upper=maximum)
        if points is None:
            return ()
        tiers.append(Tier(count, points))
    if tiers[0].min_reported != 0:
        errors[where] = [
            Msg("the first tier must start at min_reported 0, so every count has points")
        ]
    for a, b in zip(tiers, tiers[1:], strict=False):
        if b.min_reported <= a.min_reported or b.points < a.points:
            # Reporting more must never score less, or the model would reward silence.
            errors[where] = [Msg("min_reported must ascend strictly and points must not fall")]
    return tuple(tiers)


def _grades(raw: Any, where: str, maximum: Decimal | None, errors: dict) -> Mapping:
    if not isinstance(raw, Mapping) or sorted(map(str, raw)) != sorted(GRADE_KEYS):
        errors[where] = [
            Msg("required: an object with exactly %(keys)s", keys=", ".join(GRADE_KEYS))
        ]
        return {}
    points = {k: _number(raw[k], f"{where}.{k}", errors, upper=maximum) for k in GRADE_KEYS}
    ordered = [points[k] for k in GRADE_KEYS]
    if None not in ordered and any(a < b for a, b in zip(ordered, ordered[1:], strict=False)):
        errors[where] = [Msg("a better grade (1 is best) must not score fewer points")]
    return MappingProxyType(points)


def _int(value: Any, where: str, minimum: int, errors: dict) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        errors[where] = [Msg("required: an integer ≥ %(min)s", min=minimum)]
        return None
    return value


def _member(value: Any, enum: type[StrEnum]) -> bool:
    return isinstance(value, str) and value in enum._value2member_map_


def _vetoes(raw: Any, errors: dict) -> tuple[Veto, ...]:
    if not isinstance(raw, list):
        errors["vetoes"] = [Msg("required: a list (empty for no vetoes)")]
        return ()
    out, seen = [], set()
    kinds, levels = ", ".join(VetoKind), ", ".join(Level)
    for i, entry in enumerate(raw):
        where = f"vetoes[{i}]"
        if not isinstance(entry, Mapping):
            errors[where] = [Msg("must be an object")]
            continue
        before = len(errors)
        _unknown(entry, ("kind", "level", "cap", "threshold", "notes"), where, errors)
        kind = entry.get("kind")
        if not _member(kind, VetoKind):
            errors[f"{where}.kind"] = [
                Msg(
                    "unknown veto kind %(kind)s; allowed: %(allowed)s",
                    kind=repr(kind),
                    allowed=kinds,
                )
            ]
        elif kind in seen:
            errors[f"{where}.kind"] = [
                Msg("%(kind)s appears twice; give each kind once", kind=kind)
            ]
        else:
            seen.add(kind)
        effects = [e for e in ("level", "cap") if e in entry]
        if len(effects) != 1:
            errors[where] = [Msg("give exactly one of level (sets it) or cap (the best it may be)")]
        elif not _member(entry[effects[0]], Level):
            errors[f"{where}.{effects[0]}"] = [Msg("must be one of %(allowed)s", allowed=levels)]
        threshold = entry.get("threshold")
        if kind == VetoKind.SERIOUS_INJURIES:
            _int(threshold, f"{where}.threshold", 1, errors)
        elif "threshold" in entry:
            errors[f"{where}.threshold"] = [Msg("only serious_injuries takes a threshold")]
        notes = _notes(entry, f"{where}.notes", errors)
        if len(errors) == before:
            level = Level(entry[effects[0]])
            out.append(Veto(VetoKind(kind), level, effects[0], threshold, notes))
    return tuple(out)
