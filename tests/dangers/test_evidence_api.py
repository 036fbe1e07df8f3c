"""Evidence through the API and through presigned S3 uploads (moto on 127.0.0.1), checked by
content either way; downloads only as short-lived URLs after a scope check."""

from __future__ import annotations

import contextlib
import hashlib
import io
import struct
import urllib.request
import zipfile
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.dangers.helpers import Api, jpeg, png


def pixel_flood_png(width=30_000, height=30_000) -> bytes:
    """A PNG header declaring 900 Mpx with a tiny IDAT: small on disk, huge if decoded."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


@pytest.fixture
def entry(app, client, world):
    staff = Api(app, client, world.a.usernames["enterprise_staff"])
    d = staff.create().json
    staff.step(d["id"], "start_rectification")
    return staff, d


def test_valid_jpeg_and_png_pass_and_are_hashed(entry, app):
    staff, d = entry
    data = jpeg()
    r = staff.upload(d["id"], data=data)
    assert r.status_code == 201, r.json
    assert r.json["sha256"] == hashlib.sha256(data).hexdigest()
    assert (r.json["content_type"], r.json["status"], r.json["stage"]) == (
        "image/jpeg",
        "stored",
        "rectified",
    )
    assert (r.json["width"], r.json["height"]) == (64, 48)
    r = staff.upload(d["id"], data=png(), name="现场.png", mimetype="image/png")
    assert r.status_code == 201 and r.json["content_type"] == "image/png"


@pytest.mark.parametrize(
    "data, name, mimetype, reason",
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg", "image/jpeg", "unsupported_type"),
        (b"", "empty.jpg", "image/jpeg", "empty"),
        (pixel_flood_png(), "flood.png", "image/png", "too_many_pixels"),
        (jpeg(), "photo.png", "image/png", "type_mismatch"),
        (jpeg() + zip_bytes(), "photo.jpg", "image/jpeg", "polyglot"),
        (jpeg()[:-200], "cut.jpg", "image/jpeg", "corrupt"),
    ],
    ids=["renamed-html", "empty", "pixel-flood", "wrong-type", "jpeg-zip-polyglot", "truncated"],
)
def test_bad_files_are_refused_with_a_clear_error(entry, client, data, name, mimetype, reason):
    staff, d = entry
    r = staff.upload(d["id"], data=data, name=name, mimetype=mimetype)
    assert r.status_code == 422, r.json
    assert r.json["errors"]["reason"] == [reason] and r.json["errors"]["file"]
    listed = client.get(f"/api/v1/hidden-dangers/{d['id']}/evidence", headers=staff.headers)
    assert listed.json["items"] == []  # nothing half-written


def test_oversized_file_is_refused(entry, app):
    staff, d = entry
    limit = app.config["EVIDENCE_MAX_BYTES"]
    app.config["EVIDENCE_MAX_BYTES"] = 2000
    try:
        big = jpeg(size=(400, 400), color=(1, 2, 3)) + b"\0" * 3000
        r = staff.upload(d["id"], data=big)
        assert r.status_code in (413, 422)
        if r.status_code == 422:
            assert r.json["errors"]["reason"] == ["too_large"]
        # Beyond the request limit itself: 413 before anything is read into memory.
        r = staff.upload(d["id"], data=b"\xff\xd8\xff" + b"\0" * 200_000)
        assert r.status_code == 413
    finally:
        app.config["EVIDENCE_MAX_BYTES"] = limit


def test_stage_rules(entry, app, client, world):
    staff, d = entry
    r = staff.upload(d["id"], stage="accepted")
    assert r.status_code == 422 and "stage" in r.json["errors"]
    inspector = Api(app, client, world.a.usernames["inspector"])
    r = inspector.upload(d["id"], stage="accepted")
    assert r.status_code == 409  # acceptance evidence once it awaits acceptance


def test_download_is_a_short_lived_presigned_url_after_a_scope_check(entry, app, client, world):
    staff, d = entry
    data = jpeg()
    ev = staff.upload(d["id"], data=data, name='现场 "照片"\r\n.jpg').json
    r = client.get(f"/api/v1/evidence/{ev['id']}/download", headers=staff.headers)
    assert r.status_code == 200
    url = r.json["url"]
    query = parse_qs(urlsplit(url).query)
    assert int(query["X-Amz-Expires"][0]) <= app.config["PRESIGNED_URL_TTL_SECONDS"]
    disposition = query["response-content-disposition"][0]
    assert (
        disposition.startswith("attachment;")
        and "\r" not in disposition
        and "\n" not in disposition
    )
    with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - moto on 127.0.0.1
        assert resp.read() == data
    # Another authority, another enterprise: 404, no URL.
    for who in (world.b.usernames["regulator"], world.a.usernames["other_staff"]):
        other = Api(app, client, who)
        assert (
            client.get(f"/api/v1/evidence/{ev['id']}/download", headers=other.headers).status_code
            == 404
        )


def _post_to_s3(presigned: dict, data: bytes, content_type: str) -> int:
    files = {"file": ("upload", data, content_type)}
    return requests.post(
        presigned["url"], data=presigned["fields"], files=files, timeout=10
    ).status_code


def test_presigned_upload_then_confirm(entry, client):
    staff, d = entry
    url = f"/api/v1/hidden-dangers/{d['id']}/evidence/uploads"
    r = client.post(
        url,
        headers=staff.headers,
        json={"stage": "rectified", "filename": "a.jpg", "content_type": "image/jpeg"},
    )
    assert r.status_code == 201, r.json
    presigned = r.json
    key = presigned["fields"]["key"]
    assert key.startswith("tenants/") and f"/dangers/{d['id']}/" in key and key.endswith(".jpg")
    ev = presigned["evidence"]
    assert ev["status"] == "pending"
    confirm = f"/api/v1/evidence/{ev['id']}/confirm"
    r = client.post(confirm, headers=staff.headers)
    assert r.status_code == 422 and "nothing has been uploaded" in r.json["errors"]["file"][0]
    photo = jpeg()
    assert _post_to_s3(presigned, photo, "image/jpeg") in (200, 201, 204)
    r = client.post(confirm, headers=staff.headers)
    assert r.status_code == 200 and r.json["status"] == "stored" and r.json["sha256"]
    assert client.post(confirm, headers=staff.headers).json["status"] == "stored"  # a retry
    # The upload policy is still valid for a few minutes: a second POST to it must not change
    # the evidence that was checked (it was copied to a key no policy can write to).
    _post_to_s3(presigned, b"<html><script>alert(1)</script></html>", "image/jpeg")
    url = client.get(f"/api/v1/evidence/{ev['id']}/download", headers=staff.headers).json["url"]
    with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - moto on 127.0.0.1
        assert resp.read() == photo and resp.headers["Content-Type"] == "image/jpeg"


def test_presigned_upload_of_a_renamed_html_file_is_rejected_and_deleted(entry, client, app):
    staff, d = entry
    url = f"/api/v1/hidden-dangers/{d['id']}/evidence/uploads"
    r = client.post(
        url,
        headers=staff.headers,
        json={"stage": "found", "filename": "x.jpg", "content_type": "image/jpeg"},
    )
    presigned, ev = r.json, r.json["evidence"]
    # moto does not enforce the policy, so the server's own check is what holds.
    _post_to_s3(presigned, b"<html>not a photo</html>", "image/jpeg")
    r = client.post(f"/api/v1/evidence/{ev['id']}/confirm", headers=staff.headers)
    assert r.status_code == 422
    with app.app_context():
        from app.storage import get_storage

        assert not get_storage().exists(presigned["fields"]["key"])
    listed = client.get(f"/api/v1/hidden-dangers/{d['id']}/evidence", headers=staff.headers).json[
        "items"
    ]
    assert [(e["id"], e["status"]) for e in listed] == [(ev["id"], "rejected")]
    r = client.get(f"/api/v1/evidence/{ev['id']}/download", headers=staff.headers)
    assert r.status_code == 409


def test_presign_refuses_types_outside_the_allowlist(entry, client):
    staff, d = entry
    url = f"/api/v1/hidden-dangers/{d['id']}/evidence/uploads"
    r = client.post(
        url,
        headers=staff.headers,
        json={"stage": "found", "filename": "x.html", "content_type": "text/html"},
    )
    assert r.status_code == 422 and "content_type" in r.json["errors"]


def test_embedded_mode_streams_the_file_itself(database, tmp_path):
    """Local folder behind the same interface: the download URL is the API's own."""
    from app import create_app
    from tests import services, worlds

    local = create_app(services.app_config(database, STORAGE_DIR=str(tmp_path)))
    with local.app_context():
        world = worlds.build_world()
    client = local.test_client()
    staff = Api(local, client, world.a.usernames["enterprise_staff"])
    d = staff.create().json
    staff.step(d["id"], "start_rectification")
    data = jpeg()
    ev = staff.upload(d["id"], data=data).json
    r = client.get(f"/api/v1/evidence/{ev['id']}/download", headers=staff.headers)
    assert r.json["url"] == f"/api/v1/evidence/{ev['id']}/content"
    r = client.get(r.json["url"], headers=staff.headers)
    assert r.status_code == 200 and r.data == data
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    r = client.post(
        f"/api/v1/hidden-dangers/{d['id']}/evidence/uploads",
        headers=staff.headers,
        json={"stage": "found", "filename": "a.jpg", "content_type": "image/jpeg"},
    )
    assert r.status_code == 409  # no presigned uploads without S3
    with local.app_context():
        from app.extensions import db

        db.engine.dispose()


