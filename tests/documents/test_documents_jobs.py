"""Documents through the real machinery: the render as an rq job run by a real worker process
after the issuing commit (S3 on moto), and the bulk export's zip with its progress."""

from __future__ import annotations

import io
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from redis import Redis

from app import create_app
from tests import inspection_worlds as iw
from tests import services
from tests.conftest import BACKEND
from tests.inspections import helpers
from tests.jobs.test_worker import run_worker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queued_s3_app(database, s3_endpoint):
    """Production's shape: jobs to Redis (this test's own queue), files on S3."""
    name = f"anjian-test-{uuid.uuid4().hex[:8]}"
    app = create_app(
        services.app_config(
            database,
            REDIS_URL=BACKEND.redis_url,
            RQ_QUEUE=name,
            S3_BUCKET=services.BUCKET,
            S3_ENDPOINT_URL=s3_endpoint,
            STORAGE_DIR=None,
        )
    )
    yield app
    connection = Redis.from_url(BACKEND.redis_url)
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)


def _worker(app, database) -> None:
    run_worker(
        app,
        database,
        S3_BUCKET=app.config["S3_BUCKET"],
        S3_ENDPOINT_URL=app.config["S3_ENDPOINT_URL"],
    )


@pytest.mark.redis
@pytest.mark.postgres
def test_a_real_worker_renders_after_the_commit(queued_s3_app, database, world):
    app, a = queued_s3_app, world.a
    client = app.test_client()
    with app.app_context():
        team = [a.users["inspector"], iw.second_inspector(a.authority_id)]
        made = iw.make_inspection(
            a.authority_id, a.enterprise1, team, closed=True, finding=True, signed=True
        )
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    issued = regulator.post(f"/inspections/{made['id']}/documents", {"kind": "rectification_order"})
    assert issued.status_code == 201 and issued.json["status"] == "rendering"
    assert regulator.get(f"/documents/{issued.json['id']}/download").status_code == 409
    _worker(app, database)
    ready = regulator.get(f"/documents/{issued.json['id']}").json
    assert ready["status"] == "ready" and len(ready["sha256"]) == 64
    page = client.get(f"/api/v1/public/documents/verify/{ready['verification_code']}").json
    assert page["sha256"] == ready["sha256"]


def test_bulk_export_zips_the_filter_with_progress(app, client, world):
    a = world.a
    with app.app_context():
        team = [a.users["inspector"], iw.second_inspector(a.authority_id)]
        ids = [
            iw.make_inspection(a.authority_id, enterprise, team, closed=True, signed=True)["id"]
            for enterprise in (a.enterprise1, a.enterprise1, a.enterprise2)
        ]
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    numbers = []
    for inspection_id in ids:
        r = regulator.post(f"/inspections/{inspection_id}/documents", {"kind": "inspection_record"})
        assert r.status_code == 201, r.json
        numbers.append(r.json["number"])
    asked = regulator.post("/document-exports", {"kind": "inspection_record"})
    assert asked.status_code == 202, asked.json
    export = regulator.get(f"/document-exports/{asked.json['id']}").json
    assert export["status"] == "ready" and export["total"] == export["done"] == 3
    link = regulator.get(f"/document-exports/{asked.json['id']}/download").json
    archive = zipfile.ZipFile(io.BytesIO(_get(client, regulator, link["url"])))
    assert sorted(archive.namelist()) == sorted(f"{n}.pdf" for n in numbers)
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
    # A street regulator's export holds its street's documents only (enterprise 1's).
    street = helpers.Api(app, client, a.usernames["street_regulator"])
    mine = street.post("/document-exports", {"kind": "inspection_record"}).json
    assert street.get(f"/document-exports/{mine['id']}").json["total"] == 2
    # Someone else's export is not yours to read.
    assert street.get(f"/document-exports/{asked.json['id']}").status_code == 404


def test_markup_in_a_finding_prints_as_text(app, client, world):
    a = world.a
    hostile = '<img src="http://127.0.0.1:9/x"><style>@import url(file:///etc/passwd);</style>'
    api = helpers.Api(app, client, a.usernames["inspector"])
    with app.app_context():
        team = [a.users["inspector"], iw.second_inspector(a.authority_id)]
        made = iw.make_inspection(a.authority_id, a.enterprise1, team, finding=True, signed=True)
    etag = api.get(f"/inspections/{made['id']}/findings").json["items"][0]["version"]
    finding_path = f"/inspections/{made['id']}/findings/{made['finding_id']}"
    patched = api.patch(finding_path, {"title": hostile}, etag=f'"{made["finding_id"]}.{etag}"')
    assert patched.status_code == 200, patched.json
    assert api.post(f"/inspections/{made['id']}/close", {}).status_code == 200
    issued = api.post(f"/inspections/{made['id']}/documents", {"kind": "rectification_order"})
    assert issued.status_code == 201, issued.json
    doc = api.get(f"/documents/{issued.json['id']}").json
    assert doc["status"] == "ready", doc
    link = api.get(f"/documents/{doc['id']}/download").json
    pdf = _get(client, api, link["url"])
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    assert "<img" in text and "@import" in text and "root:" not in text


def _get(client, api, url: str) -> bytes:
    if url.startswith("/"):
        return client.get(url, headers=api.headers).data
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - moto on loopback
        return response.read()
