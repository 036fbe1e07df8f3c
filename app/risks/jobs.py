"""Grading jobs: re-grade one enterprise after a change, one authority, or all (nightly)."""

from __future__ import annotations

from app import jobs, tenancy
from app.risks.service import grading
from app.tenants import service as tenants


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
    authority_ids = tenants.active_authority_ids(session)
    return jobs.enqueue_daily_per_authority(session, "risks.recompute", authority_ids, period)
