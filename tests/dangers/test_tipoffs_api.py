"""Public tip-offs: sent without an account, followed up with a code, triaged into a ledger."""

from __future__ import annotations

import io
import uuid

import pytest

from tests.dangers.helpers import Api, jpeg


def _url(authority_id, *parts):
    return "/".join([f"/api/v1/public/authorities/{authority_id}/tip-offs", *parts])


def _client_address() -> dict:
    """Each test its own client address: the public limits are per client."""
    n = uuid.uuid4().int
    return {"REMOTE_ADDR": f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"}


def _send(client, authority_id, **extra):
    body = {"enterprise_name": "某化工厂", "description": "夜间偷排废气，气味刺鼻", **extra}
    return client.post(_url(authority_id), json=body, environ_base=_client_address())


def test_tip_off_flows_into_a_ledger(app, client, world):
    a = world.a
    assert any(
        x["id"] == str(a.authority_id) for x in client.get("/api/v1/public/authorities").json
    )
    r = _send(client, a.authority_id, contact="13800000000")
    assert r.status_code == 201, r.json
    code = r.json["follow_up_code"]
    assert len(code) == 16 and r.json["status"] == "received"
    r = client.post(
        _url(a.authority_id, code, "photo"),
        data={"file": (io.BytesIO(jpeg()), "p.jpg", "image/jpeg")},
        content_type="multipart/form-data",
        environ_base=_client_address(),
    )
    assert r.status_code == 200 and r.json["has_photo"] is True
    status = client.get(_url(a.authority_id, code)).json
    assert status["status"] == "received" and "contact" not in status
    regulator = Api(app, client, a.usernames["regulator"])
    inspector = Api(app, client, a.usernames["inspector"])
    tips = client.get("/api/v1/tip-offs?status=received", headers=regulator.headers).json["items"]
    tip = next(t for t in tips if t["description"].startswith("夜间偷排"))
    assert tip["contact"] == "13800000000"
    # The reporter's contact is for regulators only.
    assert (
        client.get(f"/api/v1/tip-offs/{tip['id']}", headers=inspector.headers).json["contact"]
        is None
    )
    assert (
        client.get(
            "/api/v1/tip-offs", headers=Api(app, client, a.usernames["enterprise_admin"]).headers
        ).status_code
        == 403
    )
    photo = client.get(f"/api/v1/tip-offs/{tip['id']}/photo", headers=regulator.headers)
    assert photo.status_code == 200 and photo.json["url"]
    r = client.post(
        f"/api/v1/tip-offs/{tip['id']}/convert",
        headers=regulator.headers,
        json={
            "enterprise_id": str(a.enterprise1),
            "title": "废气偷排",
            "category": "unsafe_act",
            "severity": "general",
        },
    )
    assert r.status_code == 422 and "description" in r.json["errors"]  # written by the regulator
    r = client.post(
        f"/api/v1/tip-offs/{tip['id']}/convert",
        headers=regulator.headers,
        json={
            "enterprise_id": str(a.enterprise1),
            "title": "废气偷排",
            "description": "核查发现夜间废气处理设施停运",
            "category": "unsafe_act",
            "severity": "general",
        },
    )
    assert r.status_code == 201, r.json
    danger = r.json["hidden_danger"]
    assert danger["source"] == "tip_off" and danger["source_ref"] == tip["id"]
    assert (
        r.json["tip_off"]["danger_id"] == danger["id"]
        and r.json["tip_off"]["status"] == "converted"
    )
    status = client.get(_url(a.authority_id, code)).json
    assert (status["status"], status["rectification_state"]) == ("converted", "reported")
    # On the enterprise's ledger, without the reporter's identity.
    admin = Api(app, client, a.usernames["enterprise_admin"])
    entry = admin.get(danger["id"]).json
    assert entry["source"] == "tip_off" and "contact" not in entry
    assert "13800000000" not in str(entry) and "夜间偷排" not in entry["description"]
    assert entry["found_at"] == tip["created_at"]  # when it was reported
    r = client.post(
        f"/api/v1/tip-offs/{tip['id']}/dismiss", headers=regulator.headers, json={"reason": "x"}
    )
    assert r.status_code == 409


def test_dismiss_with_a_reason_the_reporter_reads(app, client, world):
    a = world.a
    code = _send(client, a.authority_id, enterprise_name=None, address="开发区纬三路8号").json[
        "follow_up_code"
    ]
    regulator = Api(app, client, a.usernames["regulator"])
    tips = client.get("/api/v1/tip-offs?status=received", headers=regulator.headers).json["items"]
    tip = next(t for t in tips if t["address"] == "开发区纬三路8号")
    inspector = Api(app, client, a.usernames["inspector"])
    assert (
        client.post(
            f"/api/v1/tip-offs/{tip['id']}/dismiss", headers=inspector.headers, json={"reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/tip-offs/{tip['id']}/dismiss", headers=regulator.headers, json={}
        ).status_code
        == 422
    )
    r = client.post(
        f"/api/v1/tip-offs/{tip['id']}/dismiss",
        headers=regulator.headers,
        json={"reason": "经核查不属实"},
    )
    assert r.status_code == 200 and r.json["status"] == "dismissed"
    status = client.get(_url(a.authority_id, code)).json
    assert (status["status"], status["dismissed_reason"]) == ("dismissed", "经核查不属实")


def test_codes_belong_to_their_authority(client, world):
    code = _send(client, world.a.authority_id).json["follow_up_code"]
    assert client.get(_url(world.b.authority_id, code)).status_code == 404
    assert client.get(_url(world.a.authority_id, "X" * 16)).status_code == 404
    assert client.get(_url("00000000-0000-0000-0000-000000000000", code)).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"description": "x"}, "enterprise_name"),
        ({"enterprise_name": "x"}, "description"),
        ({"enterprise_name": "x", "description": "x", "status": "converted"}, "status"),
        ({"enterprise_name": "x", "description": "x\u0000"}, "description"),
    ],
)
def test_bad_tip_offs_are_422(client, world, body, field):
    r = client.post(_url(world.a.authority_id), json=body, environ_base=_client_address())
    assert r.status_code == 422 and field in r.json["errors"]


