"""Audit jobs: verify each chain and sign its head (a checkpoint)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app import jobs, tenancy
from app.audit import service
from app.db import utcnow
from app.tenants.models import Authority


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
    period = period or utcnow().date().isoformat()
    ids = list(session.scalars(select(Authority.id).where(Authority.is_active.is_(True))))
    for authority_id in ids:
        jobs.enqueue_after_commit(
            session,
            "audit.checkpoint",
            authority_id=authority_id,
            job_id=f"audit-checkpoint-{authority_id}-{period}",
            collapse=True,  # a second scheduler's run of the same day adds nothing
        )
    return len(ids)
