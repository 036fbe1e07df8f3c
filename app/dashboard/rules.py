"""What the dashboard shows to whom, and its windows. Pure: `today` is passed in."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from app.accounts.rules import Role

# Hidden dangers "due soon": deadline from today to today + this many days, both included.
DUE_SOON_DAYS = 7
# Items listed under each count: the first few, most urgent first; the ledger shows the rest.
ITEMS_PER_LIST = 5
LATEST_NOTIFICATIONS = 5


class Section(StrEnum):
    GRADE = "grade"
    CLASSIFICATION = "classification"
    CLASS_EXPLANATION = "class_explanation"
    HIDDEN_DANGERS = "hidden_dangers"
    HAZARD_SOURCES = "hazard_sources"
    NOTIFICATIONS = "notifications"


_SECTIONS = {
    Role.ENTERPRISE_ADMIN: frozenset(Section),
    # Staff report dangers and follow their deadlines; the register, its filings and the class's
    # scoring are the safety officer's work (and screens).
    Role.ENTERPRISE_STAFF: frozenset(
        {Section.GRADE, Section.CLASSIFICATION, Section.HIDDEN_DANGERS, Section.NOTIFICATIONS}
    ),
}


def sections_for(role: str | None) -> frozenset[Section]:
    """The sections a role's dashboard holds (none for roles without an enterprise)."""
    try:
        return _SECTIONS.get(Role(role), frozenset())
    except ValueError:
        return frozenset()


def due_soon_until(today: dt.date, days: int = DUE_SOON_DAYS) -> dt.date:
    """The last deadline that counts as due soon (today itself is due soon, not overdue)."""
    return today + dt.timedelta(days=days)


def days_left(deadline: dt.date, today: dt.date) -> int:
    """Days until the deadline; negative once it has passed (-3: three days overdue)."""
    return (deadline - today).days
