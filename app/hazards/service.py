"""Use cases for the major-hazard-source register. Never commits."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from app import tenancy
from app.db import new_id, utcnow
from app.enterprises import service as enterprises
from app.enterprises.models import Enterprise
from app.errors import Conflict, NotFound, Unprocessable
from app.hazards import rules
from app.hazards.models import HazardAssessment, HazardSource
from app.hazards.rules.register import (
    FilingAction,
    FilingStatus,
    IllegalTransition,
    Inputs,
    Reevaluation,
    filing_due_on,
    filing_overdue,
    monitoring_gaps,
    next_filing_status,
    reevaluation_due_on,
    reevaluation_status,
)
from app.messages import Msg, Term
from app.risks.service import grading
from app.tenants import service as tenants

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Changing any of these changes the assessment: re-grade, and re-evaluation is due at once.
ASSESSED_FIELDS = ("unit_kind", "exposed_population", "substances")


def today() -> dt.date:
    """Deadlines are calendar dates in Asia/Shanghai."""
    return dt.datetime.now(SHANGHAI).date()


def assess(unit_kind, exposed_population, substances) -> rules.Assessment:
    """The engine, with its errors turned into one 422 naming every bad substance."""
    try:
        return rules.assess(unit_kind, exposed_population, substances)
    except rules.AssessmentError as exc:
        errors: dict[str, list[str]] = {}
        for e in exc.errors:
            key = e["field"] if e["index"] is None else f"substances.{e['index']}.{e['field']}"
            message = e["message"]
            if e.get("candidates"):
                message = Msg(
                    "%(message)s (candidates: %(candidates)s)",
                    message=message,
                    candidates=list(e["candidates"]),
                )
            errors.setdefault(key, []).append(message)
        raise Unprocessable("some substances are not valid", errors=errors) from None


def result_dict(assessment: rules.Assessment) -> dict:
    return {**assessment.to_dict(), "alpha_band": assessment.alpha_band}


def find(session: Session, source_id) -> HazardSource | None:
    return session.get(HazardSource, source_id) if source_id else None


def get(session: Session, source_id) -> HazardSource:
    source = find(session, source_id)
    if source is None:
        raise NotFound("no such hazard source")
    return source


def _apply_assessment(session: Session, source: HazardSource) -> None:
    assessment = assess(source.unit_kind, source.exposed_population, source.substances)
    inputs = Inputs(source.unit_kind, source.exposed_population, tuple(source.substances))
    source.is_major = assessment.is_major
    source.level = assessment.level
    source.sum_ratio = assessment.sum_ratio
    source.r_value = assessment.r_value
    source.data_version = assessment.data_version
    source.result = result_dict(assessment)
    # The unit's row must exist before its history row (composite FK, no ORM relationship).
    session.add(source)
    session.flush()
    session.add(
        HazardAssessment(
            authority_id=source.authority_id,
            enterprise_id=source.enterprise_id,
            hazard_source_id=source.id,
            computed_by=tenancy.current().user_id,
            inputs_digest=inputs.digest(assessment.data_version),
            is_major=assessment.is_major,
            level=assessment.level,
            sum_ratio=assessment.sum_ratio,
            r_value=assessment.r_value,
            data_version=assessment.data_version,
            result=source.result,
        )
    )


def _derive_dates(source: HazardSource) -> None:
    source.reevaluation_due_on = reevaluation_due_on(source.last_evaluated_on)
    source.filing_due_on = filing_due_on(source.last_evaluated_on)


def create(session: Session, data: dict) -> HazardSource:
    scope = tenancy.current()
    enterprise = enterprises.find(session, scope.enterprise_id)
    if enterprise is None or not enterprise.is_active:
        raise NotFound("no such enterprise")
    source = HazardSource(
        **data,
        authority_id=enterprise.authority_id,
        enterprise_id=enterprise.id,
        filing_status=FilingStatus.DRAFT.value,
    )
    _check_evaluation_date(source.last_evaluated_on)
    source.id = new_id()
    _derive_dates(source)
    _apply_assessment(session, source)
    session.flush()
    grading.request_regrade(session, source.authority_id, source.enterprise_id)
    return source


def _active(source: HazardSource) -> None:
    if not source.is_active:
        raise Conflict("this unit is out of service; its record is kept as it was")


def update(session: Session, source: HazardSource, changes: dict) -> HazardSource:
    _active(source)
    assessed = any(
        key in changes and changes[key] != getattr(source, key) for key in ASSESSED_FIELDS
    )
    new_evaluation = (
        "last_evaluated_on" in changes and changes["last_evaluated_on"] != source.last_evaluated_on
    )
    if new_evaluation:
        _check_evaluation_date(changes["last_evaluated_on"])
    for key, value in changes.items():
        setattr(source, key, value)
    if new_evaluation:
        # A new evaluation covers every change made so far; it must be filed again.
        source.change_pending = False
        source.filing_status = FilingStatus.DRAFT.value
    elif assessed and source.last_evaluated_on is not None:
        source.change_pending = True
    if assessed and source.filing_status == FilingStatus.SUBMITTED:
        # The regulator must decide on what was submitted, not on later changes: withdrawn.
        source.filing_status = FilingStatus.DRAFT.value
    if assessed:
        _apply_assessment(session, source)
        grading.request_regrade(session, source.authority_id, source.enterprise_id)
    _derive_dates(source)
    session.flush()
    return source


def _check_evaluation_date(day: dt.date | None) -> None:
    if day is not None and day > today():
        raise Unprocessable(errors={"last_evaluated_on": ["cannot be in the future"]})


def transition(session: Session, source: HazardSource, action: FilingAction, note=None):
    _active(source)
    try:
        new = next_filing_status(FilingStatus(source.filing_status), action)
    except IllegalTransition as exc:
        raise Conflict(
            Msg(
                "the filing is %(status)s; allowed: %(allowed)s",
                status=Term("hazard_filing_states", exc.current.value),
                allowed=[Term("hazard_filing_actions", a) for a in exc.allowed] or Msg("nothing"),
            ),
            errors={"filing_status": [exc.current.value], "allowed": exc.allowed},
        ) from None
    if action == FilingAction.SUBMIT and source.last_evaluated_on is None:
        raise Unprocessable(errors={"last_evaluated_on": ["record the evaluation before filing"]})
    source.filing_status = new.value
    source.filing_note = note
    now = utcnow()
    if action == FilingAction.SUBMIT:
        source.submitted_at = now
    if action == FilingAction.FILE:
        source.filed_at, source.filed_by = now, tenancy.current().user_id
    session.flush()
    return source


def deactivate(session: Session, source: HazardSource) -> HazardSource:
    source.is_active = False
    session.flush()
    grading.request_regrade(session, source.authority_id, source.enterprise_id)
    return source


def history(session: Session, source: HazardSource):
    return select(HazardAssessment).where(HazardAssessment.hazard_source_id == source.id)


def list_sources(
    session: Session, args: dict, day: dt.date | None = None, with_enterprise: bool = False
):
    """The filtered register; with_enterprise also selects each source's Enterprise."""
    day = day or today()
    stmt = select(HazardSource)
    for key in ("enterprise_id", "level", "is_major", "filing_status", "unit_kind", "is_active"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(HazardSource, key) == args[key])
    joins = {"sector": Enterprise.sector, "street_id": Enterprise.street_id}
    if with_enterprise or any(args.get(k) is not None for k in (*joins, "region_id")):
        stmt = stmt.join(Enterprise, Enterprise.id == HazardSource.enterprise_id)
        if with_enterprise:
            stmt = stmt.add_columns(Enterprise)
        for key, column in joins.items():
            if args.get(key) is not None:
                stmt = stmt.where(column == args[key])
        if args.get("region_id") is not None:
            stmt = stmt.where(Enterprise.region_id.in_(tenants.within(args["region_id"])))
    if args.get("reevaluation"):
        stmt = stmt.where(_reevaluation_clause(Reevaluation(args["reevaluation"]), day))
    if args.get("filing_overdue") is not None:
        overdue = and_(
            HazardSource.filing_due_on < day,
            HazardSource.filing_status.in_([FilingStatus.DRAFT, FilingStatus.RETURNED]),
        )
        stmt = stmt.where(overdue if args["filing_overdue"] else ~overdue)
    if args.get("monitoring_gap") is not None:
        gap = and_(
            HazardSource.level.in_([1, 2]),
            or_(
                HazardSource.continuous_monitoring.is_(False),
                HazardSource.gas_detection.is_(False),
                HazardSource.emergency_shutdown.is_(False),
            ),
        )
        stmt = stmt.where(gap if args["monitoring_gap"] else ~gap)
    if args.get("missing_shutdown") is not None:
        missing = and_(HazardSource.level.in_([1, 2]), HazardSource.emergency_shutdown.is_(False))
        stmt = stmt.where(missing if args["missing_shutdown"] else ~missing)
    if args.get("q"):
        stmt = stmt.where(HazardSource.name.ilike(f"%{args['q']}%"))
    return stmt


