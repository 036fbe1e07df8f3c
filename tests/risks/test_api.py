"""Risk lists, publishing and the four-color map through the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests import danger_worlds, services, worlds


def auth(app, username):
    with app.app_context():
        return {"Authorization": f"Bearer {worlds.login(username)}"}


@pytest.mark.parametrize(
    "payload, expected",
    [
        (
            {"method": "LEC", "l": 6, "e": 3, "c": 15},
            {"score": 270, "level": "significant", "color": "orange", "control_tier": "department"},
        ),
        (
            {"method": "LS", "l": 4, "s": 4},
            {"score": 16, "level": "significant", "color": "orange", "control_tier": "department"},
        ),
        (
            {"method": "LEC", "l": 10, "e": 6, "c": 100},
            {"score": 6000, "level": "major", "color": "red", "control_tier": "company"},
        ),
        (
            {"method": "LS", "l": 1, "s": 1},
            {"score": 1, "level": "low", "color": "blue", "control_tier": "post"},
        ),
    ],
)
def test_evaluate(app, client, world, payload, expected):
    h = auth(app, world.a.usernames["inspector"])
    r = client.post("/api/v1/risk-assessments/evaluate", headers=h, json=payload)
    assert r.status_code == 200 and r.json == expected


def test_evaluate_names_the_allowed_values(app, client, world):
    h = auth(app, world.a.usernames["inspector"])
    r = client.post(
        "/api/v1/risk-assessments/evaluate",
        headers=h,
        json={"method": "LEC", "l": 5, "e": 3, "c": 15},
    )
    assert r.status_code == 422
    assert "10, 6, 3, 1, 0.5, 0.2, 0.1" in r.json["errors"]["l"][0]


def test_point_graded_on_create_and_update(app, client, world):
    h = auth(app, world.a.usernames["enterprise_admin"])
    r = client.post("/api/v1/risk-points", headers=h, json=worlds.risk_point_body("general"))
    assert r.status_code == 201
    p = r.json
    assert (p["inherent_level"], p["residual_level"], p["color"], p["control_tier"]) == (
        "major",
        "general",
        "yellow",
        "workshop",
    )
    bad = client.post(
        "/api/v1/risk-points",
        headers=h,
        json=worlds.risk_point_body(
            "general", residual={"method": "LS", "l": 9, "s": 1}, accident_types=["WSA99999"]
        ),
    )
    assert bad.status_code == 422
    changed = client.patch(
        f"/api/v1/risk-points/{p['id']}",
        headers={**h, "If-Match": r.headers["ETag"]},
        json={"residual": {"method": "LS", "l": 5, "s": 5}},
    )
    assert changed.status_code == 200 and changed.json["color"] == "red"


def test_publish_freezes_a_numbered_version(app, client, world):
    h = auth(app, world.a.usernames["enterprise_admin"])
    created = client.post("/api/v1/risk-points", headers=h, json=worlds.risk_point_body("low")).json
    first = client.post("/api/v1/risk-lists", headers=h)
    assert first.status_code == 201 and first.json["is_current"]
    number = first.json["number"]
    entries = client.get(f"/api/v1/risk-lists/{first.json['id']}/entries?limit=200", headers=h)
    frozen = {e["data"]["name"]: e["data"] for e in entries.json["items"]}
    assert frozen[created["name"]]["residual_level"] == "low"
    etag = client.get(f"/api/v1/risk-points/{created['id']}", headers=h).headers["ETag"]
    client.patch(
        f"/api/v1/risk-points/{created['id']}",
        headers={**h, "If-Match": etag},
        json={"residual": {"method": "LS", "l": 5, "s": 5}},
    )
    again = client.get(f"/api/v1/risk-lists/{first.json['id']}/entries?limit=200", headers=h)
    assert {e["data"]["name"]: e["data"] for e in again.json["items"]} == frozen
    second = client.post("/api/v1/risk-lists", headers=h).json
    assert second["number"] == number + 1
    old = client.get(f"/api/v1/risk-lists/{first.json['id']}", headers=h).json
    assert old["is_current"] is False


def test_a_version_names_who_published_it(app, client, world):
    username = world.a.usernames["enterprise_admin"]
    h = auth(app, username)
    client.post("/api/v1/risk-points", headers=h, json=worlds.risk_point_body("low"))
    published = client.post("/api/v1/risk-lists", headers=h).json
    assert published["published_by_name"] == username  # the world's display names are usernames
    listed = client.get("/api/v1/risk-lists?limit=200", headers=h).json["items"]
    assert {v["id"]: v["published_by_name"] for v in listed}[published["id"]] == username
    one = client.get(f"/api/v1/risk-lists/{published['id']}", headers=h).json
    assert one["published_by_name"] == username


def test_regulators_read_published_lists_of_their_jurisdiction(app, client, world):
    reg = client.get(
        "/api/v1/risk-lists?limit=200", headers=auth(app, world.a.usernames["regulator"])
    ).json["items"]
    assert {v["enterprise_id"] for v in reg} == {str(world.a.enterprise1), str(world.a.enterprise2)}
    street = client.get(
        "/api/v1/risk-lists?limit=200", headers=auth(app, world.a.usernames["street_regulator"])
    ).json["items"]
    assert {v["enterprise_id"] for v in street} == {str(world.a.enterprise1)}
    assert (
        client.get(
            "/api/v1/risk-points", headers=auth(app, world.a.usernames["regulator"])
        ).status_code
        == 403
    )


def grade_of(client, h, enterprise_id):
    items = client.get("/api/v1/risk-map/colors?limit=200", headers=h).json["items"]
    return next((c for c in items if c["enterprise_id"] == str(enterprise_id)), None)


def test_color_follows_risks_and_hazards_with_reasons(app, client, world, owner_engine):
    with app.app_context():
        e = worlds.make_enterprise(world.a.authority_id, world.a.community1)
        worlds.make_risk_list(world.a.authority_id, e, ("low", "general"))
    h = auth(app, world.a.usernames["regulator"])
    grade = grade_of(client, h, e)
    assert grade["color"] == "yellow"
    assert grade["reasons"][0]["rule"] == "highest_residual_risk"
    with app.app_context():
        worlds.make_hazard_source(world.a.authority_id, e)  # chlorine 250 t: level 1
    grade = grade_of(client, h, e)
    assert grade["color"] == "red"
    assert {r["rule"] for r in grade["reasons"]} >= {"major_hazard_source", "highest_residual_risk"}
    history = client.get(f"/api/v1/risk-map/enterprises/{e}/grades", headers=h).json["items"]
    assert [(g["previous_color"], g["color"]) for g in history][-2:] == [
        (None, "yellow"),
        ("yellow", "red"),
    ]
    with owner_engine.connect() as conn:
        audited = conn.execute(
            sa.text(
                "SELECT count(*) FROM audit_events WHERE entity_type = 'risk_colors'"
                " AND entity_id = :e"
            ),
            {"e": str(e)},
        ).scalar_one()
    assert audited == 2


def test_recompute_is_idempotent(app, world, owner_engine):
    from app import tenancy
    from app.extensions import db
    from app.risks.service import grading
    from app.tenancy import Scope

    with app.app_context(), tenancy.using(Scope(authority_id=world.a.authority_id, system=True)):
        grading.recompute(db.session, world.a.authority_id)
        db.session.commit()
        assert grading.recompute(db.session, world.a.authority_id) == []
        db.session.commit()


@pytest.mark.parametrize("seed", range(3))
def test_sql_grade_agrees_with_the_pure_rule(app, seed, owner_engine):
    """The set-based SQL against the specification (the pure rule), over random inputs that
    reach every residual level, every hazard-source level and open and overdue major hidden
    dangers, both for the whole authority and for the one-enterprise re-grade."""
    import random

    from app import tenancy
    from app.extensions import db
    from app.hazards.rules import assess
    from app.risks import rules
    from app.risks.models import RiskColor
    from app.risks.service import grading
    from app.tenancy import Scope

    # Chlorine with nobody nearby (α 0.5, β 4): 250 t → R 100 (1), 150 → 60 (2), 60 → 24 (3),
    # 6 → 2.4 (4). The expected level comes from the hazard engine, not from the database.
    quantities = (250, 150, 60, 6)
    rng = random.Random(seed)
    with app.app_context():
        tenant = worlds.make_tenant()
        cases = {}
        for _ in range(8):
            e = worlds.make_enterprise(tenant.authority_id, tenant.community1)
            levels = tuple(rng.choice(list(worlds.LEC)) for _ in range(rng.randint(0, 3)))
            hazards = [rng.choice(quantities) for _ in range(rng.randint(0, 2))]
            if levels:
                worlds.make_risk_list(tenant.authority_id, e, levels)
            for q in hazards:
                worlds.make_hazard_source(
                    tenant.authority_id,
                    e,
                    exposed_population=0,
                    substances=[{"name": "氯气", "quantity_t": q}],
                )
            hazard_levels = [
                assess("storage", 0, [{"name": "氯气", "quantity_t": q}]).level for q in hazards
            ]
            dangers = [
                danger_worlds.make_danger(tenant.authority_id, e, severity="major")
                for _ in range(rng.randint(0, 2))
            ]
            late = [d for d in dangers if rng.random() < 0.5]
            with owner_engine.begin() as conn:
                for d in late:  # overdue: the deadline was yesterday
                    conn.execute(
                        sa.text("UPDATE hidden_dangers SET deadline = :d WHERE id = :i"),
                        {
                            "d": dt.date.today() - dt.timedelta(days=1),
                            "i": services.sql_uuid(owner_engine, d),
                        },
                    )
            cases[e] = (levels, hazard_levels, len(dangers), len(late))
        scope = Scope(authority_id=tenant.authority_id, system=True)
        for enterprise_ids in (None, list(cases)[:3]):
            with tenancy.using(scope):
                grading.recompute(db.session, tenant.authority_id, enterprise_ids)
                db.session.commit()
                stored = {
                    c.enterprise_id: (c.color, c.inputs_digest)
                    for c in db.session.scalars(sa.select(RiskColor))
                }
                db.session.rollback()
            for e, (levels, hazard_levels, open_, overdue) in cases.items():
                expected = rules.grade_enterprise(levels, hazard_levels, open_, overdue)
                assert stored[e][0] == str(expected.color), cases[e]
    assert any(2 in h for _, h, _, _ in cases.values()) or seed != 0
    assert any(o for *_, o in cases.values()) or seed != 0


def test_map_rollups_geojson_and_changes(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    by_region = client.get("/api/v1/risk-map/summary?by=region", headers=h).json["groups"]
    streets = {g["key"]: g for g in by_region if g["kind"] == "street"}
    assert streets[str(world.a.street1)]["color"] == "red"
    assert sum(streets[str(world.a.street1)]["counts"].values()) >= 1
    communities = {g["key"] for g in by_region if g["kind"] == "community"}
    assert str(world.a.community1) in communities
    by_sector = client.get("/api/v1/risk-map/summary?by=sector", headers=h).json["groups"]
    assert {g["key"] for g in by_sector} == {"hazardous_chemicals"}
    whole = client.get("/api/v1/risk-map/summary?by=authority", headers=h).json["groups"]
    assert whole[0]["color"] == "red"
    geo = client.get("/api/v1/risk-map/enterprises.geojson", headers=h)
    assert geo.mimetype == "application/geo+json" and geo.json["type"] == "FeatureCollection"
    changes = client.get(
        f"/api/v1/risk-map/changes?since={since.replace('+', '%2B')}", headers=h
    ).json["items"]
    assert {c["enterprise_id"] for c in changes} >= {str(world.a.enterprise1)}
    street = auth(app, world.a.usernames["street_regulator"])
    visible = client.get("/api/v1/risk-map/summary?by=authority", headers=street).json["groups"]
    assert sum(visible[0]["counts"].values()) + visible[0]["ungraded"] == 1


def test_authority_convention_changes_grading(app, client, world):
    admin = auth(app, world.a.usernames["authority_admin"])
    current = client.get("/api/v1/risk-settings", headers=admin).json["grading"]
    # A stricter local convention: D ≥ 160 is already major.
    stricter = {
        **current,
        "version": "连开-2026",
        "lec": [
            {"lower": None, "upper": 70, "level": "low"},
            {"lower": 70, "upper": 120, "level": "general"},
            {"lower": 120, "upper": 160, "level": "significant"},
            {"lower": 160, "upper": None, "level": "major"},
        ],
    }
    bad = client.put(
        "/api/v1/risk-settings", headers=admin, json={"grading": {**current, "lec": []}}
    )
    assert bad.status_code == 422
    assert (
        client.put("/api/v1/risk-settings", headers=admin, json={"grading": stricter}).status_code
        == 200
    )
    r = client.post(
        "/api/v1/risk-assessments/evaluate",
        headers=admin,
        json={"method": "LEC", "l": 6, "e": 3, "c": 15},
    )
    assert r.json["level"] == "major" and r.json["control_tier"] == "company"
    other = auth(app, world.b.usernames["inspector"])
    r = client.post(
        "/api/v1/risk-assessments/evaluate",
        headers=other,
        json={"method": "LEC", "l": 6, "e": 3, "c": 15},
    )
    assert r.json["level"] == "significant"  # another authority keeps the default
    again = client.put("/api/v1/risk-settings", headers=admin, json={"grading": stricter})
    assert again.status_code == 428


def test_import_is_all_or_nothing(app, client, world, owner_engine):
    h = auth(app, world.a.usernames["enterprise_admin"])
    template = client.get("/api/v1/risk-points/template.xlsx", headers=h)
    assert template.status_code == 200
    empty = client.post(
        "/api/v1/risk-points/import",
        headers=h,
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(template.data), "t.xlsx")},
    )
    assert empty.status_code == 422

    def count():
        with owner_engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT count(*) FROM risk_points WHERE enterprise_id = :e"),
                {"e": services.sql_uuid(owner_engine, world.a.enterprise1)},
            ).scalar_one()

    book = load_workbook(io.BytesIO(client.get("/api/v1/risk-points/export.xlsx", headers=h).data))
    sheet = book.worksheets[0]
    rows_before = sheet.max_row
    buffer = io.BytesIO()
    book.save(buffer)
    before = count()
    ok = client.post(
        "/api/v1/risk-points/import",
        headers=h,
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(buffer.getvalue()), "list.xlsx")},
    )
    assert ok.status_code == 201, ok.json
    assert ok.json["imported"] == rows_before - 1 and count() == before + rows_before - 1
    headers = [c.value for c in sheet[1]]
    name_column = next(i for i, h in enumerate(headers) if str(h).startswith("风险点名称"))
    sheet.cell(row=2, column=name_column + 1).value = None
    buffer = io.BytesIO()
    book.save(buffer)
    bad = client.post(
        "/api/v1/risk-points/import",
        headers=h,
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(buffer.getvalue()), "bad.xlsx")},
    )
    assert bad.status_code == 422 and any(k.startswith("row 2") for k in bad.json["errors"])
    assert count() == before + rows_before - 1
    junk = client.post(
        "/api/v1/risk-points/import",
        headers=h,
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(b"not a workbook"), "x.xlsx")},
    )
    assert junk.status_code == 422


@pytest.mark.parametrize(
    "since",
    [
        "0001-01-01T00:00:00%2B14:00",
        "9999-12-31T23:59:59-12:00",
        "yesterday",
        "2026-01-01T00:00:00",
    ],
)
def test_bad_since_is_a_422(app, client, world, since):
    h = auth(app, world.a.usernames["regulator"])
    r = client.get(f"/api/v1/risk-map/changes?since={since}", headers=h)
    assert r.status_code == 422


def test_a_new_convention_regrades_the_working_list(app, client, world):
    admin = auth(app, world.a.usernames["authority_admin"])
    ent = auth(app, world.a.usernames["enterprise_admin"])
    point = client.post(
        "/api/v1/risk-points", headers=ent, json=worlds.risk_point_body("significant")
    ).json  # D = 270
    grading = client.get("/api/v1/risk-settings", headers=admin).json["grading"]
    grading = {
        **grading,
        "version": "连开-strict",
        "lec": [
            {"lower": None, "upper": 70, "level": "low"},
            {"lower": 70, "upper": 120, "level": "general"},
            {"lower": 120, "upper": 160, "level": "significant"},
            {"lower": 160, "upper": None, "level": "major"},
        ],
    }
    assert (
        client.put("/api/v1/risk-settings", headers=admin, json={"grading": grading}).status_code
        == 200
    )
    after = client.get(f"/api/v1/risk-points/{point['id']}", headers=ent).json
    assert after["residual_level"] == "major" and after["grading_version"] == "连开-strict"


def test_colors_page_through_with_a_cursor(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    seen, cursor = [], None
    for _ in range(10):
        url = "/api/v1/risk-map/colors?limit=1" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, headers=h).json
        seen += [c["enterprise_id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted({str(world.a.enterprise1), str(world.a.enterprise2)})
