"""The journey a newcomer tries first: log in as an enterprise admin, list, fetch another's."""

from tests.worlds import PASSWORD


def test_enterprise_admin_sees_only_its_enterprise(app, client, world):
    r = client.post(
        "/api/v1/auth/token",
        json={"username": world.a.usernames["enterprise_admin"], "password": PASSWORD},
    )
    assert r.status_code == 201, r.json
    headers = {"Authorization": f"Bearer {r.json['access_token']}"}
    listed = client.get("/api/v1/enterprises", headers=headers)
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json["items"]] == [str(world.a.enterprise1)]
    other = client.get(f"/api/v1/enterprises/{world.a.enterprise2}", headers=headers)
    missing = client.get(
        "/api/v1/enterprises/01a00000-0000-7000-8000-000000000000", headers=headers
    )
    assert other.status_code == missing.status_code == 404
    assert other.json == missing.json
    assert other.content_type == "application/problem+json"
