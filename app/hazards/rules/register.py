"""The register's own rules: re-evaluation and filing deadlines, the filing workflow, monitoring
gaps, and the digest of an assessment's inputs. Pure: `today` is always passed in.

- Re-evaluation is due 3 years after the last evaluation (40号令 Art. 12), and at once after a
  change of substances, quantities or surroundings (`change_pending`).
- Filing (备案) is due within 15 days of an evaluation (40号令 Art. 23).
- Filing: draft → submitted → filed, or submitted → returned (with a reason) → submitted again.
- Continuous monitoring, gas detection and emergency shutdown are required for levels 1 and 2.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass

REEVALUATION_YEARS = 3
FILING_DAYS = 15


class FilingStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    FILED = "filed"
    RETURNED = "returned"


class FilingAction(enum.StrEnum):
    SUBMIT = "submit"
    FILE = "file"
    RETURN = "return"


FILING_TRANSITIONS: dict[tuple[FilingStatus, FilingAction], FilingStatus] = {
    (FilingStatus.DRAFT, FilingAction.SUBMIT): FilingStatus.SUBMITTED,
    (FilingStatus.RETURNED, FilingAction.SUBMIT): FilingStatus.SUBMITTED,
    (FilingStatus.SUBMITTED, FilingAction.FILE): FilingStatus.FILED,
    (FilingStatus.SUBMITTED, FilingAction.RETURN): FilingStatus.RETURNED,
}


class IllegalTransition(ValueError):
    def __init__(self, current: FilingStatus, action: FilingAction):
        self.current = current
        self.allowed = sorted(a.value for (s, a) in FILING_TRANSITIONS if s == current)
        super().__init__(f"cannot {action.value} a filing that is {current.value}")


def next_filing_status(current: FilingStatus, action: FilingAction) -> FilingStatus:
    try:
        return FILING_TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(current, action) from None


class Reevaluation(enum.StrEnum):
    MISSING = "missing"  # never evaluated
    OVERDUE = "overdue"  # past 3 years, or changed since the last evaluation
    DUE_SOON = "due_soon"  # within the warning window
    CURRENT = "current"


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


def reevaluation_due_on(last_evaluated_on: dt.date | None) -> dt.date | None:
    return add_years(last_evaluated_on, REEVALUATION_YEARS) if last_evaluated_on else None


def filing_due_on(last_evaluated_on: dt.date | None) -> dt.date | None:
    return last_evaluated_on + dt.timedelta(days=FILING_DAYS) if last_evaluated_on else None


def reevaluation_status(
    last_evaluated_on: dt.date | None, change_pending: bool, today: dt.date, warning_days: int
) -> Reevaluation:
    if last_evaluated_on is None:
        return Reevaluation.MISSING
    due = reevaluation_due_on(last_evaluated_on)
    if change_pending or due <= today:
        return Reevaluation.OVERDUE
    if (due - today).days <= warning_days:
        return Reevaluation.DUE_SOON
    return Reevaluation.CURRENT


def filing_overdue(status: FilingStatus, due_on: dt.date | None, today: dt.date) -> bool:
    return (
        due_on is not None
        and status in (FilingStatus.DRAFT, FilingStatus.RETURNED)
        and today > due_on
    )


MONITORING = ("continuous_monitoring", "gas_detection", "emergency_shutdown")


def monitoring_gaps(level: int | None, facts: dict[str, bool]) -> list[str]:
    """The monitoring facilities a level-1 or level-2 source lacks."""
    if level not in (1, 2):
        return []
    return [name for name in MONITORING if not facts.get(name)]


@dataclass(frozen=True)
class Inputs:
    unit_kind: str
    exposed_population: int
    substances: tuple

    def digest(self, data_version: str) -> str:
        body = {
            "unit_kind": self.unit_kind,
            "exposed_population": self.exposed_population,
            "substances": list(self.substances),
            "data_version": data_version,
        }
        text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()
