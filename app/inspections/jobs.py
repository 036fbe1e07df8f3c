"""The daily re-inspection run: closed inspections whose findings' deadlines have passed get
their first re-inspection task (复查, due within 10 days). Keyed by the task's dedupe key, so a
second run on the same day (or any later day) makes nothing twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app import idempotency, jobs
from app.inspections.models import Finding, Inspection, Task
from app.inspections.rules.enums import InspectionStatus
from app.inspections.service import common, tasks
from app.tenants import service as tenants


def due_for_reinspection(session, day: dt.date) -> list[Inspection]:
    """Closed inspections with a finding past its deadline and no re-inspection task yet."""
    past = (
        select(Finding.inspection_id)
        .group_by(Finding.inspection_id)
        .having(func.min(Finding.deadline) < day)
    )
    has_task = select(Task.parent_inspection_id).where(Task.parent_inspection_id.is_not(None))
    stmt = select(Inspection).where(
        Inspection.status == str(InspectionStatus.CLOSED),
        Inspection.id.in_(past),
        Inspection.id.not_in(has_task),
    )
    return list(session.scalars(stmt.order_by(Inspection.id)))


@jobs.job("inspections.schedule_reinspections")
def schedule_reinspections(session, day: str | None = None) -> int:
    the_day = dt.date.fromisoformat(day) if day else common.today()
    made = 0
    for inspection in due_for_reinspection(session, the_day):
        _, created = tasks.request_reinspection(
            session, inspection, note="整改期限届满，依法复查", on=the_day
        )
        made += int(created)
    # Old Idempotency-Key responses go with the same daily pass (their window is 72 h).
    idempotency.prune(session, common.now())
    return made


@jobs.job("inspections.schedule_reinspections_all", platform=True)
def schedule_reinspections_all(session, period: str | None = None) -> int:
    """From rq cron in the Shanghai morning: one run per active authority and day."""
    day = period or common.today().isoformat()
    return jobs.enqueue_daily_per_authority(
        session,
        "inspections.schedule_reinspections",
        tenants.active_authority_ids(session),
        day,
        day=day,
    )
