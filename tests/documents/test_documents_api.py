"""Issuing documents from closed inspections: numbers, frozen PDFs on S3 with their hash, the
public verification page, corrections, who may download, and gapless numbers under 50 racing
issues."""

from __future__ import annotations

import hashlib
import subprocess
import threading
import urllib.request

import pytest
import sqlalchemy as sa

from tests import inspection_worlds as iw
from tests import services
from tests.documents.test_render import links_and_attachments
from tests.inspections import helpers


@pytest.fixture
def closed(app, world):
    """A closed, signed inspection of enterprise 1 with one finding, and its team."""
    a = world.a
    with app.app_context():
        team = [a.users["inspector"], iw.second_inspector(a.authority_id)]
        made = iw.make_inspection(
            a.authority_id, a.enterprise1, team, closed=True, finding=True, signed=True
        )
    return made, team


def _text(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    )
    return "".join(out.stdout.decode("utf-8").split())


def _fetch(client, api, document_id) -> bytes:
    link = api.get(f"/documents/{document_id}/download")
    assert link.status_code == 200, link.json
    url = link.json["url"]
    if url.startswith("/"):
        return client.get(url, headers=api.headers).data
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - moto on loopback
        return response.read()


def test_issue_render_verify_and_correct(app, client, world, closed):
    made, _ = closed
    a = world.a
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    order = regulator.post(f"/inspections/{made['id']}/documents", {"kind": "rectification_order"})
    assert order.status_code == 201, order.json
    doc = regulator.get(f"/documents/{order.json['id']}").json
    assert doc["status"] == "ready", doc  # rendered by the job right after the commit
    assert doc["number"].endswith(f"应急责改〔{doc['year']}〕1号")
    again = regulator.post(f"/inspections/{made['id']}/documents", {"kind": "rectification_order"})
    assert again.status_code == 200 and again.json["id"] == doc["id"]  # a retry, not a new number
    pdf = _fetch(client, regulator, doc["id"])
    assert hashlib.sha256(pdf).hexdigest() == doc["sha256"]
    text = _text(pdf)
    assert "责令限期整改指令书" in text and doc["number"] in text and "消防通道堵塞" in text
    assert "六十日内" in text and "六个月内" in text
    # The printed link (and the QR code) lead to the web client's page, not to the JSON.
    printed = f"{app.config['PUBLIC_BASE_URL']}/verify/{doc['verification_code']}"
    assert printed in text and "/api/v1/" not in text
    uris, _ = links_and_attachments(pdf)
    assert uris == [printed]

    public = client.get(f"/api/v1/public/documents/verify/{doc['verification_code']}")
    assert public.status_code == 200
    assert public.json["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert public.json["number"] == doc["number"] and public.json["status"] == "valid"
    lowercase = doc["verification_code"].lower().replace("-", " ")
    assert client.get(f"/api/v1/public/documents/verify/{lowercase}").status_code == 200
    assert client.get("/api/v1/public/documents/verify/AAAA-BBBB-CCCC").status_code == 404

    # The enterprise downloads its own; the other enterprise and tenant B see nothing.
    own = helpers.Api(app, client, a.usernames["enterprise_admin"])
    assert own.get(f"/documents/{doc['id']}/download").status_code == 200
    other = helpers.Api(app, client, world.b.usernames["regulator"])
    assert other.get(f"/documents/{doc['id']}").status_code == 404

    fixed = regulator.post(f"/documents/{doc['id']}/corrections", {"reason": "整改期限有误"})
    assert fixed.status_code == 201, fixed.json
    assert fixed.json["supersedes_id"] == doc["id"] and fixed.json["number"] != doc["number"]
    old = client.get(f"/api/v1/public/documents/verify/{doc['verification_code']}").json
    assert old["status"] == "superseded" and old["superseded_by"] == fixed.json["number"]
    assert regulator.get(f"/documents/{doc['id']}").json["superseded_at"]


def test_each_kind_and_what_each_needs(app, client, world, closed):
    made, team = closed
    a = world.a
    regulator = helpers.Api(app, client, a.usernames["regulator"])
    record = regulator.post(f"/inspections/{made['id']}/documents", {"kind": "inspection_record"})
    assert record.status_code == 201, record.json
    assert "应急检记" in record.json["number"]
    opinion = regulator.post(
        f"/inspections/{made['id']}/documents", {"kind": "reinspection_opinion"}
    )
    assert opinion.status_code == 409  # not a re-inspection
    with app.app_context():
        child = iw.make_inspection(
            a.authority_id,
            a.enterprise1,
            team,
            closed=True,
            signed=True,
            reinspection_of=made["id"],
        )
    early = regulator.post(
        f"/inspections/{child['id']}/documents", {"kind": "reinspection_opinion"}
    )
    assert early.status_code == 409  # the order it cites comes first
    order = regulator.post(f"/inspections/{made['id']}/documents", {"kind": "rectification_order"})
    opinion = regulator.post(
        f"/inspections/{child['id']}/documents", {"kind": "reinspection_opinion"}
    )
    assert opinion.status_code == 201, opinion.json
    text = _text(_fetch(client, regulator, opinion.json["id"]))
    assert "整改复查意见书" in text and order.json["number"] in text
    # An inspector downloads those he issued, not the regulator's.
    inspector = helpers.Api(app, client, a.usernames["inspector"])
    assert inspector.get(f"/documents/{order.json['id']}").status_code == 404
    with app.app_context():
        fresh = iw.make_inspection(
            a.authority_id, a.enterprise1, team, closed=True, finding=True, signed=True
        )
    mine = inspector.post(f"/inspections/{fresh['id']}/documents", {"kind": "inspection_record"})
    assert mine.status_code == 201
    assert inspector.get(f"/documents/{mine.json['id']}/download").status_code == 200
    listed = inspector.get("/documents").json["items"]
    assert [d["id"] for d in listed] == [mine.json["id"]]


@pytest.mark.postgres
def test_fifty_concurrent_issues_number_one_to_fifty(app, world, owner_engine):
    """50 threads issue 50 records of one kind in one (fresh) authority at once."""
    from app import tenancy
    from app.accounts.rules import Role
    from app.documents.rules import Kind
    from app.documents.service import issue
    from app.extensions import db
    from app.inspections.models import Inspection
    from app.tenancy import Scope

    a = world.a
    with app.app_context():
        team = [a.users["inspector"], iw.second_inspector(a.authority_id)]
        ids = [
            iw.make_inspection(a.authority_id, a.enterprise1, team, closed=True, signed=True)["id"]
            for _ in range(50)
        ]
    errors, barrier = [], threading.Barrier(50, timeout=60)
    scope = Scope(user_id=a.users["regulator"], role=Role.REGULATOR, authority_id=a.authority_id)

    def worker(inspection_id):
        try:
            with app.app_context(), tenancy.using(scope):
                barrier.wait()
                inspection = db.session.get(Inspection, inspection_id)
                issue.issue(db.session, inspection, Kind.INSPECTION_RECORD)
                # The session's own commit, without the after-commit render: this test is
                # about numbering (rendering is tested above), and 50 renders would queue.
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not errors, errors[:3]
    with owner_engine.connect() as conn:
        serials = (
            conn.execute(
                sa.text(
                    "SELECT serial FROM documents"
                    " WHERE authority_id = :a AND kind = 'inspection_record'"
                ),
                {"a": services.sql_uuid(owner_engine, a.authority_id)},
            )
            .scalars()
            .all()
        )
    assert sorted(serials) == list(range(1, 51))
