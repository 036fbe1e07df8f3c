"""一公开: what anyone may read without an account. Plans with their draws' commitments, each
draw's snapshot, seed (once revealed) and result with the teams' certificate numbers, and
closed inspections' results: enterprise, date, outcome, number of findings. Never personal
data: no names, no phone numbers, no conflict reasons, no photos."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.classification.rules.model import Level
from app.dangers import rules as danger_rules
from app.enterprises.models import Enterprise
from app.errors import NotFound
from app.inspections.models import Draw, Finding, Inspection, Plan
from app.inspections.rules.enums import InspectionStatus, PlanStatus
from app.inspections.service import draws as draw_service
from app.inspections.service.snapshot import DEFAULT_CLASS
from app.tenants.models import Region

# Names of the strata's classes; "default" holds enterprises not classified yet, and a plan not
# stratified by class has one stratum "all".
CLASS_NAMES = {**{str(lv.value): lv.label_cn for lv in Level}, DEFAULT_CLASS: "未分级"}


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
        "labels": labels(session, row.snapshot or {}, row.result or {}),
        "selected": [
            {
                "enterprise_id": a["enterprise_id"],
                "enterprise_name": names.get(a["enterprise_id"], ""),
                "inspector_certificates": [certificates.get(i, "") for i in a["inspectors"]],
            }
            for a in (row.result or {}).get("assignments", [])
        ],
    }


def labels(session: Session, snapshot: dict, result: dict) -> dict:
    """Names for the ids in the snapshot, for people: each stratum's class and street, and the
    enterprises the draw made public (the mandatory ones and those drawn). Candidates that were
    not drawn stay ids: naming the whole pool stratum by stratum would publish every
    enterprise's class, which only its drawing makes public. Kept beside the snapshot, never in
    it: the snapshot is what the commitment and the verifier see, byte for byte as frozen;
    these are today's names."""
    strata = {}
    pool = list(snapshot.get("mandatory") or [])
    pool.extend(a.get("enterprise_id") for a in result.get("assignments") or [])
    street_ids = set()
    for stratum in snapshot.get("strata") or []:
        key = str(stratum.get("key", ""))
        klass, _, street = key.partition("/")
        strata[key] = {"class": klass if street else None, "street_id": street or None}
        if street:
            street_ids.add(street)
    streets = {
        str(r.id): r.name
        for r in session.scalars(select(Region).where(Region.id.in_(_uuids(street_ids))))
    }
    for entry in strata.values():
        if entry["street_id"] is None:
            entry.update(class_name=None, street_name=None, name="全部企业")
            continue
        entry["class_name"] = CLASS_NAMES.get(entry["class"], entry["class"])
        entry["street_name"] = streets.get(entry["street_id"])
        entry["name"] = f"{entry['class_name']} · {entry['street_name'] or '未知街道'}"
    enterprises = {
        str(e.id): e.name
        for e in session.scalars(select(Enterprise).where(Enterprise.id.in_(_uuids(pool))))
    }
    return {"strata": strata, "enterprises": enterprises}


def _uuids(values) -> list[uuid.UUID]:
    out = []
    for value in values:
        try:
            out.append(uuid.UUID(str(value)))
        except ValueError:
            continue  # not an id of ours: nothing to name
    return out


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
