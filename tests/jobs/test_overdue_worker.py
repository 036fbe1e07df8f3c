"""The daily overdue run through Redis and a real worker: fanned out twice for one day (two
cron processes, or a rerun), run by `python -m workers.worker`, with one effect."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import Queue

from app import jobs
from app.dangers.service import common
from tests import danger_worlds, worlds
from tests.conftest import BACKEND
from tests.jobs.test_worker import queued_app, run_worker  # noqa: F401 - fixture

pytestmark = [pytest.mark.redis, pytest.mark.postgres]


def test_overdue_job_twice_for_one_day_has_one_effect(queued_app, database, owner_engine):  # noqa: F811
    with queued_app.app_context():
        tenant = worlds.make_tenant()
        danger = danger_worlds.make_danger(tenant.authority_id, tenant.enterprise1)
        day = common.today()
    with owner_engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE hidden_dangers SET deadline = :d WHERE id = :i"),
            {"d": day - dt.timedelta(days=3), "i": str(danger)},
        )
    jobs.bind_app(queued_app)
    queue = Queue(queued_app.config["RQ_QUEUE"], connection=Redis.from_url(BACKEND.redis_url))
    queue.empty()
    for _ in range(2):  # two schedulers fire the same day's fan-out
        jobs.execute("dangers.mark_overdue_all", None, {"period": day.isoformat()})
    ours = [j for j in queue.get_jobs() if str(tenant.authority_id) in j.id]
    assert len(ours) == 1
    run_worker(queued_app, database)
    # A rerun of the same day's job (rq is at-least-once) after the first one finished.
    with queued_app.app_context():
        jobs.enqueue("dangers.mark_overdue", authority_id=tenant.authority_id, day=day.isoformat())
    run_worker(queued_app, database)
    with owner_engine.connect() as conn:
        marks = conn.execute(
            sa.text(
                "SELECT count(*) FROM hidden_danger_events"
                " WHERE danger_id = :i AND action = 'mark_overdue'"
            ),
            {"i": str(danger)},
        ).scalar_one()
        notes = conn.execute(
            sa.text("SELECT count(*) FROM notifications WHERE danger_id = :i AND kind = 'overdue'"),
            {"i": str(danger)},
        ).scalar_one()
        runs = conn.execute(
            sa.text("SELECT count(*) FROM hidden_danger_overdue_runs WHERE authority_id = :a"),
            {"a": str(tenant.authority_id)},
        ).scalar_one()
    assert (marks, notes, runs) == (1, 1, 1)
