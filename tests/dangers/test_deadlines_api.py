"""Extensions and the daily overdue run: windows from data, one effect per day."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app import tenancy
from app.dangers.service import overdue
from tests.dangers.helpers import Api, today
from tests.services import sql_uuid


@pytest.fixture
def actors(app, client, world):
    return {name: Api(app, client, u) for name, u in world.a.usernames.items()}


def _set_deadline(owner_engine, danger_id, deadline):
    with owner_engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE hidden_dangers SET deadline = :d WHERE id = :i"),
            {"d": deadline, "i": sql_uuid(owner_engine, danger_id)},
        )


def test_extension_window_request_and_grant(actors, client, owner_engine):
    admin, regulator = actors["enterprise_admin"], actors["regulator"]
    d = admin.create(deadline=(today() + dt.timedelta(days=30)).isoformat()).json
    url = f"/api/v1/hidden-dangers/{d['id']}/extensions"
    new = (today() + dt.timedelta(days=45)).isoformat()
    r = client.post(
        url, headers=admin.headers, json={"new_deadline": new, "reason": "设备到货延迟"}
    )
    assert r.status_code == 422 and "too early" in r.json["errors"]["requested_on"][0]
    d = admin.create(deadline=(today() + dt.timedelta(days=10)).isoformat()).json
    url = f"/api/v1/hidden-dangers/{d['id']}/extensions"
    # Staff may not ask; the admin asks in writing, exactly 10 days before: in time.
    assert (
        client.post(
            url,
            headers=actors["enterprise_staff"].headers,
            json={"new_deadline": new, "reason": "x"},
        ).status_code
        == 403
    )
    r = client.post(
        url, headers=admin.headers, json={"new_deadline": new, "reason": "设备到货延迟"}
    )
    assert r.status_code == 201, r.json
    ext = r.json
    assert (
        ext["status"] == "pending"
        and ext["answer_due_on"] == (today() + dt.timedelta(days=5)).isoformat()
    )
    r = client.post(url, headers=admin.headers, json={"new_deadline": new, "reason": "again"})
    assert r.status_code == 422 and "already pending" in r.json["errors"]["extension"][0]
    decision = f"{url}/{ext['id']}/decision"
    assert (
        client.post(
            decision, headers=admin.headers, json={"granted": True, "new_deadline": new}
        ).status_code
        == 403
    )
    r = client.post(decision, headers=regulator.headers, json={"granted": False})
    assert r.status_code == 422 and "reason" in r.json["errors"]
    r = client.post(
        decision, headers=regulator.headers, json={"granted": True, "new_deadline": new}
    )
    assert r.status_code == 200 and r.json["status"] == "granted"
    entry = admin.get(d["id"]).json
    assert entry["deadline"] == new and entry["extension_pending"] is False
    assert (
        client.post(
            decision, headers=regulator.headers, json={"granted": True, "new_deadline": new}
        ).status_code
        == 409
    )
    notes = client.get("/api/v1/notifications?unread=true", headers=admin.headers).json["items"]
    assert "grant_extension" in [n["kind"] for n in notes if n["danger_id"] == d["id"]]


def test_refusal_keeps_the_deadline(actors, client):
    admin, regulator = actors["enterprise_admin"], actors["regulator"]
    deadline = (today() + dt.timedelta(days=3)).isoformat()
    d = admin.create(deadline=deadline).json
    url = f"/api/v1/hidden-dangers/{d['id']}/extensions"
    ext = client.post(
        url,
        headers=admin.headers,
        json={"new_deadline": (today() + dt.timedelta(days=9)).isoformat(), "reason": "x"},
    ).json
    r = client.post(
        f"{url}/{ext['id']}/decision",
        headers=regulator.headers,
        json={"granted": False, "reason": "无不可抗力"},
    )
    assert r.status_code == 200 and r.json["decision_reason"] == "无不可抗力"
    assert admin.get(d["id"]).json["deadline"] == deadline


def _run(app, authority_id, day):
    from app.db import commit
    from app.extensions import db

    with app.app_context():
        with tenancy.using(tenancy.Scope(authority_id=authority_id, system=True)):
            marked = overdue.run(db.session, authority_id, day)
            commit(db.session)
        db.session.remove()
    return marked


def test_overdue_run_twice_for_one_day_has_one_effect(actors, app, client, world, owner_engine):
    admin, regulator = actors["enterprise_admin"], actors["regulator"]
    general = admin.create().json
    major = admin.create(severity="major").json
    late = today() - dt.timedelta(days=2)
    for d in (general, major):
        _set_deadline(owner_engine, d["id"], late)
    day = today()
    first = _run(app, world.a.authority_id, day)
    assert first is not None and first >= 2
    assert _run(app, world.a.authority_id, day) is None  # the day already ran
    for d in (general, major):
        entry = admin.get(d["id"]).json
        assert entry["overdue"] is True and entry["days_overdue"] == 2
        assert entry["overdue_since"] == (late + dt.timedelta(days=1)).isoformat()
    with owner_engine.connect() as conn:
        marks = conn.execute(
            sa.text(
                "SELECT count(*) FROM hidden_danger_events"
                " WHERE action = 'mark_overdue' AND danger_id IN (:a, :b)"
            ),
            {"a": sql_uuid(owner_engine, general["id"]), "b": sql_uuid(owner_engine, major["id"])},
        ).scalar()
        runs = conn.execute(
            sa.text(
                "SELECT count(*) FROM hidden_danger_overdue_runs"
                " WHERE authority_id = :a AND day = :d"
            ),
            {"a": sql_uuid(owner_engine, world.a.authority_id), "d": day},
        ).scalar()
    assert (marks, runs) == (2, 1)
    # Escalation: the admin hears of both, the regulator of the major one only.
    admin_notes = client.get("/api/v1/notifications", headers=admin.headers).json["items"]
    assert sorted(n["danger_id"] for n in admin_notes if n["kind"] == "overdue") == sorted(
        [general["id"], major["id"]]
    )
    reg_notes = client.get("/api/v1/notifications", headers=regulator.headers).json["items"]
    assert [n["danger_id"] for n in reg_notes if n["kind"] == "overdue"] == [major["id"]]
    # Another day's run finds nothing new to mark.
    assert _run(app, world.a.authority_id, day + dt.timedelta(days=1)) == 0
    # The other authority's run touches none of ours.
    assert _run(app, world.b.authority_id, day) == 0


def test_overdue_major_turns_the_enterprise_red(actors, app, client, world, owner_engine):
    admin, regulator = actors["enterprise_admin"], actors["regulator"]
    major = admin.create(severity="major").json
    url = f"/api/v1/risk-map/enterprises/{world.a.enterprise1}/grades"
    grades = client.get(url, headers=regulator.headers).json["items"]
    assert grades[-1]["color"] in ("orange", "red")
    reasons = {
        r["rule"] for r in client.get(url, headers=regulator.headers).json["items"][-1]["reasons"]
    }
    assert "open_major_hidden_danger" in reasons
    _set_deadline(owner_engine, major["id"], today() - dt.timedelta(days=1))
    _run(app, world.a.authority_id, today())
    grades = client.get(url, headers=regulator.headers).json["items"]
    assert grades[-1]["color"] == "red"
    rules = {r["rule"]: r["facts"] for r in grades[-1]["reasons"]}
    assert rules["overdue_major_hidden_danger"] == {"count": 1}
    assert rules["open_major_hidden_danger"] == {"count": 1}
    # Closed out by the regulator: the floor goes with it.
    regulator.step(major["id"], "cancel", reason="误报")
    grades = client.get(url, headers=regulator.headers).json["items"]
    assert "overdue_major_hidden_danger" not in {r["rule"] for r in grades[-1]["reasons"]}


def test_notifications_are_the_users_own(actors, client):
    admin = actors["enterprise_admin"]
    admin.create(severity="major")
    notes = client.get("/api/v1/notifications", headers=admin.headers).json["items"]
    assert notes
    other = actors["other_staff"]
    r = client.post(f"/api/v1/notifications/{notes[0]['id']}/read", headers=other.headers)
    assert r.status_code == 404
    r = client.post(f"/api/v1/notifications/{notes[0]['id']}/read", headers=admin.headers)
    assert r.status_code == 200 and r.json["read_at"]
    r = client.post("/api/v1/notifications/read-all", headers=admin.headers)
    assert r.status_code == 200 and r.json["marked"] == len(notes) - 1
    assert (
        client.get("/api/v1/notifications?unread=true", headers=admin.headers).json["items"] == []
    )


def test_a_terminal_step_withdraws_a_pending_extension(actors, client):
    admin, regulator = actors["enterprise_admin"], actors["regulator"]
    d = admin.create(deadline=(today() + dt.timedelta(days=4)).isoformat()).json
    url = f"/api/v1/hidden-dangers/{d['id']}/extensions"
    new = (today() + dt.timedelta(days=20)).isoformat()
    ext = client.post(url, headers=admin.headers, json={"new_deadline": new, "reason": "x"}).json
    entry = regulator.get(d["id"]).json
    assert {"grant_extension", "refuse_extension"} <= set(entry["allowed_actions"])
    assert "request_extension" not in admin.get(d["id"]).json["allowed_actions"]
    regulator.step(d["id"], "cancel", reason="重复")
    listed = client.get(url, headers=admin.headers).json["items"]
    assert [(e["id"], e["status"]) for e in listed] == [(ext["id"], "withdrawn")]
    assert admin.get(d["id"]).json["extension_pending"] is False


def test_a_moved_deadline_is_watched_again(actors, app, world, owner_engine):
    admin, inspector = actors["enterprise_admin"], actors["inspector"]
    d = inspector.create(enterprise_id=str(world.a.enterprise1)).json
    _set_deadline(owner_engine, d["id"], today() - dt.timedelta(days=1))
    assert _run(app, world.a.authority_id, today()) >= 1
    assert admin.get(d["id"]).json["overdue_since"] is not None
    later = (today() + dt.timedelta(days=3)).isoformat()
    r = inspector.patch(d["id"], {"deadline": later})
    assert r.status_code == 200 and r.json["overdue_since"] is None and r.json["overdue"] is False