def test_presigned_upload_over_the_limit_is_rejected_after_upload(entry, client, app, monkeypatch):
    """moto does not enforce the policy's content-length-range: the confirm's own check does."""
    staff, d = entry
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 4000)
    url = f"/api/v1/hidden-dangers/{d['id']}/evidence/uploads"
    body = {"stage": "rectified", "filename": "big.png", "content_type": "image/png"}
    presigned = client.post(url, headers=staff.headers, json=body).json
    _post_to_s3(presigned, png(size=(64, 64)) + b"\0" * 5000, "image/png")
    r = client.post(
        f"/api/v1/evidence/{presigned['evidence']['id']}/confirm", headers=staff.headers
    )
    assert r.status_code == 422 and "larger than 4000 bytes" in r.json["detail"]


def test_stored_evidence_is_immutable_under_object_lock(database, s3_endpoint, world):
    """RELIABILITY F33: a bucket with versioning and Object Lock; evidence is locked (compliance
    mode) once it passes its checks. Deleting the version is refused; deleting the key or writing
    over it only adds versions, and the evidence version stays byte for byte. (moto does not
    refuse shortening a compliance retention, which real S3 does; that is not tested here.)"""
    import boto3
    from botocore.exceptions import ClientError

    from app import create_app
    from tests import services

    bucket = "anjian-evidence-locked"
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    locked = create_app(
        services.app_config(
            database,
            S3_BUCKET=bucket,
            S3_ENDPOINT_URL=s3_endpoint,
            STORAGE_DIR=None,
            EVIDENCE_RETENTION_DAYS=1,
        )
    )
    client = locked.test_client()
    staff = Api(locked, client, world.a.usernames["enterprise_staff"])
    d = staff.create().json
    data = jpeg()
    ev = staff.upload(d["id"], stage="found", data=data).json
    key = next(
        v["Key"] for v in s3.list_object_versions(Bucket=bucket)["Versions"] if d["id"] in v["Key"]
    )
    head = s3.head_object(Bucket=bucket, Key=key)
    version = head["VersionId"]
    assert head["ObjectLockMode"] == "COMPLIANCE" and head["ObjectLockRetainUntilDate"]
    attempts, succeeded = 0, 0
    try:
        attempts += 1
        s3.delete_object(Bucket=bucket, Key=key, VersionId=version)
        succeeded += 1
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "AccessDenied"
    s3.delete_object(Bucket=bucket, Key=key)  # a delete marker, not a deletion
    s3.put_object(Bucket=bucket, Key=key, Body=b"<html>forged</html>")  # a new version
    kept = s3.get_object(Bucket=bucket, Key=key, VersionId=version)["Body"].read()
    assert (attempts, succeeded) == (1, 0)
    assert hashlib.sha256(kept).hexdigest() == ev["sha256"] == hashlib.sha256(data).hexdigest()
    with locked.app_context():
        from app.extensions import db

        db.engine.dispose()
