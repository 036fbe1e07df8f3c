"""Inspection tasks: the inspector's list, the offline bundle a tablet takes on site, and
re-inspection tasks (复查) after a deadline or the enterprise's application."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.dangers import rules as danger_rules
from app.dangers.models import HiddenDanger
from app.enterprises.models import Enterprise
from app.errors import Conflict
from app.hazards.models import HazardSource
from app.inspections.models import (
    Finding,
    Inspection,
    InspectionMember,
    Task,
    TaskMember,
)
from app.inspections.rules.enums import InspectionStatus, TaskKind, TaskStatus
from app.inspections.service import common, directory

# 15号令 Art.17: a re-inspection within 10 days of the deadline or of the unit's application.
REINSPECTION_DAYS = 10


def list_stmt(args: dict):
    stmt = common.visible_tasks(select(Task))
    for key in ("status", "kind"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Task, key) == str(args[key]))
    for key in ("plan_id", "draw_id", "enterprise_id"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Task, key) == args[key])
    if args.get("due_before") is not None:
        stmt = stmt.where(Task.due_date <= args["due_before"])
    return stmt


def views(session: Session, tasks: list[Task]) -> list[Task]:
    """Tasks with their teams and enterprise names: two queries for the page, not two per task
    (the tablet's task list is what an inspector opens most)."""
    ids = [t.id for t in tasks]
    teams: dict = {t.id: [] for t in tasks}
    if ids:
        stmt = (
            select(TaskMember.task_id, User)
            .join(User, User.id == TaskMember.inspector_id)
            .where(TaskMember.task_id.in_(ids))
            .order_by(TaskMember.task_id, TaskMember.position)
        )
        for task_id, u in session.execute(stmt):
            teams[task_id].append(
                {"id": u.id, "name": u.display_name, "certificate_no": u.badge_no}
            )
    names = (
        dict(
            session.execute(
                select(Enterprise.id, Enterprise.name).where(
                    Enterprise.id.in_({t.enterprise_id for t in tasks})
                )
            ).all()
        )
        if tasks
        else {}
    )
    for task in tasks:
        task.inspectors = teams[task.id]
        task.enterprise_name = names.get(task.enterprise_id, "")
    return tasks


def view(session: Session, task: Task) -> Task:
    return views(session, [task])[0]


def bundle(session: Session, task: Task) -> dict:
    """What a tablet needs to work the task without a network."""
    enterprise = session.get(Enterprise, task.enterprise_id)
    open_states = [str(s) for s in danger_rules.OPEN_STATES]
    dangers = session.scalars(
        select(HiddenDanger)
        .where(HiddenDanger.enterprise_id == enterprise.id, HiddenDanger.state.in_(open_states))
        .order_by(HiddenDanger.deadline, HiddenDanger.id)
    )
    hazards = session.scalars(
        select(HazardSource)
        .where(
            HazardSource.enterprise_id == enterprise.id,
            HazardSource.is_major.is_(True),
            HazardSource.is_active.is_(True),
        )
        .order_by(HazardSource.id)
    )
    checklist = (
        directory.checklist_view(session, directory.get_checklist(session, task.checklist_id))
        if task.checklist_id
        else None
    )
    findings = []
    if task.parent_inspection_id is not None:
        findings = list(
            session.scalars(
                select(Finding)
                .where(Finding.inspection_id == task.parent_inspection_id)
                .order_by(Finding.number)
            )
        )
    return {
        "task": view(session, task),
        "enterprise": enterprise,
        "open_hidden_dangers": list(dangers),
        "major_hazard_sources": list(hazards),
        "checklist": checklist,
        "findings_to_review": findings,
        "generated_at": common.now(),
    }


def request_reinspection(
    session: Session, inspection: Inspection, *, note: str | None, on: dt.date | None = None
) -> tuple[Task, bool]:
    """A re-inspection task for a closed inspection's findings, due within 10 days; one per
    round (a retried request, or the job and an application on the same day, make one)."""
    if inspection.status != InspectionStatus.CLOSED:
        raise Conflict("the inspection is still open")
    if not session.scalar(select(Finding.id).where(Finding.inspection_id == inspection.id)):
        raise Conflict("the inspection recorded no findings to re-inspect")
    existing = session.scalar(
        select(Task).where(
            Task.parent_inspection_id == inspection.id,
            Task.status == str(TaskStatus.OPEN),
        )
    )
    if existing is not None:
        return existing, False
    # Each request after the previous round closed is the next round.
    rounds = session.scalar(
        select(func.count()).select_from(Task).where(Task.parent_inspection_id == inspection.id)
    )
    start = on or common.today()
    task = Task(
        enterprise_id=inspection.enterprise_id,
        kind=str(TaskKind.REINSPECTION),
        checklist_id=None,
        parent_inspection_id=inspection.id,
        due_date=start + dt.timedelta(days=REINSPECTION_DAYS),
        dedupe_key=f"reinspection:{inspection.id}:{rounds + 1}",
        note=note,
    )
    try:
        with session.begin_nested():
            session.add(task)
            session.flush()
    except IntegrityError:
        raise Conflict("a re-inspection was requested at the same moment; read again") from None
    team = session.scalars(
        select(InspectionMember)
        .where(InspectionMember.inspection_id == inspection.id)
        .order_by(InspectionMember.position)
    )
    # The team that found the problems checks them (谁检查、谁反馈).
    for member in team:
        session.add(
            TaskMember(task_id=task.id, inspector_id=member.inspector_id, position=member.position)
        )
    session.flush()
    return task, True


def apply_for_reinspection(session: Session, inspection: Inspection, note: str | None):
    """The enterprise's application (申请复查). Tasks are the authority's working papers, which
    enterprise users can neither read nor write (RLS and ORM): the task is made as the
    authority's system, and the enterprise gets a receipt without the team."""
    system = tenancy.Scope(authority_id=inspection.authority_id, system=True)
    with tenancy.using(system, session):
        task, created = request_reinspection(session, inspection, note=note)
        receipt = {
            "id": task.id,
            "kind": task.kind,
            "status": task.status,
            "due_date": task.due_date,
            "enterprise_id": task.enterprise_id,
            "parent_inspection_id": task.parent_inspection_id,
        }
    return receipt, created
