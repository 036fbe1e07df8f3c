"""Banding conventions as data: which score is which level, and which tier controls each level.

No national standard fixes the bands or the tier table (FACTS §2.2–2.4), so they are an
authority's setting. `GradingConfig` is the one place they live; the default ships in
`data/grading_default.json`. A config cannot be built invalid: construction checks that the bands
of each method cover every possible score exactly once and that severity never falls as the score
rises, and that the tier table maps every level, higher levels to equal or higher tiers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from math import isfinite, prod
from types import MappingProxyType
from typing import Any

from app.messages import Msg

from .enums import AssessmentMethod, ControlTier, RiskLevel
from .errors import GradingConfigError
from .reference import lec_values, ls_values, read_json

_SCORED = (AssessmentMethod.LEC, AssessmentMethod.LS)
_SECTION = {AssessmentMethod.LEC: "lec", AssessmentMethod.LS: "ls"}


def fmt_decimal(value: Decimal) -> str:
    """70, 0.5, 0.05 — never 7E+1."""
    return format(value.normalize(), "f")


def decimal_to_json(value: Decimal) -> int | float:
    # Integral scores stay ints in JSON (270, not 270.0); the others are short decimals whose
    # float repr is exact enough to print back as written (0.05).
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Band:
    """Scores with lower ≤ score < upper get `level`; None means unbounded on that side."""

    lower: Decimal | None
    upper: Decimal | None
    level: RiskLevel

    def contains(self, score: Decimal) -> bool:
        return (self.lower is None or score >= self.lower) and (
            self.upper is None or score < self.upper
        )

    def describe(self) -> str:
        low = "-∞" if self.lower is None else fmt_decimal(self.lower)
        high = "+∞" if self.upper is None else fmt_decimal(self.upper)
        return f"[{low}, {high}) → {self.level}"


@cache
def score_domain(method: AssessmentMethod) -> tuple[Decimal, Decimal]:
    """Smallest and largest score the standard factor values can produce."""
    table = lec_values() if method is AssessmentMethod.LEC else ls_values()
    factors = [[v.value for v in values] for values in table.values()]
    return prod(min(f) for f in factors), prod(max(f) for f in factors)


@dataclass(frozen=True)
class GradingConfig:
    version: str
    lec_bands: tuple[Band, ...]
    ls_bands: tuple[Band, ...]
    control_tiers: Mapping[RiskLevel, ControlTier]

    def __post_init__(self) -> None:
        # Normalise first so that the checks, and every later lookup, see bands in score order.
        object.__setattr__(self, "lec_bands", _sorted_bands(self.lec_bands))
        object.__setattr__(self, "ls_bands", _sorted_bands(self.ls_bands))
        tiers = {RiskLevel(k): ControlTier(v) for k, v in dict(self.control_tiers).items()}
        object.__setattr__(self, "control_tiers", MappingProxyType(tiers))
        errors: dict[str, list[str]] = {}
        if not isinstance(self.version, str) or not self.version.strip():
            errors["version"] = [Msg("required: a non-empty string naming this convention")]
        for method in _SCORED:
            problems = band_problems(self.bands_for(method), score_domain(method))
            if problems:
                errors[_SECTION[method]] = problems
        if problems := tier_problems(self.control_tiers):
            errors["control_tiers"] = problems
        if errors:
            raise GradingConfigError(errors)

    def __hash__(self) -> int:
        # Explicit because the tier mapping proxy is unhashable; lets callers cache per config.
        tiers = tuple(sorted((str(k), str(v)) for k, v in self.control_tiers.items()))
        return hash((self.version, self.lec_bands, self.ls_bands, tiers))

    def bands_for(self, method: AssessmentMethod) -> tuple[Band, ...]:
        if method is AssessmentMethod.LEC:
            return self.lec_bands
        if method is AssessmentMethod.LS:
            return self.ls_bands
        raise ValueError(f"{method} has no score bands")

    def level_for(self, method: AssessmentMethod, score: Decimal) -> RiskLevel:
        for band in self.bands_for(method):
            if band.contains(score):
                return band.level
        # Unreachable for scores built from standard values: coverage was checked on construction.
        raise ValueError(f"{method} score {fmt_decimal(score)} is outside every band")

    def control_tier_for(self, level: RiskLevel) -> ControlTier:
        return self.control_tiers[level]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            **{_SECTION[m]: [_band_to_dict(b) for b in self.bands_for(m)] for m in _SCORED},
            "control_tiers": {str(k): str(v) for k, v in self.control_tiers.items()},
        }

    @classmethod
    def from_dict(cls, data: Any) -> GradingConfig:
        """Build from the JSON form (as stored for an authority); all problems raised at once."""
        if not isinstance(data, Mapping):
            raise GradingConfigError({"_schema": [Msg("must be an object")]})
        errors: dict[str, list[str]] = {}
        for key in data:
            if key not in ("version", "lec", "ls", "control_tiers"):
                errors[str(key)] = [
                    Msg("unknown field; allowed: version, lec, ls, control_tiers")
                ]
        version = data.get("version")
        if not isinstance(version, str) or not version.strip():
            errors["version"] = [Msg("required: a non-empty string naming this convention")]
        bands: dict[AssessmentMethod, tuple[Band, ...]] = {}
        for method in _SCORED:
            section = _SECTION[method]
            parsed = _parse_bands(data.get(section), section, errors)
            if parsed is not None:
                if problems := band_problems(_sorted_bands(parsed), score_domain(method)):
                    errors[section] = problems
                bands[method] = parsed
        tiers = _parse_tiers(data.get("control_tiers"), errors)
        if tiers is not None and (problems := tier_problems(tiers)):
            errors["control_tiers"] = problems
        if errors:
            raise GradingConfigError(errors)
        return cls(version, bands[AssessmentMethod.LEC], bands[AssessmentMethod.LS], tiers)


@cache
def default_grading_config() -> GradingConfig:
    """The issue's convention (LEC 70/160/320, LS 9/15/20; company/department/workshop/post)."""
    return GradingConfig.from_dict(read_json("grading_default.json"))


