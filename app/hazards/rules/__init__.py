"""Identification and grading of major hazard sources under GB 18218-2018. Pure: stdlib only.

    assess(unit_kind, exposed_population, substances) -> Assessment
    Assessment.to_dict() -> {"sum_ratio", "is_major", "alpha", "r_value", "level", "terms",
                             "data_version"}

A substance is a mapping with `quantity_t` (design maximum quantity, tonnes, ≥ 0) and one of:
`cas`, `name` (Table 1 name, the name without its parenthesized qualifier when that leaves one
row, or an alias), or `category` alone for a chemical not in Table 1. `category` (a symbol such
as "W5.3", or a list of them) may also accompany `cas`/`name` to state the hazard category.
Giving both `cas` and `name` picks the row they agree on (one CAS covers six nitrocellulose rows).

Conventions the standard leaves open (also in data/GB18218-2018/README.md):

- Q: Table 1 for a named chemical, whatever category is stated; Table 2 for a substance given by
  category, the lowest Q when several categories are given (4.1.2 of the standard).
- β: Table 3 for the 14 named toxic gases (一氧化碳 is the toxic agent of Table 1 row 13, 煤气,
  so CO resolves to that row). Otherwise Table 4, over the chemical's default categories (from
  the data file) together with any stated ones; when several apply the largest β wins, so a
  statement can raise β above the default but never lower it. A named chemical with neither a
  default nor a stated category is an error naming it. Ties go to the first category listed,
  stated ones first, so each explanation is stable.
- α: Table 5 bands on whole numbers of people: 0 → 0.5, 1–29 → 1.0, 30–49 → 1.2, 50–99 → 1.5,
  100 and more → 2.0 ("100人以上" includes 100, as 以上 does in Chinese legal usage, and the 50~99
  band ends at 99).
- Level: Table 6 on the exact R: 1 if R ≥ 100, 2 if 50 ≤ R < 100, 3 if 10 ≤ R < 50, 4 if R < 10;
  None when Σ q/Q < 1 (R is still reported). unit_kind does not change the arithmetic; it is
  validated and kept because the unit's boundary rules differ (3.5, 3.6 of the standard).

Arithmetic: inputs and table values are exact decimals; the engine computes with exact fractions,
so Σ q/Q = 1 and R = 10, 50, 100 are hit exactly (0.1/0.3 three times is 1, not 0.999…). Float
inputs are read through their shortest repr (12.1 means 12.1). Computed values (ratio,
beta_ratio, sum_ratio, r_value) are then rounded half-up to 4 decimal places as Decimal; the
decisions use the exact values, so a reported r_value of 100.0000 can belong to level 2 when R is
just under 100, and the rounded terms need not add up to the rounded sum in the last place.
to_dict() converts those Decimals to floats for JSON; each prints back as its 4-place decimal.

Errors: AssessmentError(errors) with one dict per problem, all problems of all substances at
once: {"index": int | None, "field", "code", "message", "candidates": [names]}; index is None for
unit-level fields. Codes: required, invalid_type, invalid_choice, empty, negative, out_of_range
(quantity_t ≥ 10⁹ t or finer than 12 decimal places), unknown_field, invalid_cas, unknown_cas,
unknown_name, ambiguous, mismatch, unknown_category, no_beta_category.
"""

from .assessment import UNIT_KINDS, Assessment, AssessmentError, Term, assess
from .reference import DATA_VERSION, ReferenceDataError, load_reference
from .substances import ORIGIN_DEFAULT, ORIGIN_STATED, CategoryUse

__all__ = [
    "DATA_VERSION",
    "ORIGIN_DEFAULT",
    "ORIGIN_STATED",
    "UNIT_KINDS",
    "Assessment",
    "AssessmentError",
    "CategoryUse",
    "ReferenceDataError",
    "Term",
    "assess",
    "load_reference",
]
