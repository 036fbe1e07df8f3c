"""Accounts: login, tokens, logout, rate limit, password handling, user management."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import AuthToken
from tests import services, worlds
from tests.worlds import PASSWORD


def login(client, username, password=PASSWORD, **kw):
    return client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}, **kw
    )


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_login_me_logout(client, world):
    r = login(client, world.a.usernames["inspector"])
    assert r.status_code == 201
    body = r.json
    assert body["token_type"] == "Bearer" and 0 < body["expires_in"] <= 86400
    me = client.get("/api/v1/me", headers=auth(body["access_token"]))
    assert me.status_code == 200
    assert me.json["role"] == "inspector" and me.json["authority"]["id"] == str(
        world.a.authority_id
    )
    assert "password" not in me.get_data(as_text=True)
    assert (
        client.delete("/api/v1/auth/token", headers=auth(body["access_token"])).status_code == 204
    )
    after = client.get("/api/v1/me", headers=auth(body["access_token"]))
    assert after.status_code == 401 and after.headers["WWW-Authenticate"].startswith("Bearer")


def test_wrong_password_and_unknown_user_look_the_same(client, world):
    bad = login(client, world.a.usernames["regulator"], "wrong-password-x")
    unknown = login(client, "nobody-" + worlds.tag(), "wrong-password-x")
    assert bad.status_code == unknown.status_code == 401
    assert bad.json == unknown.json


def test_garbage_tokens_are_401_not_500(client):
    for header in ("Bearer", "Bearer x", "Basic abc", "Bearer " + "a" * 5000, "bearer \x00"):
        r = client.get("/api/v1/me", headers={"Authorization": header})
        assert r.status_code == 401, header
        assert r.content_type == "application/problem+json"


def test_expired_token_is_refused(app, client, world, owner_engine):
    with app.app_context():
        token = worlds.login(world.a.usernames["inspector"])
    from app.accounts.service import token_digest

    with owner_engine.begin() as conn:
        conn.execute(
            sa.update(AuthToken.__table__)
            .where(AuthToken.__table__.c.token_hash == token_digest(token))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert client.get("/api/v1/me", headers=auth(token)).status_code == 401


def test_login_is_rate_limited_with_retry_after(app, client, world):
    username = world.a.usernames["enterprise_staff"]
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    statuses = [login(client, username, "wrong-password-x").status_code for _ in range(limit + 10)]
    assert statuses.count(401) == limit
    assert statuses.count(429) == 10
    r = login(client, username)
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
    assert r.content_type == "application/problem+json"
    # Another account from the same address is not locked out by this one.
    assert login(client, world.a.usernames["enterprise_admin"]).status_code == 201


def test_passwords_are_argon2id_and_never_returned(app, client, world, owner_engine):
    with owner_engine.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT password_hash FROM users WHERE id = :i"),
            {"i": services.sql_uuid(owner_engine, world.a.users["inspector"])},
        ).scalar_one()
    assert stored.startswith("$argon2id$")
    with app.app_context():
        token = worlds.login(world.a.usernames["authority_admin"])
    listed = client.get("/api/v1/users?limit=200", headers=auth(token)).get_data(as_text=True)
    assert "argon2" not in listed and "password" not in listed


def test_authority_admin_creates_an_inspector_who_can_log_in(app, client, world):
    with app.app_context():
        token = worlds.login(world.a.usernames["authority_admin"])
    username = "insp-" + worlds.tag()
    body = {
        "username": username,
        "display_name": "新执法人员",
        "role": "inspector",
        "password": PASSWORD,
    }
    missing_badge = client.post("/api/v1/users", json=body, headers=auth(token))
    assert missing_badge.status_code == 422 and "badge_no" in missing_badge.json["errors"]
    r = client.post("/api/v1/users", json={**body, "badge_no": "32070199"}, headers=auth(token))
    assert r.status_code == 201 and r.json["badge_no"] == "32070199"
    assert login(client, username).status_code == 201
    dup = client.post("/api/v1/users", json={**body, "badge_no": "1"}, headers=auth(token))
    assert dup.status_code == 409


def test_weak_passwords_are_refused(app, client, world):
    with app.app_context():
        token = worlds.login(world.a.usernames["authority_admin"])
    r = client.post(
        "/api/v1/users",
        headers=auth(token),
        json={
            "username": "weak-" + worlds.tag(),
            "display_name": "x",
            "role": "regulator",
            "password": "short",
        },
    )
    assert r.status_code == 422 and "password" in r.json["errors"]


def test_enterprise_admin_manages_only_its_staff(app, client, world):
    with app.app_context():
        token = worlds.login(world.a.usernames["enterprise_admin"])
    r = client.post(
        "/api/v1/users",
        headers=auth(token),
        json={
            "username": "boss-" + worlds.tag(),
            "display_name": "x",
            "role": "regulator",
            "password": PASSWORD,
        },
    )
    assert r.status_code == 403
    r = client.post(
        "/api/v1/users",
        headers=auth(token),
        json={
            "username": "staff-" + worlds.tag(),
            "display_name": "员工",
            "role": "enterprise_staff",
            "password": PASSWORD,
        },
    )
    assert r.status_code == 201 and r.json["enterprise_id"] == str(world.a.enterprise1)
    listed = client.get("/api/v1/users?limit=200", headers=auth(token)).json["items"]
    assert {u["enterprise_id"] for u in listed} == {str(world.a.enterprise1)}


def test_deactivating_a_user_revokes_its_tokens(app, client, world):
    with app.app_context():
        _, username = worlds.make_user(world.a.authority_id, worlds.Role.INSPECTOR)
        victim = worlds.login(username)
        admin = worlds.login(world.a.usernames["authority_admin"])
    me = client.get("/api/v1/me", headers=auth(victim)).json
    r = client.post(f"/api/v1/users/{me['id']}/deactivate", headers=auth(admin))
    assert r.status_code == 200 and r.json["is_active"] is False
    assert client.get("/api/v1/me", headers=auth(victim)).status_code == 401
    assert login(client, username).status_code == 401


def test_password_change_revokes_other_sessions(app, client, world):
    with app.app_context():
        _, username = worlds.make_user(world.a.authority_id, worlds.Role.REGULATOR)
        first, second = worlds.login(username), worlds.login(username)
    new = "a-much-better-passphrase"
    bad = client.post(
        "/api/v1/me/password",
        headers=auth(first),
        json={"current_password": "nope-nope-nope", "new_password": new},
    )
    assert bad.status_code == 422
    ok = client.post(
        "/api/v1/me/password",
        headers=auth(first),
        json={"current_password": PASSWORD, "new_password": new},
    )
    assert ok.status_code == 204
    assert client.get("/api/v1/me", headers=auth(first)).status_code == 200
    assert client.get("/api/v1/me", headers=auth(second)).status_code == 401
    assert login(client, username, new).status_code == 201


def test_user_update_needs_if_match(app, client, world):
    with app.app_context():
        token = worlds.login(world.a.usernames["authority_admin"])
    path = f"/api/v1/users/{world.a.users['inspector']}"
    assert client.patch(path, json={"phone": "1"}, headers=auth(token)).status_code == 428
    etag = client.get(path, headers=auth(token)).headers["ETag"]
    r = client.patch(path, json={"phone": "13800000000"}, headers={**auth(token), "If-Match": etag})
    assert r.status_code == 200 and r.headers["ETag"] != etag
    stale = client.patch(path, json={"phone": "2"}, headers={**auth(token), "If-Match": etag})
    assert stale.status_code == 412


def test_platform_password_change_revokes_its_other_sessions(app, client):
    with app.app_context():
        _, username = worlds.make_user(None, worlds.Role.PLATFORM_ADMIN)
        first, second = worlds.login(username), worlds.login(username)
    r = client.post(
        "/api/v1/me/password",
        headers=auth(first),
        json={"current_password": PASSWORD, "new_password": "platform-new-passphrase"},
    )
    assert r.status_code == 204
    assert client.get("/api/v1/me", headers=auth(second)).status_code == 401
    assert client.get("/api/v1/me", headers=auth(first)).status_code == 200


def test_deactivated_enterprise_locks_its_users_out(app, client, world):
    with app.app_context():
        tenant = worlds.make_tenant()
        token = worlds.login(tenant.usernames["enterprise_admin"])
        regulator = worlds.login(tenant.usernames["regulator"])
    r = client.post(f"/api/v1/enterprises/{tenant.enterprise1}/deactivate", headers=auth(regulator))
    assert r.status_code == 200
    assert client.get("/api/v1/me", headers=auth(token)).status_code == 401
    assert login(client, tenant.usernames["enterprise_staff"]).status_code == 401


@pytest.mark.parametrize(
    "raw",
    [
        '{"username": "\\ud800", "password": "x"}',  # a lone surrogate
        "[" * 100_000,  # nesting past the parser's recursion limit
    ],
)
def test_hostile_json_is_a_client_error(client, raw):
    r = client.post("/api/v1/auth/token", data=raw, headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422) and r.content_type == "application/problem+json"


def test_usernames_cannot_end_in_a_newline(app, client, world):
    with app.app_context():
        token = worlds.login(world.a.usernames["authority_admin"])
    r = client.post(
        "/api/v1/users",
        headers=auth(token),
        json={
            "username": world.a.usernames["inspector"] + "\n",
            "display_name": "x",
            "role": "regulator",
            "password": PASSWORD,
        },
    )
    assert r.status_code == 422 and "username" in r.json["errors"]


def test_callers_without_the_role_learn_nothing_from_validation(app, client, world):
    assert client.post("/api/v1/users", json={"bogus": 1}).status_code == 401
    with app.app_context():
        staff = worlds.login(world.a.usernames["enterprise_staff"])
    assert client.post("/api/v1/users", json={"bogus": 1}, headers=auth(staff)).status_code == 403


def test_login_limits_per_username_across_addresses_and_per_address(app, client, world):
    username = world.a.usernames["street_regulator"]
    per_user = int(app.config["LOGIN_USER_RATE_LIMIT"].split()[0])
    statuses = [
        login(
            client,
            username,
            "wrong-password-x",
            environ_base={"REMOTE_ADDR": f"10.0.{i // 250}.{i % 250 + 1}"},
        ).status_code
        for i in range(per_user + 3)
    ]
    assert statuses.count(401) == per_user and statuses.count(429) == 3
    per_address = int(app.config["LOGIN_ADDRESS_RATE_LIMIT"].split()[0])
    spray = [
        login(
            client, f"nobody-{i}", "wrong-password-x", environ_base={"REMOTE_ADDR": "10.9.9.9"}
        ).status_code
        for i in range(per_address + 2)
    ]
    assert spray.count(401) == per_address and spray.count(429) == 2
