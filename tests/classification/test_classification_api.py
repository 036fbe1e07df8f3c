"""Classes through the API and the job: inputs move classes, vetoes show their reason, the job
runs twice on one date with one effect, a class change is audited and notifies the enterprise,
the override sits beside the computed class, the blacklist is public while in force."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app import jobs
from tests import services
from tests.inspections import helpers


def _audits(owner_engine, entity: str) -> int:
    with owner_engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT count(*) FROM audit_events WHERE entity_type = :e"), {"e": entity}
        ).scalar_one()


def _conditions(api, enterprise_id, **extra):
    valid = (helpers.today() + dt.timedelta(days=200)).isoformat()
    body = {
        "principal_certificate_expires": valid,
        "safety_manager_certificates": [valid],
        "special_operators_required": 0,
        "insurance_expires": valid,
        **extra,
    }
    r = api.client.put(
        f"/api/v1/enterprises/{enterprise_id}/safety-conditions", headers=api.headers, json=body
    )
    assert r.status_code == 200, r.json
    return r


def test_the_job_twice_on_one_date_has_one_effect(app, client, world, owner_engine):
    a = world.a
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    _conditions(regulator, a.enterprise1)
    jobs.bind_app(app)
    day = helpers.today().isoformat()
    first = jobs.execute("classification.compute", str(a.authority_id), {"day": day})
    audits = _audits(owner_engine, "enterprise_classes")
    second = jobs.execute("classification.compute", str(a.authority_id), {"day": day})
    assert first["scored"] == second["scored"] >= 2
    assert second["written"] == 0 and second["changed"] == 0
    assert _audits(owner_engine, "enterprise_classes") == audits
    with owner_engine.connect() as conn:
        results = conn.execute(
            sa.text("SELECT count(*) FROM classification_results WHERE authority_id = :a"),
            {"a": services.sql_uuid(owner_engine, a.authority_id)},
        ).scalar_one()
    assert results == first["scored"]


def test_a_fatal_accident_makes_warning_with_its_reason_and_notifies(app, client, world):
    a = world.a
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    enterprise = helpers.Api(app, client, a.usernames["enterprise_admin"])
    _conditions(regulator, a.enterprise1)
    assert regulator.post("/classification-runs").status_code == 200
    before = enterprise.get(f"/enterprise-classes/{a.enterprise1}").json
    assert before["level"] != "warning"
    accident = enterprise.post(
        "/accidents",
        {
            "occurred_on": (helpers.today() - dt.timedelta(days=2)).isoformat(),
            "type_code": "WSA10004",
            "deaths": 1,
            "description": "机械伤害致1人死亡",
        },
    )
    assert accident.status_code == 201, accident.json
    after = enterprise.get(f"/enterprise-classes/{a.enterprise1}").json  # recomputed by the job
    assert after["level"] == "warning" and after["previous_level"] == before["level"]
    vetoes = after["explanation"]["vetoes"]
    assert [v["kind"] for v in vetoes] == ["fatal_accident"] and vetoes[0]["reason"]
    notes = enterprise.get("/notifications").json["items"]
    assert any(n["kind"] == "class_changed" for n in notes)
    bad = enterprise.post(
        "/accidents",
        {"occurred_on": helpers.today().isoformat(), "type_code": "X1", "description": "x"},
    )
    assert bad.status_code == 422 and "type_code" in bad.json["errors"]


def test_override_blacklist_and_views(app, client, world):
    a = world.a
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    _conditions(regulator, a.enterprise1)
    _conditions(regulator, a.enterprise2)
    regulator.post("/classification-runs")
    overridden = regulator.post(
        f"/enterprise-classes/{a.enterprise1}/override",
        {"level": "reminder", "reason": "群众举报集中"},
    )
    assert overridden.status_code == 200, overridden.json
    body = overridden.json
    assert body["effective_level"] == "reminder" and body["override_until"].endswith("-12-31")
    assert body["level"] != "reminder" or body["override_level"] == "reminder"
    listed = regulator.post(
        "/blacklist",
        {
            "enterprise_id": str(a.enterprise2),
            "reason": "拒不执行停产整顿决定",
            "legal_basis": "失信名单管理办法",
            "starts_on": helpers.today().isoformat(),
            "ends_on": (helpers.today() + dt.timedelta(days=100)).isoformat(),
        },
    )
    assert listed.status_code == 201
    public = client.get(f"/api/v1/public/authorities/{a.authority_id}/blacklist").json
    assert [p["reason"] for p in public] == ["拒不执行停产整顿决定"]
    assert regulator.get(f"/enterprise-classes/{a.enterprise2}").json["level"] == "warning"
    revoked = regulator.post(f"/blacklist/{listed.json['id']}/revoke", {"reason": "已整改"})
    assert revoked.status_code == 200
    assert client.get(f"/api/v1/public/authorities/{a.authority_id}/blacklist").json == []
    stats = regulator.get("/classification-statistics?by=sector").json
    assert sum(sum(g["counts"].values()) for g in stats["groups"]) == 2
    changed = regulator.get(f"/enterprise-classes?changed_since={helpers.today()}").json
    assert str(a.enterprise2) in {c["enterprise_id"] for c in changed["items"]}
    export = client.get("/api/v1/enterprise-classes/export.xlsx", headers=regulator.headers)
    assert export.status_code == 200 and export.data[:2] == b"PK"
    # The enterprise reads its own class and why; never another's.
    own = helpers.Api(app, client, a.usernames["enterprise_admin"])
    assert own.get(f"/enterprise-classes/{a.enterprise1}").status_code == 200
    assert own.get(f"/enterprise-classes/{a.enterprise2}").status_code == 404


def test_settings_validate_the_model_and_rates(app, client, world):
    a = world.a
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    current = regulator.get("/classification-settings").json
    assert current["model_version"] == "2026.1" and current["rates"]["warning"] == "1"
    r = client.put(
        "/api/v1/classification-settings",
        headers=regulator.headers,
        json={"rates": {"good": "1.5"}},
    )
    assert r.status_code == 422
    r = client.put(
        "/api/v1/classification-settings",
        headers=regulator.headers,
        json={"model": {"version": "x"}},
    )
    assert r.status_code == 422 and "model" in r.json["errors"]
    r = client.put(
        "/api/v1/classification-settings",
        headers=regulator.headers,
        json={"rates": {"good": "0.1"}, "caps": {"good": 1}},
    )
    assert r.status_code == 200 and r.json["rates"]["good"] == "0.1"
    stale = client.put(
        "/api/v1/classification-settings",
        headers={**regulator.headers, "If-Match": '"nope"'},
        json={"rates": {"good": "0.2"}},
    )
    assert stale.status_code == 412


def test_classes_drive_the_draw_rates_caps_and_floors(app, client, world):
    """A plan stratified by class × street samples each class at the authority's rate; a draw
    that enforces floors inspects a 警示 enterprise below its annual floor rather than drawing."""
    a = world.a
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    helpers.more_inspectors(app, a, 2)
    _conditions(regulator, a.enterprise1)  # enterprise 2 records nothing: it lands in 警示
    regulator.post("/classification-runs")
    levels = {
        e: regulator.get(f"/enterprise-classes/{e}").json["level"]
        for e in (a.enterprise1, a.enterprise2)
    }
    assert levels[a.enterprise2] == "warning" and levels[a.enterprise1] != "warning"
    plan = regulator.post(
        "/inspection-plans",
        {
            "year": helpers.today().year,
            "name": "分级分类抽查",
            "stratify": "class_region",
            "cap_per_year": 12,
            "status": "active",
        },
    ).json
    draw = regulator.post(
        f"/inspection-plans/{plan['id']}/draws",
        {"period": str(helpers.today().year), "due_date": helpers.today().isoformat()},
    ).json
    rates = {s["key"].split("/")[0]: s["rate"] for s in draw["snapshot"]["strata"]}
    assert rates["warning"] == "1" and rates[levels[a.enterprise1]] in {"0.05", "0.15", "0.40"}
    floored = regulator.post(
        f"/inspection-plans/{plan['id']}/draws",
        {
            "period": str(helpers.today().year),
            "due_date": helpers.today().isoformat(),
            "enforce_floor": True,
            "reason": "按分级分类保底检查",
        },
    ).json
    assert floored["snapshot"]["mandatory"] == [str(a.enterprise2)]
    assert floored["snapshot"]["mandatory_kinds"] == {str(a.enterprise2): "floor"}


def test_a_retried_accident_report_counts_once_and_a_new_model_needs_a_new_version(
    app, client, world
):
    a = world.a
    enterprise = helpers.Api(app, client, a.usernames["enterprise_admin"])
    report = {
        "occurred_on": (helpers.today() - dt.timedelta(days=1)).isoformat(),
        "type_code": "WSA10004",
        "serious_injuries": 2,
        "description": "两人重伤",
    }
    first = enterprise.post("/accidents", report, key="accident-1")
    again = enterprise.post("/accidents", report, key="accident-1")
    assert first.status_code == again.status_code == 201 and first.json == again.json
    assert len(enterprise.get("/accidents").json["items"]) == 1  # 2 injuries, not 4 (no veto)
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    from app.classification.rules import default_model, model_to_dict

    model = model_to_dict(default_model())
    model["thresholds"] = {**model["thresholds"]}
    first_key = next(iter(model["thresholds"]))
    model["thresholds"][first_key] = 90  # other weights under the default's version string
    same_version = client.put(
        "/api/v1/classification-settings", headers=regulator.headers, json={"model": model}
    )
    assert same_version.status_code == 422, same_version.json
    model["version"] = "2026.1-连开"
    renamed = client.put(
        "/api/v1/classification-settings", headers=regulator.headers, json={"model": model}
    )
    assert renamed.status_code == 200 and renamed.json["model_version"] == "2026.1-连开"