def _sorted_bands(bands: Iterable[Band]) -> tuple[Band, ...]:
    return tuple(sorted(bands, key=lambda b: (b.lower is not None, b.lower or 0)))


def band_problems(bands: tuple[Band, ...], domain: tuple[Decimal, Decimal]) -> list[str]:
    """Why these sorted bands do not cover `domain` exactly once, monotonically; [] if they do."""
    if not bands:
        return [Msg("at least one band is required")]
    problems = [
        Msg("band %(band)s: lower must be below upper", band=b.describe())
        for b in bands
        if b.lower is not None and b.upper is not None and b.lower >= b.upper
    ]
    if problems:
        return problems  # adjacency checks would only repeat the same fault in other words
    low, high = domain
    first, last = bands[0], bands[-1]
    if first.lower is not None and first.lower > low:
        problems.append(
            Msg(
                "gap: scores from %(low)s up to %(high)s are in no band",
                low=fmt_decimal(low),
                high=fmt_decimal(first.lower),
            )
        )
    if last.upper is not None and last.upper <= high:
        problems.append(
            Msg(
                "gap: scores from %(low)s to %(high)s inclusive are in no band",
                low=fmt_decimal(last.upper),
                high=fmt_decimal(high),
            )
        )
    for a, b in zip(bands, bands[1:], strict=False):
        if a.upper is None or b.lower is None or a.upper > b.lower:
            problems.append(Msg("overlap: %(a)s and %(b)s", a=a.describe(), b=b.describe()))
        elif a.upper < b.lower:
            problems.append(
                Msg(
                    "gap: scores from %(low)s up to %(high)s are in no band",
                    low=fmt_decimal(a.upper),
                    high=fmt_decimal(b.lower),
                )
            )
        if b.level.rank < a.level.rank:
            # A higher score meaning a lower risk is always a typo, never a convention.
            problems.append(
                Msg(
                    "level falls as the score rises: %(a)s then %(b)s",
                    a=a.describe(),
                    b=b.describe(),
                )
            )
    return problems


