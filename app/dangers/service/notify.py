"""Stored notifications: written in the authority's system scope (an enterprise user's step may
notify a regulator it cannot see), idempotent by (user, dedupe key), listed by their user."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.dangers.models import HiddenDanger, Notification
from app.dangers.service import common
from app.db import new_id, upsertable_insert
from app.enterprises.models import Enterprise
from app.errors import NotFound


def system_scope(authority_id) -> tenancy.Scope:
    return tenancy.Scope(authority_id=authority_id, system=True)


def _insert(session: Session, rows: list[dict]) -> int:
    """INSERT … ON CONFLICT (user_id, dedupe_key) DO NOTHING, one row at a time (a handful of
    users): a re-run notifies no one twice, and the count says how many were new."""
    table = Notification.__table__
    sent = 0
    for row in rows:
        stmt = upsertable_insert(session, table).values(**row)
        stmt = stmt.on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
        sent += session.execute(stmt).rowcount or 0
    return sent


def about_danger(
    session: Session,
    danger: HiddenDanger,
    kind: str,
    title: str,
    key: str,
    *,
    regulators: bool,
    enterprise_admins: bool,
    body: str | None = None,
) -> int:
    """Notify the enterprise's admins and/or its regulators about one entry."""
    # The caller's pending writes are checked (ORM stamps, RLS) under the caller's own scope
    # before the switch to the authority-wide one below.
    session.flush()
    with tenancy.using(system_scope(danger.authority_id), session):
        enterprise = session.get(Enterprise, danger.enterprise_id)
        users: list[User] = []
        if enterprise_admins:
            users += common.enterprise_admins(session, danger.enterprise_id)
        if regulators and enterprise is not None:
            users += common.regulators_for(session, enterprise)
        rows = [
            {
                "id": new_id(),
                "authority_id": danger.authority_id,
                "user_id": user.id,
                "enterprise_id": user.enterprise_id,
                "kind": kind,
                "title": title[:200],
                "body": body,
                "danger_id": danger.id,
                "dedupe_key": f"{kind}:{danger.id}:{key}"[:160],
                "created_at": common.now(),
            }
            for user in users
        ]
        sent = _insert(session, rows)
    return sent


def list_mine(session: Session, args: dict):
    scope = tenancy.current()
    stmt = select(Notification).where(Notification.user_id == scope.user_id)
    if args.get("unread") is True:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt


def mark_read(session: Session, notification_id) -> Notification:
    scope = tenancy.current()
    note = session.get(Notification, notification_id)
    if note is None or note.user_id != scope.user_id:
        raise NotFound("no such notification")
    if note.read_at is None:
        note.read_at = common.now()
    return note


def mark_all_read(session: Session) -> int:
    scope = tenancy.current()
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == scope.user_id, Notification.read_at.is_(None))
        .values(read_at=common.now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def to_enterprise_admins(
    session: Session, authority_id, enterprise_id, kind: str, title: str, key: str, body=None
) -> int:
    """Notify an enterprise's admins about something that is not a ledger entry (its class,
    say); idempotent by key like the rest."""
    session.flush()
    with tenancy.using(system_scope(authority_id), session):
        rows = [
            {
                "id": new_id(),
                "authority_id": authority_id,
                "user_id": user.id,
                "enterprise_id": enterprise_id,
                "kind": kind,
                "title": title[:200],
                "body": body,
                "danger_id": None,
                "dedupe_key": key[:160],
                "created_at": common.now(),
            }
            for user in common.enterprise_admins(session, enterprise_id)
        ]
        return _insert(session, rows)
