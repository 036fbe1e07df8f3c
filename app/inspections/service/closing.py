"""Closing a record: the checks (signatures, must-check items, verdicts), the findings onto
the enterprise's ledger, a re-inspection's verdicts applied, the task done."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.classification.service import compute as classes
from app.dangers import rules as danger_rules
from app.dangers.models import HiddenDanger
from app.dangers.service import ledger
from app.dangers.service.reinspection import apply_verdict
from app.errors import Unprocessable
from app.inspections.models import (
    ChecklistItem,
    Finding,
    Inspection,
    InspectionFile,
    ItemResultRow,
    Review,
    Task,
)
from app.inspections.rules.enums import (
    FileKind,
    InspectionStatus,
    Outcome,
    Signer,
    TaskStatus,
    Verdict,
)
from app.inspections.service import common
from app.inspections.service.findings import findings, reviews
from app.inspections.service.records import members
from app.messages import Msg


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
        errors["signatures"] = [
            Msg("no signature of inspector %(id)s", id=m) for m in unsigned
        ]
    responsible = any(s == str(Signer.RESPONSIBLE_PERSON) for s, _ in signed)
    if not responsible and not data.get("signature_refused_note"):
        errors.setdefault("signatures", []).append(
            Msg("no signature of the responsible person (or a signature_refused_note)")
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
            errors["items"] = [
                Msg("must-check item %(number)s has no result", number=p) for p in missing
            ]
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
                Msg("finding %(number)s of the earlier inspection has no verdict", number=n)
                for n in open_
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
            deadline_checked=True,
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
    # A closed inspection moves the enterprise's class (its findings, orders complied with).
    classes.request_recompute(session, inspection.authority_id, inspection.enterprise_id)
    if inspection.task_id is not None:
        # Whoever of the record's team closes it completes the task (not only task members).
        task = session.get(Task, inspection.task_id)
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
