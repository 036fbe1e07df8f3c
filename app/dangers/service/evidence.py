"""Evidence: photos and documents on an entry, checked by content before they count.

Two ways in, one check (app.files): through the API (the server reads the bytes, checks them and
streams them to storage), or a presigned POST straight to S3 followed by a confirm call, which
reads the object back and checks it the same way (S3 providers differ in what they enforce of a
POST policy, and moto enforces none of it). Keys are made here, under the enterprise; downloads
are short-lived presigned URLs issued after the row was found in the caller's scope.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import files, tenancy
from app.accounts.rules import ENTERPRISE_ROLES, REGULATORS, Role
from app.dangers import rules
from app.dangers.models import Evidence, HiddenDanger
from app.dangers.service import common
from app.db import after_commit
from app.errors import Conflict, NotFound, Unprocessable
from app.messages import Msg, Term
from app.storage import NotSupported, ObjectNotFound, get_storage, new_key

# Who may attach at which stage: what was found (anyone on the entry), the fix (the enterprise),
# the acceptance (whoever may accept or close it).
STAGE_ROLES = {
    "found": frozenset({*ENTERPRISE_ROLES, *REGULATORS, Role.INSPECTOR}),
    "rectified": frozenset(ENTERPRISE_ROLES),
    "accepted": frozenset({Role.ENTERPRISE_ADMIN, *REGULATORS, Role.INSPECTOR}),
}
STAGE_STATES = {
    "found": rules.OPEN_STATES,
    "rectified": frozenset({rules.State.RECTIFYING}),
    "accepted": frozenset({rules.State.AWAITING_ACCEPTANCE}),
}


def _check_stage(danger: HiddenDanger, stage: str) -> None:
    if tenancy.current().role not in STAGE_ROLES[stage]:
        raise Unprocessable(
            errors={
                "stage": [
                    Msg(
                        "your role does not attach %(stage)s evidence",
                        stage=Term("evidence_stages", stage),
                    )
                ]
            }
        )
    state = rules.State(danger.state)
    if state not in STAGE_STATES[stage]:
        raise Conflict(
            Msg(
                "%(stage)s evidence is attached while the entry is %(allowed)s, not %(state)s",
                stage=Term("evidence_stages", stage),
                allowed=sorted(STAGE_STATES[stage]),
                state=state,
            ),
            errors={"state": [str(state)]},
        )


def _check(stream, declared_type, allowed=files.ALLOWED_TYPES) -> files.CheckedFile:
    return files.check_file(
        stream,
        declared_type=declared_type,
        max_bytes=int(current_app.config["EVIDENCE_MAX_BYTES"]),
        max_pixels=int(current_app.config["EVIDENCE_MAX_PIXELS"]),
        allowed=allowed,
    )


def checked_upload(
    stream, declared_type: str | None, allowed: frozenset[str] = files.ALLOWED_TYPES
) -> files.CheckedFile:
    """The content checks under the configured limits; a refusal is a 422 naming the reason."""
    try:
        return _check(stream, declared_type, allowed)
    except files.FileRejected as exc:
        raise Unprocessable(
            exc.message, errors={"file": [exc.message], "reason": [exc.reason]}
        ) from None


def _row(danger: HiddenDanger, stage: str, filename: str, declared: str, key: str) -> Evidence:
    return Evidence(
        authority_id=danger.authority_id,
        enterprise_id=danger.enterprise_id,
        danger_id=danger.id,
        stage=stage,
        status="pending",
        key=key,
        filename=(filename or "evidence")[:200],
        declared_type=(declared or "application/octet-stream")[:100],
        uploaded_by=tenancy.current().user_id,
    )


def _key(danger: HiddenDanger, suffix: str = "") -> str:
    return new_key(
        danger.authority_id,
        "enterprises",
        danger.enterprise_id,
        "dangers",
        danger.id,
        suffix=suffix,
    )


def _lock_after_commit(session: Session, key: str) -> None:
    """Compliance-locked only once its row is committed: a lock taken before a commit that
    then fails would leave an object nobody can delete and no row points to."""
    days = int(current_app.config["EVIDENCE_RETENTION_DAYS"])
    if days > 0:
        until = common.now() + dt.timedelta(days=days)
        storage = get_storage()
        after_commit(session, lambda: storage.lock(key, until), key=f"lock:{key}")


def _stored(session: Session, danger: HiddenDanger, evidence: Evidence, checked) -> None:
    _lock_after_commit(session, evidence.key)
    evidence.status = "stored"
    evidence.content_type = checked.content_type
    evidence.size = checked.size
    evidence.sha256 = checked.sha256
    evidence.width, evidence.height = checked.width, checked.height
    common.record(
        session,
        danger,
        "add_evidence",
        details={
            "evidence_id": str(evidence.id),
            "stage": evidence.stage,
            "sha256": checked.sha256,
        },
    )


def upload(session: Session, danger: HiddenDanger, stage: str, upload) -> Evidence:
    """Through the API: check the bytes, then store them, then the row."""
    _check_stage(danger, stage)
    checked = checked_upload(upload.stream, upload.mimetype)
    evidence = _row(
        danger, stage, upload.filename, upload.mimetype, _key(danger, checked.extension)
    )
    upload.stream.seek(0)
    # The object is written before the row commits; if the commit then fails, an orphan object
    # is left under the enterprise's prefix, never a row without its file.
    get_storage().save(evidence.key, upload.stream, checked.content_type)
    session.add(evidence)
    session.flush()
    _stored(session, danger, evidence, checked)
    return evidence


def presign(session: Session, danger: HiddenDanger, data: dict) -> tuple[Evidence, dict]:
    _check_stage(danger, data["stage"])
    content_type = data["content_type"]
    suffix = files.EXTENSIONS[content_type]
    evidence = _row(danger, data["stage"], data["filename"], content_type, _key(danger, suffix))
    try:
        post = get_storage().presigned_post(
            evidence.key, content_type, int(current_app.config["EVIDENCE_MAX_BYTES"])
        )
    except NotSupported as exc:
        raise Conflict(exc.args[0]) from None
    session.add(evidence)
    session.flush()
    return evidence, post


def confirm(session: Session, danger: HiddenDanger, evidence: Evidence) -> Evidence:
    """Check what was uploaded to the presigned key. The object is first copied to a key of
    its own that no policy can write to, and that copy is what is checked and kept: the upload
    policy stays usable for a few minutes, and a second POST to the staging key must not change
    evidence already checked. A stored one answers as it is (a retried confirm); a failing one
    is deleted and kept as a rejected row."""
    if evidence.status != "pending":
        return evidence
    _check_stage(danger, evidence.stage)
    storage = get_storage()
    staging = evidence.key
    final = _key(danger, files.EXTENSIONS.get(evidence.declared_type, ""))
    try:
        storage.copy(staging, final)
    except ObjectNotFound:
        raise Unprocessable(
            errors={"file": ["nothing has been uploaded for this evidence yet"]}
        ) from None
    try:
        with storage.open(final) as stream:
            checked = _check(stream, evidence.declared_type)
    except files.FileRejected as exc:
        storage.delete(final)
        storage.delete(staging)
        evidence.status = "rejected"
        evidence.rejected_reason = exc.message[:300]
        return evidence
    storage.delete(staging)
    evidence.key = final
    _stored(session, danger, evidence, checked)
    return evidence


def get(session: Session, evidence_id) -> Evidence:
    evidence = session.get(Evidence, evidence_id) if evidence_id else None
    if evidence is None:
        raise NotFound("no such evidence")
    return evidence


def list_stmt(danger: HiddenDanger):
    return select(Evidence).where(Evidence.danger_id == danger.id)


def download(evidence: Evidence) -> dict:
    """A short-lived URL, after the caller's scope found the row (404 otherwise)."""
    if evidence.status != "stored":
        raise Conflict(
            Msg(
                "this evidence is %(status)s",
                status=Term("evidence_statuses", evidence.status),
            ),
            errors={"status": [evidence.status]},
        )
    storage = get_storage()
    url = storage.presigned_get_url(
        evidence.key, evidence.filename, content_type=evidence.content_type
    )
    if url is None:  # embedded mode: the API streams the file itself
        url = url_for("dangers_evidence.content", evidence_id=evidence.id, _external=False)
    current_app.logger.info(
        "evidence %s download issued to %s", evidence.id, tenancy.current().user_id
    )
    return {"url": url, "expires_in": storage.ttl, "filename": evidence.filename}


def open_content(evidence: Evidence):
    if evidence.status != "stored":
        raise NotFound("no such evidence")
    return get_storage().open(evidence.key)
