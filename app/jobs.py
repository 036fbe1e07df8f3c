"""Background jobs: registered by name, enqueued after commit, run in an app and tenant context.

- `enqueue_after_commit` registers the job with the unit of work; it reaches Redis only once the
  commit has succeeded (a rolled-back transaction enqueues nothing).
- Without REDIS_URL (the embedded mode) the job runs inline right after the commit, through the
  same wrapper, so the code path is the one production takes.
- Every job carries its tenant explicitly: `authority_id`, or `platform=True` for the few jobs that
  span tenants. A tenant job given no authority fails closed before touching the database.
- rq is at-least-once: every job must be idempotent (key side effects by period or by content).
"""

from __future__ import annotations

import importlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from app import tenancy
from app.db import after_commit, commit, utcnow
from app.extensions import db
from app.tenancy import Scope

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable
    platform: bool
    timeout: int


_REGISTRY: dict[str, JobSpec] = {}
_bound_app: Flask | None = None


class MissingTenant(RuntimeError):
    pass


def job(name: str, *, platform: bool = False, timeout: int = 300):
    """Register a job function: `func(session, **kwargs)`, run in its tenant's scope."""

    def wrap(func):
        _REGISTRY[name] = JobSpec(name, func, platform, timeout)
        return func

    return wrap


def bind_app(app: Flask) -> None:
    """The worker creates the app once and binds it here; jobs then reuse it."""
    global _bound_app
    _bound_app = app


def app_bound() -> bool:
    return _bound_app is not None


def bound_app() -> Flask:
    if _bound_app is None:
        raise RuntimeError("no app bound: run jobs with workers/worker.py (AnjianWorker)")
    return _bound_app


def _scope_for(spec: JobSpec, authority_id: str | None) -> Scope:
    if spec.platform:
        return Scope(platform=True, system=True)
    if not authority_id:
        raise MissingTenant(f"job {spec.name} needs an authority_id")
    return Scope(authority_id=uuid.UUID(str(authority_id)), system=True)


def _run(spec: JobSpec, authority_id, kwargs: dict):
    session = db.session
    with tenancy.using(_scope_for(spec, authority_id)):
        try:
            result = spec.func(session, **kwargs)
            commit(session)
            return result
        except Exception:
            session.rollback()
            raise


def execute(name: str, authority_id: str | None, kwargs: dict):
    """The function rq calls: look the job up, enter app + tenant context, commit once."""
    spec = _REGISTRY.get(name) or _load(name)
    app = bound_app()
    with app.app_context():
        try:
            return _run(spec, authority_id, kwargs)
        finally:
            db.session.remove()


def _load(name: str) -> JobSpec:
    # Importing the domain's jobs module registers its jobs.
    importlib.import_module(f"app.{name.split('.')[0]}.jobs")
    return _REGISTRY[name]


def enqueue_after_commit(
    session, name: str, *, authority_id=None, job_id: str | None = None, **kwargs
) -> None:
    after_commit(session, lambda: enqueue(name, authority_id=authority_id, job_id=job_id, **kwargs))


def enqueue_daily_per_authority(
    session, name: str, authority_ids, period: str | None = None, **kwargs
):
    """The nightly fan-out: one `name` job per authority, keyed by authority and day, so a
    second scheduler (or a rerun) of the same day adds nothing. Returns how many."""
    period = period or utcnow().date().isoformat()
    prefix = name.replace(".", "-")  # rq ids allow letters, digits, "_" and "-" only
    for authority_id in authority_ids:
        enqueue_after_commit(
            session,
            name,
            authority_id=authority_id,
            job_id=f"{prefix}-{authority_id}-{period}",
            collapse=True,
            **kwargs,
        )
    return len(authority_ids)


def queue() -> Queue:
    connection = Redis.from_url(current_app.config["REDIS_URL"])
    return Queue(current_app.config["RQ_QUEUE"], connection=connection)


_WAITING = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def enqueue(
    name: str, *, authority_id=None, job_id: str | None = None, collapse: bool = False, **kwargs
):
    """Run the job (inline without Redis). With `collapse`, a job of the same id that is still
    waiting absorbs this request: it will see the latest data when it runs."""
    spec = _REGISTRY.get(name) or _load(name)
    if not spec.platform and not authority_id:
        raise MissingTenant(f"job {name} needs an authority_id")
    authority = str(authority_id) if authority_id else None
    if not current_app.config.get("REDIS_URL"):
        try:
            return _run(spec, authority, kwargs)
        except Exception:
            log.exception("inline job %s failed", name)
            return None
    q = queue()
    options = {}
    if collapse and job_id:
        existing = _fetch(job_id, q.connection)
        if existing is not None and existing.get_status(refresh=False) == JobStatus.STARTED:
            # The running job may already have read the old data: queue one more run behind it.
            job_id = f"{job_id}-next"
            existing = _fetch(job_id, q.connection)
        if existing is not None and existing.get_status(refresh=False) in _WAITING:
            return existing
        # Nothing to keep once done: a finished job's id must not linger and absorb requests.
        options["result_ttl"] = 0
    return q.enqueue(
        execute,
        name,
        authority,
        kwargs,
        job_id=job_id,
        job_timeout=spec.timeout,
        retry=Retry(max=3, interval=[10, 30, 60]),
        description=f"{name} ({authority or 'platform'})",
        **options,
    )


def _fetch(job_id: str, connection) -> Job | None:
    try:
        return Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return None
