"""The inspection record a tablet writes: create (the tablet's id), edit (If-Match), each
item's result, findings, re-inspection verdicts, closing. Every write can arrive twice or late
(offline tablets): creates find the row made the first time by its id and compare the content;
puts are naturally idempotent; closing twice answers with the closed record."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.enterprises.models import Enterprise
from app.errors import Conflict, Unprocessable
from app.inspections.models import (
    ChecklistItem,
    Inspection,
    InspectionMember,
    InspectorConflict,
    ItemResultRow,
    TaskMember,
)
from app.inspections.rules.enums import (
    InspectionStatus,
    TaskStatus,
)
from app.inspections.service import common, directory
from app.messages import Msg, Term

CLOCK_SKEW = dt.timedelta(minutes=5)
HEADER_FIELDS = (
    "place",
    "responsible_person",
    "responsible_title",
    "summary",
    "started_at",
    "ended_at",
)


def require_open(inspection: Inspection) -> None:
    if inspection.status != InspectionStatus.OPEN:
        raise Conflict("the inspection is closed", errors={"status": [inspection.status]})


_REPLAYED = {
    "inspection": Msg("this id was already used for a different inspection"),
    "finding": Msg("this id was already used for a different finding"),
}


def replayed(existing, sha: str, what: str):
    if existing.request_sha256 != sha:
        raise Conflict(
            _REPLAYED[what],
            errors={"id": ["already used with other content"]},
        )
    return existing, False


def _task_team(session: Session, task) -> list:
    return list(
        session.scalars(
            select(TaskMember.inspector_id)
            .where(TaskMember.task_id == task.id)
            .order_by(TaskMember.position)
        )
    )


def _team(session: Session, data: dict, task, enterprise_id) -> list:
    me = tenancy.current().user_id
    drawn = _task_team(session, task) if task is not None else []
    ids = list(dict.fromkeys(data.get("inspector_ids") or drawn))
    if task is not None and set(ids) - set(drawn):
        # The drawn (or assigned) team is the team: the draw's randomness and its no-repeat
        # rule would mean nothing if a member could bring someone else.
        raise Unprocessable(errors={"inspector_ids": ["only members of the task's team"]})
    errors = []
    if me not in ids:
        errors.append(Msg("the team must include you"))
    if len(ids) < 2:
        errors.append(Msg("at least two inspectors (行政处罚法 Art.42)"))
    known = common.inspectors_by_id(session, ids)
    errors += [Msg("not an active inspector: %(id)s", id=i) for i in ids if i not in known]
    barred = set(
        session.scalars(
            select(InspectorConflict.inspector_id).where(
                InspectorConflict.enterprise_id == enterprise_id,
                InspectorConflict.inspector_id.in_(ids),
                InspectorConflict.revoked_at.is_(None),
            )
        )
    )
    errors += [
        Msg("has a declared conflict with this enterprise: %(id)s", id=i)
        for i in ids
        if i in barred
    ]
    if errors:
        raise Unprocessable(errors={"inspector_ids": errors})
    return ids


def create(session: Session, data: dict) -> tuple[Inspection, bool]:
    sha = common.digest(data)
    existing = session.get(Inspection, data["id"])
    if existing is not None:
        common.get_inspection(session, existing.id)  # a member's own, else 404
        return replayed(existing, sha, "inspection")
    task = common.get_task(session, data["task_id"]) if data.get("task_id") else None
    if task is not None and task.status != TaskStatus.OPEN:
        raise Conflict(Msg("the task is %(status)s", status=Term("task_statuses", task.status)))
    if task is not None:
        other = session.scalar(
            select(Inspection.id).where(
                Inspection.task_id == task.id, Inspection.status == str(InspectionStatus.OPEN)
            )
        )
        if other is not None:
            # One record per task: two tablets of one team must not both start one.
            raise Conflict(
                "this task's inspection is already under way", errors={"id": [str(other)]}
            )
    enterprise_id = task.enterprise_id if task is not None else data.get("enterprise_id")
    enterprise = session.get(Enterprise, enterprise_id) if enterprise_id else None
    if enterprise is None:
        raise Unprocessable(errors={"enterprise_id": ["give a task or an enterprise"]})
    if task is not None and data.get("enterprise_id") not in (None, task.enterprise_id):
        raise Unprocessable(errors={"enterprise_id": ["the task is for another enterprise"]})
    if data["started_at"] > common.now() + CLOCK_SKEW:
        raise Unprocessable(errors={"started_at": ["must not be in the future"]})
    checklist_id = data.get("checklist_id") or (task.checklist_id if task else None)
    if checklist_id is not None:
        directory.usable_checklist(session, checklist_id)
    team = _team(session, data, task, enterprise.id)
    inspection = Inspection(
        id=data["id"],
        authority_id=enterprise.authority_id,
        enterprise_id=enterprise.id,
        task_id=task.id if task else None,
        checklist_id=checklist_id,
        reinspection_of=task.parent_inspection_id if task else None,
        started_at=data["started_at"],
        place=data.get("place") or enterprise.address or enterprise.name,
        responsible_person=data["responsible_person"],
        responsible_title=data.get("responsible_title"),
        status=str(InspectionStatus.OPEN),
        request_sha256=sha,
        created_by=tenancy.current().user_id,
    )
    try:
        with session.begin_nested():
            session.add(inspection)
            session.flush()
            for position, inspector_id in enumerate(team):
                session.add(
                    InspectionMember(
                        enterprise_id=enterprise.id,
                        inspection_id=inspection.id,
                        inspector_id=inspector_id,
                        position=position,
                    )
                )
            session.flush()
    except IntegrityError:
        # Two deliveries of one create racing: the loser answers with the winner's record.
        existing = session.get(Inspection, data["id"])
        if existing is None:
            raise Conflict("this id is already used", errors={"id": ["already used"]}) from None
        return replayed(existing, sha, "inspection")
    return inspection, True


def update(inspection: Inspection, changes: dict) -> None:
    require_open(inspection)
    for key in HEADER_FIELDS:
        if key in changes:
            setattr(inspection, key, changes[key])
    if inspection.started_at > common.now() + CLOCK_SKEW:
        raise Unprocessable(errors={"started_at": ["must not be in the future"]})
    if inspection.ended_at is not None and inspection.ended_at < inspection.started_at:
        raise Unprocessable(errors={"ended_at": ["must not be before started_at"]})


def members(session: Session, inspection: Inspection) -> list:
    stmt = (
        select(InspectionMember.inspector_id)
        .where(InspectionMember.inspection_id == inspection.id)
        .order_by(InspectionMember.position)
    )
    return list(session.scalars(stmt))


def team(session: Session, inspection: Inspection) -> list[User]:
    """The inspectors of the record. Enterprise users cannot read authority users (ORM and
    RLS); the names and certificate numbers officers must show on site (安全生产法 Art.67) are
    read for them in the authority's scope, for this record's team only."""
    stmt = (
        select(User)
        .join(InspectionMember, InspectionMember.inspector_id == User.id)
        .where(InspectionMember.inspection_id == inspection.id)
        .order_by(InspectionMember.position)
    )
    if not common.is_enterprise_user():
        return list(session.scalars(stmt))
    system = tenancy.Scope(authority_id=inspection.authority_id, system=True)
    with tenancy.using(system, session):
        return list(session.scalars(stmt))


def item_of(session: Session, inspection: Inspection, item_id) -> ChecklistItem:
    item = session.get(ChecklistItem, item_id) if item_id else None
    if item is None or item.checklist_id != inspection.checklist_id:
        raise Unprocessable(errors={"item_id": ["not an item of this inspection's checklist"]})
    return item


def put_item(session: Session, inspection: Inspection, item_id, data: dict):
    require_open(inspection)
    item_of(session, inspection, item_id)
    row = session.scalar(
        select(ItemResultRow).where(
            ItemResultRow.inspection_id == inspection.id, ItemResultRow.item_id == item_id
        )
    )
    created = row is None
    if created:
        row = ItemResultRow(
            enterprise_id=inspection.enterprise_id, inspection_id=inspection.id, item_id=item_id
        )
        session.add(row)
    if row.result != str(data["result"]) or row.note != data.get("note"):
        row.result, row.note = str(data["result"]), data.get("note")
    session.flush()
    return row, created


def item_results(inspection: Inspection):
    return select(ItemResultRow).where(ItemResultRow.inspection_id == inspection.id)
