"""The classification model: weights, deductions, level thresholds and vetoes, held as data.

No published scheme exists for the four levels 良好/正常/提醒/警示 (FACTS §5, NOT FOUND), so the
model is a product default (data/model_2026.1.json) that each authority may replace with its own.
Only the numbers are configurable: the dimensions and their items are fixed in `DIMENSIONS`,
because `scoring` computes each item and an item it does not know could never be scored.

A model cannot be built invalid: `load_model` checks the whole document and names every bad
field at once. Any change is a new `version`; every result records the version that made it, so
a stored level can always be re-explained from its model.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from .loading import load_model
from .types import (
    DEFAULT_MODEL_FILE,
    DIMENSION_LABELS_CN,
    DIMENSIONS,
    GRADE_KEYS,
    THRESHOLD_LEVELS,
    TOTAL_POINTS,
    Dimension,
    Item,
    Level,
    Model,
    ModelError,
    RulesError,
    Tier,
    Veto,
    VetoKind,
)

__all__ = [
    "DEFAULT_MODEL_FILE",
    "DIMENSION_LABELS_CN",
    "DIMENSIONS",
    "GRADE_KEYS",
    "THRESHOLD_LEVELS",
    "TOTAL_POINTS",
    "Dimension",
    "Item",
    "Level",
    "Model",
    "ModelError",
    "RulesError",
    "Tier",
    "Veto",
    "VetoKind",
    "default_model",
    "load_model",
    "model_to_dict",
    "to_json_number",
]


@cache
def default_model() -> Model:
    text = resources.files("app.classification").joinpath("data", DEFAULT_MODEL_FILE)
    return load_model(json.loads(text.read_text(encoding="utf-8")))


def model_to_dict(model: Model) -> dict[str, Any]:
    """The JSON form; `load_model(model_to_dict(m)) == m`."""
    out: dict[str, Any] = {"version": model.version, "notes": model.notes}
    out["thresholds"] = {str(lv): to_json_number(model.thresholds[lv]) for lv in THRESHOLD_LEVELS}
    out["dimensions"] = {}
    for code, dim in model.dimensions.items():
        section: dict[str, Any] = {"max": to_json_number(dim.maximum), "notes": dim.notes}
        for name, item in dim.items.items():
            section[name] = _item_to_dict(item)
        out["dimensions"][code] = section
    out["vetoes"] = []
    for veto in model.vetoes:
        entry: dict[str, Any] = {"kind": str(veto.kind), veto.effect: str(veto.level)}
        if veto.threshold is not None:
            entry["threshold"] = veto.threshold
        out["vetoes"].append({**entry, "notes": veto.notes})
    return out


def to_json_number(value: Decimal) -> int | float:
    # Integral values stay ints (20, not 20.0); the rest are short decimals whose float repr
    # prints back exactly as written (2.5, 0.1), so the JSON form round-trips.
    return int(value) if value == value.to_integral_value() else float(value)


def _item_to_dict(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"max": to_json_number(item.maximum), "notes": item.notes}
    for name, value in item.params.items():
        if name == "tiers":
            out[name] = [
                {"min_reported": t.min_reported, "points": to_json_number(t.points)} for t in value
            ]
        elif name == "points_by_grade":
            out[name] = {k: to_json_number(v) for k, v in value.items()}
        else:
            out[name] = to_json_number(value)
    return out
