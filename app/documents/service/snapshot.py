"""The data a document freezes: everything printed on it, read once at issue time from the
closed inspection, its enterprise and team, the authority's settings and the tablet's signature
images. The renderer never reads the database, so a document renders the same way forever."""

from __future__ import annotations

import base64
import datetime as dt

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dangers import rules as danger_rules
from app.documents.rules import VERIFY_PATH, Kind
from app.enterprises.models import Enterprise
from app.inspections.models import (
    ChecklistItem,
    Finding,
    Inspection,
    InspectionFile,
    ItemResultRow,
    Review,
)
from app.inspections.service import records
from app.storage import get_storage
from app.tenants.models import Authority

SHANGHAI_FORMAT = "%Y-%m-%d %H:%M"


def _local(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(danger_rules.SHANGHAI).strftime(SHANGHAI_FORMAT)


def _data_uri(key: str, content_type: str) -> str:
    with get_storage().open(key) as stream:
        data = stream.read()
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _signatures(session: Session, inspection: Inspection, team) -> dict:
    files = list(
        session.scalars(
            select(InspectionFile)
            .where(
                InspectionFile.inspection_id == inspection.id,
                InspectionFile.kind == "signature",
            )
            .order_by(InspectionFile.created_at, InspectionFile.id)
        )
    )
    by_signer = {f.signer_id: f for f in files if f.signer == "inspector"}
    responsible = [f for f in files if f.signer == "responsible_person"]
    return {
        "inspectors": [
            {
                "name": u.display_name,
                "image": _data_uri(by_signer[u.id].key, by_signer[u.id].content_type)
                if u.id in by_signer
                else None,
            }
            for u in team
        ],
        # The last one captured, if the tablet re-took it.
        "responsible_person": _data_uri(responsible[-1].key, responsible[-1].content_type)
        if responsible
        else None,
        "refused_note": inspection.signature_refused_note,
    }


def _findings(session: Session, inspection_id) -> list[dict]:
    stmt = (
        select(Finding, ChecklistItem.legal_basis)
        .outerjoin(ChecklistItem, ChecklistItem.id == Finding.item_id)
        .where(Finding.inspection_id == inspection_id)
        .order_by(Finding.number)
    )
    return [
        {
            "number": f.number,
            "title": f.title,
            "description": f.description,
            # The finding's own basis, else that of the checklist item it was found under.
            "legal_basis": f.legal_basis or item_basis,
            "deadline": f.deadline.isoformat(),
            "location": f.location,
        }
        for f, item_basis in session.execute(stmt)
    ]


def _items(session: Session, inspection: Inspection) -> list[dict]:
    stmt = (
        select(ChecklistItem, ItemResultRow)
        .join(ItemResultRow, ItemResultRow.item_id == ChecklistItem.id)
        .where(ItemResultRow.inspection_id == inspection.id)
        .order_by(ChecklistItem.position)
    )
    return [
        {
            "position": item.position,
            "text": item.text,
            "legal_basis": item.legal_basis,
            "result": row.result,
        }
        for item, row in session.execute(stmt)
    ]


def _reviews(session: Session, inspection: Inspection) -> list[dict]:
    stmt = (
        select(Review, Finding)
        .join(Finding, Finding.id == Review.finding_id)
        .where(Review.inspection_id == inspection.id)
        .order_by(Finding.number)
    )
    return [
        {"number": f.number, "title": f.title, "verdict": r.verdict, "note": r.note}
        for r, f in session.execute(stmt)
    ]


def authority_short_name(session: Session, authority_id) -> str:
    return session.get(Authority, authority_id).short_name


def verification_url(code: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + VERIFY_PATH + code


def build(
    session: Session,
    kind: Kind,
    inspection: Inspection,
    *,
    number: str,
    issued_on: dt.date,
    code: str,
    order: dict | None = None,
) -> dict:
    enterprise = session.get(Enterprise, inspection.enterprise_id)
    authority = session.get(Authority, inspection.authority_id)
    team = records.team(session, inspection)
    context = {
        "number": number,
        "issued_on": issued_on.isoformat(),
        "authority": {
            "name": authority.name,
            "short_name": authority.short_name,
            "reconsideration_body": authority.reconsideration_body,
            "court": authority.court,
        },
        "enterprise": {
            "name": enterprise.name,
            "address": enterprise.address,
            "legal_representative": enterprise.legal_representative,
            "uscc": enterprise.uscc,
        },
        "responsible_person": {
            "name": inspection.responsible_person,
            "title": inspection.responsible_title,
        },
        "inspectors": [{"name": u.display_name, "certificate_no": u.badge_no} for u in team],
        "inspection": {
            "started_at": _local(inspection.started_at),
            "ended_at": _local(inspection.ended_at),
            "place": inspection.place,
            "summary": inspection.summary,
        },
        "items": _items(session, inspection) if kind == Kind.INSPECTION_RECORD else [],
        "findings": _findings(session, inspection.id),
        "signatures": _signatures(session, inspection, team),
        "verification": {"code": code, "url": verification_url(code)},
    }
    if kind == Kind.REINSPECTION_OPINION:
        context["order"] = order
        context["reviews"] = _reviews(session, inspection)
        # The findings checked are the earlier inspection's.
        context["findings"] = _findings(session, inspection.reinspection_of)
    return context
