"""Authorities and the region tree."""

from tests import worlds
from tests.worlds import PASSWORD


def auth(app, username):
    with app.app_context():
        return {"Authorization": f"Bearer {worlds.login(username)}"}


def test_platform_creates_an_authority_whose_admin_can_log_in(app, client, world):
    h = auth(app, world.platform_username)
    t = worlds.tag()
    r = client.post(
        "/api/v1/authorities",
        headers=h,
        json={
            "name": f"新区应急管理局{t}",
            "short_name": f"新{t}",
            "admin": {"username": f"admin-{t}", "display_name": "管理员", "password": PASSWORD},
        },
    )
    assert r.status_code == 201 and r.json["first_admin_id"]
    token = client.post(
        "/api/v1/auth/token", json={"username": f"admin-{t}", "password": PASSWORD}
    ).json["access_token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json
    assert me["role"] == "authority_admin" and me["authority"]["short_name"] == f"新{t}"
    dup = client.post(
        "/api/v1/authorities",
        headers=h,
        json={
            "name": f"新区应急管理局{t}",
            "short_name": f"另{t}",
            "admin": {"username": f"admin2-{t}", "display_name": "x", "password": PASSWORD},
        },
    )
    assert dup.status_code == 409 and "name" in dup.json["errors"]


def test_platform_sees_authorities_but_not_inside_them(app, client, world):
    h = auth(app, world.platform_username)
    assert client.get(f"/api/v1/authorities/{world.b.authority_id}", headers=h).status_code == 200
    assert client.get("/api/v1/enterprises", headers=h).status_code == 403
    assert client.get(f"/api/v1/enterprises/{world.a.enterprise1}", headers=h).status_code == 403


def test_deactivated_authority_locks_its_users_out(app, client, world):
    with app.app_context():
        tenant = worlds.make_tenant()
        token = worlds.login(tenant.usernames["inspector"])
    h = auth(app, world.platform_username)
    assert (
        client.post(f"/api/v1/authorities/{tenant.authority_id}/deactivate", headers=h).status_code
        == 200
    )
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401


def test_region_tree_rules(app, client, world):
    h = auth(app, world.a.usernames["authority_admin"])
    street = client.post(
        "/api/v1/regions", headers=h, json={"kind": "street", "name": "东片" + worlds.tag()}
    )
    assert street.status_code == 201 and street.json["street_id"] == street.json["id"]
    sid = street.json["id"]
    grid_under_street = client.post(
        "/api/v1/regions", headers=h, json={"kind": "grid", "name": "网格1", "parent_id": sid}
    )
    assert grid_under_street.status_code == 422
    community = client.post(
        "/api/v1/regions", headers=h, json={"kind": "community", "name": "新村", "parent_id": sid}
    )
    assert community.status_code == 201 and community.json["street_id"] == sid
    grid = client.post(
        "/api/v1/regions",
        headers=h,
        json={"kind": "grid", "name": "网格1", "parent_id": community.json["id"]},
    )
    assert grid.status_code == 201 and grid.json["street_id"] == sid
    twin = client.post(
        "/api/v1/regions", headers=h, json={"kind": "community", "name": "新村", "parent_id": sid}
    )
    assert twin.status_code == 409
    busy = client.post(f"/api/v1/regions/{sid}/deactivate", headers=h)
    assert busy.status_code == 409
    children = client.get(f"/api/v1/regions?parent_id={sid}", headers=h).json["items"]
    assert [c["name"] for c in children] == ["新村"]
    foreign_parent = client.post(
        "/api/v1/regions",
        headers=h,
        json={"kind": "community", "name": "越界", "parent_id": str(world.b.street1)},
    )
    assert foreign_parent.status_code == 422


def test_only_the_platform_renames_an_authority(app, client, world):
    h = auth(app, world.a.usernames["authority_admin"])
    path = f"/api/v1/authorities/{world.a.authority_id}"
    etag = client.get(path, headers=h).headers["ETag"]
    r = client.patch(path, headers={**h, "If-Match": etag}, json={"name": "别的名字"})
    assert r.status_code == 403 and set(r.json["errors"]) == {"name"}
    ok = client.patch(path, headers={**h, "If-Match": etag}, json={"court": "连云港市中级人民法院"})
    assert ok.status_code == 200


def test_two_streets_cannot_share_a_name(app, client, world):
    h = auth(app, world.a.usernames["authority_admin"])
    name = "同名街道" + worlds.tag()
    assert (
        client.post("/api/v1/regions", headers=h, json={"kind": "street", "name": name}).status_code
        == 201
    )
    assert (
        client.post("/api/v1/regions", headers=h, json={"kind": "street", "name": name}).status_code
        == 409
    )
