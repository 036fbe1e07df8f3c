"""Reference data shipped in `app/dangers/data/` (sources in its README), read once per process.

The windows are data, not constants in code, because several are customary or product defaults
(FACTS §3.4 marks them 1S or inferred) that an authority may set differently; the statutory ones
sit in the same file so a reviewer checks every number against its source in one place.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from app.messages import Msg

from .errors import InvalidInput, ReferenceDataError

_DATA_PACKAGE = "app.dangers"
CRITERIA_FILE = "chem_major_criteria_2017.csv"
TIMELINES_FILE = "timelines.json"
_CODE_RE = re.compile(r"[A-Z]+[0-9]{4}-[0-9]{2}")


def _read_text(name: str) -> str:
    # importlib.resources rather than a path relative to __file__, so an installed package
    # still finds its data (pyproject ships data/* as package data).
    return resources.files(_DATA_PACKAGE).joinpath("data", name).read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion for judging a major hidden danger, e.g. item 4 of the 2017 chemical list."""

    code: str  # stable, stored on the entry: "CHEM2017-04"
    item_no: int  # the item's number in its standard
    sector: str  # the enterprise sector it applies to (app.enterprises Sector values)
    keyword_cn: str
    summary_en: str


@cache
def major_criteria() -> Mapping[str, Criterion]:
    """Every known criterion by code, in the files' order (today: the 20 of 2017 for chemicals)."""
    criteria: dict[str, Criterion] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(_read_text(CRITERIA_FILE))), start=2):
        code = row["code"]
        if not _CODE_RE.fullmatch(code) or code in criteria or not row["sector"]:
            raise ReferenceDataError(f"{CRITERIA_FILE} line {line}: bad or repeated code {code!r}")
        criteria[code] = Criterion(
            code, int(row["item_no"]), row["sector"], row["keyword_cn"], row["summary_en"]
        )
    return MappingProxyType(criteria)


@dataclass(frozen=True)
class Timelines:
    """The hidden-danger windows, in days unless the name says otherwise (see the data file)."""

    version: str
    extension_request_window_days: int
    extension_answer_days: int
    regulator_recheck_days: int
    major_suspension_max_months: int
    resume_review_days: int
    general_deadline_days: int
    major_deadline_days: int
    supervised_usual_days: int
    supervised_max_days: int
    quarterly_statistics_due_day: int
    annual_statistics_due: tuple[int, int]  # (month, day) of the next year
    # (name, kind) with kind "statutory", "customary" or "default"; kept as pairs so that the
    # dataclass stays hashable.
    kinds: tuple[tuple[str, str], ...] = ()

    def kind(self, name: str) -> str:
        return dict(self.kinds)[name]

    def with_values(self, overrides: Mapping[str, int]) -> Timelines:
        """A copy with an authority's own values; every problem is reported at once."""
        errors: dict[str, list[str]] = {}
        for name, value in overrides.items():
            if name in ("version", "kinds", "annual_statistics_due") or name not in _INT_FIELDS:
                errors[name] = [Msg("not a configurable window")]
            elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
                errors[name] = [Msg("must be a whole number of at least 1")]
        if not errors and overrides.get(
            "supervised_usual_days", self.supervised_usual_days
        ) > overrides.get("supervised_max_days", self.supervised_max_days):
            errors["supervised_usual_days"] = [Msg("must not exceed supervised_max_days")]
        if errors:
            raise InvalidInput(errors)
        return dataclasses.replace(self, **overrides)


_INT_FIELDS = frozenset(f.name for f in dataclasses.fields(Timelines) if f.type in (int, "int"))


@cache
def load_timelines() -> Timelines:
    """The shipped defaults (statutory values and the documented defaults)."""
    return _timelines(json.loads(_read_text(TIMELINES_FILE)))


def _timelines(doc: Mapping[str, Any]) -> Timelines:
    windows = doc["windows"]
    names = set(_INT_FIELDS) | {"annual_statistics_due"}
    if set(windows) != names:
        raise ReferenceDataError(f"{TIMELINES_FILE}: windows must be exactly {sorted(names)}")
    values: dict[str, Any] = {name: windows[name]["value"] for name in _INT_FIELDS}
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in values.values()):
        raise ReferenceDataError(f"{TIMELINES_FILE}: every window is a whole number ≥ 1")
    month, day = (int(part) for part in windows["annual_statistics_due"]["value"].split("-"))
    kinds = tuple(sorted((name, entry["kind"]) for name, entry in windows.items()))
    return Timelines(
        version=doc["version"], annual_statistics_due=(month, day), kinds=kinds, **values
    )
