"""Photos and signature images captured on the tablet: checked by content (app.files, images
only), stored under the enterprise's prefix, downloaded through short-lived URLs. A retried
upload with the same id and the same bytes answers with the stored row; other bytes are a 409."""

from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import tenancy
from app.dangers.service.evidence import checked_upload
from app.db import new_id
from app.errors import Conflict, NotFound, Unprocessable
from app.inspections.models import Finding, Inspection, InspectionFile
from app.inspections.rules.enums import FileKind, Signer
from app.inspections.service import findings, records
from app.messages import Msg
from app.storage import get_storage, new_key

IMAGES = frozenset({"image/jpeg", "image/png"})


def _signer_errors(session: Session, inspection: Inspection, data: dict) -> dict:
    kind, signer = data["kind"], data.get("signer")
    if kind == FileKind.PHOTO:
        if signer is not None or data.get("signer_id") is not None:
            return {"signer": [Msg("only a signature has a signer")]}
        return {}
    if signer is None:
        return {"signer": [Msg("a signature names its signer")]}
    if signer == Signer.INSPECTOR:
        if data.get("signer_id") not in records.members(session, inspection):
            return {"signer_id": [Msg("an inspector of this inspection's team")]}
    elif data.get("signer_id") is not None:
        return {"signer_id": [Msg("only an inspector's signature names a user")]}
    return {}


def upload(session: Session, inspection: Inspection, data: dict, upload) -> tuple:
    checked = checked_upload(upload.stream, upload.mimetype, IMAGES)
    data = {**data, "id": data.get("id") or new_id()}
    existing = session.get(InspectionFile, data["id"])
    if existing is not None:
        if existing.inspection_id != inspection.id or existing.sha256 != checked.sha256:
            raise Conflict(
                "this id was already used for another file", errors={"id": ["already used"]}
            )
        return existing, False
    records.require_open(inspection)
    if errors := _signer_errors(session, inspection, data):
        raise Unprocessable(errors=errors)
    if data.get("finding_id") is not None:
        finding = session.get(Finding, data["finding_id"])
        if finding is None or finding.inspection_id != inspection.id:
            raise Unprocessable(errors={"finding_id": ["not a finding of this inspection"]})
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        raise Unprocessable(errors={"latitude": ["give both latitude and longitude, or neither"]})
    key = new_key(
        inspection.authority_id,
        "enterprises",
        inspection.enterprise_id,
        "inspections",
        inspection.id,
        suffix=checked.extension,
    )
    row = InspectionFile(
        id=data["id"],
        authority_id=inspection.authority_id,
        enterprise_id=inspection.enterprise_id,
        inspection_id=inspection.id,
        finding_id=data.get("finding_id"),
        kind=str(data["kind"]),
        signer=str(data["signer"]) if data.get("signer") else None,
        signer_id=data.get("signer_id"),
        key=key,
        filename=(upload.filename or "photo")[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        taken_at=data.get("taken_at"),
        uploaded_by=tenancy.current().user_id,
    )
    upload.stream.seek(0)
    # Bytes first, row second: a failed commit leaves an orphan object, never a row without
    # its file.
    get_storage().save(key, upload.stream, checked.content_type)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        existing = session.get(InspectionFile, data["id"])
        if existing is None or existing.sha256 != checked.sha256:
            raise Conflict("this id is already used", errors={"id": ["already used"]}) from None
        return existing, False
    return row, True


def list_stmt(inspection: Inspection):
    return select(InspectionFile).where(InspectionFile.inspection_id == inspection.id)


def get(session: Session, inspection: Inspection, file_id) -> InspectionFile:
    row = session.scalar(list_stmt(inspection).where(InspectionFile.id == file_id))
    if row is None:
        raise NotFound("no such file")
    return row


def download(row: InspectionFile) -> dict:
    storage = get_storage()
    url = storage.presigned_get_url(row.key, row.filename, content_type=row.content_type)
    if url is None:  # embedded mode: the API streams the file itself
        url = url_for(
            "inspection_records.file_content",
            inspection_id=row.inspection_id,
            file_id=row.id,
            _external=False,
        )
    current_app.logger.info("inspection file %s issued to %s", row.id, tenancy.current().user_id)
    return {"url": url, "expires_in": storage.ttl, "filename": row.filename}


def open_content(row: InspectionFile):
    return get_storage().open(row.key)


def sync_status(session: Session, inspection: Inspection) -> dict:
    """What the server holds for this inspection, so a tablet knows what still to send."""
    return {
        "id": inspection.id,
        "version": inspection.version,
        "status": inspection.status,
        "items": [
            {"item_id": r.item_id, "result": r.result, "version": r.version}
            for r in session.scalars(records.item_results(inspection))
        ],
        "findings": [
            {"id": f.id, "number": f.number, "version": f.version, "danger_id": f.danger_id}
            for f in session.scalars(findings.findings(inspection.id).order_by(Finding.number))
        ],
        "files": [
            {"id": f.id, "kind": f.kind, "sha256": f.sha256}
            for f in session.scalars(list_stmt(inspection).order_by(InspectionFile.id))
        ],
        "reviews": [
            {"finding_id": r.finding_id, "verdict": r.verdict, "version": r.version}
            for r in session.scalars(findings.reviews(inspection))
        ],
    }
