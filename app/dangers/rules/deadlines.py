"""Deadlines, overdue entries and who hears about them.

Deadlines are calendar dates in Asia/Shanghai (ENGINEERING §4). The deadline day is the unit's
to use in full, so an entry is overdue from the day after it. Overdue is derived, not a state:
an entry stays in its state, and a granted extension moves the deadline so that the entry is no
longer overdue from then on (marks of earlier days stay as history). Every open state counts,
awaiting acceptance included: the deadline is for removing the danger, and it is removed only
once accepted; a slow review then shows on the regulator's own list of supervised entries.
"""

from __future__ import annotations

import datetime as dt

from .enums import OPEN_STATES, ActorKind, Severity, State
from .reference import Timelines

# China has kept UTC+8 without daylight saving since 1991, so a fixed offset gives the same
# days as the tz database for any date this system sees, and does not depend on the host's
# tzdata being installed.
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def local_day(now: dt.datetime) -> dt.date:
    """The Shanghai calendar day of an aware instant (a naive one is refused as ambiguous)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(SHANGHAI).date()


def is_overdue(state: State, deadline: dt.date | None, today: dt.date) -> bool:
    return State(state) in OPEN_STATES and deadline is not None and today > deadline


def days_overdue(state: State, deadline: dt.date | None, today: dt.date) -> int:
    """1 on the day after the deadline, 0 when not overdue (for the regulators' list)."""
    return (today - deadline).days if is_overdue(state, deadline, today) else 0


def overdue_key(day: dt.date) -> str:
    """The daily job's idempotency key: one run per Shanghai calendar day has an effect."""
    # A datetime is a date too, but its isoformat carries the time, and two runs on one day
    # would get two keys.
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError("overdue_key takes a calendar date (see local_day)")
    return f"overdue:{day.isoformat()}"


def escalation_targets(severity: Severity) -> tuple[ActorKind, ...]:
    """Who is notified of an overdue entry: the enterprise admin, and the regulator as well for a
    major one, which is under its supervision (挂牌督办)."""
    if Severity(severity) == Severity.MAJOR:
        return (ActorKind.ENTERPRISE_ADMIN, ActorKind.REGULATOR)
    return (ActorKind.ENTERPRISE_ADMIN,)


def default_deadline(severity: Severity, found_on: dt.date, timelines: Timelines) -> dt.date:
    """The deadline proposed when none is set (a documented default, not a statutory term)."""
    days = (
        timelines.major_deadline_days
        if Severity(severity) == Severity.MAJOR
        else timelines.general_deadline_days
    )
    return found_on + dt.timedelta(days=days)


def recheck_due_on(applied_on: dt.date, timelines: Timelines) -> dt.date:
    """The last day of the regulator's re-inspection after the unit applies (15号令 Art.17)."""
    return applied_on + dt.timedelta(days=timelines.regulator_recheck_days)


def statistics_due_on(year: int, quarter: int | None, timelines: Timelines) -> dt.date:
    """Last day to submit the signed statistics for a quarter (1–4) or, with None, the year.

    "Before the 15th" / "before 31 January" (16号令 Art.14) is read as "by" that day,
    inclusive, as 前 is usually read in such deadlines.
    """
    if quarter is None:
        month, day = timelines.annual_statistics_due
        return dt.date(year + 1, month, day)
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1, 2, 3 or 4")
    if quarter == 4:
        return dt.date(year + 1, 1, timelines.quarterly_statistics_due_day)
    return dt.date(year, 3 * quarter + 1, timelines.quarterly_statistics_due_day)
