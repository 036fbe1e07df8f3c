"""The tablet's record: who may write it, what it refuses, what each side sees."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import inspection_worlds as iw
from tests.inspections import helpers
from tests.inspections.helpers import new_id


def _world(app, world, with_name=False):
    from app.accounts.rules import Role
    from tests.worlds import make_user

    a = world.a
    with app.app_context():
        partner, partner_name = make_user(a.authority_id, Role.INSPECTOR)
        task_id = iw.make_task(a.authority_id, a.enterprise1, [a.users["inspector"], partner])
    return (a, partner, task_id, partner_name) if with_name else (a, partner, task_id)


def _record(task_id, **extra):
    return {
        "id": new_id(),
        "task_id": str(task_id),
        "started_at": dt.datetime.now(dt.UTC).isoformat(),
        "responsible_person": "李四",
        **extra,
    }


def test_team_rules_and_id_reuse(app, client, world):
    a, partner, task_id, partner_name = _world(app, world, with_name=True)
    api = helpers.Api(app, client, a.usernames["inspector"])
    alone = api.post(
        "/inspections",
        _record(task_id, inspector_ids=[str(a.users["inspector"])]),
        key=new_id(),
    )
    assert alone.status_code == 422  # the schema: at least two
    with app.app_context():
        third = iw.second_inspector(a.authority_id)
    swapped = api.post(
        "/inspections",
        _record(task_id, inspector_ids=[str(a.users["inspector"]), str(third)]),
        key=new_id(),
    )
    assert swapped.status_code == 422  # the drawn team is the team
    assert "only members of the task's team" in swapped.json["errors"]["inspector_ids"]
    without_me = api.post(
        "/inspections",
        {
            **_record(task_id, inspector_ids=[str(partner), str(third)]),
            "task_id": None,
            "enterprise_id": str(a.enterprise1),
        },
        key=new_id(),
    )
    assert without_me.status_code == 422
    assert "the team must include you" in without_me.json["errors"]["inspector_ids"]
    future = api.post(
        "/inspections",
        _record(task_id, started_at=(dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()),
        key=new_id(),
    )
    assert future.status_code == 422
    body = _record(task_id)
    assert api.post("/inspections", body, key=new_id()).status_code == 201
    # One record per task: the partner's tablet cannot start a second one.
    partner_api = helpers.Api(app, client, partner_name)
    second = partner_api.post("/inspections", _record(task_id), key=new_id())
    assert second.status_code == 409
    reused = api.post("/inspections", {**body, "responsible_person": "别人"}, key=new_id())
    assert reused.status_code == 409  # same id, other content
    # A regulator reads but never writes the record; an enterprise sees nothing while open.
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    assert regulator.get(f"/inspections/{body['id']}").status_code == 200
    assert regulator.post("/inspections", _record(task_id), key=new_id()).status_code == 403
    enterprise = helpers.Api(app, client, a.usernames["enterprise_admin"])
    assert enterprise.get(f"/inspections/{body['id']}").status_code == 404
    assert enterprise.get(f"/inspection-tasks/{task_id}").status_code == 403


def test_what_an_open_record_refuses_and_a_closed_one_shows(app, client, world):
    a, partner, task_id = _world(app, world)
    api = helpers.Api(app, client, a.usernames["inspector"])
    body = _record(task_id)
    inspection_id = api.post("/inspections", body, key=new_id()).json["id"]
    unknown_item = api.put(
        f"/inspections/{inspection_id}/items/{new_id()}", {"result": "compliant"}
    )
    assert unknown_item.status_code == 422
    past = api.post(
        f"/inspections/{inspection_id}/findings",
        {
            "id": new_id(),
            "title": "t",
            "category": "unsafe_act",
            "severity": "major",
            "deadline": (helpers.today() - dt.timedelta(days=1)).isoformat(),
        },
        key=new_id(),
    )
    assert past.status_code == 422 and "deadline" in past.json["errors"]
    half_gps = api.post(
        f"/inspections/{inspection_id}/findings",
        {
            "id": new_id(),
            "title": "t",
            "category": "unsafe_act",
            "severity": "major",
            "deadline": helpers.today().isoformat(),
            "latitude": "31.2",
        },
        key=new_id(),
    )
    assert half_gps.status_code == 422
    sig = api.upload(
        inspection_id,
        {
            "id": new_id(),
            "kind": "signature",
            "signer": "inspector",
            "signer_id": str(a.users["regulator"]),
        },
        data=helpers.png(),
        name="s.png",
        mimetype="image/png",
    )
    assert sig.status_code == 422 and "signer_id" in sig.json["errors"]
    pdf = api.upload(
        inspection_id,
        {"id": new_id(), "kind": "photo"},
        data=b"%PDF-1.4\n",
        name="x.pdf",
        mimetype="application/pdf",
    )
    assert pdf.status_code == 422
    # Closing without the must-check item and signatures names every gap.
    refused = api.post(f"/inspections/{inspection_id}/close", {})
    assert refused.status_code == 422
    assert {"signatures", "items"} <= set(refused.json["errors"])
    task = api.get(f"/inspection-tasks/{task_id}").json
    items = api.get(f"/inspection-checklists/{task['checklist_id']}").json["items"]
    for item in items:
        api.put(f"/inspections/{inspection_id}/items/{item['id']}", {"result": "compliant"})
    for member in (a.users["inspector"], partner):
        api.upload(
            inspection_id,
            {"id": new_id(), "kind": "signature", "signer": "inspector", "signer_id": str(member)},
            data=helpers.png(),
            name="s.png",
            mimetype="image/png",
        )
    closed = api.post(
        f"/inspections/{inspection_id}/close", {"signature_refused_note": "负责人拒绝签字"}
    )
    assert closed.status_code == 200 and closed.json["outcome"] == "no_findings", closed.json
    assert api.post(f"/inspections/{inspection_id}/close", {}).json == closed.json  # a retry
    late = api.post(
        f"/inspections/{inspection_id}/findings",
        {
            "id": new_id(),
            "title": "t",
            "category": "unsafe_act",
            "severity": "general",
            "deadline": helpers.today().isoformat(),
        },
        key=new_id(),
    )
    assert late.status_code == 409
    etag = api.get(f"/inspections/{inspection_id}").headers["ETag"]
    assert api.patch(f"/inspections/{inspection_id}", {"place": "x"}, etag=etag).status_code == 409
    # The enterprise now reads its record: names and certificates, not user ids.
    enterprise = helpers.Api(app, client, a.usernames["enterprise_admin"])
    seen = enterprise.get(f"/inspections/{inspection_id}")
    assert seen.status_code == 200 and seen.json["inspector_ids"] is None
    assert [i["certificate_no"][:8] for i in seen.json["inspectors"]] == ["32070100"] * 2
    assert enterprise.get("/inspections").json["items"][0]["id"] == inspection_id
    # Nothing on the ledger: no findings.
    sync = api.get(f"/inspections/{inspection_id}/sync-status").json
    assert sync["status"] == "closed" and sync["findings"] == [] and len(sync["files"]) == 2


def test_edits_need_the_current_etag(app, client, world):
    a, _, task_id = _world(app, world)
    api = helpers.Api(app, client, a.usernames["inspector"])
    inspection_id = api.post("/inspections", _record(task_id), key=new_id()).json["id"]
    etag = api.get(f"/inspections/{inspection_id}").headers["ETag"]
    assert (
        api.patch(f"/inspections/{inspection_id}", {"place": "一号车间"}, etag=etag).status_code
        == 200
    )
    stale = api.patch(f"/inspections/{inspection_id}", {"place": "二号车间"}, etag=etag)
    assert stale.status_code == 412
    missing = client.patch(
        f"/api/v1/inspections/{inspection_id}", headers=api.headers, json={"place": "三号车间"}
    )
    assert missing.status_code == 428


@pytest.mark.postgres  # the interval arithmetic in the setup is PostgreSQL's
def test_a_late_sync_still_closes_onto_the_ledger(app, client, world, owner_engine):
    """A tablet offline for days: a finding due yesterday (valid on site) still closes."""
    import sqlalchemy as sa

    from tests import services

    a, partner, _ = _world(app, world)
    with app.app_context():
        made = iw.make_inspection(
            a.authority_id,
            a.enterprise1,
            [a.users["inspector"], partner],
            finding=True,
            signed=True,
        )
    yesterday = helpers.today() - dt.timedelta(days=1)
    with owner_engine.begin() as conn:
        iid = services.sql_uuid(owner_engine, made["id"])
        conn.execute(
            sa.text(
                "UPDATE inspections SET started_at = started_at - interval '3 days' WHERE id = :i"
            ),
            {"i": iid},
        )
        conn.execute(
            sa.text("UPDATE inspection_findings SET deadline = :d WHERE inspection_id = :i"),
            {"d": yesterday, "i": iid},
        )
    api = helpers.Api(app, client, a.usernames["inspector"])
    closed = api.post(f"/inspections/{made['id']}/close", {})
    assert closed.status_code == 200, closed.json
    sync = api.get(f"/inspections/{made['id']}/sync-status").json
    danger = api.get(f"/hidden-dangers/{sync['findings'][0]['danger_id']}").json
    assert danger["deadline"] == yesterday.isoformat() and danger["overdue"] is True


def test_a_failed_reinspection_reopens_what_the_enterprise_closed(app, world, owner_engine):
    """The authority's check overrules the unit's own acceptance; and a fix applied for before
    the deadline counts as on time even when the re-inspection comes after it."""
    import sqlalchemy as sa

    from app import tenancy
    from app.accounts.rules import Role
    from app.dangers.models import HiddenDanger
    from app.dangers.service.reinspection import apply_verdict
    from app.db import commit
    from app.extensions import db
    from app.tenancy import Scope
    from tests import danger_worlds, services

    a = world.a
    with app.app_context():
        closed_id = danger_worlds.make_danger(a.authority_id, a.enterprise1)
        waiting_id = danger_worlds.make_danger(a.authority_id, a.enterprise1)
    early = dt.datetime.now(dt.UTC) - dt.timedelta(days=5)
    with owner_engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE hidden_dangers SET state = 'closed', closed_on_time = true WHERE id = :i"
            ),
            {"i": services.sql_uuid(owner_engine, closed_id)},
        )
        conn.execute(
            sa.text(
                "UPDATE hidden_dangers SET state = 'awaiting_acceptance', state_changed_at = :t,"
                " deadline = :d WHERE id = :i"
            ),
            {
                "t": early,
                "d": helpers.today() - dt.timedelta(days=2),
                "i": services.sql_uuid(owner_engine, waiting_id),
            },
        )
    scope = Scope(user_id=a.users["inspector"], role=Role.INSPECTOR, authority_id=a.authority_id)
    with app.app_context(), tenancy.using(scope):
        closed = db.session.get(HiddenDanger, closed_id)
        waiting = db.session.get(HiddenDanger, waiting_id)
        apply_verdict(db.session, closed, False, closed.id, "仍未整改")
        apply_verdict(db.session, waiting, True, waiting.id, None)
        commit(db.session)
        reopened, accepted = (
            db.session.get(HiddenDanger, closed_id),
            db.session.get(HiddenDanger, waiting_id),
        )
        assert reopened.state == "rectifying" and reopened.closed_on_time is None
        assert accepted.state == "closed" and accepted.closed_on_time is True
