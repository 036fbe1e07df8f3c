"""The enterprise's dashboard through the API, on real data made the way users make it: the
ledger's deadlines, a filing the regulator returned with its reason, the daily overdue run's
notifications, and another enterprise's data that must never appear."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app import tenancy
from app.accounts.rules import Role
from app.dangers.service import overdue
from app.hazards.rules.register import add_years
from tests import worlds
from tests.dangers.helpers import Api, auth, today
from tests.services import sql_uuid

URL = "/api/v1/enterprise-dashboard"


def _set_deadline(owner_engine, danger_id, deadline):
    with owner_engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE hidden_dangers SET deadline = :d WHERE id = :i"),
            {"d": deadline, "i": sql_uuid(owner_engine, danger_id)},
        )


def _overdue_run(app, authority_id):
    from app.db import commit
    from app.extensions import db

    with app.app_context():
        with tenancy.using(tenancy.Scope(authority_id=authority_id, system=True)):
            overdue.run(db.session, authority_id, today())
            commit(db.session)
        db.session.remove()


@pytest.fixture
def scene(app, client, world, owner_engine):
    """Enterprise 1 of authority A (the dashboard's owner) and enterprise 2 beside it, each with
    overdue, due-soon and later hidden dangers and a returned filing."""
    a = world.a
    with app.app_context():
        _, other_admin = worlds.make_user(
            a.authority_id, Role.ENTERPRISE_ADMIN, enterprise_id=a.enterprise2
        )
    mine = Api(app, client, a.usernames["enterprise_admin"])
    theirs = Api(app, client, other_admin)
    day = today()
    made = {}
    for who, api in (("mine", mine), ("theirs", theirs)):
        late = api.create(title=f"{who}-逾期", deadline=(day + dt.timedelta(days=1)).isoformat())
        late2 = api.create(title=f"{who}-逾期2", deadline=(day + dt.timedelta(days=1)).isoformat())
        soon = api.create(title=f"{who}-七天内", deadline=(day + dt.timedelta(days=7)).isoformat())
        today_ = api.create(title=f"{who}-今天到期", deadline=day.isoformat())
        later = api.create(title=f"{who}-八天后", deadline=(day + dt.timedelta(days=8)).isoformat())
        for r in (late, late2, soon, today_, later):
            assert r.status_code == 201, r.json
        _set_deadline(owner_engine, late.json["id"], day - dt.timedelta(days=3))
        _set_deadline(owner_engine, late2.json["id"], day - dt.timedelta(days=1))
        made[who] = {"late": late.json, "late2": late2.json, "soon": soon.json}
    _overdue_run(app, a.authority_id)

    # A filing returned with the regulator's reason, in each enterprise.
    regulator = auth(app, a.usernames["regulator"])
    returned = {}
    with app.app_context():
        evaluated = day - dt.timedelta(days=20)
        for who, enterprise in (("mine", a.enterprise1), ("theirs", a.enterprise2)):
            returned[who] = worlds.make_hazard_source(
                a.authority_id,
                enterprise,
                submitted=True,
                name=f"{who}-液氯储罐区",
                last_evaluated_on=evaluated,
            )
    for who in returned:
        r = client.post(
            f"/api/v1/hazard-sources/{returned[who]}/return",
            headers=regulator,
            json={"note": f"{who}：包保责任人电话缺失"},
        )
        assert r.status_code == 200, r.json
    return {"made": made, "returned": returned, "day": day}


def test_admin_sees_overdue_and_due_soon_counts_and_items(app, client, world, scene):
    r = client.get(URL, headers=auth(app, world.a.usernames["enterprise_admin"]))
    assert r.status_code == 200, r.json
    body = r.json
    assert body["enterprise"]["id"] == str(world.a.enterprise1)
    dangers = body["hidden_dangers"]
    # Overdue: deadline before today; due soon: today up to today + 7, both ends included.
    assert dangers["overdue"]["count"] == 2
    assert [d["title"] for d in dangers["overdue"]["items"]] == ["mine-逾期", "mine-逾期2"]
    assert [d["days_left"] for d in dangers["overdue"]["items"]] == [-3, -1]
    assert dangers["due_soon"]["count"] == 2
    assert [d["title"] for d in dangers["due_soon"]["items"]] == ["mine-今天到期", "mine-七天内"]
    assert dangers["due_soon_until"] == (scene["day"] + dt.timedelta(days=7)).isoformat()
    assert dangers["open_count"] == 5
    first = dangers["overdue"]["items"][0]
    assert first["deadline"] == (scene["day"] - dt.timedelta(days=3)).isoformat()
    assert first["state"] == "reported" and first["severity"] == "general"


def test_a_closed_entry_is_no_longer_counted(app, client, world, scene):
    admin = Api(app, client, world.a.usernames["enterprise_admin"])
    regulator = Api(app, client, world.a.usernames["regulator"])
    late = scene["made"]["mine"]["late"]
    r = regulator.step(late["id"], "cancel", reason="重复登记")
    assert r.status_code == 200, r.json
    body = client.get(URL, headers=admin.headers).json
    assert body["hidden_dangers"]["overdue"]["count"] == 1
    assert [d["title"] for d in body["hidden_dangers"]["overdue"]["items"]] == ["mine-逾期2"]


def test_returned_filing_shows_with_the_regulators_reason(app, client, world, scene):
    body = client.get(URL, headers=auth(app, world.a.usernames["enterprise_admin"])).json
    hazards = body["hazard_sources"]
    assert hazards["returned"]["count"] == 1
    item = hazards["returned"]["items"][0]
    assert item["id"] == str(scene["returned"]["mine"])
    assert item["name"] == "mine-液氯储罐区"
    assert item["filing_status"] == "returned"
    assert item["filing_note"] == "mine：包保责任人电话缺失"
    assert item["level"] == 1 and item["is_major"] is True
    # The world's own chlorine unit was never evaluated: a major source whose evaluation is due.
    due = hazards["reevaluation_due"]
    assert due["missing"] == 1 and due["count"] == 1
    assert due["items"][0]["id"] == str(world.a.hazard_source1)
    assert hazards["active_count"] == 2 and hazards["major_count"] == 2


def test_reevaluation_due_soon_and_overdue(app, client, world, scene):
    day = scene["day"]
    with app.app_context():
        soon = worlds.make_hazard_source(
            world.a.authority_id,
            world.a.enterprise1,
            name="即将到期",
            last_evaluated_on=add_years(day, -3) + dt.timedelta(days=30),
        )
        late = worlds.make_hazard_source(
            world.a.authority_id,
            world.a.enterprise1,
            name="已逾期",
            last_evaluated_on=add_years(day, -3) - dt.timedelta(days=1),
        )
        # Below the threshold: no evaluation is asked of it.
        worlds.make_hazard_source(
            world.a.authority_id,
            world.a.enterprise1,
            name="甲醇小罐",
            substances=[{"name": "甲醇", "quantity_t": 10}],
        )
    body = client.get(URL, headers=auth(app, world.a.usernames["enterprise_admin"])).json
    due = body["hazard_sources"]["reevaluation_due"]
    assert (due["overdue"], due["missing"], due["due_soon"], due["count"]) == (1, 1, 1, 3)
    # Most urgent first: overdue, then never evaluated, then due soon.
    assert [i["id"] for i in due["items"]] == [
        str(late),
        str(world.a.hazard_source1),
        str(soon),
    ]
    assert [i["reevaluation_status"] for i in due["items"]] == ["overdue", "missing", "due_soon"]
    # Evaluated 3 years and 1 day ago with no filing since: the filing is overdue too.
    assert str(late) in {i["id"] for i in body["hazard_sources"]["filing_overdue"]["items"]}


def test_unread_notifications_come_from_the_overdue_run(app, client, world, scene):
    headers = auth(app, world.a.usernames["enterprise_admin"])
    body = client.get(URL, headers=headers).json
    notes = body["notifications"]
    assert notes["unread_count"] == 2
    assert {n["danger_id"] for n in notes["latest"]} == {
        scene["made"]["mine"]["late"]["id"],
        scene["made"]["mine"]["late2"]["id"],
    }
    note = notes["latest"][0]
    client.post(f"/api/v1/notifications/{note['id']}/read", headers=headers)
    assert client.get(URL, headers=headers).json["notifications"]["unread_count"] == 1


def test_another_enterprises_data_never_appears(app, client, world, scene):
    for actor in ("enterprise_admin", "enterprise_staff"):
        r = client.get(URL, headers=auth(app, world.a.usernames[actor]))
        assert r.status_code == 200
        text = r.get_data(as_text=True)
        assert "theirs" not in text, actor
        foreign = {
            str(world.a.enterprise2),
            str(world.a.hazard_source2),
            str(scene["returned"]["theirs"]),
            *(d["id"] for d in scene["made"]["theirs"].values()),
            str(world.b.enterprise1),
        }
        assert not [f for f in foreign if f in text], actor


def test_staff_get_the_reduced_dashboard(app, client, world, scene):
    body = client.get(URL, headers=auth(app, world.a.usernames["enterprise_staff"])).json
    assert body["sections"] == ["classification", "grade", "hidden_dangers", "notifications"]
    assert body["hazard_sources"] is None
    assert body["hidden_dangers"]["overdue"]["count"] == 2
    # Notifications are the caller's own: the overdue run wrote to the admins, not to staff.
    assert body["notifications"]["unread_count"] == 0
    # The grade with its reasons is the enterprise's: a significant published point (orange),
    # raised to red by its level-1 chlorine storage.
    assert body["grade"]["color"] == "red"
    assert {(r["rule"], r["color"]) for r in body["grade"]["reasons"]} >= {
        ("highest_residual_risk", "orange"),
        ("major_hazard_source", "red"),
    }


def test_grade_and_class_with_explanation(app, client, world, scene):
    from app.classification.service import compute
    from app.db import commit
    from app.extensions import db

    with app.app_context():
        with tenancy.using(tenancy.Scope(authority_id=world.a.authority_id, system=True)):
            compute.run(db.session, scene["day"], [world.a.enterprise1])
            commit(db.session)
        db.session.remove()
    admin = client.get(URL, headers=auth(app, world.a.usernames["enterprise_admin"])).json
    assert admin["grade"]["color"] == "red"
    residual = [r for r in admin["grade"]["reasons"] if r["rule"] == "highest_residual_risk"]
    assert residual[0]["facts"]["level"] == "significant"
    klass = admin["classification"]
    assert klass["level"] in {"good", "normal", "reminder", "warning"} and klass["level_cn"]
    # Two overdue dangers of this enterprise's ledger are deducted, with their facts.
    overdue_deduction = [d for d in klass["explanation"]["deductions"] if d["item"] == "overdue"]
    assert overdue_deduction and overdue_deduction[0]["facts"]["overdue_dangers"] == 2
    staff = client.get(URL, headers=auth(app, world.a.usernames["enterprise_staff"])).json
    assert staff["classification"]["level"] == klass["level"]
    assert "explanation" not in staff["classification"]


def test_before_any_grading_the_sections_are_null_not_errors(app, client, world):
    with app.app_context():
        enterprise = worlds.make_enterprise(world.a.authority_id, world.a.community1)
        _, username = worlds.make_user(
            world.a.authority_id, Role.ENTERPRISE_ADMIN, enterprise_id=enterprise
        )
    body = client.get(URL, headers=auth(app, username)).json
    assert body["grade"] is None and body["classification"] is None
    assert body["hidden_dangers"]["open_count"] == 0
    assert body["hazard_sources"]["active_count"] == 0
    assert body["notifications"] == {"unread_count": 0, "latest": []}


@pytest.mark.parametrize(
    ("actor", "status"),
    [("regulator", 403), ("inspector", 403), ("authority_admin", 403), ("street_regulator", 403)],
)
def test_other_roles_may_not_call_it(app, client, world, actor, status):
    assert client.get(URL, headers=auth(app, world.a.usernames[actor])).status_code == status


def test_anonymous_gets_401(client):
    assert client.get(URL).status_code == 401


def _statements(app, client, headers) -> int:
    from sqlalchemy import event

    from app.extensions import db

    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(URL, headers=headers).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_number_of_statements_does_not_grow_with_the_data(app, client, world, owner_engine):
    """A handful of statements, not one per entry or unit (authentication included)."""
    headers = auth(app, world.a.usernames["enterprise_admin"])
    before = _statements(app, client, headers)
    admin = Api(app, client, world.a.usernames["enterprise_admin"])
    for i in range(6):
        made = admin.create(title=f"批量{i}").json
        _set_deadline(owner_engine, made["id"], today() - dt.timedelta(days=i + 1))
    with app.app_context():
        for i in range(4):
            worlds.make_hazard_source(world.a.authority_id, world.a.enterprise1, name=f"罐{i}")
    after = _statements(app, client, headers)
    assert after == before, (before, after)
    assert after <= 25
