"""Extensions of a rectification deadline (15号令 Art.17; FACTS §3.4).

The unit asks in writing within the N days before the deadline (N = 10 by statute, from
data/timelines.json); the regulator answers within 5 days: granted with a new deadline, or
refused with a reason. Days are calendar dates in Asia/Shanghai, and the deadline day itself
belongs to the unit (it is overdue only from the day after), so:

- requested exactly N days before the deadline: in time (the window includes both ends);
- N + 1 days before: too early; on the deadline day: in time; after it: too late (overdue).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.messages import Msg

from .errors import InvalidInput


def extension_request_errors(
    deadline: dt.date | None,
    requested_on: dt.date,
    new_deadline: dt.date | None,
    today: dt.date,
    window_days: int,
) -> dict[str, list[str]]:
    """Field → messages for an extension request; {} when it may be filed.

    `requested_on` is the date of the written request, which may be earlier than `today` when
    a paper letter is entered late; it counts for the window, but an entry already overdue
    today is past extending whatever the letter's date.
    """
    errors: dict[str, list[str]] = {}
    if deadline is None:
        return {"deadline": [Msg("the entry has no deadline to extend")]}
    opens = deadline - dt.timedelta(days=window_days)
    if requested_on > today:
        errors["requested_on"] = [Msg("must not be after today (%(today)s)", today=today)]
    elif requested_on < opens:
        errors["requested_on"] = [
            Msg(
                "too early: an extension may be requested only within the %(days)s days before"
                " the deadline, from %(opens)s to %(deadline)s",
                days=window_days,
                opens=opens,
                deadline=deadline,
            )
        ]
    elif requested_on > deadline:
        errors["requested_on"] = [Msg("too late: the deadline was %(deadline)s", deadline=deadline)]
    if today > deadline:
        errors["deadline"] = [
            Msg(
                "the deadline %(deadline)s has passed: the entry is overdue and can no longer be"
                " extended",
                deadline=deadline,
            )
        ]
    if new_deadline is None:
        errors["new_deadline"] = [Msg("required")]
    elif new_deadline <= deadline:
        errors["new_deadline"] = [
            Msg("must be after the current deadline %(deadline)s", deadline=deadline)
        ]
    return errors


@dataclass(frozen=True)
class ExtensionDecision:
    """The regulator's answer: granted with a new deadline, or refused with a reason."""

    granted: bool
    new_deadline: dt.date | None = None
    reason: str | None = None


def extension_decision_errors(
    granted: bool,
    new_deadline: dt.date | None,
    reason: str | None,
    current_deadline: dt.date,
    today: dt.date,
) -> dict[str, list[str]]:
    """Field → messages for the regulator's answer; {} when it is well formed.

    A grant may set another date than the one asked for (the regulator decides), but never one
    at or before the current deadline, nor one already past: either would leave the entry
    overdue at the moment it was extended.
    """
    errors: dict[str, list[str]] = {}
    has_reason = isinstance(reason, str) and bool(reason.strip())
    if granted:
        if new_deadline is None:
            errors["new_deadline"] = [Msg("required when the extension is granted")]
        elif new_deadline <= current_deadline:
            errors["new_deadline"] = [
                Msg("must be after the current deadline %(deadline)s", deadline=current_deadline)
            ]
        elif new_deadline < today:
            errors["new_deadline"] = [
                Msg("must not be in the past (today is %(today)s)", today=today)
            ]
    else:
        if new_deadline is not None:
            errors["new_deadline"] = [Msg("a refusal sets no new deadline")]
        if not has_reason:
            errors["reason"] = [Msg("required when the extension is refused")]
    return errors


def extension_decision(
    granted: bool,
    new_deadline: dt.date | None,
    reason: str | None,
    current_deadline: dt.date,
    today: dt.date,
) -> ExtensionDecision:
    """The answer as a value, or InvalidInput with every problem at once."""
    errors = extension_decision_errors(granted, new_deadline, reason, current_deadline, today)
    if errors:
        raise InvalidInput(errors)
    reason = reason.strip() if isinstance(reason, str) and reason.strip() else None
    return ExtensionDecision(granted, new_deadline if granted else None, reason)


def extension_answer_due(requested_on: dt.date, answer_days: int) -> dt.date:
    """The last day for the regulator's written answer (5 days by statute)."""
    return requested_on + dt.timedelta(days=answer_days)
