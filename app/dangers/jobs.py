"""The daily overdue run: one job per authority and Shanghai day, fanned out by rq cron."""

from __future__ import annotations

import datetime as dt

from app import jobs, tenancy
from app.dangers import rules
from app.dangers.service import common, overdue
from app.tenants import service as tenants


@jobs.job("dangers.mark_overdue")
def mark_overdue(session, day: str | None = None) -> int | None:
    """Mark, escalate and re-grade; a second run for the same day changes nothing."""
    the_day = dt.date.fromisoformat(day) if day else common.today()
    return overdue.run(session, tenancy.current().authority_id, the_day)


@jobs.job("dangers.mark_overdue_all", platform=True)
def mark_overdue_all(session, period: str | None = None) -> int:
    """From rq cron just after midnight in Shanghai: one run per active authority and day."""
    day = period or rules.local_day(common.now()).isoformat()
    authority_ids = tenants.active_authority_ids(session)
    return jobs.enqueue_daily_per_authority(
        session, "dangers.mark_overdue", authority_ids, day, day=day
    )
