"""Audit jobs: verify each chain and sign its head (a checkpoint)."""

from __future__ import annotations

from flask import current_app

from app import jobs, tenancy
from app.audit import service
from app.tenants import service as tenants


@jobs.job("audit.checkpoint")
def checkpoint(session) -> dict:
    """Verify this authority's chain and sign its head. Idempotent: one checkpoint per head."""
    authority_id = tenancy.current().authority_id
    cp = service.write_checkpoint(
        session, str(authority_id), authority_id, current_app.config["AUDIT_CHECKPOINT_KEY"]
    )
    return {"chain": str(authority_id), "seq": cp.seq if cp else 0}


@jobs.job("audit.checkpoint_all", platform=True)
def checkpoint_all(session, period: str | None = None) -> int:
    """Nightly (rq cron): one checkpoint job per active authority, keyed by authority and day so a
    second scheduler run enqueues nothing new."""
    authority_ids = tenants.active_authority_ids(session)
    return jobs.enqueue_daily_per_authority(session, "audit.checkpoint", authority_ids, period)
