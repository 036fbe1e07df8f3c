"""The closed loop through the API: record, rectify, accept or close out, with who and why."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.dangers.rules import load_timelines
from tests.dangers.helpers import Api, new_client_id, plan, today
from tests.services import sql_uuid


@pytest.fixture
def actors(app, client, world):
    usernames = world.a.usernames
    return {name: Api(app, client, usernames[name]) for name in usernames}


def test_general_loop_from_report_to_closed(actors, world):
    staff, admin, inspector = (
        actors["enterprise_staff"],
        actors["enterprise_admin"],
        actors["inspector"],
    )
    r = staff.create()
    assert r.status_code == 201, r.json
    d = r.json
    assert d["state"] == "reported" and d["source"] == "staff_report"
    assert d["enterprise_id"] == str(world.a.enterprise1)
    days = load_timelines().general_deadline_days
    assert d["deadline"] == (today() + dt.timedelta(days=days)).isoformat()  # the default
    assert d["supervised_at"] is None and d["overdue"] is False
    assert d["allowed_actions"] == ["start_rectification"]
    assert staff.step(d["id"], "start_rectification").json["state"] == "rectifying"
    # No acceptance without proof of the fix.
    r = staff.step(d["id"], "submit_for_acceptance")
    assert r.status_code == 422 and "evidence" in r.json["errors"]
    assert staff.upload(d["id"]).status_code == 201
    assert staff.step(d["id"], "submit_for_acceptance").json["state"] == "awaiting_acceptance"
    # Staff may not accept their own fix; the 409 names the state and what they may do.
    r = staff.step(d["id"], "accept")
    assert r.status_code == 409
    assert r.json["errors"] == {"state": ["awaiting_acceptance"], "allowed_actions": []}
    r = inspector.step(d["id"], "reject")
    assert r.status_code == 422 and r.json["errors"] == {"reason": ["required for this step"]}
    assert inspector.step(d["id"], "reject", reason="围堰未完成").json["state"] == "rectifying"
    # The photo of the rejected fix does not count again: this round needs its own.
    assert staff.step(d["id"], "submit_for_acceptance").status_code == 422
    assert staff.upload(d["id"]).status_code == 201
    assert staff.step(d["id"], "submit_for_acceptance").json["state"] == "awaiting_acceptance"
    r = admin.step(d["id"], "accept")
    assert r.status_code == 200
    closed = r.json
    assert closed["state"] == "closed" and closed["closed_on_time"] is True
    assert closed["allowed_actions"] == []
    # Closed is final: no edit, no step.
    assert admin.patch(d["id"], {"title": "x"}).status_code == 409
    assert actors["regulator"].step(d["id"], "cancel", reason="x").status_code == 409
    history = admin.client.get(f"/api/v1/hidden-dangers/{d['id']}/history", headers=admin.headers)
    steps = [(e["action"], e["to_state"], e["actor_kind"]) for e in history.json["items"]]
    assert steps == [
        ("create", "reported", "enterprise_staff"),
        ("start_rectification", "rectifying", "enterprise_staff"),
        ("add_evidence", None, "enterprise_staff"),
        ("submit_for_acceptance", "awaiting_acceptance", "enterprise_staff"),
        ("reject", "rectifying", "inspector"),
        ("add_evidence", None, "enterprise_staff"),
        ("submit_for_acceptance", "awaiting_acceptance", "enterprise_staff"),
        ("accept", "closed", "enterprise_admin"),
    ]
    assert history.json["items"][4]["reason"] == "围堰未完成"


def test_major_needs_the_five_in_place_and_only_the_regulator_closes_it(actors, app, client):
    admin, regulator = actors["enterprise_admin"], actors["regulator"]
    d = admin.create(severity="major").json
    assert d["supervised_at"] is not None
    days = load_timelines().major_deadline_days  # a documented default, from the data file
    assert d["deadline"] == (today() + dt.timedelta(days=days)).isoformat()
    # Regulators were told: placed under supervision (挂牌督办).
    notes = client.get("/api/v1/notifications", headers=regulator.headers).json["items"]
    assert [n["kind"] for n in notes if n["danger_id"] == d["id"]] == ["major_reported"]
    r = admin.step(d["id"], "start_rectification")
    assert r.status_code == 422
    assert set(r.json["errors"]) == {
        "plan.measures",
        "plan.responsible_person",
        "plan.funds",
        "plan.deadline",
        "plan.contingency_plan",
    }
    # Staff may not start a major one, even with a plan.
    assert (
        actors["enterprise_staff"].step(d["id"], "start_rectification", plan=plan()).status_code
        == 409
    )
    r = admin.step(d["id"], "start_rectification", plan=plan())
    assert r.status_code == 200 and r.json["plan"]["funds"] == "12000.00"
    admin.upload(d["id"])
    assert admin.step(d["id"], "submit_for_acceptance").json["state"] == "awaiting_acceptance"
    r = admin.step(d["id"], "close")
    assert r.status_code == 409 and "allowed next steps" in r.json["detail"]
    # A street regulator of the other street does not even see it; the inspector may not close.
    assert actors["inspector"].step(d["id"], "close").status_code == 409
    r = regulator.step(d["id"], "close")
    assert r.status_code == 200 and r.json["state"] == "closed"


def test_downgrade_is_the_regulators_and_upgrade_places_under_supervision(actors):
    admin, regulator = actors["enterprise_admin"], actors["regulator"]
    d = admin.create(severity="major").json
    r = admin.patch(d["id"], {"severity": "general"})
    assert r.status_code == 422 and "severity" in r.json["errors"]
    r = regulator.patch(d["id"], {"severity": "general"})
    assert r.status_code == 422 and "reason" in r.json["errors"]
    r = regulator.patch(d["id"], {"severity": "general", "reason": "经复核不构成重大隐患"})
    assert r.json["severity"] == "general" and r.json["supervised_at"] is None
    g = admin.create().json
    admin.step(g["id"], "start_rectification")
    # Upgraded mid-rectification: the plan rule applies at once.
    r = admin.patch(g["id"], {"severity": "major"})
    assert r.status_code == 422 and "plan.measures" in r.json["errors"]
    r = admin.patch(g["id"], {"severity": "major", "plan": plan()})
    assert r.status_code == 200 and r.json["supervised_at"] is not None
    # Staff report, they do not grade.
    assert actors["enterprise_staff"].patch(g["id"], {"title": "x"}).status_code == 403


def test_cancel_needs_a_regulator_and_a_reason(actors):
    d = actors["enterprise_staff"].create().json
    assert actors["enterprise_admin"].step(d["id"], "cancel", reason="dup").status_code == 409
    assert actors["regulator"].step(d["id"], "cancel").status_code == 422
    r = actors["regulator"].step(d["id"], "cancel", reason="重复登记")
    assert r.status_code == 200 and r.json["state"] == "cancelled"


def test_retried_create_with_the_same_client_id_makes_one_entry(actors, owner_engine):
    staff = actors["enterprise_staff"]
    cid = new_client_id()
    first = staff.create(client_id=cid)
    assert first.status_code == 201
    replays = [staff.create(client_id=cid) for _ in range(5)]
    assert {r.status_code for r in replays} == {200}
    assert {r.json["id"] for r in replays} == {first.json["id"]}
    changed = staff.create(client_id=cid, title="另一条")
    assert changed.status_code == 409 and "client_id" in changed.json["errors"]
    with owner_engine.connect() as conn:
        n = conn.execute(
            sa.text("SELECT count(*) FROM hidden_dangers WHERE client_id = :c"),
            {"c": sql_uuid(owner_engine, cid)},
        ).scalar()
    assert n == 1


def test_sources_follow_the_role(actors, world):
    e1 = str(world.a.enterprise1)
    assert actors["inspector"].create(enterprise_id=e1).json["source"] == "inspection_finding"
    assert actors["regulator"].create(enterprise_id=e1).json["source"] == "regulator_entry"
    assert actors["enterprise_admin"].create().json["source"] == "self_inspection"
    r = actors["enterprise_staff"].create(source="regulator_entry")
    assert r.status_code == 422 and "source" in r.json["errors"]
    r = actors["regulator"].create()
    assert r.status_code == 422 and "enterprise_id" in r.json["errors"]
    # Another authority's enterprise is simply not there.
    r = actors["regulator"].create(enterprise_id=str(world.b.enterprise1))
    assert r.status_code == 422


def test_criteria_are_for_major_ones_of_chemical_enterprises(actors, world, owner_engine):
    with owner_engine.connect() as conn:
        sector = conn.execute(
            sa.text("SELECT sector FROM enterprises WHERE id = :i"),
            {"i": sql_uuid(owner_engine, world.a.enterprise1)},
        ).scalar()
    r = actors["enterprise_admin"].create(severity="general", criterion_code="CHEM2017-01")
    assert r.status_code == 422
    r = actors["enterprise_admin"].create(severity="major", criterion_code="CHEM2017-99")
    assert r.status_code == 422 and "unknown criterion" in r.json["errors"]["criterion_code"][0]
    r = actors["enterprise_admin"].create(severity="major", criterion_code="CHEM2017-01")
    assert r.status_code == (201 if sector == "hazardous_chemicals" else 422)


def test_list_filters_supervised_list_and_export(actors, client, world):
    admin, regulator = actors["enterprise_admin"], actors["regulator"]
    major = admin.create(severity="major", title='=HYPERLINK("http://x")').json
    admin.create(title="一般隐患")
    listed = client.get(
        "/api/v1/hidden-dangers?severity=major&open=true", headers=regulator.headers
    ).json["items"]
    assert major["id"] in [d["id"] for d in listed] and all(
        d["severity"] == "major" for d in listed
    )
    sup = client.get("/api/v1/hidden-dangers/supervised", headers=regulator.headers).json["items"]
    assert [d["id"] for d in sup] == [major["id"]]
    assert sup[0]["days_overdue"] == 0
    assert client.get("/api/v1/hidden-dangers/supervised", headers=admin.headers).status_code == 403
    assert (
        client.get("/api/v1/hidden-dangers?sevrity=major", headers=admin.headers).status_code == 422
    )
    r = client.get("/api/v1/hidden-dangers/export.xlsx", headers=regulator.headers)
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("企业名称", "统一社会信用代码", "隐患名称", "隐患描述")
    titles = {row[2] for row in rows[1:]}
    assert {major["title"], "一般隐患"} <= titles
    formula = next(c for c in ws[2 : ws.max_row] for c in c if c.value == major["title"])
    assert formula.data_type == "s"  # stays text: no formula injection
    # The other authority's regulator exports nothing of ours.
    other = Api(admin.client.application, client, world.b.usernames["regulator"])
    r = client.get("/api/v1/hidden-dangers/export.xlsx", headers=other.headers)
    assert len(list(load_workbook(io.BytesIO(r.data)).active.iter_rows())) == 1


def test_enterprise_users_see_only_their_ledger(actors, client, world, app):
    mine = actors["enterprise_admin"].create().json
    other = Api(app, client, world.a.usernames["other_staff"])
    theirs = other.create().json
    assert other.get(mine["id"]).status_code == 404
    ids = [
        d["id"] for d in client.get("/api/v1/hidden-dangers", headers=other.headers).json["items"]
    ]
    assert theirs["id"] in ids and mine["id"] not in ids
    # A street regulator sees its street's enterprises only (enterprise1 is in street1).
    street = actors["street_regulator"]
    assert street.get(mine["id"]).status_code == 200
    assert street.get(theirs["id"]).status_code == 404


def test_body_errors_are_clear(actors):
    admin = actors["enterprise_admin"]
    r = admin.create(category="bad", severity="huge")
    assert r.status_code == 422 and {"category", "severity"} <= set(r.json["errors"])
    r = admin.create(deadline="2000-01-01")
    assert r.status_code == 422 and "deadline" in r.json["errors"]
    r = admin.create(state="closed")
    assert r.status_code == 422  # read-only fields are refused, not ignored
    d = admin.create().json
    r = admin.step(d["id"], "fly")
    assert r.status_code == 422
    r = admin.client.post(
        f"/api/v1/hidden-dangers/{d['id']}/transitions",
        headers=admin.headers,
        json={"action": "start_rectification", "plan": plan()},
    )
    assert r.status_code == 200  # a plan may come with the step on a general one too
    r = admin.step(d["id"], "submit_for_acceptance", plan=plan())
    assert r.status_code == 422 and "plan" in r.json["errors"]


def test_patch_needs_if_match(actors, client):
    d = actors["enterprise_admin"].create().json
    url = f"/api/v1/hidden-dangers/{d['id']}"
    h = actors["enterprise_admin"].headers
    assert client.patch(url, headers=h, json={"title": "新"}).status_code == 428
    stale = {**h, "If-Match": f'"{d["id"]}.0"'}
    assert client.patch(url, headers=stale, json={"title": "新"}).status_code == 412


def test_bodies_for_a_major_one_with_unknown_fields_are_refused(actors):
    r = actors["enterprise_admin"].create(severity="major", plan={**plan(), "extra": 1})
    assert r.status_code == 422


def test_a_write_lost_to_a_concurrent_one_at_commit_is_a_412(actors, owner_engine, monkeypatch):
    """Someone else's write lands between our If-Match check and our commit: the flush finds a
    newer version, and the answer is 412 (the failed transaction is never touched again)."""
    from app.dangers.service import steps

    admin = actors["enterprise_admin"]
    d = admin.create().json
    real_update = steps.update

    def racing_update(session, danger, changes):
        result = real_update(session, danger, changes)
        with owner_engine.begin() as conn:  # the other writer, committed first
            conn.execute(
                sa.text("UPDATE hidden_dangers SET version = version + 1 WHERE id = :i"),
                {"i": sql_uuid(owner_engine, d["id"])},
            )
        return result

    monkeypatch.setattr(steps, "update", racing_update)
    r = admin.patch(d["id"], {"title": "我的修改"})
    assert r.status_code == 412, r.get_data(as_text=True)[:300]
    assert admin.get(d["id"]).json["title"] == d["title"]


def test_who_may_reword_regrade_or_move_what(actors, world):
    admin, staff, inspector = (
        actors["enterprise_admin"],
        actors["enterprise_staff"],
        actors["inspector"],
    )
    # Staff report; grading one as major is for the admin or authority staff.
    r = staff.create(severity="major")
    assert r.status_code == 422 and "severity" in r.json["errors"]
    found = inspector.create(enterprise_id=str(world.a.enterprise1)).json
    # What an inspector recorded is not the enterprise's to reword; its plan is.
    r = admin.patch(found["id"], {"title": "没什么问题"})
    assert r.status_code == 422 and "title" in r.json["errors"]
    r = admin.patch(found["id"], {"plan": plan()})
    assert r.status_code == 200
    # The enterprise asks for more time in writing; it never moves its own deadline.
    far = (today() + dt.timedelta(days=300)).isoformat()
    r = admin.patch(found["id"], {"deadline": far})
    assert r.status_code == 422 and "extension" in r.json["errors"]["deadline"][0]
    r = inspector.patch(found["id"], {"deadline": far})
    assert r.status_code == 200 and r.json["deadline"] == far
    assert r.json["original_deadline"] == found["deadline"]


def test_a_downgraded_entry_leaves_the_supervised_list(actors, client):
    admin, regulator = actors["enterprise_admin"], actors["regulator"]
    d = admin.create(severity="major").json
    url = "/api/v1/hidden-dangers/supervised?limit=200"
    assert d["id"] in [x["id"] for x in client.get(url, headers=regulator.headers).json["items"]]
    regulator.patch(d["id"], {"severity": "general", "reason": "复核为一般隐患"})
    assert d["id"] not in [
        x["id"] for x in client.get(url, headers=regulator.headers).json["items"]
    ]
    # Upgraded again: back under supervision, and the regulators hear of it again.
    admin.patch(d["id"], {"severity": "major"})
    assert d["id"] in [x["id"] for x in client.get(url, headers=regulator.headers).json["items"]]
    notes = client.get("/api/v1/notifications?limit=200", headers=regulator.headers).json
    assert [n["kind"] for n in notes["items"] if n["danger_id"] == d["id"]] == [
        "major_reported",
        "major_reported",
    ]
