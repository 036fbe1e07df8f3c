"""Issuing: number without gaps, freeze the snapshot, render after the commit. Corrections are
new documents that supersede the old one; both stay."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import jobs, tenancy
from app.db import upsertable_insert
from app.documents import rules
from app.documents.models import Document, DocumentCounter, Verification
from app.documents.rules import Kind
from app.documents.service import snapshot
from app.errors import Conflict, NotFound, Unprocessable
from app.inspections.models import Finding, Inspection
from app.inspections.rules.enums import InspectionStatus
from app.inspections.service import common as inspection_common


def next_serial(session: Session, authority_id, kind: Kind, year: int) -> int:
    """Take the next serial: an upsert that increments the counter row and locks it until this
    transaction ends. A concurrent issue waits here; a rollback returns the number."""
    table = DocumentCounter.__table__
    # The id comes from the column's Python default (a UUIDv7), which Core inserts apply too.
    insert = upsertable_insert(session, table).values(
        authority_id=authority_id,
        kind=str(kind),
        year=year,
        last_serial=1,
    )
    stmt = insert.on_conflict_do_update(
        index_elements=["authority_id", "kind", "year"],
        set_={"last_serial": table.c.last_serial + 1},
    ).returning(table.c.last_serial)
    return session.execute(stmt).scalar_one()


def _current(session: Session, inspection: Inspection, kind: Kind) -> Document | None:
    return session.scalar(
        select(Document).where(
            Document.inspection_id == inspection.id,
            Document.kind == str(kind),
            Document.superseded_at.is_(None),
        )
    )


def _preconditions(session: Session, inspection: Inspection, kind: Kind) -> dict | None:
    """What each kind needs first; for an opinion, the order it cites."""
    if inspection.status != InspectionStatus.CLOSED:
        raise Conflict("documents are issued from a closed inspection record")
    if kind == Kind.RECTIFICATION_ORDER:
        if not session.scalar(select(Finding.id).where(Finding.inspection_id == inspection.id)):
            raise Conflict("the inspection found nothing to rectify")
        return None
    if kind == Kind.REINSPECTION_OPINION:
        if inspection.reinspection_of is None:
            raise Conflict("an opinion follows a re-inspection")
        parent = session.get(Inspection, inspection.reinspection_of)
        order = _current(session, parent, Kind.RECTIFICATION_ORDER) if parent else None
        if order is None:
            raise Conflict("issue the rectification order of the earlier inspection first")
        return {"number": order.number, "issued_on": order.issued_on.isoformat()}
    return None


def issue(
    session: Session,
    inspection: Inspection,
    kind: Kind,
    *,
    supersedes: Document | None = None,
    reason: str | None = None,
) -> tuple[Document, bool]:
    kind = Kind(kind)
    if supersedes is None:
        existing = _current(session, inspection, kind)
        if existing is not None:
            if session.scalar(visible(select(Document.id).where(Document.id == existing.id))):
                return existing, False  # a retried issue: the document made the first time
            raise Conflict("this document was already issued by someone else")
    order = _preconditions(session, inspection, kind)
    today = inspection_common.today()
    authority_id = inspection.authority_id
    if supersedes is not None:
        supersedes.superseded_at = inspection_common.now()
        session.flush()  # the partial unique index frees the slot before the new one takes it
    serial = next_serial(session, authority_id, kind, today.year)
    short_name = snapshot.authority_short_name(session, authority_id)
    number = rules.document_number(short_name, kind, today.year, serial)
    code = rules.verification_code()
    frozen = snapshot.build(
        session, kind, inspection, number=number, issued_on=today, code=code, order=order
    )
    # Refused now, with the reasons, rather than a render job failing after the number is taken.
    if problems := rules.check_context(kind, frozen):
        raise Unprocessable(
            "this inspection cannot make a valid document yet", errors={"document": problems}
        )
    document = Document(
        authority_id=authority_id,
        enterprise_id=inspection.enterprise_id,
        kind=str(kind),
        year=today.year,
        serial=serial,
        number=number,
        inspection_id=inspection.id,
        issued_by=tenancy.current().user_id,
        issued_on=today,
        snapshot=frozen,
        status="rendering",
        verification_code=code,
        supersedes_id=supersedes.id if supersedes else None,
        correction_reason=reason,
    )
    try:
        with session.begin_nested():
            session.add(document)
            session.flush()
    except IntegrityError:
        raise Conflict("the document was issued at the same moment; read it again") from None
    if supersedes is not None:
        registry = session.get(Verification, supersedes.verification_code)
        if registry is not None:
            registry.status = "superseded"
            registry.superseded_by = number
    jobs.enqueue_after_commit(
        session, "documents.render", authority_id=authority_id, document_id=str(document.id)
    )
    return document, True


def visible(stmt):
    """Regulators see the authority's (a street regulator its street's, by the model's scope);
    the enterprise its own; an inspector those he issued."""
    if inspection_common.is_inspector():
        stmt = stmt.where(Document.issued_by == tenancy.current().user_id)
    return stmt


def get(session: Session, document_id) -> Document:
    document = session.scalar(visible(select(Document).where(Document.id == document_id)))
    if document is None:
        raise NotFound("no such document")
    return document


def list_stmt(args: dict):
    stmt = visible(select(Document))
    for key in ("kind", "status"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Document, key) == str(args[key]))
    for key in ("enterprise_id", "inspection_id"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Document, key) == args[key])
    if args.get("year") is not None:
        stmt = stmt.where(Document.year == args["year"])
    if args.get("issued_from") is not None:
        stmt = stmt.where(Document.issued_on >= args["issued_from"])
    if args.get("issued_to") is not None:
        stmt = stmt.where(Document.issued_on <= args["issued_to"])
    if args.get("current") is not None:
        current = Document.superseded_at.is_(None)
        stmt = stmt.where(current if args["current"] else ~current)
    return stmt
