"""One substance line of a unit: who it is, how much, and which Q and β apply.

Each line is checked on its own and returns either an evaluated line or every error found in
it, so the caller can report all bad substances of a unit at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.messages import Msg

from .lookup import error, normalize_text, resolve_cas, resolve_name
from .reference import Category, Chemical, Reference

ALLOWED_FIELDS = frozenset({"cas", "name", "category", "quantity_t"})

ORIGIN_DEFAULT = "default"
ORIGIN_STATED = "stated"

_MAX_QUANTITY = Decimal(10) ** 9
_MIN_EXPONENT = -12


@dataclass(frozen=True, slots=True)
class CategoryUse:
    symbol: str
    origin: str  # ORIGIN_DEFAULT or ORIGIN_STATED


@dataclass(frozen=True, slots=True)
class Line:
    """An evaluated substance line, exact values only; rounding happens at the edge."""

    index: int
    chemical: Chemical | None
    cas: str | None
    quantity_t: Decimal
    categories: tuple[CategoryUse, ...]
    critical_quantity_t: Decimal
    q_source: str  # "table1" | "table2"
    q_category: str | None
    beta: Decimal
    beta_source: str  # "table3" | "table4"
    beta_category: CategoryUse | None

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.quantity_t) / Fraction(self.critical_quantity_t)

    @property
    def beta_ratio(self) -> Fraction:
        return Fraction(self.beta) * self.ratio


def _parse_quantity(index: int, raw: object, errors: list[dict]) -> Decimal | None:
    if raw is None:
        errors.append(error(index, "quantity_t", "required", "quantity_t is required"))
        return None
    # bool is an int in Python, but true/false is never a tonnage.
    if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal)):
        errors.append(
            error(
                index,
                "quantity_t",
                "invalid_type",
                "quantity_t must be a number of tonnes",
            )
        )
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        errors.append(error(index, "quantity_t", "invalid_type", "quantity_t must be finite"))
        return None
    # repr() of a float is its shortest round-tripping decimal, so 12.1 stays 12.1 rather than
    # the binary value 12.0999999999999996447286321199499070644378662109375.
    quantity = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    if not quantity.is_finite():
        errors.append(error(index, "quantity_t", "invalid_type", "quantity_t must be finite"))
        return None
    if quantity < 0:
        errors.append(error(index, "quantity_t", "negative", "quantity_t must not be negative"))
        return None
    # Exact arithmetic on a Decimal such as 1E-999999999 would build a billion-digit integer;
    # no unit holds 10⁹ t, and 10⁻¹² t is a milligram.
    if quantity >= _MAX_QUANTITY or (quantity and quantity.as_tuple().exponent < _MIN_EXPONENT):
        errors.append(
            error(
                index,
                "quantity_t",
                "out_of_range",
                "quantity_t must be below 10⁹ t with at most 12 decimal places",
            )
        )
        return None
    return quantity


def _parse_categories(
    index: int, raw: object, reference: Reference, errors: list[dict]
) -> tuple[Category, ...] | None:
    """Stated categories, in the order given, without repeats; None when any is bad."""
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, (list, tuple)) or not items:
        errors.append(
            error(
                index,
                "category",
                "invalid_type",
                "category must be a hazard category symbol or a non-empty list of them",
            )
        )
        return None
    found: dict[str, Category] = {}
    bad = False
    for item in items:
        symbol = normalize_text(item).upper() if isinstance(item, str) else None
        category = reference.categories.get(symbol) if symbol else None
        if category is None:
            errors.append(
                error(
                    index,
                    "category",
                    "unknown_category",
                    Msg(
                        "%(value)s is not a GB 18218-2018 Table 2 category symbol"
                        " (J1–J5, W1.1–W11)",
                        value=repr(item),
                    ),
                )
            )
            bad = True
        else:
            found.setdefault(category.symbol, category)
    return None if bad else tuple(found.values())


def _pick(
    uses: tuple[CategoryUse, ...], reference: Reference, field: str, largest: bool
) -> CategoryUse:
    # min() and max() return the first of equals, so ties go to the earliest use (stated before
    # default, then input or file order) and the explanation is the same on every run.
    choose = max if largest else min
    return choose(uses, key=lambda use: getattr(reference.categories[use.symbol], field))


def evaluate(index: int, raw: object, reference: Reference) -> Line | list[dict]:
    """Check and evaluate one substance given as a mapping; the errors found, or the line."""
    if not isinstance(raw, Mapping):
        return [error(index, "substance", "invalid_type", "a substance must be an object")]
    errors: list[dict] = []
    for field in sorted(set(raw) - ALLOWED_FIELDS, key=str):
        errors.append(
            error(
                index,
                str(field),
                "unknown_field",
                Msg("unknown field %(field)s", field=repr(field)),
            )
        )

    has_cas, has_name = raw.get("cas") is not None, raw.get("name") is not None
    if not (has_cas or has_name or raw.get("category") is not None):
        errors.append(
            error(
                index,
                "substance",
                "required",
                "give the substance's cas, name or category",
            )
        )
    by_cas = resolve_cas(index, raw["cas"], errors) if has_cas else None
    by_name = resolve_name(index, raw["name"], errors) if has_name else None
    stated = (
        _parse_categories(index, raw["category"], reference, errors)
        if raw.get("category") is not None
        else ()
    )
    quantity = _parse_quantity(index, raw.get("quantity_t"), errors)

    chemical = None
    identity_resolved = (by_cas is not None or not has_cas) and (
        by_name is not None or not has_name
    )
    if identity_resolved and (has_cas or has_name):
        chemical = _single_chemical(index, by_cas, by_name, errors)
    if (
        chemical is not None
        and chemical.table3_beta is None
        and not chemical.default_categories
        and stated == ()
    ):
        errors.append(
            error(
                index,
                "category",
                "no_beta_category",
                Msg(
                    "%(name)s (GB 18218-2018 Table 1 row %(seq)s) is not a Table 3 toxic gas and"
                    " has no default hazard category; state its category to obtain β",
                    name=chemical.name_cn,
                    seq=chemical.seq,
                ),
            )
        )
    if errors:
        return errors

    stated_uses = tuple(CategoryUse(c.symbol, ORIGIN_STATED) for c in stated)
    if chemical is None:
        return _unlisted_line(index, quantity, stated_uses, reference)
    return _named_line(index, chemical, raw.get("cas"), quantity, stated_uses, reference)


def _single_chemical(
    index: int,
    by_cas: tuple[Chemical, ...] | None,
    by_name: tuple[Chemical, ...] | None,
    errors: list[dict],
) -> Chemical | None:
    field = "name" if by_name is not None else "cas"
    if by_cas is not None and by_name is not None:
        candidates = tuple(c for c in by_cas if c in by_name)
        if not candidates:
            errors.append(
                error(
                    index,
                    "name",
                    "mismatch",
                    "cas and name designate different Table 1 chemicals",
                    [c.name_cn for c in (*by_cas, *by_name)],
                )
            )
            return None
    else:
        candidates = by_cas if by_cas is not None else by_name
    if len(candidates) > 1:
        errors.append(
            error(
                index,
                field,
                "ambiguous",
                "several Table 1 rows match; give the full name of one of the candidates",
                [c.name_cn for c in candidates],
            )
        )
        return None
    return candidates[0]


def _unlisted_line(
    index: int, quantity: Decimal, stated: tuple[CategoryUse, ...], reference: Reference
) -> Line:
    # An unlisted chemical in several hazard classes takes the lowest Q (GB 18218-2018 4.1.2 b)
    # and, by the project's convention, the largest β.
    q_use = _pick(stated, reference, "critical_quantity_t", largest=False)
    beta_use = _pick(stated, reference, "beta", largest=True)
    return Line(
        index=index,
        chemical=None,
        cas=None,
        quantity_t=quantity,
        categories=stated,
        critical_quantity_t=reference.categories[q_use.symbol].critical_quantity_t,
        q_source="table2",
        q_category=q_use.symbol,
        beta=reference.categories[beta_use.symbol].beta,
        beta_source="table4",
        beta_category=beta_use,
    )


def _named_line(
    index: int,
    chemical: Chemical,
    given_cas: object,
    quantity: Decimal,
    stated: tuple[CategoryUse, ...],
    reference: Reference,
) -> Line:
    stated_symbols = {use.symbol for use in stated}
    uses = stated + tuple(
        CategoryUse(symbol, ORIGIN_DEFAULT)
        for symbol in chemical.default_categories
        if symbol not in stated_symbols
    )
    # Report the CAS the user gave (it says which of several a row covers), else the first one
    # the standard lists; never the project's CO number for a row found by name.
    if isinstance(given_cas, str):
        cas = normalize_text(given_cas)
    else:
        cas = chemical.cas[0] if chemical.cas else None
    common = {
        "index": index,
        "chemical": chemical,
        "cas": cas,
        "quantity_t": quantity,
        "categories": uses,
        "critical_quantity_t": chemical.critical_quantity_t,
        "q_source": "table1",
        "q_category": None,
    }
    if chemical.table3_beta is not None:
        return Line(**common, beta=chemical.table3_beta, beta_source="table3", beta_category=None)
    beta_use = _pick(uses, reference, "beta", largest=True)
    return Line(
        **common,
        beta=reference.categories[beta_use.symbol].beta,
        beta_source="table4",
        beta_category=beta_use,
    )
