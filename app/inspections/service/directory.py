"""Checklists and the inspector directory with its declared conflicts of interest."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.enterprises.models import Enterprise
from app.errors import Conflict, NotFound, Unprocessable
from app.inspections.models import Checklist, ChecklistItem, InspectorConflict
from app.inspections.service import common

# --- checklists ----------------------------------------------------------------------------


def create_checklist(session: Session, data: dict) -> Checklist:
    checklist = Checklist(
        name=data["name"],
        sector=data.get("sector"),
        is_active=True,
        created_by=tenancy.current().user_id,
    )
    session.add(checklist)
    session.flush()
    for position, item in enumerate(data["items"], start=1):
        session.add(
            ChecklistItem(
                checklist_id=checklist.id,
                position=position,
                text=item["text"],
                legal_basis=item["legal_basis"],
                must_check=item.get("must_check", False),
            )
        )
    session.flush()
    return checklist


def get_checklist(session: Session, checklist_id) -> Checklist:
    checklist = session.get(Checklist, checklist_id) if checklist_id else None
    if checklist is None:
        raise NotFound("no such checklist")
    return checklist


def usable_checklist(session: Session, checklist_id, field: str = "checklist_id") -> Checklist:
    checklist = session.get(Checklist, checklist_id) if checklist_id else None
    if checklist is None or not checklist.is_active:
        raise Unprocessable(errors={field: ["no such active checklist"]})
    return checklist


def items_of(session: Session, checklist_id) -> list[ChecklistItem]:
    stmt = select(ChecklistItem).where(ChecklistItem.checklist_id == checklist_id)
    return list(session.scalars(stmt.order_by(ChecklistItem.position)))


def checklist_view(session: Session, checklist: Checklist) -> Checklist:
    checklist.items = items_of(session, checklist.id)
    return checklist


def list_checklists(args: dict):
    stmt = select(Checklist)
    if args.get("sector") is not None:
        stmt = stmt.where(Checklist.sector == args["sector"])
    if args.get("active") is not None:
        stmt = stmt.where(Checklist.is_active.is_(args["active"]))
    return stmt


def update_checklist(checklist: Checklist, changes: dict) -> None:
    # Items are never edited: results point at the text that was checked. A new text is a
    # new checklist, and the old one is retired (is_active false).
    for key in ("name", "sector", "is_active"):
        if key in changes:
            setattr(checklist, key, changes[key])


# --- the inspector directory ---------------------------------------------------------------


def inspectors(session: Session) -> list[User]:
    people = common.directory(session)
    counts = dict(
        session.execute(
            select(InspectorConflict.inspector_id, func.count())
            .where(InspectorConflict.revoked_at.is_(None))
            .group_by(InspectorConflict.inspector_id)
        ).all()
    )
    for person in people:
        person.certificate_no = person.badge_no
        person.active_conflicts = counts.get(person.id, 0)
    return people


def declare_conflict(session: Session, data: dict) -> InspectorConflict:
    """An inspector declares his own conflicts; a regulator may record one for any inspector
    (a party's recusal request, 行政处罚法 Art.43, is decided by the agency)."""
    scope = tenancy.current()
    inspector_id = data.get("inspector_id") or scope.user_id
    if common.is_inspector() and inspector_id != scope.user_id:
        raise Unprocessable(errors={"inspector_id": ["inspectors declare their own conflicts"]})
    if inspector_id not in common.inspectors_by_id(session, [inspector_id]):
        raise Unprocessable(errors={"inspector_id": ["no such active inspector"]})
    enterprise = session.get(Enterprise, data["enterprise_id"])
    if enterprise is None:
        raise Unprocessable(errors={"enterprise_id": ["no such enterprise"]})
    existing = session.scalar(
        select(InspectorConflict).where(
            InspectorConflict.inspector_id == inspector_id,
            InspectorConflict.enterprise_id == enterprise.id,
            InspectorConflict.revoked_at.is_(None),
        )
    )
    if existing is not None:
        raise Conflict("this conflict is already declared", errors={"id": [str(existing.id)]})
    conflict = InspectorConflict(
        inspector_id=inspector_id,
        enterprise_id=enterprise.id,
        kind=str(data["kind"]),
        reason=data["reason"],
        declared_by=scope.user_id,
    )
    session.add(conflict)
    session.flush()
    return conflict


def list_conflicts(args: dict):
    stmt = select(InspectorConflict)
    if common.is_inspector():
        stmt = stmt.where(InspectorConflict.inspector_id == tenancy.current().user_id)
    for key in ("inspector_id", "enterprise_id"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(InspectorConflict, key) == args[key])
    if args.get("active") is not None:
        active = InspectorConflict.revoked_at.is_(None)
        stmt = stmt.where(active if args["active"] else ~active)
    return stmt


def get_conflict(session: Session, conflict_id) -> InspectorConflict:
    stmt = list_conflicts({}).where(InspectorConflict.id == conflict_id)
    conflict = session.scalar(stmt)
    if conflict is None:
        raise NotFound("no such conflict")
    return conflict


def revoke_conflict(conflict: InspectorConflict, reason: str) -> None:
    if conflict.revoked_at is not None:
        raise Conflict("this conflict is already revoked")
    conflict.revoked_at = common.now()
    conflict.revoked_by = tenancy.current().user_id
    conflict.revoked_reason = reason
