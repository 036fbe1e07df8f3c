"""Identification and grading of one unit: the public entry point of the engine."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .reference import DATA_VERSION, load_reference
from .substances import CategoryUse, Line, error, evaluate

UNIT_KINDS = ("production", "storage")

# Computed values are reported to 4 decimal places. Decisions (major or not, the level) are
# taken on the exact values, never on these rounded ones.
_PLACES = 4


class AssessmentError(ValueError):
    """Bad input. `errors` lists every problem found, each naming its substance by index."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(
            f"{len(errors)} invalid input(s): "
            + "; ".join(
                (f"substance {e['index']}: " if e["index"] is not None else "")
                + f"{e['field']}: {e['message']}"
                for e in errors
            )
        )


def round_half_up(value: Fraction) -> Decimal:
    """Round an exact non-negative value half-up to _PLACES decimals, with no float in between."""
    scaled = math.floor(value * 10**_PLACES + Fraction(1, 2))
    return Decimal(scaled).scaleb(-_PLACES)


def _number(value: Decimal) -> float:
    # JSON has one number type. A float prints as the shortest decimal that reads back to it, so
    # any value of up to 15 significant digits (every realistic one) prints exactly as computed;
    # the dataclasses keep the Decimals for callers that need more.
    return float(value)


@dataclass(frozen=True, slots=True)
class Term:
    """One substance's share in Σ q/Q and Σ β·q/Q, with where each number came from."""

    index: int
    cas: str | None
    name: str | None
    table1_seq: int | None
    categories: tuple[CategoryUse, ...]
    quantity_t: Decimal
    critical_quantity_t: Decimal
    q_source: str
    q_category: str | None
    ratio: Decimal
    beta: Decimal
    beta_source: str
    beta_category: str | None
    beta_category_origin: str | None
    beta_ratio: Decimal

    @classmethod
    def from_line(cls, line: Line) -> Term:
        return cls(
            index=line.index,
            cas=line.cas,
            name=line.chemical.name_cn if line.chemical else None,
            table1_seq=line.chemical.seq if line.chemical else None,
            categories=line.categories,
            quantity_t=line.quantity_t,
            critical_quantity_t=line.critical_quantity_t,
            q_source=line.q_source,
            q_category=line.q_category,
            ratio=round_half_up(line.ratio),
            beta=line.beta,
            beta_source=line.beta_source,
            beta_category=line.beta_category.symbol if line.beta_category else None,
            beta_category_origin=line.beta_category.origin if line.beta_category else None,
            beta_ratio=round_half_up(line.beta_ratio),
        )

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "cas": self.cas,
            "name": self.name,
            "table1_seq": self.table1_seq,
            "categories": [{"symbol": c.symbol, "origin": c.origin} for c in self.categories],
            "quantity_t": _number(self.quantity_t),
            "critical_quantity_t": _number(self.critical_quantity_t),
            "q_source": self.q_source,
            "q_category": self.q_category,
            "ratio": _number(self.ratio),
            "beta": _number(self.beta),
            "beta_source": self.beta_source,
            "beta_category": self.beta_category,
            "beta_category_origin": self.beta_category_origin,
            "beta_ratio": _number(self.beta_ratio),
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    unit_kind: str
    exposed_population: int
    sum_ratio: Decimal
    is_major: bool
    alpha: Decimal
    alpha_band: str  # the Table 5 row chosen, e.g. "100人以上"
    r_value: Decimal
    level: int | None  # 1 (一级, highest) … 4, None when not a major hazard source
    terms: tuple[Term, ...]
    data_version: str

    def to_dict(self) -> dict:
        return {
            "sum_ratio": _number(self.sum_ratio),
            "is_major": self.is_major,
            "alpha": _number(self.alpha),
            "r_value": _number(self.r_value),
            "level": self.level,
            "terms": [term.to_dict() for term in self.terms],
            "data_version": self.data_version,
        }


def _check_unit(unit_kind: object, exposed_population: object, substances: object) -> list[dict]:
    errors = []
    if unit_kind not in UNIT_KINDS:
        errors.append(
            error(
                None,
                "unit_kind",
                "invalid_choice",
                "unit_kind must be 'production' or 'storage'",
            )
        )
    if exposed_population is None:
        errors.append(
            error(
                None,
                "exposed_population",
                "required",
                "exposed_population is required",
            )
        )
    elif isinstance(exposed_population, bool) or not isinstance(exposed_population, int):
        errors.append(
            error(
                None,
                "exposed_population",
                "invalid_type",
                "exposed_population must be a whole number of people",
            )
        )
    elif exposed_population < 0:
        errors.append(
            error(
                None,
                "exposed_population",
                "negative",
                "exposed_population must not be negative",
            )
        )
    if isinstance(substances, (str, bytes, Mapping)) or not isinstance(substances, Sequence):
        errors.append(
            error(
                None,
                "substances",
                "invalid_type",
                "substances must be a list of substances",
            )
        )
    elif not substances:
        errors.append(error(None, "substances", "empty", "a unit holds at least one substance"))
    return errors


def assess(unit_kind: str, exposed_population: int, substances: Sequence[Mapping]) -> Assessment:
    """Identify (Σ q/Q ≥ 1) and grade (R = α·Σ β·q/Q) one production or storage unit.

    Raises AssessmentError listing every bad input at once; never returns a partial answer.
    """
    reference = load_reference()
    errors = _check_unit(unit_kind, exposed_population, substances)
    lines: list[Line] = []
    if not any(e["field"] == "substances" for e in errors):
        for index, raw in enumerate(substances):
            result = evaluate(index, raw, reference)
            if isinstance(result, Line):
                lines.append(result)
            else:
                errors.extend(result)
    if errors:
        raise AssessmentError(errors)

    sum_ratio = sum((line.ratio for line in lines), Fraction(0))
    band = reference.alpha_band(exposed_population)
    r_value = Fraction(band.alpha) * sum((line.beta_ratio for line in lines), Fraction(0))
    # GB 18218-2018 4.2.1, formula (1): "≥ 1", so the boundary Σ q/Q = 1 is a major source.
    is_major = sum_ratio >= 1
    return Assessment(
        unit_kind=unit_kind,
        exposed_population=exposed_population,
        sum_ratio=round_half_up(sum_ratio),
        is_major=is_major,
        alpha=band.alpha,
        alpha_band=band.label_cn,
        r_value=round_half_up(r_value),
        level=reference.level_band(r_value).level if is_major else None,
        terms=tuple(Term.from_line(line) for line in lines),
        data_version=DATA_VERSION,
    )
