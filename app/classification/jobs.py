"""Classification jobs: nightly for every authority (rq cron, keyed by date), and for one
enterprise after an event that moves its class."""

from __future__ import annotations

import datetime as dt
import uuid

from app import jobs
from app.classification.service import compute
from app.inspections.service import common
from app.tenants import service as tenants


@jobs.job("classification.recompute")
def recompute(session, enterprise_id: str) -> dict:
    return compute.run(session, common.today(), [uuid.UUID(enterprise_id)])


@jobs.job("classification.compute", timeout=1800)
def compute_day(session, day: str | None = None) -> dict:
    """Every enterprise of the authority for one day; a second run of the day writes nothing."""
    return compute.run(session, dt.date.fromisoformat(day) if day else common.today())


@jobs.job("classification.compute_all", platform=True)
def compute_all(session, period: str | None = None) -> int:
    day = period or common.today().isoformat()
    return jobs.enqueue_daily_per_authority(
        session, "classification.compute", tenants.active_authority_ids(session), day, day=day
    )
