"""The published draw names its strata (class and street) and the enterprises it made public
(mandatory and drawn; never the undrawn candidates, whose class would leak), beside the
snapshot: the snapshot, commitment and result stay exactly what the verifier re-derives."""

from __future__ import annotations

import json

from app import tenancy
from app.enterprises.models import Enterprise
from app.extensions import db
from app.inspections.rules import draw as drawing
from app.tenancy import Scope
from app.tenants.models import Region
from tests import worlds
from tests.inspections import helpers


def test_the_public_draw_names_strata_and_the_drawn_leaving_the_snapshot(app, client, setup):
    a = setup.world.a
    with app.app_context():
        # A stratum larger than what its rate draws: some candidates stay undrawn.
        for _ in range(3):
            worlds.make_enterprise(a.authority_id, a.community1)
    plan = setup.regulator.post(
        "/inspection-plans",
        helpers.plan_body(
            checklist_id=setup.checklist["id"], status="active", stratify="class_region"
        ),
    )
    assert plan.status_code == 201, plan.json
    body = {"period": f"{helpers.today().year}-Q4", "due_date": helpers.today().isoformat()}
    committed = setup.regulator.post(f"/inspection-plans/{plan.json['id']}/draws", body)
    assert committed.status_code == 201, committed.json
    public = f"/api/v1/public/authorities/{a.authority_id}/inspection-draws/{committed.json['id']}"
    before = client.get(public).json
    executed = setup.regulator.post(f"/inspection-draws/{committed.json['id']}/execute")
    assert executed.status_code == 200, executed.json
    shown = client.get(public).json

    snapshot = shown["snapshot"]
    assert snapshot == before["snapshot"] == committed.json["snapshot"]
    assert "labels" not in snapshot and "name" not in json.dumps(snapshot["strata"])
    assert drawing.verify_draw(snapshot, shown["seed"], shown["result"], shown["commitment"]) == []

    with app.app_context(), tenancy.using(Scope(authority_id=a.authority_id, system=True)):
        streets = {str(r.id): r.name for r in db.session.query(Region).all()}
        names = {str(e.id): e.name for e in db.session.query(Enterprise).all()}
    strata = shown["labels"]["strata"]
    assert set(strata) == {s["key"] for s in snapshot["strata"]} and strata
    for key, label in strata.items():
        klass, street = key.split("/")
        assert label["class"] == klass and label["street_id"] == street
        assert label["class_name"] in {"良好", "正常", "提醒", "警示", "未分级"}
        assert label["street_name"] == streets[street]
        assert label["name"] == f"{label['class_name']} · {streets[street]}"
    # Named: the mandatory and the drawn; a candidate not drawn keeps its class to itself.
    public = snapshot["mandatory"] + [x["enterprise_id"] for x in shown["result"]["assignments"]]
    assert shown["labels"]["enterprises"] == {eid: names[eid] for eid in public}
    pool = {c for s in snapshot["strata"] for c in s["candidates"]}
    assert pool - set(public), "the test needs a candidate that was not drawn"
    assert not (pool - set(public)) & set(shown["labels"]["enterprises"])


def test_a_plan_with_one_stratum_labels_it_as_all(app, client, setup):
    body = {"period": f"{helpers.today().year}-Q4", "due_date": helpers.today().isoformat()}
    committed = setup.regulator.post(f"/inspection-plans/{setup.plan['id']}/draws", body)
    assert committed.status_code == 201, committed.json
    a = setup.world.a
    shown = client.get(
        f"/api/v1/public/authorities/{a.authority_id}/inspection-draws/{committed.json['id']}"
    ).json
    assert shown["labels"]["strata"] == {
        "all": {
            "name": "全部企业",
            "class": None,
            "class_name": None,
            "street_id": None,
            "street_name": None,
        }
    }
