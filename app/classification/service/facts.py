"""The facts of every enterprise of one authority over the trailing 12 months, gathered set-based
(one GROUP BY per source, not one query per enterprise), for the pure scoring rules.

Where the facts come from:
- safety conditions: the enterprise's safety_conditions row (none recorded: nothing held);
- standardization: the enterprise's grade;
- hidden dangers: the ledger. Found = recorded in the window; due = deadline in the window and
  not cancelled; closed on time = of those, closed by the deadline; open/overdue now;
- accidents and penalties: their rows dated in the window;
- orders: the rectification items of inspections, i.e. ledger entries whose source is an
  inspection finding, due in the window, and whether each was closed by its deadline;
- blacklisted: an entry in force on the day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from app.classification.models import Accident, BlacklistEntry, Penalty, SafetyConditions
from app.classification.rules import WINDOW_DAYS, Facts
from app.classification.rules import Accident as AccidentFact
from app.classification.rules import Penalty as PenaltyFact
from app.dangers import rules as danger_rules
from app.dangers.models import HiddenDanger
from app.enterprises.models import Enterprise

SELF = (str(danger_rules.Source.SELF_INSPECTION), str(danger_rules.Source.STAFF_REPORT))
OPEN = [str(s) for s in danger_rules.OPEN_STATES]
MAJOR = str(danger_rules.Severity.MAJOR)


def window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the trailing window, both included."""
    return as_of - dt.timedelta(days=WINDOW_DAYS - 1), as_of


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=danger_rules.SHANGHAI)


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _dangers(session: Session, ids, as_of: dt.date) -> dict:
    first, last = window(as_of)
    d = HiddenDanger
    found = and_(d.found_at >= _midnight(first), d.found_at < _midnight(last + dt.timedelta(1)))
    due = and_(d.deadline >= first, d.deadline <= last, d.state != "cancelled")
    on_time = and_(due, d.closed_on_time.is_(True))
    is_open = d.state.in_(OPEN)
    overdue = and_(is_open, d.deadline < as_of)
    order = d.source == str(danger_rules.Source.INSPECTION_FINDING)
    stmt = (
        select(
            d.enterprise_id,
            _count(found),
            _count(and_(found, d.source.in_(SELF))),
            _count(due),
            _count(on_time),
            _count(and_(is_open, d.severity == MAJOR)),
            _count(overdue),
            _count(and_(overdue, d.severity == MAJOR)),
            _count(and_(due, order)),
            _count(and_(on_time, order)),
        )
        .where(d.enterprise_id.in_(ids))
        .group_by(d.enterprise_id)
    )
    keys = (
        "dangers_found",
        "dangers_self_reported",
        "dangers_due",
        "dangers_closed_on_time",
        "open_major_dangers",
        "overdue_dangers",
        "overdue_major_dangers",
        "orders_due",
        "orders_on_time",
    )
    return {
        row[0]: dict(zip(keys, (int(v) for v in row[1:]), strict=True))
        for row in session.execute(stmt)
    }


def _dates(values) -> tuple:
    return tuple(dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values or ())


def gather(session: Session, enterprises: list[Enterprise], as_of: dt.date) -> dict:
    """enterprise id → Facts, for the given enterprises of the caller's authority."""
    ids = [e.id for e in enterprises]
    first, last = window(as_of)
    conditions = {
        c.enterprise_id: c
        for c in session.scalars(
            select(SafetyConditions).where(SafetyConditions.enterprise_id.in_(ids))
        )
    }
    accidents = defaultdict(list)
    for a in session.scalars(
        select(Accident).where(
            Accident.enterprise_id.in_(ids), Accident.occurred_on.between(first, last)
        )
    ):
        accidents[a.enterprise_id].append(
            AccidentFact(
                a.occurred_on, a.deaths, a.serious_injuries, a.minor_injuries, a.direct_loss
            )
        )
    penalties = defaultdict(list)
    for p in session.scalars(
        select(Penalty).where(
            Penalty.enterprise_id.in_(ids), Penalty.decided_on.between(first, last)
        )
    ):
        penalties[p.enterprise_id].append(
            PenaltyFact(p.decided_on, Decimal(p.amount), p.legal_basis)
        )
    listed = set(
        session.scalars(
            select(BlacklistEntry.enterprise_id).where(
                BlacklistEntry.enterprise_id.in_(ids),
                BlacklistEntry.revoked_at.is_(None),
                BlacklistEntry.starts_on <= as_of,
                BlacklistEntry.ends_on >= as_of,
            )
        )
    )
    dangers = _dangers(session, ids, as_of)
    empty = dict.fromkeys(
        (
            "dangers_found",
            "dangers_self_reported",
            "dangers_due",
            "dangers_closed_on_time",
            "open_major_dangers",
            "overdue_dangers",
            "overdue_major_dangers",
            "orders_due",
            "orders_on_time",
        ),
        0,
    )
    out = {}
    for e in enterprises:
        c = conditions.get(e.id)
        out[e.id] = Facts(
            as_of=as_of,
            principal_certificate_expires=c.principal_certificate_expires if c else None,
            safety_manager_certificates_expire=_dates(c.safety_manager_certificates) if c else (),
            safety_managers_required=c.safety_managers_required if c else 1,
            special_operators_required=c.special_operators_required if c else 0,
            special_operator_certificates_expire=_dates(c.special_operator_certificates)
            if c
            else (),
            insurance_expires=c.insurance_expires if c else None,
            standardization_grade=e.standardization_grade,
            accidents=tuple(accidents[e.id]),
            penalties=tuple(penalties[e.id]),
            blacklisted=e.id in listed,
            **dangers.get(e.id, empty),
        )
    return out
