"""一公开: what anyone may read without an account. Plans with their draws' commitments, each
draw's snapshot, seed (once revealed) and result with the teams' certificate numbers, and
closed inspections' results: enterprise, date, outcome, number of findings. Never personal
data: no names, no phone numbers, no conflict reasons, no photos."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dangers import rules as danger_rules
from app.enterprises.models import Enterprise
from app.errors import NotFound
from app.inspections.models import Draw, Finding, Inspection, Plan
from app.inspections.rules.enums import InspectionStatus, PlanStatus
from app.inspections.service import draws as draw_service


def plans(session: Session, args: dict):
    # A draft plan is still being written; once active it is public with its draws.
    stmt = select(Plan).where(Plan.status != str(PlanStatus.DRAFT))
    if args.get("year") is not None:
        stmt = stmt.where(Plan.year == args["year"])
    return stmt


def plan_view(session: Session, plan: Plan) -> Plan:
    plan.draws = list(
        session.scalars(select(Draw).where(Draw.plan_id == plan.id).order_by(Draw.period, Draw.seq))
    )
    return plan


def draw(session: Session, draw_id) -> dict:
    row = session.get(Draw, draw_id)
    plan = session.get(Plan, row.plan_id) if row is not None else None
    if row is None or plan is None or plan.status == PlanStatus.DRAFT:
        raise NotFound("no such draw")
    names = {}
    certificates = {}
    if row.result:
        # The result holds ids as text; the Uuid column wants UUIDs (SQLite will not convert).
        ids = [uuid.UUID(a["enterprise_id"]) for a in row.result["assignments"]]
        names = {
            str(e.id): e.name
            for e in session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)))
        }
        certificates = draw_service.certificates(session, row)
    return {
        "id": row.id,
        "plan_id": row.plan_id,
        "period": row.period,
        "seq": row.seq,
        "status": row.status,
        "algorithm": row.algorithm,
        "commitment": row.commitment,
        "revealed_seed": draw_service.seed_if_revealed(row),
        "snapshot": row.snapshot,
        "snapshot_sha256": row.snapshot_sha256,
        "result": row.result,
        "redraw_reason": row.redraw_reason,
        "committed_at": row.committed_at,
        "drawn_at": row.drawn_at,
        "selected": [
            {
                "enterprise_id": a["enterprise_id"],
                "enterprise_name": names.get(a["enterprise_id"], ""),
                "inspector_certificates": [certificates.get(i, "") for i in a["inspectors"]],
            }
            for a in (row.result or {}).get("assignments", [])
        ],
    }


def results(args: dict):
    """Closed inspections, newest first by id, with the enterprise's name and findings count."""
    findings = (
        select(func.count())
        .where(Finding.inspection_id == Inspection.id)
        .correlate(Inspection)
        .scalar_subquery()
    )
    stmt = (
        select(Inspection, Enterprise.name, findings)
        .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
        .where(Inspection.status == str(InspectionStatus.CLOSED))
    )
    if args.get("year") is not None:
        stmt = stmt.where(func.extract("year", Inspection.closed_at) == args["year"])
    return stmt


def local_date(moment):
    """The inspection's day as people there name it (Asia/Shanghai)."""
    return danger_rules.local_day(moment)
