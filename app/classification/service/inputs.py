"""What the product now holds about enterprises for classification: accidents, safety
conditions, penalties and the blacklist. Every write is audited (the unit of work) and asks
for the enterprise's class to be recomputed after the commit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.classification.models import Accident, BlacklistEntry, Penalty, SafetyConditions
from app.classification.service.compute import request_recompute
from app.dangers.service import common as danger_common
from app.enterprises.models import Enterprise
from app.errors import Conflict, NotFound, Unprocessable


def _enterprise(session: Session, data: dict) -> Enterprise:
    scope = tenancy.current()
    enterprise_id = scope.enterprise_id or data.get("enterprise_id")
    if scope.enterprise_id and data.get("enterprise_id") not in (None, scope.enterprise_id):
        raise Unprocessable(errors={"enterprise_id": ["you report for your own enterprise"]})
    return danger_common.enterprise_of(session, enterprise_id)


def _not_future(day: dt.date, field: str) -> None:
    if day > danger_common.today():
        raise Unprocessable(errors={field: ["must not be in the future"]})


def report_accident(session: Session, data: dict) -> Accident:
    enterprise = _enterprise(session, data)
    _not_future(data["occurred_on"], "occurred_on")
    data = {"direct_loss": Decimal(0), **data}
    accident = Accident(
        authority_id=enterprise.authority_id,
        enterprise_id=enterprise.id,
        reported_by=tenancy.current().user_id,
        **{k: v for k, v in data.items() if k != "enterprise_id"},
    )
    session.add(accident)
    session.flush()
    request_recompute(session, enterprise.authority_id, enterprise.id)
    return accident


def accidents(args: dict):
    stmt = select(Accident)
    if args.get("enterprise_id") is not None:
        stmt = stmt.where(Accident.enterprise_id == args["enterprise_id"])
    return stmt


def conditions_of(session: Session, enterprise_id) -> SafetyConditions | None:
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound("no such enterprise")
    return session.scalar(
        select(SafetyConditions).where(SafetyConditions.enterprise_id == enterprise.id)
    )


def put_conditions(session: Session, enterprise_id, data: dict, row) -> SafetyConditions:
    enterprise = session.get(Enterprise, enterprise_id)
    if row is None:
        row = SafetyConditions(authority_id=enterprise.authority_id, enterprise_id=enterprise.id)
        session.add(row)
    data = {
        **data,
        "safety_manager_certificates": [
            d.isoformat() if d else None for d in data.get("safety_manager_certificates", [])
        ],
        "special_operator_certificates": [
            d.isoformat() for d in data.get("special_operator_certificates", [])
        ],
    }
    for key, value in data.items():
        setattr(row, key, value)
    session.flush()
    request_recompute(session, enterprise.authority_id, enterprise.id)
    return row


def add_penalty(session: Session, data: dict) -> Penalty:
    enterprise = danger_common.enterprise_of(session, data["enterprise_id"])
    _not_future(data["decided_on"], "decided_on")
    penalty = Penalty(
        authority_id=enterprise.authority_id,
        entered_by=tenancy.current().user_id,
        **data,
    )
    session.add(penalty)
    session.flush()
    request_recompute(session, enterprise.authority_id, enterprise.id)
    return penalty


def penalties(args: dict):
    stmt = select(Penalty)
    if args.get("enterprise_id") is not None:
        stmt = stmt.where(Penalty.enterprise_id == args["enterprise_id"])
    return stmt


def blacklist(session: Session, data: dict) -> BlacklistEntry:
    enterprise = danger_common.enterprise_of(session, data["enterprise_id"])
    if data["ends_on"] < data["starts_on"]:
        raise Unprocessable(errors={"ends_on": ["must not be before starts_on"]})
    entry = BlacklistEntry(
        authority_id=enterprise.authority_id, listed_by=tenancy.current().user_id, **data
    )
    session.add(entry)
    session.flush()
    request_recompute(session, enterprise.authority_id, enterprise.id)
    return entry


def blacklist_entries(args: dict):
    stmt = select(BlacklistEntry)
    if args.get("enterprise_id") is not None:
        stmt = stmt.where(BlacklistEntry.enterprise_id == args["enterprise_id"])
    return stmt


def get_entry(session: Session, entry_id) -> BlacklistEntry:
    entry = session.get(BlacklistEntry, entry_id) if entry_id else None
    if entry is None:
        raise NotFound("no such blacklist entry")
    return entry


def revoke(session: Session, entry: BlacklistEntry, reason: str) -> None:
    if entry.revoked_at is not None:
        raise Conflict("this entry is already revoked")
    entry.revoked_at = danger_common.now()
    entry.revoked_reason = reason
    request_recompute(session, entry.authority_id, entry.enterprise_id)


def in_force(session: Session, day: dt.date):
    """The public list: entries in force on `day`, with what the listing itself publishes."""
    stmt = (
        select(BlacklistEntry, Enterprise)
        .join(Enterprise, Enterprise.id == BlacklistEntry.enterprise_id)
        .where(
            BlacklistEntry.revoked_at.is_(None),
            BlacklistEntry.starts_on <= day,
            BlacklistEntry.ends_on >= day,
        )
    )
    return stmt
