"""Jobs through a real Redis: a real `rq worker` process runs a real job end to end, and every job
runs in its own tenant's context (and fails closed without one)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import Queue, SimpleWorker
from rq.registry import FailedJobRegistry

from app import create_app, jobs, tenancy
from app.extensions import db
from tests import services, worlds
from tests.conftest import BACKEND

pytestmark = [pytest.mark.redis, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queued_app(database):
    """The app as production runs it: jobs go to Redis (a queue of this test's own)."""
    name = f"anjian-test-{uuid.uuid4().hex[:8]}"
    app = create_app(services.app_config(database, REDIS_URL=BACKEND.redis_url, RQ_QUEUE=name))
    yield app
    connection = Redis.from_url(BACKEND.redis_url)
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def run_worker(app, database, **extra_env) -> None:
    """A real `python -m workers.worker --burst` process, configured as production would be
    (plus `extra_env`, e.g. the S3 settings of an app that stores files there)."""
    env = {
        **os.environ,
        "DATABASE_URL": database.app_url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "REDIS_URL": BACKEND.redis_url,
        "ANJIAN_RQ_QUEUE": app.config["RQ_QUEUE"],
        # Production refuses a loopback address to print on documents.
        "PUBLIC_BASE_URL": "https://anjian.example.org",
        "PYTHONPATH": str(ROOT),
        **extra_env,
    }
    done = subprocess.run(
        [sys.executable, "-m", "workers.worker", "--burst"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_real_rq_worker_runs_the_checkpoint_job(queued_app, database, owner_engine):
    with queued_app.app_context():
        tenant = worlds.make_tenant()
        token = worlds.login(tenant.usernames["authority_admin"])
    client = queued_app.test_client()
    r = client.post("/api/v1/audit/checkpoints", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 202
    connection = Redis.from_url(BACKEND.redis_url)
    queue = Queue(queued_app.config["RQ_QUEUE"], connection=connection)
    names = [job.args[0] for job in queue.get_jobs()]
    assert names.count("audit.checkpoint") == 1  # enqueued after the commit, not run inline
    with owner_engine.connect() as conn:
        none_yet = conn.execute(
            sa.text("SELECT count(*) FROM audit_checkpoints WHERE chain = :c"),
            {"c": str(tenant.authority_id)},
        ).scalar_one()
    assert none_yet == 0
    # A job with no tenant: must fail closed in the worker, not run authority-wide.
    orphan = queue.enqueue(jobs.execute, "audit.checkpoint", None, {})
    run_worker(queued_app, database)
    with owner_engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT seq FROM audit_checkpoints WHERE chain = :c"),
            {"c": str(tenant.authority_id)},
        ).all()
    assert len(rows) == 1 and rows[0].seq > 0
    failed = FailedJobRegistry(queue=queue)
    assert orphan.id in failed.get_job_ids()
    orphan.refresh()
    assert "MissingTenant" in (orphan.latest_result().exc_string or "")


PROBE = "probe.tenant_view"


@jobs.job(PROBE)
def _probe(session, expected: str) -> dict:
    scope = tenancy.current()
    foreign = session.execute(
        sa.text("SELECT count(*) FROM enterprises WHERE authority_id <> :own"), {"own": expected}
    ).scalar_one()
    return {"scope": str(scope.authority_id), "foreign": foreign}


def test_interleaved_jobs_each_see_only_their_tenant(queued_app):
    """200 jobs for A and B interleaved, run by an in-process worker: each sees its own tenant
    only, through RLS (raw SQL, no ORM filter)."""
    with queued_app.app_context():
        a, b = worlds.make_tenant(), worlds.make_tenant()
    jobs.bind_app(queued_app)
    connection = Redis.from_url(BACKEND.redis_url)
    queue = Queue(queued_app.config["RQ_QUEUE"], connection=connection)
    enqueued = []
    for i in range(200):
        authority = (a if i % 2 else b).authority_id
        enqueued.append(
            (
                authority,
                queue.enqueue(jobs.execute, PROBE, str(authority), {"expected": str(authority)}),
            )
        )
    missing = queue.enqueue(jobs.execute, PROBE, None, {"expected": str(a.authority_id)})
    SimpleWorker([queue], connection=connection).work(burst=True)
    cross = 0
    for authority, job in enqueued:
        result = job.latest_result().return_value
        assert result["scope"] == str(authority)
        cross += result["foreign"]
    assert cross == 0
    assert missing.id in FailedJobRegistry(queue=queue).get_job_ids()
    with queued_app.app_context():
        db.session.remove()


def test_regrades_collapse_and_run_in_a_real_worker(queued_app, database, owner_engine):
    """Three changes to one enterprise's list queue one re-grade job; a real rq worker runs it."""
    with queued_app.app_context():
        tenant = worlds.make_tenant()
        # An enterprise with no hazard source: its color comes from the published list alone.
        enterprise = worlds.make_enterprise(tenant.authority_id, tenant.community1)
        _, admin = worlds.make_user(
            tenant.authority_id, worlds.Role.ENTERPRISE_ADMIN, enterprise_id=enterprise
        )
        token = worlds.login(admin)
    client = queued_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    connection = Redis.from_url(BACKEND.redis_url)
    queue = Queue(queued_app.config["RQ_QUEUE"], connection=connection)
    queue.empty()  # what building the world queued; this test watches its own changes
    for level in ("low", "significant"):
        body = worlds.risk_point_body(level)
        assert client.post("/api/v1/risk-points", json=body, headers=headers).status_code == 201
    assert client.post("/api/v1/risk-lists", headers=headers).status_code == 201
    regrades = [j for j in queue.get_jobs() if j.id == f"risk-regrade-{enterprise}"]
    assert len(regrades) == 1 and queue.count == 1
    run_worker(queued_app, database)
    with owner_engine.connect() as conn:
        color = conn.execute(
            sa.text("SELECT color FROM risk_colors WHERE enterprise_id = :e"),
            {"e": str(enterprise)},
        ).scalar_one()
    assert color == "orange"  # the highest residual level published: significant


def test_an_unreachable_redis_never_turns_a_commit_into_a_500(database, owner_engine):
    """The write is committed before the job is queued: if Redis is down, the caller still gets
    its 201 and the data is there (the nightly recompute catches the missed re-grade)."""
    app = create_app(services.app_config(database, REDIS_URL="redis://127.0.0.1:9/0"))
    with app.app_context():
        tenant = worlds.make_tenant()
        token = worlds.login(tenant.usernames["enterprise_admin"])
    client = app.test_client()
    r = client.post(
        "/api/v1/risk-points",
        json=worlds.risk_point_body("low"),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201
    with owner_engine.connect() as conn:
        assert (
            conn.execute(
                sa.text("SELECT count(*) FROM risk_points WHERE id = :i"), {"i": r.json["id"]}
            ).scalar_one()
            == 1
        )


def test_two_schedulers_enqueue_each_nightly_recompute_once(queued_app):
    """Two cron processes firing the same day's fan-out: one recompute job per authority."""
    with queued_app.app_context():
        worlds.make_authority()
        worlds.make_authority()
    jobs.bind_app(queued_app)
    connection = Redis.from_url(BACKEND.redis_url)
    queue = Queue(queued_app.config["RQ_QUEUE"], connection=connection)
    queue.empty()
    for _ in range(2):
        jobs.execute("risks.recompute_all", None, {"period": "2026-11-29"})
    ids = [job.id for job in queue.get_jobs()]
    assert len(ids) >= 2 and all(i.startswith("risks-recompute-") for i in ids)
    assert len(ids) == len(set(ids))
    queue.empty()
