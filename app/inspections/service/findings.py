"""Findings on an open record (numbered in arrival order) and a re-inspection's verdicts on
the findings of the inspection it follows. Creates carry the tablet's id: a retry finds the row
made the first time."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.dangers import rules as danger_rules
from app.errors import Conflict, NotFound, Unprocessable
from app.inspections.models import Finding, Inspection, Review
from app.inspections.service import common
from app.inspections.service.records import item_of, replayed, require_open
from app.messages import Msg


def _coordinates(data: dict) -> None:
    errors = {}
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        errors["latitude"] = [Msg("give both latitude and longitude, or neither")]
    if errors:
        raise Unprocessable(errors=errors)


def _deadline(inspection: Inspection, deadline) -> None:
    """Not before the inspection's day (Asia/Shanghai): a tablet offline for days still syncs a
    finding whose deadline was in the future when it was written down on site."""
    day = danger_rules.local_day(inspection.started_at)
    if deadline < day:
        raise Unprocessable(
            errors={"deadline": [Msg("must not be before the inspection (%(day)s)", day=day)]}
        )


def create_finding(session: Session, inspection: Inspection, data: dict):
    sha = common.digest(data)
    existing = session.get(Finding, data["id"])
    if existing is not None:
        if existing.inspection_id != inspection.id:
            raise Conflict("this id is already used", errors={"id": ["already used"]})
        return replayed(existing, sha, "finding")
    require_open(inspection)
    if data.get("item_id") is not None:
        item_of(session, inspection, data["item_id"])
    _deadline(inspection, data["deadline"])
    _coordinates(data)
    number = (
        session.scalar(
            select(func.max(Finding.number)).where(Finding.inspection_id == inspection.id)
        )
        or 0
    ) + 1
    finding = Finding(
        id=data["id"],
        authority_id=inspection.authority_id,
        enterprise_id=inspection.enterprise_id,
        inspection_id=inspection.id,
        number=number,
        request_sha256=sha,
        **{
            k: (str(v) if k in ("severity", "category") else v)
            for k, v in data.items()
            if k != "id"
        },
    )
    try:
        with session.begin_nested():
            session.add(finding)
            session.flush()
    except IntegrityError:
        existing = session.get(Finding, data["id"])
        if existing is None:
            raise Conflict("this id is already used", errors={"id": ["already used"]}) from None
        return replayed(existing, sha, "finding")
    return finding, True


def findings(inspection_id):
    return select(Finding).where(Finding.inspection_id == inspection_id)


def get_finding(session: Session, inspection: Inspection, finding_id) -> Finding:
    finding = session.scalar(findings(inspection.id).where(Finding.id == finding_id))
    if finding is None:
        raise NotFound("no such finding")
    return finding


def update_finding(session: Session, inspection: Inspection, finding: Finding, changes: dict):
    require_open(inspection)
    if "item_id" in changes and changes["item_id"] is not None:
        item_of(session, inspection, changes["item_id"])
    if "deadline" in changes:
        _deadline(inspection, changes["deadline"])
    for key, value in changes.items():
        setattr(finding, key, str(value) if key in ("severity", "category") else value)
    _coordinates({"latitude": finding.latitude, "longitude": finding.longitude})
    session.flush()


def put_review(session: Session, inspection: Inspection, finding_id, data: dict):
    require_open(inspection)
    if inspection.reinspection_of is None:
        raise Conflict("only a re-inspection gives verdicts on earlier findings")
    finding = session.scalar(findings(inspection.reinspection_of).where(Finding.id == finding_id))
    if finding is None:
        raise NotFound("no such finding in the inspection this one follows")
    row = session.scalar(
        select(Review).where(Review.inspection_id == inspection.id, Review.finding_id == finding_id)
    )
    created = row is None
    if created:
        row = Review(
            enterprise_id=inspection.enterprise_id,
            inspection_id=inspection.id,
            finding_id=finding_id,
        )
        session.add(row)
    if row.verdict != str(data["verdict"]) or row.note != data.get("note"):
        row.verdict, row.note = str(data["verdict"]), data.get("note")
    session.flush()
    return row, created


def reviews(inspection: Inspection):
    return select(Review).where(Review.inspection_id == inspection.id)
