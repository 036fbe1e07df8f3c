"""The Idempotency-Key contract with the tablets, on POST /api/v1/hidden-dangers (and on a probe
route for what that endpoint does not declare): same key and request replay the first answer,
another request is a 422, keys are per authority and user, the client_id constraint holds when
the key record is gone, and no malformed key is ever a 500."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask import request

from app import idempotency, tenancy
from app.dangers.models import HiddenDanger
from app.db import commit, utcnow
from app.extensions import db
from app.idempotency import HEADER, REPLAY_MARK, IdempotencyKey, fingerprint, idempotent, prune
from app.tenancy import Scope
from app.web import require
from tests import services
from tests.dangers.helpers import auth, body, new_client_id

URL = "/api/v1/hidden-dangers"
PROBE = "/api/v1/idempotency-probe"
KEYS = IdempotencyKey.__table__
DANGERS = HiddenDanger.__table__
PROBLEM = "application/problem+json"


def new_key() -> str:
    return f"k-{uuid.uuid4()}"


def post(client, headers, key=None, url=URL, **kwargs):
    extra = {HEADER: key} if key is not None else {}
    return client.post(url, headers={**headers, **extra}, **kwargs)


def key_rows(engine, authority_id, key) -> list:
    with engine.connect() as conn:
        return (
            conn.execute(
                sa.select(KEYS).where(KEYS.c.authority_id == authority_id, KEYS.c.key == key)
            )
            .mappings()
            .all()
        )


def danger_count(engine, client_id, authority_id=None) -> int:
    stmt = sa.select(sa.func.count()).select_from(DANGERS)
    stmt = stmt.where(DANGERS.c.client_id == uuid.UUID(str(client_id)))
    if authority_id is not None:
        stmt = stmt.where(DANGERS.c.authority_id == authority_id)
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def age(engine, authority_id, key, hours: float) -> None:
    """Move a record's creation back in time, as the owner."""
    with engine.begin() as conn:
        conn.execute(
            sa.update(KEYS)
            .where(KEYS.c.authority_id == authority_id, KEYS.c.key == key)
            .values(created_at=utcnow() - dt.timedelta(hours=hours))
        )


@pytest.fixture
def staff(app, world):
    return auth(app, world.a.usernames["enterprise_staff"])


@pytest.fixture
def probe_app(database):
    """A second app with probe routes under the real decorator: one that requires the key."""
    from app import create_app

    local = create_app(services.app_config(database))

    @require()
    @idempotent(required=True)
    def probe(name):
        return {"name": name, "body": request.get_json(silent=True)}, 201

    local.add_url_rule(f"{PROBE}/<name>", "idempotency_probe", probe, methods=["POST"])
    yield local
    with local.app_context():
        db.engine.dispose()


def test_replays_twenty_times_with_one_entry_and_one_record(
    app, client, staff, world, owner_engine
):
    key, cid = new_key(), new_client_id()
    first = post(client, staff, key, json=body(client_id=cid))
    assert first.status_code == 201, first.json
    assert REPLAY_MARK not in first.headers
    for _ in range(20):
        again = post(client, staff, key, json=body(client_id=cid))
        # The stored answer itself (a re-run view would say 200 for the known client_id).
        assert again.status_code == 201
        assert again.headers[REPLAY_MARK] == "true"
        assert again.json == first.json and again.json["id"] == first.json["id"]
        assert again.headers["ETag"] == first.headers["ETag"]
    assert danger_count(owner_engine, cid) == 1
    rows = key_rows(owner_engine, world.a.authority_id, key)  # the second transaction landed
    assert len(rows) == 1
    assert rows[0]["status_code"] == 201 and rows[0]["user_id"] == world.a.users["enterprise_staff"]
    assert rows[0]["response_body"]["id"] == first.json["id"]
    assert rows[0]["response_headers"] == {"ETag": first.headers["ETag"]}


