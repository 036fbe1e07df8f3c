"""Pure rules of the classification domain: stdlib only, no Flask, no database, no clock.

`model` holds the configurable, versioned scoring model; `scoring` applies it to one
enterprise's facts. Import from here; the modules' layout is not part of the API.
"""

from .model import (
    DIMENSION_LABELS_CN,
    DIMENSIONS,
    Dimension,
    Item,
    Level,
    Model,
    ModelError,
    RulesError,
    Tier,
    Veto,
    VetoKind,
    default_model,
    load_model,
    model_to_dict,
)
from .scoring import (
    WINDOW_DAYS,
    Accident,
    Deduction,
    Facts,
    FactsError,
    Penalty,
    Result,
    VetoHit,
    score,
)

__all__ = [
    "DIMENSIONS",
    "DIMENSION_LABELS_CN",
    "WINDOW_DAYS",
    "Accident",
    "Deduction",
    "Dimension",
    "Facts",
    "FactsError",
    "Item",
    "Level",
    "Model",
    "ModelError",
    "Penalty",
    "Result",
    "RulesError",
    "Tier",
    "Veto",
    "VetoHit",
    "VetoKind",
    "default_model",
    "load_model",
    "model_to_dict",
    "score",
]
