"""Enterprises through the API: validation, scope, who edits what, ETags, filters, pagination."""

from __future__ import annotations

import pytest

from tests import worlds


def auth(app, username):
    with app.app_context():
        return {"Authorization": f"Bearer {worlds.login(username)}"}


def body(world, **extra):
    return {
        "name": "新注册企业" + worlds.tag(),
        "uscc": worlds.uscc(),
        "sector": "fire_safety",
        "region_id": str(world.a.community1),
        **extra,
    }


def test_create_validates_everything_at_once(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    r = client.post(
        "/api/v1/enterprises",
        headers=h,
        json={
            "name": "x",
            "uscc": "91350100M000100Y44",
            "sector": "banking",
            "region_id": str(world.a.community1),
            "longitude": 200,
            "latitude": 35,
            "standardization_grade": 4,
            "headcount": -1,
            "tenant_id": "x",
        },
    )
    assert r.status_code == 422
    assert set(r.json["errors"]) == {
        "name",
        "sector",
        "longitude",
        "standardization_grade",
        "headcount",
        "tenant_id",
    }
    bad_digit = client.post(
        "/api/v1/enterprises", headers=h, json=body(world, uscc="91350100M000100Y44")
    )
    assert bad_digit.status_code == 422
    assert bad_digit.json["errors"] == {"uscc": ["check digit does not match"]}


def test_create_read_and_duplicate_code(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    data = body(world, longitude=119.3, latitude=34.6, is_key=True, standardization_grade=2)
    r = client.post("/api/v1/enterprises", headers=h, json=data)
    assert r.status_code == 201
    assert r.json["street_id"] == str(world.a.street1) and r.json["is_key"] is True
    assert r.headers["ETag"] == f'"{r.json["id"]}.1"'
    again = client.post("/api/v1/enterprises", headers=h, json={**data, "name": "另一个名字"})
    assert again.status_code == 409 and "uscc" in again.json["errors"]


def test_same_credit_code_in_another_authority_is_independent(app, client, world):
    code = worlds.uscc()
    ha = auth(app, world.a.usernames["regulator"])
    hb = auth(app, world.b.usernames["regulator"])
    assert (
        client.post("/api/v1/enterprises", headers=ha, json=body(world, uscc=code)).status_code
        == 201
    )
    other = {**body(world, uscc=code), "region_id": str(world.b.community1)}
    assert client.post("/api/v1/enterprises", headers=hb, json=other).status_code == 201


def test_region_of_another_authority_is_no_such_region(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    r = client.post(
        "/api/v1/enterprises", headers=h, json=body(world, region_id=str(world.b.community1))
    )
    assert r.status_code == 422 and r.json["errors"] == {"region_id": ["no such region"]}


def test_street_regulator_works_only_in_its_street(app, client, world):
    h = auth(app, world.a.usernames["street_regulator"])
    listed = client.get("/api/v1/enterprises?limit=200", headers=h).json["items"]
    assert {e["street_id"] for e in listed} == {str(world.a.street1)}
    outside = client.post(
        "/api/v1/enterprises", headers=h, json=body(world, region_id=str(world.a.community2))
    )
    assert outside.status_code == 422
    inside = client.post("/api/v1/enterprises", headers=h, json=body(world))
    assert inside.status_code == 201
    moved = client.patch(
        f"/api/v1/enterprises/{inside.json['id']}",
        headers={**h, "If-Match": inside.headers["ETag"]},
        json={"region_id": str(world.a.community2)},
    )
    assert moved.status_code == 422


def test_enterprise_admin_edits_profile_fields_only(app, client, world):
    h = auth(app, world.a.usernames["enterprise_admin"])
    path = f"/api/v1/enterprises/{world.a.enterprise1}"
    etag = client.get(path, headers=h).headers["ETag"]
    refused = client.patch(
        path, headers={**h, "If-Match": etag}, json={"is_key": True, "headcount": 10}
    )
    assert refused.status_code == 403 and set(refused.json["errors"]) == {"is_key"}
    ok = client.patch(
        path,
        headers={**h, "If-Match": etag},
        json={"headcount": 10, "safety_contact_phone": "13900000000"},
    )
    assert ok.status_code == 200 and ok.json["headcount"] == 10


@pytest.mark.parametrize("headers, status", [({}, 428), ({"If-Match": '"stale.1"'}, 412)])
def test_updates_need_the_current_etag(app, client, world, headers, status):
    h = auth(app, world.a.usernames["regulator"])
    r = client.patch(
        f"/api/v1/enterprises/{world.a.enterprise2}",
        headers={**h, **headers},
        json={"headcount": 1},
    )
    assert r.status_code == status


def test_two_writers_one_wins(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    path = f"/api/v1/enterprises/{world.a.enterprise2}"
    etag = client.get(path, headers=h).headers["ETag"]
    first = client.patch(path, headers={**h, "If-Match": etag}, json={"headcount": 1})
    second = client.patch(path, headers={**h, "If-Match": etag}, json={"headcount": 2})
    assert (first.status_code, second.status_code) == (200, 412)
    assert client.get(path, headers=h).json["headcount"] == 1


def test_filters_and_cursor_pagination(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    for _ in range(5):
        client.post("/api/v1/enterprises", headers=h, json=body(world, sector="road_transport"))
    seen, cursor = [], None
    while True:
        url = "/api/v1/enterprises?sector=road_transport&limit=2"
        r = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=h)
        assert r.status_code == 200 and len(r.json["items"]) <= 2
        seen += [e["id"] for e in r.json["items"]]
        cursor = r.json["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) >= 5
    assert seen == sorted(seen)


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=201",
        "cursor=%%%",
        "cursor=AAAA",
        "sector=banking",
        "is_key=maybe",
        "unknown=1",
    ],
)
def test_bad_query_parameters_are_422(app, client, world, query):
    h = auth(app, world.a.usernames["regulator"])
    r = client.get(f"/api/v1/enterprises?{query}", headers=h)
    assert r.status_code == 422 and r.content_type == "application/problem+json"


def test_filter_by_a_foreign_region_finds_nothing(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    r = client.get(f"/api/v1/enterprises?region_id={world.b.community1}", headers=h)
    assert r.status_code == 200 and r.json["items"] == []


def test_deactivate(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    created = client.post("/api/v1/enterprises", headers=h, json=body(world)).json
    r = client.post(f"/api/v1/enterprises/{created['id']}/deactivate", headers=h)
    assert r.status_code == 200 and r.json["is_active"] is False
    active = client.get("/api/v1/enterprises?is_active=true&limit=200", headers=h).json["items"]
    assert created["id"] not in {e["id"] for e in active}


def test_not_json_and_wrong_types_are_clear_errors(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    for payload in ("not json", "[]", "null", '{"name": 5}'):
        r = client.post(
            "/api/v1/enterprises", headers={**h, "Content-Type": "application/json"}, data=payload
        )
        assert r.status_code in (400, 422), payload
        assert r.content_type == "application/problem+json"


@pytest.mark.parametrize("value", ["bad\x00name", "tab\x07bell"])
def test_control_characters_are_refused(app, client, world, value):
    h = auth(app, world.a.usernames["regulator"])
    r = client.post("/api/v1/enterprises", headers=h, json=body(world, name=value))
    assert r.status_code == 422
    assert r.json["errors"] == {"name": ["must not contain control characters"]}


def test_oversized_body_is_413(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    r = client.post(
        "/api/v1/enterprises",
        headers={**h, "Content-Type": "application/json"},
        data='{"name": "' + big + '"}',
    )
    assert r.status_code == 413 and r.content_type == "application/problem+json"


def test_region_filter_includes_the_regions_under_it(app, client, world):
    h = auth(app, world.a.usernames["regulator"])
    by_street = client.get(f"/api/v1/enterprises?region_id={world.a.street1}&limit=200", headers=h)
    ids = {e["id"] for e in by_street.json["items"]}
    assert str(world.a.enterprise1) in ids and str(world.a.enterprise2) not in ids
