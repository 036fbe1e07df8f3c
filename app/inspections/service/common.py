"""What the inspection use cases share: the clock, the caller, scoped lookups.

Who sees what, beyond tenancy (which the ORM and RLS enforce): an inspector sees the tasks and
inspections whose team he is on and nothing else; enterprise users never see a task (a drawn
inspection is unannounced) and see their own inspections only once closed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.accounts.rules import ENTERPRISE_ROLES, Role
from app.dangers import rules as danger_rules
from app.db import utcnow
from app.errors import NotFound
from app.inspections.models import Inspection, InspectionMember, Task, TaskMember
from app.inspections.rules.enums import InspectionStatus


def now() -> dt.datetime:
    return utcnow()


def today() -> dt.date:
    """Due dates and deadlines are calendar dates in Asia/Shanghai."""
    return danger_rules.local_day(now())


def digest(data: dict) -> str:
    """A stable fingerprint of a tablet's create request (same id + other content is a 409)."""
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()


def is_inspector() -> bool:
    return tenancy.current().role == Role.INSPECTOR


def is_enterprise_user() -> bool:
    return tenancy.current().role in ENTERPRISE_ROLES


def visible_tasks(stmt):
    if is_inspector():
        mine = select(TaskMember.id).where(
            TaskMember.task_id == Task.id, TaskMember.inspector_id == tenancy.current().user_id
        )
        stmt = stmt.where(exists(mine))
    return stmt


def visible_inspections(stmt):
    scope = tenancy.current()
    if is_inspector():
        mine = select(InspectionMember.id).where(
            InspectionMember.inspection_id == Inspection.id,
            InspectionMember.inspector_id == scope.user_id,
        )
        stmt = stmt.where(exists(mine))
    elif is_enterprise_user():
        stmt = stmt.where(Inspection.status == str(InspectionStatus.CLOSED))
    return stmt


def get_task(session: Session, task_id) -> Task:
    task = session.scalar(visible_tasks(select(Task).where(Task.id == task_id)))
    if task is None:
        raise NotFound("no such inspection task")
    return task


def get_inspection(session: Session, inspection_id, *, for_update: bool = False) -> Inspection:
    stmt = visible_inspections(select(Inspection).where(Inspection.id == inspection_id))
    if for_update:
        # Writes to one inspection's children (findings are numbered) queue behind each other.
        stmt = stmt.with_for_update(of=Inspection)
    inspection = session.scalar(stmt)
    if inspection is None:
        raise NotFound("no such inspection")
    return inspection


def inspectors_by_id(session: Session, ids) -> dict:
    """Active inspectors of the authority (the directory), by id."""
    if not ids:
        return {}
    stmt = select(User).where(
        User.id.in_(list(ids)), User.role == str(Role.INSPECTOR), User.is_active.is_(True)
    )
    return {u.id: u for u in session.scalars(stmt)}


def directory(session: Session) -> list[User]:
    stmt = select(User).where(User.role == str(Role.INSPECTOR), User.is_active.is_(True))
    return list(session.scalars(stmt.order_by(User.id)))
