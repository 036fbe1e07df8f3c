"""The audit trail in the database: captured on every write, append-only, verifiable."""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa

from app import tenancy
from app.audit import service as audit
from app.db import commit
from app.extensions import db
from app.tenancy import Scope
from app.tenants import service as tenants
from tests import worlds


def events(owner_engine, chain: str):
    with owner_engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT seq, action, entity_type, payload FROM audit_events"
                " WHERE chain = :c ORDER BY seq"
            ),
            {"c": chain},
        ).all()


def test_a_write_records_who_what_before_and_after(app, client, world, owner_engine):
    with app.app_context():
        token = worlds.login(world.a.usernames["regulator"])
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/enterprises/{world.a.enterprise1}"
    etag = client.get(path, headers=headers).headers["ETag"]
    r = client.patch(path, json={"headcount": 321}, headers={**headers, "If-Match": etag})
    assert r.status_code == 200
    last = events(owner_engine, str(world.a.authority_id))[-1]
    body = json.loads(last.payload)
    assert (last.action, last.entity_type) == ("update", "enterprises")
    assert body["actor_id"] == str(world.a.users["regulator"])
    assert body["actor_role"] == "regulator"
    assert body["before"]["headcount"] is None and body["after"]["headcount"] == 321
    assert body["before"]["version"] + 1 == body["after"]["version"]


def test_secrets_never_reach_the_trail(app, world, owner_engine):
    with owner_engine.connect() as conn:
        payloads = (
            conn.execute(
                sa.text(
                    "SELECT payload FROM audit_events WHERE entity_type IN ('users', 'auth_tokens')"
                    " AND chain = :c"
                ),
                {"c": str(world.a.authority_id)},
            )
            .scalars()
            .all()
        )
    assert payloads
    for text in payloads:
        body = json.loads(text)
        for side in ("before", "after"):
            if body[side]:
                for secret in ("password_hash", "token_hash"):
                    assert body[side].get(secret) in (None, "***")
        assert "argon2" not in text


def test_rollback_writes_no_event(app, world, owner_engine):
    chain = str(world.a.authority_id)
    before = len(events(owner_engine, chain))
    with app.app_context(), tenancy.using(Scope(authority_id=world.a.authority_id, system=True)):
        tenants.create_region(db.session, {"kind": "street", "name": "回滚" + worlds.tag()})
        db.session.rollback()
    assert len(events(owner_engine, chain)) == before


@pytest.mark.postgres
def test_concurrent_appends_keep_one_gapless_chain(app, owner_engine):
    """8 threads append to one authority's chain at once: seq stays gapless, no fork."""
    with app.app_context():
        authority = worlds.make_authority()
    errors = []

    def work(n):
        try:
            with app.app_context(), tenancy.using(Scope(authority_id=authority, system=True)):
                for i in range(25):
                    tenants.create_region(db.session, {"kind": "street", "name": f"并发{n}-{i}"})
                    commit(db.session)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    rows = events(owner_engine, str(authority))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == 1 + 200
    with app.app_context(), tenancy.using(Scope(authority_id=authority, system=True)):
        verdict = audit.verify(db.session, str(authority), app.config["AUDIT_CHECKPOINT_KEY"])
    assert verdict.ok and verdict.events == 201


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET action = 'x'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ],
)
def test_app_role_cannot_rewrite_history(app, database, statement):
    engine = sa.create_engine(database.app_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError) as info:
        conn.execute(sa.text(statement))
    assert "permission denied" in str(info.value.orig) or "append-only" in str(info.value.orig)
    engine.dispose()


@pytest.mark.postgres
def test_even_the_owner_cannot_update_history(owner_engine, world):
    with owner_engine.connect() as conn, pytest.raises(sa.exc.DBAPIError) as info:
        conn.execute(
            sa.text("UPDATE audit_events SET action = 'x' WHERE chain = :c"),
            {"c": str(world.a.authority_id)},
        )
    assert "append-only" in str(info.value.orig)


@pytest.mark.postgres
def test_cli_verify_reports_the_first_bad_entry(app, owner_engine):
    """A superuser who disables the trigger and edits a row is caught by `flask audit verify`."""
    with app.app_context():
        authority = worlds.make_authority()
        for _ in range(4):
            worlds.make_region(authority, "street")
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify", "--chain", str(authority)])
    assert ok.exit_code == 0, ok.output
    assert "ok (5 events)" in ok.output
    with owner_engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))  # bypass triggers
        conn.execute(
            sa.text(
                "UPDATE audit_events SET payload = replace(payload, 'street', 'grid')"
                " WHERE chain = :c AND seq = 3"
            ),
            {"c": str(authority)},
        )
    bad = runner.invoke(args=["audit", "verify", "--chain", str(authority)])
    assert bad.exit_code == 1
    assert "BROKEN at seq 3" in bad.output


def test_checkpoint_job_signs_the_head_once(app, world, owner_engine):
    """Inline (no Redis): the API queues the job after commit; a second run adds nothing."""
    client = app.test_client()
    with app.app_context():
        token = worlds.login(world.a.usernames["authority_admin"])
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(2):
        assert client.post("/api/v1/audit/checkpoints", headers=headers).status_code == 202
    with owner_engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT seq, hash FROM audit_checkpoints WHERE chain = :c"),
            {"c": str(world.a.authority_id)},
        ).all()
    assert len(rows) == 1
    head = events(owner_engine, str(world.a.authority_id))[-1]
    assert rows[0].seq == head.seq


@pytest.mark.postgres
def test_forged_columns_and_truncation_are_caught(app, owner_engine):
    with app.app_context():
        authority = worlds.make_authority()
        worlds.make_region(authority, "street")
    runner = app.test_cli_runner()
    with owner_engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        conn.execute(
            sa.text("UPDATE audit_events SET action = 'delete' WHERE chain = :c AND seq = 2"),
            {"c": str(authority)},
        )
    forged = runner.invoke(args=["audit", "verify", "--chain", str(authority)])
    assert forged.exit_code == 1 and "BROKEN at seq 2" in forged.output
    with owner_engine.connect() as conn, pytest.raises(sa.exc.DBAPIError) as info:
        conn.execute(sa.text("TRUNCATE audit_events"))
    assert "append-only" in str(info.value.orig)


@pytest.mark.postgres
def test_an_authority_with_an_empty_chain_is_broken(app, owner_engine):
    with app.app_context():
        authority = worlds.make_authority()
    with owner_engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        conn.execute(sa.text("DELETE FROM audit_events WHERE chain = :c"), {"c": str(authority)})
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--chain", str(authority)])
    assert result.exit_code == 1 and "the chain is empty" in result.output
