"""The demo world, as `make run` loads it, and the newcomer's first try against it."""

import sqlalchemy as sa

from app.demo import world as demo
from app.extensions import db


def test_demo_world_and_the_first_try(app, client, owner_engine):
    with app.app_context():
        assert demo.build(db.session).startswith("demo world loaded")
        assert demo.build(db.session) == "the demo world is already loaded"
    with owner_engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT a.short_name, count(e.id) FROM authorities a JOIN enterprises e"
                " ON e.authority_id = a.id WHERE a.short_name IN ('连开', '示县') GROUP BY 1"
            )
        ).all()
        streets = (
            conn.execute(
                sa.text(
                    "SELECT r.name FROM regions r JOIN authorities a ON a.id = r.authority_id"
                    " WHERE a.short_name = '连开' AND r.kind = 'street' ORDER BY r.name"
                )
            )
            .scalars()
            .all()
        )
        accounts = set(conn.execute(sa.text("SELECT username FROM users")).scalars())
    assert dict(rows) == {"连开": 30, "示县": 2}
    assert sorted(streets) == sorted(["北片", "中片", "南片", "西片"])
    expected = {
        "platform-admin",
        "regulator",
        "regulator-north",
        "regulator2",
        "ent31-admin",
        "ent32-admin",
    }
    expected |= {f"inspector{i:02d}" for i in range(1, 9)}
    expected |= {f"ent{i:02d}-{kind}" for i in range(1, 31) for kind in ("admin", "staff")}
    assert expected <= accounts

    def token(username):
        r = client.post(
            "/api/v1/auth/token", json={"username": username, "password": demo.DEMO_PASSWORD}
        )
        assert r.status_code == 201, username
        return {"Authorization": f"Bearer {r.json['access_token']}"}

    ent01 = token("ent01-admin")
    mine = client.get("/api/v1/enterprises", headers=ent01).json["items"]
    assert [e["name"] for e in mine] == ["连云港恒瑞化工有限公司"]
    everyone = client.get("/api/v1/enterprises?limit=200", headers=token("regulator")).json
    ent02 = next(e for e in everyone["items"] if e["name"] == "连云港康盛医药科技有限公司")
    assert len(everyone["items"]) == 30
    assert client.get(f"/api/v1/enterprises/{ent02['id']}", headers=ent01).status_code == 404
    north = client.get("/api/v1/enterprises?limit=200", headers=token("regulator-north")).json
    assert {e["street_id"] for e in north["items"]} == {north["items"][0]["street_id"]}
    in_north = [row for row in demo.ENTERPRISES if row[3] in demo.REGION_TREE["北片"]]
    assert len(north["items"]) == len(in_north) > 0


def test_demo_register_has_every_level(app, client):
    """Runs after the world test in this module (same session database)."""
    r = client.post(
        "/api/v1/auth/token", json={"username": "regulator", "password": demo.DEMO_PASSWORD}
    )
    h = {"Authorization": f"Bearer {r.json['access_token']}"}
    items = client.get("/api/v1/hazard-sources?limit=200", headers=h).json["items"]
    assert {s["level"] for s in items} == {1, 2, 3, 4, None}
    assert {s["filing_status"] for s in items} >= {"draft", "submitted", "filed", "returned"}
    assert any(s["reevaluation_status"] == "overdue" for s in items)
    assert any(s["monitoring_gaps"] for s in items)


def test_demo_map_shows_all_four_colors(app, client):
    """Runs after the world test in this module (same session database)."""
    r = client.post(
        "/api/v1/auth/token", json={"username": "regulator", "password": demo.DEMO_PASSWORD}
    )
    h = {"Authorization": f"Bearer {r.json['access_token']}"}
    whole = client.get("/api/v1/risk-map/summary?by=authority", headers=h).json["groups"][0]
    assert all(whole["counts"][c] > 0 for c in ("red", "orange", "yellow", "blue")), whole
    assert whole["ungraded"] == 0
    geo = client.get("/api/v1/risk-map/enterprises.geojson", headers=h).json
    assert len(geo["features"]) == 30
    assert all(f["properties"]["reasons"] for f in geo["features"])


def test_demo_ledgers_have_every_state(app, client):
    """Runs after the world test in this module (same session database)."""
    r = client.post(
        "/api/v1/auth/token", json={"username": "regulator", "password": demo.DEMO_PASSWORD}
    )
    h = {"Authorization": f"Bearer {r.json['access_token']}"}
    items = client.get("/api/v1/hidden-dangers?limit=200", headers=h).json["items"]
    states = {d["state"] for d in items}
    assert states == {"reported", "rectifying", "awaiting_acceptance", "closed", "cancelled"}
    assert {d["source"] for d in items} >= {"self_inspection", "tip_off"}
    supervised = client.get("/api/v1/hidden-dangers/supervised", headers=h).json["items"]
    assert any(d["state"] == "rectifying" and d["plan"] for d in supervised)
    overdue = [d for d in items if d["overdue"]]
    assert {d["severity"] for d in overdue} == {"general", "major"}
    assert all(d["overdue_since"] for d in overdue)  # marked by the daily run
    assert any(d["extension_pending"] for d in items)
    tips = client.get("/api/v1/tip-offs", headers=h).json["items"]
    assert {t["status"] for t in tips} == {"received", "converted"}
    notes = client.get("/api/v1/notifications", headers=h).json["items"]
    assert {"major_reported", "overdue", "extension_requested"} <= {n["kind"] for n in notes}


