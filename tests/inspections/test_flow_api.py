"""The whole journey: plan → committed draw → executed draw → task → tablet record → ledger →
publication → re-inspection that closes the finding."""

from __future__ import annotations

import datetime as dt
import hashlib

from app.inspections.rules import draw as drawing
from tests.inspections import helpers
from tests.inspections.helpers import new_id


def _draw(setup, **extra):
    body = {
        "period": f"{helpers.today().year}-Q4",
        "due_date": helpers.today().isoformat(),
        **extra,
    }
    return setup.regulator.post(f"/inspection-plans/{setup.plan['id']}/draws", body)


def _executed(setup):
    committed = _draw(setup)
    assert committed.status_code == 201, committed.json
    executed = setup.regulator.post(f"/inspection-draws/{committed.json['id']}/execute")
    assert executed.status_code == 200, executed.json
    return committed.json, executed.json


def _sign_all(api, inspection_id, team):
    for member in team:
        r = api.upload(
            inspection_id,
            {"id": new_id(), "kind": "signature", "signer": "inspector", "signer_id": member},
            data=helpers.png(),
            name="sig.png",
            mimetype="image/png",
        )
        assert r.status_code == 201, r.json
    r = api.upload(
        inspection_id,
        {"id": new_id(), "kind": "signature", "signer": "responsible_person"},
        data=helpers.png(),
        name="sig.png",
        mimetype="image/png",
    )
    assert r.status_code == 201, r.json


def test_commit_hides_the_seed_and_execute_reveals_it(app, client, setup):
    committed, executed = _executed(setup)
    assert committed["seed"] is None and committed["status"] == "committed"
    assert committed["snapshot"]["algorithm"] == "anjian-draw-v1"
    seed = executed["seed"]
    assert hashlib.sha256(seed.encode("ascii")).hexdigest() == committed["commitment"]
    assert executed["snapshot"] == committed["snapshot"]  # frozen at commit
    # What the public reads verifies with the pure verifier.
    public = client.get(
        f"/api/v1/public/authorities/{setup.world.a.authority_id}/inspection-draws/{executed['id']}"
    )
    assert public.status_code == 200, public.json
    body = public.json
    assert (
        drawing.verify_draw(body["snapshot"], body["seed"], body["result"], body["commitment"])
        == []
    )
    assert all(len(s["inspector_certificates"]) == 2 for s in body["selected"])
    assert all(
        c.startswith("32070100") for s in body["selected"] for c in s["inspector_certificates"]
    )


def test_a_redraw_needs_a_reason_and_keeps_the_first(app, client, setup):
    first = _draw(setup)
    assert first.status_code == 201
    again = _draw(setup)
    assert again.status_code == 422 and "reason" in again.json["errors"]
    again = _draw(setup, reason="抽取范围遗漏新入园企业")
    assert again.status_code == 201, again.json
    assert again.json["seq"] == 2 and again.json["commitment"] != first.json["commitment"]
    listed = setup.regulator.get(f"/inspection-plans/{setup.plan['id']}/draws").json["items"]
    statuses = {d["seq"]: d["status"] for d in listed}
    assert statuses == {1: "superseded", 2: "committed"}
    # A superseded draw's seed is published: nothing stays hidden once it cannot be used.
    assert [d for d in listed if d["seq"] == 1][0]["seed"] is not None


