"""What the ledger screens ask of the API beyond the loop itself: "due within N days" as a
filter, and who took each step by name where the caller may see that account."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.dangers.helpers import Api, today


@pytest.fixture
def actors(app, client, world):
    usernames = world.a.usernames
    return {name: Api(app, client, usernames[name]) for name in usernames}


def _ids(client, admin, query):
    r = client.get(f"/api/v1/hidden-dangers?{query}", headers=admin.headers)
    assert r.status_code == 200, r.json
    return {d["id"] for d in r.json["items"]}


def test_due_by_lists_entries_due_on_or_before_a_day(actors, client):
    admin = actors["enterprise_admin"]
    soon = admin.create(title="三日内到期", deadline=(today() + dt.timedelta(days=3)).isoformat())
    later = admin.create(title="一月后到期", deadline=(today() + dt.timedelta(days=30)).isoformat())
    edge = admin.create(title="恰好七日", deadline=(today() + dt.timedelta(days=7)).isoformat())
    soon, later, edge = soon.json["id"], later.json["id"], edge.json["id"]
    week = (today() + dt.timedelta(days=7)).isoformat()
    due = _ids(client, admin, f"open=true&overdue=false&due_by={week}")
    assert soon in due and edge in due and later not in due
    # The export takes the same filter.
    r = client.get(f"/api/v1/hidden-dangers/export.xlsx?due_by={week}", headers=admin.headers)
    titles = {
        row[2] for row in load_workbook(io.BytesIO(r.data)).active.iter_rows(values_only=True)
    }
    assert {"三日内到期", "恰好七日"} <= titles and "一月后到期" not in titles
    r = client.get("/api/v1/hidden-dangers?due_by=next-week", headers=admin.headers)
    assert r.status_code == 422 and "query.due_by" in r.json["errors"]


def test_history_names_the_actors_the_caller_may_see(actors, client, world):
    staff, admin, inspector = (
        actors["enterprise_staff"],
        actors["enterprise_admin"],
        actors["inspector"],
    )
    d = staff.create().json
    assert staff.step(d["id"], "start_rectification").status_code == 200
    assert staff.upload(d["id"]).status_code == 201
    assert staff.step(d["id"], "submit_for_acceptance").status_code == 200
    assert inspector.step(d["id"], "reject", reason="围堰未完成").status_code == 200
    url = f"/api/v1/hidden-dangers/{d['id']}/history"
    mine = client.get(url, headers=admin.headers).json["items"]
    names = [(e["action"], e["actor_kind"], e["actor_name"]) for e in mine]
    staff_name = world.a.usernames["enterprise_staff"]  # the test world's display names
    assert names[0] == ("create", "enterprise_staff", staff_name)
    # The enterprise does not read the authority's accounts: the kind stays, the name does not.
    assert names[-1] == ("reject", "inspector", None)
    theirs = client.get(url, headers=actors["regulator"].headers).json["items"]
    assert theirs[-1]["actor_name"] == world.a.usernames["inspector"]
    assert theirs[0]["actor_name"] == staff_name
