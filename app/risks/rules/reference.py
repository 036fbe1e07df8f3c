"""Reference tables shipped as versioned data files in `app/risks/data/` (sources in its README).

Each loader reads its file once per process (functools.cache); callers get immutable values.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

_DATA_PACKAGE = "app.risks"


def _read_text(name: str) -> str:
    # importlib.resources rather than a path relative to __file__, so a zipped or installed
    # package still finds its data (the data folder must be included as package data).
    return resources.files(_DATA_PACKAGE).joinpath("data", name).read_text(encoding="utf-8")


def _read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_read_text(name))))


def read_json(name: str) -> Any:
    return json.loads(_read_text(name))


@dataclass(frozen=True)
class FactorValue:
    factor: str
    value: Decimal
    label_cn: str
    label_en: str


@cache
def lec_values() -> dict[str, tuple[FactorValue, ...]]:
    """Standard LEC value sets, keyed "L", "E", "C", in the file's (descending) order."""
    return _factor_table("lec_values.csv", "label_cn", "label_en")


@cache
def ls_values() -> dict[str, tuple[FactorValue, ...]]:
    """LS scales 1–5, keyed "L", "S", with the paraphrased criteria as labels."""
    return _factor_table("ls_scales.csv", "criteria_cn", "criteria_en")


def _factor_table(name: str, cn: str, en: str) -> dict[str, tuple[FactorValue, ...]]:
    table: dict[str, list[FactorValue]] = {}
    for row in _read_csv(name):
        # Decimal from the text keeps 0.1 and 0.2 exact, so D = 0.1 × 2 × 100 is 20, not
        # 20.000000000000004, and a band edge placed at 20 behaves as written.
        value = FactorValue(row["factor"], Decimal(row["value"]), row[cn], row[en])
        table.setdefault(row["factor"], []).append(value)
    return {factor: tuple(values) for factor, values in table.items()}


@dataclass(frozen=True)
class AccidentType:
    code: str
    seq: int
    name_cn: str
    name_en: str


@cache
def accident_types() -> tuple[AccidentType, ...]:
    """GB 6441-2025 basic accident types (WSA1xxxx), in the standard's order."""
    return tuple(
        AccidentType(row["code"], int(row["seq"]), row["name_cn"], row["name_en"])
        for row in _read_csv("accident_types_gb6441_2025.csv")
    )