def _reevaluation_clause(status: Reevaluation, day: dt.date):
    # The SQL twin of rules.register.reevaluation_status (tested against it).
    warning = day + dt.timedelta(days=warning_days())
    due = HazardSource.reevaluation_due_on
    evaluated = HazardSource.last_evaluated_on.is_not(None)
    overdue = and_(evaluated, or_(HazardSource.change_pending.is_(True), due <= day))
    if status == Reevaluation.MISSING:
        return HazardSource.last_evaluated_on.is_(None)
    if status == Reevaluation.OVERDUE:
        return overdue
    if status == Reevaluation.DUE_SOON:
        return and_(evaluated, ~overdue, due <= warning)
    if status == Reevaluation.CURRENT:
        return and_(evaluated, ~overdue, due > warning)
    return false()


def warning_days() -> int:
    return int(current_app.config["HAZARD_REEVALUATION_WARNING_DAYS"])


def status_view(source: HazardSource, day: dt.date | None = None) -> dict:
    """The derived facts a reader needs next to the stored ones."""
    day = day or today()
    return {
        "reevaluation_status": reevaluation_status(
            source.last_evaluated_on, source.change_pending, day, warning_days()
        ).value,
        "filing_overdue": filing_overdue(
            FilingStatus(source.filing_status), source.filing_due_on, day
        ),
        "monitoring_gaps": monitoring_gaps(
            source.level,
            {
                "continuous_monitoring": source.continuous_monitoring,
                "gas_detection": source.gas_detection,
                "emergency_shutdown": source.emergency_shutdown,
            },
        ),
    }


def chemicals(q: str | None = None) -> list[dict]:
    """GB 18218-2018 Table 1 (the 85 named chemicals), for the form's picker: name, aliases,
    CAS numbers, Q and, for the 14 toxic gases of Table 3, β. `q` matches a name, an alias or a
    CAS number (case-insensitive substring)."""
    needle = (q or "").strip().lower()
    found = []
    for chemical in rules.load_reference().chemicals:
        names = (chemical.name_cn, *chemical.aliases, chemical.name_en, *chemical.cas)
        if needle and not any(needle in name.lower() for name in names):
            continue
        # "氯" is chlorine before the eleven chemicals whose names contain it.
        exact = needle in (name.lower() for name in names)
        found.append(
            (
                (not exact, chemical.seq),
                {
                    "seq": chemical.seq,
                    "name": chemical.name_cn,
                    "name_en": chemical.name_en,
                    "aliases": list(chemical.aliases),
                    "cas": list(chemical.cas),
                    "critical_quantity_t": chemical.critical_quantity_t,
                    "table3_beta": chemical.table3_beta,
                    "default_categories": list(chemical.default_categories),
                },
            )
        )
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]