def tier_problems(tiers: Mapping[RiskLevel, ControlTier]) -> list[str]:
    problems = []
    missing = [str(level) for level in RiskLevel if level not in tiers]
    if missing:
        problems.append(
            Msg(
                "a tier is required for every level; missing: %(missing)s",
                missing=[RiskLevel(m) for m in missing],
            )
        )
    ordered = sorted((level for level in RiskLevel if level in tiers), key=lambda lv: lv.rank)
    for lower, higher in zip(ordered, ordered[1:], strict=False):
        # The higher the risk, the higher the controlling level (FACTS §2.4).
        if tiers[higher].rank < tiers[lower].rank:
            problems.append(
                Msg(
                    "%(higher)s risk is controlled at %(tier)s, below the %(lower_tier)s tier of"
                    " %(lower)s risk",
                    higher=higher,
                    tier=tiers[higher],
                    lower_tier=tiers[lower],
                    lower=lower,
                )
            )
    return problems


def _band_to_dict(band: Band) -> dict[str, Any]:
    return {
        "lower": None if band.lower is None else decimal_to_json(band.lower),
        "upper": None if band.upper is None else decimal_to_json(band.upper),
        "level": str(band.level),
    }


def _parse_bound(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(Msg("must be a finite number or null"))
    if isinstance(value, float) and not isfinite(value):
        raise ValueError(Msg("must be a finite number or null"))
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _parse_bands(raw: Any, section: str, errors: dict[str, list[str]]) -> tuple[Band, ...] | None:
    if not isinstance(raw, list) or not raw:
        errors[section] = [Msg("required: a non-empty list of {lower, upper, level} bands")]
        return None
    bands, ok = [], True
    levels = ", ".join(RiskLevel)
    for i, item in enumerate(raw):
        where = f"{section}[{i}]"
        if not isinstance(item, Mapping):
            errors[where] = [Msg("must be an object with lower, upper, level")]
            ok = False
            continue
        extra = sorted(set(item) - {"lower", "upper", "level"})
        if extra:
            errors[where] = [
                Msg(
                    "unknown fields %(fields)s; allowed: lower, upper, level",
                    fields=", ".join(map(str, extra)),
                )
            ]
            ok = False
        parsed: dict[str, Any] = {}
        for key in ("lower", "upper"):
            try:
                parsed[key] = _parse_bound(item.get(key))
            except ValueError as exc:
                errors[f"{where}.{key}"] = [exc.args[0]]
                ok = False
        level = item.get("level")
        if not _is_member(level, RiskLevel):
            errors[f"{where}.level"] = [Msg("must be one of %(allowed)s", allowed=levels)]
            ok = False
        elif ok:
            bands.append(Band(parsed["lower"], parsed["upper"], RiskLevel(level)))
    return tuple(bands) if ok else None


def _parse_tiers(raw: Any, errors: dict[str, list[str]]) -> dict[RiskLevel, ControlTier] | None:
    if not isinstance(raw, Mapping):
        errors["control_tiers"] = [Msg("required: an object mapping each level to a tier")]
        return None
    tiers, ok = {}, True
    for key, value in raw.items():
        if not _is_member(key, RiskLevel):
            errors[f"control_tiers.{key}"] = [
                Msg("unknown level; one of %(allowed)s", allowed=", ".join(RiskLevel))
            ]
            ok = False
        elif not _is_member(value, ControlTier):
            errors[f"control_tiers.{key}"] = [
                Msg("must be one of %(allowed)s", allowed=", ".join(ControlTier))
            ]
            ok = False
        else:
            tiers[RiskLevel(key)] = ControlTier(value)
    return tiers if ok else None


def _is_member(value: Any, enum: type[StrEnum]) -> bool:
    # isinstance first: an unhashable value (a list from JSON) must be a message, not a TypeError.
    return isinstance(value, str) and value in enum._value2member_map_