def test_same_key_with_another_body_is_a_422(client, staff, world, owner_engine):
    key, cid = new_key(), new_client_id()
    assert post(client, staff, key, json=body(client_id=cid)).status_code == 201
    before = key_rows(owner_engine, world.a.authority_id, key)
    r = post(client, staff, key, json=body(client_id=cid, title="另一条隐患"))
    assert r.status_code == 422 and r.mimetype == PROBLEM
    assert r.json["errors"] == {f"headers.{HEADER}": ["already used with another request"]}
    assert HEADER in r.json["detail"]
    assert key_rows(owner_engine, world.a.authority_id, key) == before
    assert danger_count(owner_engine, cid) == 1


def test_key_order_and_whitespace_do_not_change_the_request(client, staff):
    key, data = new_key(), body(client_id=new_client_id())
    first = post(client, staff, key, data=json.dumps(data), content_type="application/json")
    assert first.status_code == 201
    reordered = json.dumps(dict(reversed(list(data.items()))), indent=4, ensure_ascii=True)
    again = post(client, staff, key, data=reordered, content_type="application/json")
    assert again.status_code == 201 and again.headers[REPLAY_MARK] == "true"
    assert again.json == first.json


def test_keys_are_per_authority_and_per_user(app, client, world, owner_engine):
    a_staff = auth(app, world.a.usernames["enterprise_staff"])
    b_staff = auth(app, world.b.usernames["enterprise_staff"])
    a_admin = auth(app, world.a.usernames["enterprise_admin"])
    key, cid = new_key(), new_client_id()
    ra = post(client, a_staff, key, json=body(client_id=cid))
    rb = post(client, b_staff, key, json=body(client_id=cid))
    assert ra.status_code == rb.status_code == 201
    assert REPLAY_MARK not in rb.headers
    assert ra.json["id"] != rb.json["id"]
    assert ra.json["enterprise_id"] == str(world.a.enterprise1)
    assert rb.json["enterprise_id"] == str(world.b.enterprise1)
    # Another user of the same authority, same key: a request of its own.
    rc = post(client, a_admin, key, json=body(client_id=new_client_id()))
    assert rc.status_code == 201 and REPLAY_MARK not in rc.headers
    assert rc.json["id"] not in (ra.json["id"], rb.json["id"])
    # Each replays its own answer.
    assert post(client, b_staff, key, json=body(client_id=cid)).json["id"] == rb.json["id"]
    assert post(client, a_staff, key, json=body(client_id=cid)).json["id"] == ra.json["id"]
    assert danger_count(owner_engine, cid, world.a.authority_id) == 1
    assert danger_count(owner_engine, cid, world.b.authority_id) == 1
    assert len(key_rows(owner_engine, world.a.authority_id, key)) == 2  # staff and admin
    assert len(key_rows(owner_engine, world.b.authority_id, key)) == 1


def test_the_path_is_part_of_the_request(client, staff, probe_app):
    key, data = new_key(), body(client_id=new_client_id())
    assert post(client, staff, key, json=data).status_code == 201
    r = post(client, staff, key, url=f"{URL}?again=1", json=data)
    assert r.status_code == 422 and f"headers.{HEADER}" in r.json["errors"]
    # Two routes under the decorator, one key: the second is another request.
    probe = probe_app.test_client()
    assert post(probe, staff, key + "p", url=f"{PROBE}/one", json={"x": 1}).status_code == 201
    r = post(probe, staff, key + "p", url=f"{PROBE}/two", json={"x": 1})
    assert r.status_code == 422 and r.mimetype == PROBLEM


def test_a_required_key_is_a_400_when_missing(probe_app, staff, app, world):
    probe = probe_app.test_client()
    probe.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages below are the English ones
    r = post(probe, staff, url=f"{PROBE}/one", json={"x": 1})
    assert r.status_code == 400 and r.mimetype == PROBLEM
    assert r.json["errors"] == {f"headers.{HEADER}": ["required"]}
    key = new_key()
    first = post(probe, staff, key, url=f"{PROBE}/one", json={"x": 1})
    assert first.status_code == 201 and first.json == {"name": "one", "body": {"x": 1}}
    again = post(probe, staff, key, url=f"{PROBE}/one", json={"x": 1})
    assert again.status_code == 201 and again.headers[REPLAY_MARK] == "true"
    assert again.json == first.json
    # No authority (the platform operator): the view simply runs, nothing is cached.
    platform = auth(app, world.platform_username)
    for _ in range(2):
        r = post(probe, platform, key, url=f"{PROBE}/one", json={"x": 1})
        assert r.status_code == 201 and REPLAY_MARK not in r.headers


