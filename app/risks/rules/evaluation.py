"""Evaluate one assessment: LEC (D = L×E×C), LS (R = L×S) or direct judgement.

Only the standard factor values are accepted (FACTS §2.2–2.3): an LEC "L = 5" is not a milder
"6", it is a value no criteria table defines, so it is refused with the allowed values named.
Every bad field of a payload is reported in one `AssessmentError`, so a safety officer fixing an
Excel row or a form sees all problems at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from math import isfinite, prod
from types import MappingProxyType
from typing import Any

from app.messages import Msg

from .enums import AssessmentMethod, Color, ControlTier, RiskLevel
from .errors import AssessmentError
from .grading import GradingConfig, decimal_to_json, default_grading_config, fmt_decimal
from .reference import FactorValue, lec_values, ls_values

_METHODS = ", ".join(AssessmentMethod)
# Payload field → factor letter in the reference tables, per method.
_FACTOR_FIELDS = {
    AssessmentMethod.LEC: {"l": "L", "e": "E", "c": "C"},
    AssessmentMethod.LS: {"l": "L", "s": "S"},
}
_REASON_REQUIRED = Msg("required for direct judgement: why the risk is judged major outright")


@dataclass(frozen=True)
class Evaluation:
    method: AssessmentMethod
    score: Decimal | None  # None for direct judgement: there is no score to show
    level: RiskLevel
    control_tier: ControlTier
    config_version: str  # which banding convention produced `level`, for later re-grading
    factors: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    reason: str | None = None

    @property
    def color(self) -> Color:
        return self.level.color

    def as_dict(self) -> dict[str, Any]:
        """The API result: exactly score, level, color, control_tier."""
        return {
            "score": None if self.score is None else decimal_to_json(self.score),
            "level": str(self.level),
            "color": str(self.color),
            "control_tier": str(self.control_tier),
        }


def allowed_values(method: AssessmentMethod) -> dict[str, tuple[Decimal, ...]]:
    """Payload field → its standard values, in the reference table's order."""
    table = _table(method)
    return {
        name: tuple(v.value for v in table[letter])
        for name, letter in _FACTOR_FIELDS[method].items()
    }


def evaluate(payload: Any, config: GradingConfig | None = None) -> Evaluation:
    """Grade one assessment payload; raise `AssessmentError` listing every bad field."""
    config = config or default_grading_config()
    if not isinstance(payload, Mapping):
        raise AssessmentError(
            {"_schema": [Msg("must be an object with a method and its factors")]}
        )
    raw_method = payload.get("method")
    if raw_method is None:
        raise AssessmentError({"method": [Msg("required; one of %(allowed)s", allowed=_METHODS)]})
    if not isinstance(raw_method, str) or raw_method not in AssessmentMethod._value2member_map_:
        # Without a known method there is no way to tell which other fields belong.
        raise AssessmentError({"method": [Msg("must be one of %(allowed)s", allowed=_METHODS)]})
    method = AssessmentMethod(raw_method)

    if method is AssessmentMethod.DIRECT:
        return _direct(payload, config)

    errors: dict[str, list[str]] = {}
    expected = _FACTOR_FIELDS[method]
    _reject_unknown(payload, ("method", *expected), method, errors)
    table = _table(method)
    factors: dict[str, Decimal] = {}
    for name, letter in expected.items():
        choices = table[letter]
        allowed = ", ".join(fmt_decimal(v.value) for v in choices)
        if name not in payload:
            errors[name] = [Msg("required; one of %(allowed)s", allowed=allowed)]
            continue
        value = _as_decimal(payload[name])
        if value is None:
            errors[name] = [Msg("must be a finite number, one of %(allowed)s", allowed=allowed)]
            continue
        # Store the table's own Decimal, so 6.0 and 6 give the same canonical factor and score.
        match = next((v.value for v in choices if v.value == value), None)
        if match is None:
            errors[name] = [
                Msg(
                    "%(value)s is not a standard %(method)s %(factor)s value; must be one of"
                    " %(allowed)s",
                    value=_show(payload[name]),
                    method=str(method),
                    factor=letter,
                    allowed=allowed,
                )
            ]
            continue
        factors[name] = match
    if errors:
        raise AssessmentError(errors)

    score = prod(factors.values(), start=Decimal(1))
    level = config.level_for(method, score)
    return Evaluation(
        method,
        score,
        level,
        config.control_tier_for(level),
        config.version,
        MappingProxyType(factors),
    )


def _direct(payload: Mapping[str, Any], config: GradingConfig) -> Evaluation:
    errors: dict[str, list[str]] = {}
    _reject_unknown(payload, ("method", "reason"), AssessmentMethod.DIRECT, errors)
    reason = payload.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = [_REASON_REQUIRED]
    if errors:
        raise AssessmentError(errors)
    level = RiskLevel.MAJOR  # direct judgement exists only to declare a major risk outright
    return Evaluation(
        AssessmentMethod.DIRECT,
        None,
        level,
        config.control_tier_for(level),
        config.version,
        reason=reason.strip(),
    )


def _reject_unknown(
    payload: Mapping[str, Any],
    known: tuple[str, ...],
    method: AssessmentMethod,
    errors: dict[str, list[str]],
) -> None:
    # Same stance as the API schemas: an unexpected field (an "e" sent with LS) is a client
    # mistake worth naming, not something to ignore silently.
    for key in payload:
        if key not in known:
            errors[str(key)] = [
                Msg(
                    "unknown field for method %(method)s; allowed: %(allowed)s",
                    method=str(method),
                    allowed=", ".join(known),
                )
            ]


def _table(method: AssessmentMethod) -> dict[str, tuple[FactorValue, ...]]:
    return lec_values() if method is AssessmentMethod.LEC else ls_values()


def _as_decimal(value: Any) -> Decimal | None:
    """The exact decimal a JSON number stands for; None if not a finite number."""
    # bool is an int subclass; True must not pass as 1.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr is the shortest text that round-trips, so 0.1 becomes Decimal("0.1") exactly.
        return Decimal(repr(value)) if isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)