def demo_today():
    from app.inspections.service import common

    return common.today()


def test_demo_inspections_are_published_and_verifiable(app, client):
    """Runs after the world test in this module (same session database): the plan's draw is
    published and re-derives; tasks, closed inspections with findings, one re-inspection."""
    from app.inspections.rules import draw as drawing

    r = client.post(
        "/api/v1/auth/token", json={"username": "regulator", "password": demo.DEMO_PASSWORD}
    )
    h = {"Authorization": f"Bearer {r.json['access_token']}"}
    authority = client.get("/api/v1/me", headers=h).json["authority_id"]
    public = f"/api/v1/public/authorities/{authority}"
    this_year = demo_today().year
    plans = client.get(f"{public}/inspection-plans?year={this_year}").json["items"]
    assert len(plans) == 1 and plans[0]["draws"][0]["status"] == "drawn"
    draw = client.get(f"{public}/inspection-draws/{plans[0]['draws'][0]['id']}").json
    assert (
        drawing.verify_draw(draw["snapshot"], draw["seed"], draw["result"], draw["commitment"])
        == []
    )
    strata = draw["snapshot"]["strata"]
    assert len(strata) > 1 and all(s["key"].startswith("default/") for s in strata)
    assert len(draw["snapshot"]["mandatory"]) == 2  # the key enterprises
    assert {"suspended", "mandatory"} <= {x["reason"] for x in draw["snapshot"]["exclusions"]}
    tasks = client.get("/api/v1/inspection-tasks?limit=200", headers=h).json["items"]
    assert {t["kind"] for t in tasks} == {"random", "key", "reinspection"}
    results = client.get(f"{public}/inspection-results").json["items"]
    assert {r["outcome"] for r in results} == {"findings", "no_findings", "all_rectified"}
    found = [r for r in results if r["outcome"] == "findings"][0]
    assert found["findings"] == 1
    ledger = client.get("/api/v1/hidden-dangers?limit=200&source=inspection_finding", headers=h)
    assert [d["state"] for d in ledger.json["items"]] == ["closed"]  # closed by the re-inspection


def test_demo_documents_are_rendered_and_verifiable(app, client):
    """Runs after the world test: four documents, each ready, and the public page agrees with
    each file's hash."""
    import hashlib
    import urllib.request

    r = client.post(
        "/api/v1/auth/token", json={"username": "regulator", "password": demo.DEMO_PASSWORD}
    )
    h = {"Authorization": f"Bearer {r.json['access_token']}"}
    docs = client.get("/api/v1/documents", headers=h).json["items"]
    kinds = sorted(d["kind"] for d in docs)
    assert kinds == [
        "inspection_record",
        "inspection_record",
        "rectification_order",
        "reinspection_opinion",
    ]
    for doc in docs:
        assert doc["status"] == "ready", doc
        url = client.get(f"/api/v1/documents/{doc['id']}/download", headers=h).json["url"]
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - moto, loopback
            pdf = response.read()
        page = client.get(f"/api/v1/public/documents/verify/{doc['verification_code']}").json
        assert page["sha256"] == hashlib.sha256(pdf).hexdigest() == doc["sha256"]
        assert page["number"] == doc["number"]


def test_demo_classes_show_all_four_and_drive_the_next_draw(app, client):
    """Runs after the world test: every class occurs, the fatal accident's enterprise is 警示
    with that reason, and next year's draw is stratified by class at the authority's rates."""
    r = client.post(
        "/api/v1/auth/token", json={"username": "regulator", "password": demo.DEMO_PASSWORD}
    )
    h = {"Authorization": f"Bearer {r.json['access_token']}"}
    classes = client.get("/api/v1/enterprise-classes?limit=200", headers=h).json["items"]
    assert len(classes) == 30
    assert {c["level"] for c in classes} == {"good", "normal", "reminder", "warning"}
    fatal = next(c for c in classes if c["enterprise_name"] == "连云港新海苯胺化工有限公司")
    assert fatal["level"] == "warning"
    explained = client.get(f"/api/v1/enterprise-classes/{fatal['enterprise_id']}", headers=h).json
    assert any(v["kind"] == "fatal_accident" for v in explained["explanation"]["vetoes"])
    plans = client.get("/api/v1/inspection-plans?limit=50", headers=h).json["items"]
    graded = next(p for p in plans if p["stratify"] == "class_region" and p["rates"] == {})
    draw = client.get(f"/api/v1/inspection-plans/{graded['id']}/draws", headers=h).json["items"][0]
    strata = {s["key"].split("/")[0]: s["rate"] for s in draw["snapshot"]["strata"]}
    assert strata.get("warning") == "1" and strata.get("good") == "0.05"
