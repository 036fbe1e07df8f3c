"""Grading jobs: re-grade one enterprise after a change, one authority, or all (nightly)."""

from __future__ import annotations

from sqlalchemy import select

from app import jobs, tenancy
from app.db import utcnow
from app.risks.service import grading
from app.tenants.models import Authority


@jobs.job("risks.regrade")
def regrade(session, enterprise_id: str) -> int:
    authority_id = tenancy.current().authority_id
    return len(grading.recompute(session, authority_id, [grading.as_uuid(enterprise_id)]))


@jobs.job("risks.recompute", timeout=1800)
def recompute(session) -> int:
    """Every enterprise of the authority, set-based; idempotent (unchanged inputs write nothing)."""
    return len(grading.recompute(session, tenancy.current().authority_id))


@jobs.job("risks.recompute_all", platform=True)
def recompute_all(session, period: str | None = None) -> int:
    """Nightly from rq cron: one recompute per active authority, keyed by authority and day."""
    period = period or utcnow().date().isoformat()
    ids = list(session.scalars(select(Authority.id).where(Authority.is_active.is_(True))))
    for authority_id in ids:
        jobs.enqueue_after_commit(
            session,
            "risks.recompute",
            authority_id=authority_id,
            job_id=f"risk-recompute-{authority_id}-{period}",
            collapse=True,  # a second scheduler's run of the same day adds nothing
        )
    return len(ids)