def test_the_client_id_holds_when_the_record_is_lost_or_expired(client, staff, world, owner_engine):
    a = world.a.authority_id
    # A record that was never stored (or was lost): the retry runs the view again.
    key, cid = new_key(), new_client_id()
    first = post(client, staff, key, json=body(client_id=cid))
    assert first.status_code == 201
    with owner_engine.begin() as conn:
        conn.execute(sa.delete(KEYS).where(KEYS.c.authority_id == a, KEYS.c.key == key))
    retry = post(client, staff, key, json=body(client_id=cid))
    assert retry.status_code == 200 and REPLAY_MARK not in retry.headers
    assert retry.json["id"] == first.json["id"]
    assert [r["status_code"] for r in key_rows(owner_engine, a, key)] == [200]
    # An expired record counts as absent, and the new answer takes its place.
    key2 = new_key()
    assert post(client, staff, key2, json=body(client_id=cid)).status_code == 200
    age(owner_engine, a, key2, idempotency.IDEMPOTENCY_TTL_HOURS + 1)
    retry = post(client, staff, key2, json=body(client_id=cid, title="过期后换了内容"))
    assert retry.status_code == 409  # not the key's 422: the key expired; client_id still holds
    retry = post(client, staff, key2, json=body(client_id=cid))
    assert retry.status_code == 200 and retry.json["id"] == first.json["id"]
    rows = key_rows(owner_engine, a, key2)
    assert len(rows) == 1 and rows[0]["created_at"] > utcnow() - dt.timedelta(hours=1)
    assert danger_count(owner_engine, cid) == 1


def test_errors_are_not_stored(client, staff, world, owner_engine):
    key, cid = new_key(), new_client_id()
    r = post(client, staff, key, json=body(client_id=cid, severity="catastrophic"))
    assert r.status_code == 422
    assert key_rows(owner_engine, world.a.authority_id, key) == []
    # Fixed, with the same key: the request is another one, and succeeds.
    assert post(client, staff, key, json=body(client_id=cid)).status_code == 201


def test_a_failed_store_still_answers_the_committed_write(
    client, staff, world, owner_engine, monkeypatch
):
    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("connection lost"))

    monkeypatch.setattr(idempotency, "upsertable_insert", broken)
    key, cid = new_key(), new_client_id()
    r = post(client, staff, key, json=body(client_id=cid))
    assert r.status_code == 201
    assert key_rows(owner_engine, world.a.authority_id, key) == []
    assert danger_count(owner_engine, cid) == 1
    monkeypatch.undo()
    retry = post(client, staff, key, json=body(client_id=cid))
    assert retry.status_code == 200 and retry.json["id"] == r.json["id"]