def test_bad_photo_is_refused(client, world):
    code = _send(client, world.a.authority_id).json["follow_up_code"]
    r = client.post(
        _url(world.a.authority_id, code, "photo"),
        data={"file": (io.BytesIO(b"%PDF-1.4 not a photo\n%%EOF"), "p.jpg", "image/jpeg")},
        content_type="multipart/form-data",
        environ_base=_client_address(),
    )
    assert r.status_code == 422


def test_tip_offs_are_rate_limited_per_client(app, client, world, monkeypatch):
    from app.config import defaults

    limit = defaults()["TIP_OFF_RATE_LIMIT"]  # the production value, "5 per hour"
    monkeypatch.setitem(app.config, "TIP_OFF_RATE_LIMIT", limit)
    n = int(limit.split()[0])
    address = {"REMOTE_ADDR": "10.9.8.7"}
    statuses = [
        client.post(
            _url(world.a.authority_id),
            json={"enterprise_name": "x", "description": f"tip {i}"},
            environ_base=address,
        ).status_code
        for i in range(n + 3)
    ]
    assert statuses[:n] == [201] * n and statuses[n:] == [429] * 3
    r = client.post(
        _url(world.a.authority_id),
        json={"enterprise_name": "x", "description": "y"},
        environ_base=address,
    )
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert r.headers["Content-Type"].startswith("application/problem+json")
    # Another client is not affected.
    other = client.post(
        _url(world.a.authority_id),
        json={"enterprise_name": "x", "description": "z"},
        environ_base={"REMOTE_ADDR": "10.9.8.8"},
    )
    assert other.status_code == 201


def test_tip_off_photos_lose_their_metadata(app, client, world):
    """EXIF (here a GPS position and a camera serial) could identify an anonymous reporter."""
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x8825] = {2: (34.0, 36.0, 0.0), 4: (119.0, 17.0, 0.0)}  # GPSInfo
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    raw = io.BytesIO()
    image.save(raw, "JPEG", exif=exif)
    assert b"SERIAL-123456" in raw.getvalue()
    code = _send(client, world.a.authority_id).json["follow_up_code"]
    r = client.post(
        _url(world.a.authority_id, code, "photo"),
        data={"file": (io.BytesIO(raw.getvalue()), "p.jpg", "image/jpeg")},
        content_type="multipart/form-data",
        environ_base=_client_address(),
    )
    assert r.status_code == 200
    regulator = Api(app, client, world.a.usernames["regulator"])
    tips = client.get("/api/v1/tip-offs?limit=200", headers=regulator.headers).json["items"]
    tip = next(
        t
        for t in tips
        if t["has_photo"]
        and t["created_at"] == max(x["created_at"] for x in tips if x["has_photo"])
    )
    with app.app_context():
        from app.dangers.models import TipOff
        from app.extensions import db
        from app.storage import get_storage
        from app.tenancy import Scope, using

        with using(Scope(authority_id=world.a.authority_id, system=True)):
            key = db.session.get(TipOff, uuid.UUID(tip["id"])).photo_key
            stored = get_storage().read(key)
    assert b"SERIAL-123456" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as kept:
        assert kept.size == (40, 30) and not kept.getexif()
