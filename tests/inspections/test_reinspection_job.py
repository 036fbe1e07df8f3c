"""The daily re-inspection run: a finding past its deadline gets one re-inspection task, due
within 10 days, to the team that found it; running the day twice changes nothing."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app import jobs
from tests import inspection_worlds as iw
from tests import services
from tests.inspections import helpers


def test_the_daily_run_makes_one_task_per_overdue_finding(app, client, world, owner_engine):
    a = world.a
    with app.app_context():
        team = [a.users["inspector"], iw.second_inspector(a.authority_id)]
        due = iw.make_inspection(a.authority_id, a.enterprise1, team, closed=True, finding=True)
        not_yet = iw.make_inspection(a.authority_id, a.enterprise1, team, closed=True, finding=True)
    day = helpers.today()
    with owner_engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE inspection_findings SET deadline = :d WHERE inspection_id = :i"),
            {"d": day - dt.timedelta(days=1), "i": services.sql_uuid(owner_engine, due["id"])},
        )
    jobs.bind_app(app)  # what the worker does once; the job then runs inline here
    made = [
        jobs.execute(
            "inspections.schedule_reinspections", str(a.authority_id), {"day": day.isoformat()}
        )
        for _ in range(2)
    ]
    assert made == [1, 0]
    api = helpers.Api(app, client, a.usernames["inspector"])
    tasks = api.get("/inspection-tasks?kind=reinspection").json["items"]
    assert [t["parent_inspection_id"] for t in tasks] == [str(due["id"])]
    assert tasks[0]["due_date"] == (day + dt.timedelta(days=10)).isoformat()
    assert {m["id"] for m in tasks[0]["inspectors"]} == {str(i) for i in team}
    del not_yet
