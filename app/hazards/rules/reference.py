"""GB 18218-2018 tables, read once from the versioned data files.

The numbers live in CSV files beside a README naming their source, so a reviewer checks them
against the standard without reading code, and a new edition is a new folder, not an edit.
Every number is read as an exact Decimal (as written in the file), never a float: the
identification boundary (Σ q/Q = 1) and the level boundaries (R = 10, 50, 100) must not depend
on binary floating point.
"""

from __future__ import annotations

import csv
import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

DATA_VERSION = "GB18218-2018"

_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / DATA_VERSION


class ReferenceDataError(RuntimeError):
    """The shipped data files are inconsistent: a bug in the release, never a user error."""


@dataclass(frozen=True, slots=True)
class Chemical:
    """A row of Table 1, with the project's aliases and default categories (see the README)."""

    seq: int
    name_cn: str
    name_en: str
    cas: tuple[str, ...]  # as the standard lists them
    project_cas: tuple[str, ...]  # added by the project (README); echoed only when given
    critical_quantity_t: Decimal
    aliases: tuple[str, ...]
    default_categories: tuple[str, ...]
    default_basis: str
    table3_beta: Decimal | None


@dataclass(frozen=True, slots=True)
class Category:
    """A row of Table 2 joined with its β from Table 4."""

    symbol: str
    critical_quantity_t: Decimal
    beta: Decimal
    hazard_class: str
    description: str


@dataclass(frozen=True, slots=True)
class AlphaBand:
    label_cn: str
    population_min: int
    population_max: int | None
    alpha: Decimal


@dataclass(frozen=True, slots=True)
class LevelBand:
    level: int
    label_cn: str
    r_min: Fraction | None
    r_max: Fraction | None


@dataclass(frozen=True, slots=True)
class Reference:
    version: str
    chemicals: tuple[Chemical, ...]
    categories: Mapping[str, Category]
    alpha_bands: tuple[AlphaBand, ...]
    level_bands: tuple[LevelBand, ...]

    def alpha_band(self, population: int) -> AlphaBand:
        for band in self.alpha_bands:
            if band.population_min <= population and (
                band.population_max is None or population <= band.population_max
            ):
                return band
        raise ReferenceDataError(f"no α band covers a population of {population}")

    def level_band(self, r_value: Fraction) -> LevelBand:
        for band in self.level_bands:
            if (band.r_min is None or band.r_min <= r_value) and (
                band.r_max is None or r_value < band.r_max
            ):
                return band
        raise ReferenceDataError(f"no level band covers R = {r_value}")


def _read(name: str) -> list[dict[str, str]]:
    with (_DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def _optional_fraction(cell: str) -> Fraction | None:
    return Fraction(cell) if cell.strip() else None


@functools.cache
def load_reference() -> Reference:
    """Read and check the tables; cached, so the files are read once per process."""
    table3 = {int(row["table1_seq"]): Decimal(row["beta"]) for row in _read("table3_beta.csv")}
    betas = {row["symbol"]: Decimal(row["beta"]) for row in _read("table4_beta.csv")}
    categories = {
        row["symbol"]: Category(
            symbol=row["symbol"],
            critical_quantity_t=Decimal(row["critical_quantity_t"]),
            beta=betas[row["symbol"]],
            hazard_class=row["hazard_class"],
            description=row["description"],
        )
        for row in _read("table2.csv")
    }
    chemicals = tuple(
        Chemical(
            seq=int(row["seq"]),
            name_cn=row["name_cn"],
            name_en=row["name_en"],
            cas=_split(row["cas"]),
            project_cas=_split(row["project_cas"]),
            critical_quantity_t=Decimal(row["critical_quantity_t"]),
            aliases=_split(row["aliases_cn"]) + _split(row["project_aliases_cn"]),
            default_categories=_split(row["default_categories"]),
            default_basis=row["default_basis"],
            table3_beta=table3.get(int(row["seq"])),
        )
        for row in _read("table1.csv")
    )
    alpha_bands = tuple(
        AlphaBand(
            label_cn=row["label_cn"],
            population_min=int(row["population_min"]),
            population_max=int(row["population_max"]) if row["population_max"] else None,
            alpha=Decimal(row["alpha"]),
        )
        for row in _read("table5_alpha.csv")
    )
    level_bands = tuple(
        LevelBand(
            level=int(row["level"]),
            label_cn=row["label_cn"],
            r_min=_optional_fraction(row["r_min_inclusive"]),
            r_max=_optional_fraction(row["r_max_exclusive"]),
        )
        for row in _read("table6_levels.csv")
    )
    reference = Reference(
        version=DATA_VERSION,
        chemicals=chemicals,
        categories=MappingProxyType(categories),
        alpha_bands=alpha_bands,
        level_bands=level_bands,
    )
    _check(reference, table3, betas)
    return reference


def _check(reference: Reference, table3: dict[int, Decimal], betas: dict[str, Decimal]) -> None:
    # A typo in a data file must stop the release, not quietly change someone's grade.
    problems: list[str] = []
    seqs = [chemical.seq for chemical in reference.chemicals]
    if seqs != list(range(1, 86)):
        problems.append("Table 1 must hold rows 1 to 85 in order")
    if len(reference.categories) != 24 or set(betas) != set(reference.categories):
        problems.append("Tables 2 and 4 must list the same 24 category symbols")
    if len(table3) != 14 or not set(table3) <= set(seqs):
        problems.append("Table 3 must link 14 gases to Table 1 rows")
    for chemical in reference.chemicals:
        if chemical.critical_quantity_t <= 0:
            problems.append(f"Table 1 row {chemical.seq}: Q must be positive")
        unknown = set(chemical.default_categories) - set(reference.categories)
        if unknown:
            problems.append(f"Table 1 row {chemical.seq}: unknown categories {sorted(unknown)}")
    # Table 5 must cover every population 0, 1, 2, … exactly once.
    expected_min = 0
    for band in sorted(reference.alpha_bands, key=lambda b: b.population_min):
        if band.population_min != expected_min:
            problems.append(f"Table 5: gap or overlap at {expected_min} people")
        expected_min = None if band.population_max is None else band.population_max + 1
    if expected_min is not None:
        problems.append("Table 5: the top band must be open-ended")
    # Table 6 must tile R from -∞ to +∞ with no gap.
    bounds = sorted(reference.level_bands, key=lambda b: (b.r_min is not None, b.r_min or 0))
    if bounds[0].r_min is not None or bounds[-1].r_max is not None:
        problems.append("Table 6: the bands must be open at both ends")
    for lower, upper in itertools.pairwise(bounds):
        if lower.r_max != upper.r_min:
            problems.append(f"Table 6: gap or overlap between levels {lower.level}, {upper.level}")
    if problems:
        raise ReferenceDataError("; ".join(problems))
