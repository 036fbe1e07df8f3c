"""Factories for enforcement documents: a ready document (a small stored PDF, issued by a given
user), a finished export, a verification registry row."""

from __future__ import annotations

import datetime as dt
import hashlib

from app import tenancy
from app.db import commit, new_id
from app.documents.models import Document, DocumentExport, Verification
from app.documents.rules import verification_code
from app.extensions import db
from app.storage import get_storage, new_key
from app.tenancy import Scope
from tests import inspection_worlds as iw

PDF = b"%PDF-1.4\n% test document\n%%EOF\n"


def make_document(authority_id, enterprise_id, issuer, team) -> object:
    """A ready order of a closed, signed inspection with a finding, issued by `issuer`."""
    inspection = iw.make_inspection(
        authority_id, enterprise_id, team, closed=True, finding=True, signed=True
    )
    with tenancy.using(Scope(authority_id=authority_id, system=True)):
        doc_id = new_id()
        key = new_key(
            authority_id, "enterprises", enterprise_id, "documents", doc_id, suffix=".pdf"
        )
        get_storage().save(key, PDF, "application/pdf")
        serial = int(doc_id.int % 1_000_000_000)
        document = Document(
            id=doc_id,
            enterprise_id=enterprise_id,
            kind="rectification_order",
            year=dt.date.today().year,
            serial=serial,
            number=f"（测）应急责改〔{dt.date.today().year}〕{serial}号",
            inspection_id=inspection["id"],
            issued_by=issuer,
            issued_on=dt.date.today(),
            snapshot={},
            status="ready",
            verification_code=verification_code(),
            key=key,
            sha256=hashlib.sha256(PDF).hexdigest(),
            size=len(PDF),
        )
        db.session.add(document)
        commit(db.session)
        return document.id


def make_export(authority_id, requested_by) -> object:
    with tenancy.using(Scope(authority_id=authority_id, system=True)):
        export = DocumentExport(requested_by=requested_by, filters={}, status="ready")
        db.session.add(export)
        db.session.flush()
        export.key = new_key(authority_id, "exports", export.id, suffix=".zip")
        get_storage().save(export.key, b"PK\x05\x06" + b"\x00" * 18, "application/zip")
        export.size, export.finished_at = 22, dt.datetime.now(dt.UTC)
        commit(db.session)
        return export.id


def make_verification() -> str:
    code = verification_code()
    with tenancy.using(Scope(system=True)):
        db.session.add(
            Verification(
                code=code,
                number="（测）应急检记〔2026〕1号",
                kind="inspection_record",
                title="现场检查记录",
                authority_name="测试应急管理局",
                enterprise_name="测试企业",
                issued_on=dt.date.today(),
                sha256="0" * 64,
            )
        )
        commit(db.session)
    return code
