"""The rectification plan and its "five in place" (五到位): measures, responsible person, funds,
deadline, contingency plan (措施、责任、资金、时限、预案; FACTS §3.2, 16号令 Art.15).

A major hidden danger may not enter rectification without all five; a general one may carry a
plan but need not (the law says fix it at once).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.messages import Msg

PLAN_FIELDS = ("measures", "responsible_person", "funds", "deadline", "contingency_plan")
_TEXT_FIELDS = ("measures", "contingency_plan")


def plan_errors(
    plan: Mapping[str, Any] | None, today: dt.date | None = None
) -> dict[str, list[str]]:
    """Field → messages for every one of the five that is not in place; {} when all are.

    With `today`, a deadline already past is not "in place" either: a plan whose time limit
    has run out cannot govern the rectification it is meant to start.
    """
    plan = plan or {}
    errors: dict[str, list[str]] = {}
    for name in _TEXT_FIELDS:
        if not _text(plan.get(name)):
            errors[name] = [Msg("required: a non-empty text")]
    person = plan.get("responsible_person")
    # A name as typed, or a user id once the person has an account.
    if not (_text(person) or (type(person) is int and person > 0)):
        errors["responsible_person"] = [Msg("required: a name or a user id")]
    funds = plan.get("funds")
    if funds is None or funds == "":
        errors["funds"] = [
            Msg("required: the amount secured, in yuan (0 if the fix costs nothing)")
        ]
    elif not _amount(funds):
        errors["funds"] = [Msg("must be a number of yuan, 0 or more")]
    deadline = plan.get("deadline")
    # datetime is a date subclass; a time of day would make "the deadline day" ambiguous.
    if not isinstance(deadline, dt.date) or isinstance(deadline, dt.datetime):
        errors["deadline"] = [Msg("required: a calendar date")]
    elif today is not None and deadline < today:
        errors["deadline"] = [Msg("must not be in the past (today is %(today)s)", today=today)]
    # In the plan's own order, so a client lists the gaps as the form shows the fields.
    return {name: errors[name] for name in PLAN_FIELDS if name in errors}


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _amount(value: Any) -> bool:
    # Zero is allowed on purpose: a procedural fix (criterion 16, a missing rule) costs nothing,
    # and what the law asks is that funding was settled, not that money was spent.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    if isinstance(value, Decimal):
        return value.is_finite() and value >= 0
    return math.isfinite(value) and value >= 0
