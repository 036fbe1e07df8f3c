"""The inspection record a tablet writes: create (the tablet's id), edit (If-Match), each
item's result, findings, re-inspection verdicts, closing. Every write can arrive twice or late
(offline tablets): creates find the row made the first time by its id and compare the content;
puts are naturally idempotent; closing twice answers with the closed record."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.dangers import rules as danger_rules
from app.dangers.models import HiddenDanger
from app.dangers.service import ledger
from app.dangers.service.reinspection import apply_verdict
from app.enterprises.models import Enterprise
from app.errors import Conflict, NotFound, Unprocessable
from app.inspections.models import (
    ChecklistItem,
    Finding,
    Inspection,
    InspectionFile,
    InspectionMember,
    InspectorConflict,
    ItemResultRow,
    Review,
    TaskMember,
)
from app.inspections.rules.enums import (
    FileKind,
    InspectionStatus,
    Outcome,
    Signer,
    TaskStatus,
    Verdict,
)
from app.inspections.service import common, directory

CLOCK_SKEW = dt.timedelta(minutes=5)
HEADER_FIELDS = (
    "place",
    "responsible_person",
    "responsible_title",
    "summary",
    "started_at",
    "ended_at",
)


def require_open(inspection: Inspection) -> None:
    if inspection.status != InspectionStatus.OPEN:
        raise Conflict("the inspection is closed", errors={"status": [inspection.status]})


def _replay(existing, sha: str, what: str):
    if existing.request_sha256 != sha:
        raise Conflict(
            f"this id was already used for a different {what}",
            errors={"id": ["already used with other content"]},
        )
    return existing, False


def _team(session: Session, data: dict, task, enterprise_id) -> list:
    me = tenancy.current().user_id
    if data.get("inspector_ids"):
        ids = list(dict.fromkeys(data["inspector_ids"]))
    elif task is not None:
        ids = list(
            session.scalars(
                select(TaskMember.inspector_id)
                .where(TaskMember.task_id == task.id)
                .order_by(TaskMember.position)
            )
        )
    else:
        ids = []
    errors = []
    if me not in ids:
        errors.append("the team must include you")
    if len(ids) < 2:
        errors.append("at least two inspectors (行政处罚法 Art.42)")
    known = common.inspectors_by_id(session, ids)
    errors += [f"not an active inspector: {i}" for i in ids if i not in known]
    barred = set(
        session.scalars(
            select(InspectorConflict.inspector_id).where(
                InspectorConflict.enterprise_id == enterprise_id,
                InspectorConflict.inspector_id.in_(ids),
                InspectorConflict.revoked_at.is_(None),
            )
        )
    )
    errors += [f"has a declared conflict with this enterprise: {i}" for i in ids if i in barred]
    if errors:
        raise Unprocessable(errors={"inspector_ids": errors})
    return ids


def create(session: Session, data: dict) -> tuple[Inspection, bool]:
    sha = common.digest(data)
    existing = session.get(Inspection, data["id"])
    if existing is not None:
        common.get_inspection(session, existing.id)  # a member's own, else 404
        return _replay(existing, sha, "inspection")
    task = common.get_task(session, data["task_id"]) if data.get("task_id") else None
    if task is not None and task.status != TaskStatus.OPEN:
        raise Conflict(f"the task is {task.status}")
    enterprise_id = task.enterprise_id if task is not None else data.get("enterprise_id")
    enterprise = session.get(Enterprise, enterprise_id) if enterprise_id else None
    if enterprise is None:
        raise Unprocessable(errors={"enterprise_id": ["give a task or an enterprise"]})
    if task is not None and data.get("enterprise_id") not in (None, task.enterprise_id):
        raise Unprocessable(errors={"enterprise_id": ["the task is for another enterprise"]})
    if data["started_at"] > common.now() + CLOCK_SKEW:
        raise Unprocessable(errors={"started_at": ["must not be in the future"]})
    checklist_id = data.get("checklist_id") or (task.checklist_id if task else None)
    if checklist_id is not None:
        directory.usable_checklist(session, checklist_id)
    team = _team(session, data, task, enterprise.id)
    inspection = Inspection(
        id=data["id"],
        authority_id=enterprise.authority_id,
        enterprise_id=enterprise.id,
        task_id=task.id if task else None,
        checklist_id=checklist_id,
        reinspection_of=task.parent_inspection_id if task else None,
        started_at=data["started_at"],
        place=data.get("place") or enterprise.address or enterprise.name,
        responsible_person=data["responsible_person"],
        responsible_title=data.get("responsible_title"),
        status=str(InspectionStatus.OPEN),
        request_sha256=sha,
        created_by=tenancy.current().user_id,
    )
    try:
        with session.begin_nested():
            session.add(inspection)
            session.flush()
            for position, inspector_id in enumerate(team):
                session.add(
                    InspectionMember(
                        enterprise_id=enterprise.id,
                        inspection_id=inspection.id,
                        inspector_id=inspector_id,
                        position=position,
                    )
                )
            session.flush()
    except IntegrityError:
        # Two deliveries of one create racing: the loser answers with the winner's record.
        existing = session.get(Inspection, data["id"])
        if existing is None:
            raise Conflict("this id is already used", errors={"id": ["already used"]}) from None
        return _replay(existing, sha, "inspection")
    return inspection, True


def update(inspection: Inspection, changes: dict) -> None:
    require_open(inspection)
    for key in HEADER_FIELDS:
        if key in changes:
            setattr(inspection, key, changes[key])
    if inspection.started_at > common.now() + CLOCK_SKEW:
        raise Unprocessable(errors={"started_at": ["must not be in the future"]})
    if inspection.ended_at is not None and inspection.ended_at < inspection.started_at:
        raise Unprocessable(errors={"ended_at": ["must not be before started_at"]})


def members(session: Session, inspection: Inspection) -> list:
    stmt = (
        select(InspectionMember.inspector_id)
        .where(InspectionMember.inspection_id == inspection.id)
        .order_by(InspectionMember.position)
    )
    return list(session.scalars(stmt))


def team(session: Session, inspection: Inspection) -> list[User]:
    """The inspectors of the record. Enterprise users cannot read authority users (ORM and
    RLS); the names and certificate numbers officers must show on site (安全生产法 Art.67) are
    read for them in the authority's scope, for this record's team only."""
    stmt = (
        select(User)
        .join(InspectionMember, InspectionMember.inspector_id == User.id)
        .where(InspectionMember.inspection_id == inspection.id)
        .order_by(InspectionMember.position)
    )
    if not common.is_enterprise_user():
        return list(session.scalars(stmt))
    system = tenancy.Scope(authority_id=inspection.authority_id, system=True)
    with tenancy.using(system, session):
        return list(session.scalars(stmt))


def _item(session: Session, inspection: Inspection, item_id) -> ChecklistItem:
    item = session.get(ChecklistItem, item_id) if item_id else None
    if item is None or item.checklist_id != inspection.checklist_id:
        raise Unprocessable(errors={"item_id": ["not an item of this inspection's checklist"]})
    return item


def put_item(session: Session, inspection: Inspection, item_id, data: dict):
    require_open(inspection)
    _item(session, inspection, item_id)
    row = session.scalar(
        select(ItemResultRow).where(
            ItemResultRow.inspection_id == inspection.id, ItemResultRow.item_id == item_id
        )
    )
    created = row is None
    if created:
        row = ItemResultRow(
            enterprise_id=inspection.enterprise_id, inspection_id=inspection.id, item_id=item_id
        )
        session.add(row)
    if row.result != str(data["result"]) or row.note != data.get("note"):
        row.result, row.note = str(data["result"]), data.get("note")
    session.flush()
    return row, created


def item_results(inspection: Inspection):
    return select(ItemResultRow).where(ItemResultRow.inspection_id == inspection.id)


def _coordinates(data: dict) -> None:
    errors = {}
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        errors["latitude"] = ["give both latitude and longitude, or neither"]
    if errors:
        raise Unprocessable(errors=errors)


def create_finding(session: Session, inspection: Inspection, data: dict):
    sha = common.digest(data)
    existing = session.get(Finding, data["id"])
    if existing is not None:
        if existing.inspection_id != inspection.id:
            raise Conflict("this id is already used", errors={"id": ["already used"]})
        return _replay(existing, sha, "finding")
    require_open(inspection)
    if data.get("item_id") is not None:
        _item(session, inspection, data["item_id"])
    if data["deadline"] < common.today():
        raise Unprocessable(errors={"deadline": ["must not be in the past"]})
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
        return _replay(existing, sha, "finding")
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
        _item(session, inspection, changes["item_id"])
    if "deadline" in changes and changes["deadline"] < common.today():
        raise Unprocessable(errors={"deadline": ["must not be in the past"]})
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


def _close_errors(session: Session, inspection: Inspection, data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    signed = {
        (f.signer, f.signer_id)
        for f in session.scalars(
            select(InspectionFile).where(
                InspectionFile.inspection_id == inspection.id,
                InspectionFile.kind == str(FileKind.SIGNATURE),
            )
        )
    }
    unsigned = [
        str(m) for m in members(session, inspection) if (str(Signer.INSPECTOR), m) not in signed
    ]
    if unsigned:
        errors["signatures"] = [f"no signature of inspector {m}" for m in unsigned]
    responsible = any(s == str(Signer.RESPONSIBLE_PERSON) for s, _ in signed)
    if not responsible and not data.get("signature_refused_note"):
        errors.setdefault("signatures", []).append(
            "no signature of the responsible person (or a signature_refused_note)"
        )
    if inspection.checklist_id is not None:
        answered = set(
            session.scalars(
                select(ItemResultRow.item_id).where(ItemResultRow.inspection_id == inspection.id)
            )
        )
        missing = session.scalars(
            select(ChecklistItem.position).where(
                ChecklistItem.checklist_id == inspection.checklist_id,
                ChecklistItem.must_check.is_(True),
                ChecklistItem.id.not_in(answered) if answered else ChecklistItem.id.is_not(None),
            )
        ).all()
        if missing:
            errors["items"] = [f"must-check item {p} has no result" for p in missing]
    if inspection.reinspection_of is not None:
        reviewed = set(
            session.scalars(select(Review.finding_id).where(Review.inspection_id == inspection.id))
        )
        open_ = [
            f.number
            for f in session.scalars(findings(inspection.reinspection_of))
            if f.id not in reviewed
        ]
        if open_:
            errors["reviews"] = [
                f"finding {n} of the earlier inspection has no verdict" for n in open_
            ]
    return errors


def close(session: Session, inspection: Inspection, data: dict) -> Inspection:
    """Close the record: the findings go onto the enterprise's ledger (source: inspection), a
    re-inspection's verdicts close or re-open what it checked, and the task is done."""
    if inspection.status == InspectionStatus.CLOSED:
        return inspection  # a retried close
    ended_at = data.get("ended_at") or common.now()
    if ended_at < inspection.started_at:
        raise Unprocessable(errors={"ended_at": ["must not be before started_at"]})
    if errors := _close_errors(session, inspection, data):
        raise Unprocessable(errors=errors)
    found = list(session.scalars(findings(inspection.id).order_by(Finding.number)))
    for finding in found:
        danger, _ = ledger.create(
            session,
            {
                "client_id": finding.id,
                "enterprise_id": inspection.enterprise_id,
                "title": finding.title,
                "description": finding.description,
                "location": finding.location,
                "category": finding.category,
                "severity": finding.severity,
                "deadline": finding.deadline,
                "found_at": inspection.started_at,
                "source_ref": finding.id,
            },
            source=danger_rules.Source.INSPECTION_FINDING,
        )
        finding.danger_id = danger.id
    outcome = Outcome.FINDINGS if found else Outcome.NO_FINDINGS
    if inspection.reinspection_of is not None:
        verdicts = _apply_reviews(session, inspection)
        outcome = Outcome.FINDINGS if found else verdicts
    inspection.ended_at = ended_at
    inspection.signature_refused_note = data.get("signature_refused_note")
    inspection.summary = data.get("summary", inspection.summary)
    inspection.status = str(InspectionStatus.CLOSED)
    inspection.outcome = str(outcome)
    inspection.closed_at = common.now()
    inspection.closed_by = tenancy.current().user_id
    if inspection.task_id is not None:
        task = common.get_task(session, inspection.task_id)
        task.status = str(TaskStatus.DONE)
    session.flush()
    return inspection


def _apply_reviews(session: Session, inspection: Inspection) -> Outcome:
    all_ok = True
    for review in session.scalars(reviews(inspection)):
        finding = session.get(Finding, review.finding_id)
        rectified = review.verdict == Verdict.RECTIFIED
        all_ok = all_ok and rectified
        danger = session.get(HiddenDanger, finding.danger_id) if finding.danger_id else None
        if danger is not None:
            apply_verdict(session, danger, rectified, inspection.id, review.note)
    return Outcome.ALL_RECTIFIED if all_ok else Outcome.NOT_ALL_RECTIFIED