def test_the_tablet_journey_to_the_ledger_and_back(app, client, setup):
    _, executed = _executed(setup)
    tasks = setup.regulator.get(f"/inspection-tasks?draw_id={executed['id']}").json["items"]
    assert len(tasks) == len(executed["result"]["assignments"]) >= 1
    task = tasks[0]
    team = [m["id"] for m in task["inspectors"]]
    api = setup.api_for(app, client, team[0])
    # An inspector not on the team does not see the task.
    outsider = next(i for i in setup.inspectors if i not in team)
    assert (
        setup.api_for(app, client, outsider).get(f"/inspection-tasks/{task['id']}").status_code
        == 404
    )

    bundle = api.get(f"/inspection-tasks/{task['id']}/bundle")
    assert bundle.status_code == 200, bundle.json
    assert bundle.json["enterprise"]["id"] == task["enterprise_id"]
    items = bundle.json["checklist"]["items"]

    inspection_id, key = new_id(), new_id()
    record = {
        "id": inspection_id,
        "task_id": task["id"],
        "started_at": dt.datetime.now(dt.UTC).isoformat(),
        "responsible_person": "李四",
    }
    first = api.post("/inspections", record, key=key)
    assert first.status_code == 201, first.json
    again = api.post("/inspections", record, key=key)
    assert again.status_code == 201 and again.json == first.json
    other = api.post("/inspections", {**record, "responsible_person": "王五"}, key=key)
    assert other.status_code == 422
    fresh_key = api.post("/inspections", record, key=new_id())
    assert fresh_key.status_code == 200 and fresh_key.json["id"] == inspection_id
    assert api.post("/inspections", record).status_code == 400  # the key is required

    for item in items:
        r = api.put(f"/inspections/{inspection_id}/items/{item['id']}", {"result": "compliant"})
        assert r.status_code == 200, r.json
    finding = {
        "id": new_id(),
        "item_id": items[1]["id"],
        "title": "重大危险源未登记建档",
        "category": "management_defect",
        "severity": "general",
        "deadline": (helpers.today() + dt.timedelta(days=15)).isoformat(),
        "latitude": "31.230000",
        "longitude": "121.470000",
    }
    f = api.post(f"/inspections/{inspection_id}/findings", finding, key=new_id())
    assert f.status_code == 201 and f.json["number"] == 1, f.json
    photo = api.upload(
        inspection_id, {"id": new_id(), "kind": "photo", "finding_id": finding["id"]}
    )
    assert photo.status_code == 201, photo.json

    early = api.post(f"/inspections/{inspection_id}/close", {})
    assert early.status_code == 422 and "signatures" in early.json["errors"]
    _sign_all(api, inspection_id, team)
    closed = api.post(f"/inspections/{inspection_id}/close", {"summary": "现场检查发现问题1项"})
    assert closed.status_code == 200, closed.json
    assert closed.json["status"] == "closed" and closed.json["outcome"] == "findings"
    sync = api.get(f"/inspections/{inspection_id}/sync-status").json
    danger_id = sync["findings"][0]["danger_id"]
    assert danger_id and len(sync["files"]) == 4 and len(sync["items"]) == len(items)
    danger = setup.regulator.get(f"/hidden-dangers/{danger_id}").json
    assert danger["source"] == "inspection_finding" and danger["source_ref"] == finding["id"]
    assert danger["deadline"] == finding["deadline"]
    assert setup.regulator.get(f"/inspection-tasks/{task['id']}").json["status"] == "done"

    # Published: enterprise, date, outcome and count; the enterprise reads its own record.
    results = client.get(
        f"/api/v1/public/authorities/{setup.world.a.authority_id}/inspection-results"
    ).json["items"]
    mine = [r for r in results if r["inspection_id"] == inspection_id]
    assert mine and mine[0]["findings"] == 1 and mine[0]["outcome"] == "findings"
    assert set(mine[0]) == {"inspection_id", "enterprise_name", "date", "outcome", "findings"}

    # The enterprise applies for a re-inspection; the team gets a task due within 10 days.
    enterprise_user = next(
        name for actor, name in setup.world.a.usernames.items() if actor == "enterprise_admin"
    )
    if str(setup.world.a.enterprise1) == task["enterprise_id"]:
        ent = helpers.Api(app, client, enterprise_user)
        applied = ent.post(
            f"/inspections/{inspection_id}/reinspection-requests", {"note": "已整改"}
        )
        assert applied.status_code == 201, applied.json
        assert "inspectors" not in applied.json or not applied.json["inspectors"]
    else:
        applied = api.post(f"/inspections/{inspection_id}/reinspection-requests", {})
        assert applied.status_code == 201, applied.json
    re_task = api.get("/inspection-tasks?kind=reinspection").json["items"]
    re_task = [t for t in re_task if t["parent_inspection_id"] == inspection_id][0]
    assert re_task["due_date"] == (helpers.today() + dt.timedelta(days=10)).isoformat()
    bundle = api.get(f"/inspection-tasks/{re_task['id']}/bundle").json
    assert [x["id"] for x in bundle["findings_to_review"]] == [finding["id"]]

    re_id = new_id()
    r = api.post(
        "/inspections",
        {**record, "id": re_id, "task_id": re_task["id"]},
        key=new_id(),
    )
    assert r.status_code == 201 and r.json["reinspection_of"] == inspection_id, r.json
    r = api.put(f"/inspections/{re_id}/reviews/{finding['id']}", {"verdict": "rectified"})
    assert r.status_code == 200, r.json
    _sign_all(api, re_id, team)
    closed = api.post(f"/inspections/{re_id}/close", {})
    assert closed.status_code == 200 and closed.json["outcome"] == "all_rectified", closed.json
    danger = setup.regulator.get(f"/hidden-dangers/{danger_id}").json
    assert danger["state"] == "closed"