@pytest.mark.postgres
def test_fifty_concurrent_retries_make_one_entry(app, staff, world, owner_engine):
    key, cid = new_key(), new_client_id()
    data = body(client_id=cid)
    n = 50
    start = threading.Barrier(n, timeout=30)

    def attempt(_):
        client = app.test_client()
        start.wait()
        r = post(client, staff, key, json=data)
        return r.status_code, r.headers.get(REPLAY_MARK), (r.json or {}).get("id")

    pool = ThreadPoolExecutor(max_workers=n)
    try:
        futures = [pool.submit(attempt, i) for i in range(n)]
        results = [f.result(timeout=120) for f in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    fresh = [r for r in results if r[0] == 201 and r[1] is None]
    assert len(fresh) == 1, results
    # The rest: answered by the client_id (200), or replays of whichever answer was stored
    # first (the winner's 201 or a racer's 200: the same entry either way), or a 409.
    others = {(status, mark) for status, mark, _ in results} - {(201, None)}
    assert others <= {(201, "true"), (200, "true"), (200, None), (409, None)}, results
    assert {i for status, _, i in results if status < 300} == {fresh[0][2]}
    assert danger_count(owner_engine, cid) == 1
    assert len(key_rows(owner_engine, world.a.authority_id, key)) == 1


@pytest.mark.parametrize(
    "bad",
    ["x" * 256, "clé", "", "   ", "tab\there", "bell\x07"],
    ids=["too-long", "non-ascii", "empty", "blank", "tab", "control"],
)
def test_a_malformed_key_is_a_400(client, staff, owner_engine, bad):
    cid = new_client_id()
    r = post(client, staff, bad, json=body(client_id=cid))
    assert r.status_code == 400 and r.mimetype == PROBLEM
    assert f"headers.{HEADER}" in r.json["errors"]
    assert danger_count(owner_engine, cid) == 0


def test_a_key_of_255_printable_characters_is_fine(client, staff):
    key = ("~ !" + uuid.uuid4().hex) * 10
    key = key[:255]
    data = body(client_id=new_client_id())
    assert post(client, staff, key, json=data).status_code == 201
    assert post(client, staff, key, json=data).headers[REPLAY_MARK] == "true"


def test_prune_deletes_only_expired_records_of_the_scope(app, client, world, owner_engine):
    a, b = world.a.authority_id, world.b.authority_id
    a_staff = auth(app, world.a.usernames["enterprise_staff"])
    b_staff = auth(app, world.b.usernames["enterprise_staff"])
    old_a, fresh_a, old_b = new_key(), new_key(), new_key()
    for headers, key in ((a_staff, old_a), (a_staff, fresh_a), (b_staff, old_b)):
        assert post(client, headers, key, json=body(client_id=new_client_id())).status_code == 201
    age(owner_engine, a, old_a, idempotency.IDEMPOTENCY_TTL_HOURS + 1)
    age(owner_engine, a, fresh_a, idempotency.IDEMPOTENCY_TTL_HOURS - 1)
    age(owner_engine, b, old_b, idempotency.IDEMPOTENCY_TTL_HOURS + 1)
    with app.app_context(), tenancy.using(Scope(authority_id=a, system=True)):
        assert prune(db.session, utcnow()) == 1  # as the job would: authority A, no user
        commit(db.session)
    assert key_rows(owner_engine, a, old_a) == []
    assert len(key_rows(owner_engine, a, fresh_a)) == 1
    assert len(key_rows(owner_engine, b, old_b)) == 1  # another authority's: not in scope


def test_fingerprint_ignores_json_order_and_the_multipart_boundary(app):
    def digest(**kwargs):
        with app.test_request_context("/x?a=1", method="POST", **kwargs):
            return fingerprint(request)

    def upload(data: bytes, name="a.jpg"):
        return digest(
            data={"stage": "found", "file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )

    as_json = digest(data='{"a": 1, "b": [1, 2]}', content_type="application/json")
    assert as_json == digest(data='{"b":[1,2],"a":1}', content_type="application/json")
    assert as_json != digest(data='{"b":[2,1],"a":1}', content_type="application/json")
    # A new boundary each time (werkzeug picks one at random): the same upload.
    assert upload(b"one") == upload(b"one")
    assert upload(b"one") != upload(b"two")
    assert upload(b"one") != upload(b"one", name="b.jpg")
    # Unparseable JSON falls back to the raw bytes, and never raises.
    assert digest(data="{", content_type="application/json") != digest(
        data="{ ", content_type="application/json"
    )
    with app.test_request_context("/x?a=2", method="POST", data="{}"):
        assert fingerprint(request) != digest(data="{}")


def test_the_header_is_documented(app):
    import yaml

    from app.spec import spec_yaml

    op = yaml.safe_load(spec_yaml(app))["paths"][URL]["post"]
    [param] = [p for p in op["parameters"] if p["name"] == HEADER]
    assert param["in"] == "header" and param["required"] is False
    assert param["schema"]["maxLength"] == 255
    assert "requestBody" in op and op["security"] == [{"bearerAuth": []}]
    assert {"400", "422", "201"} <= {str(code) for code in op["responses"]}
