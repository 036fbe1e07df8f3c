"""Annual enforcement plans: scope, rates, floors and caps, key enterprises, exclusions."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import tenancy
from app.enterprises.models import Enterprise
from app.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.inspections.models import Plan, PlanExclusion, PlanKeyEnterprise
from app.inspections.rules import draw as drawing
from app.inspections.rules.enums import PlanStatus, Stratification
from app.inspections.service import directory
from app.messages import Msg
from app.tenants.models import Region

KEY_CYCLES = ("month", "quarter", "half_year", "year")
RATE_KEYS = ("default", "good", "normal", "reminder", "warning")
EDITABLE = (
    "name",
    "sectors",
    "street_ids",
    "stratify",
    "rates",
    "floor_per_year",
    "cap_per_year",
    "key_cycle",
    "team_size",
    "checklist_id",
    "status",
)


def rate_errors(rates: dict) -> list[str]:
    """Rates are decimal strings in [0, 1], per class (良好 good, 正常 normal, 提醒 reminder,
    警示 warning) and "default" for the rest; a class without one takes the authority's."""
    problems = []
    for klass, rate in rates.items():
        if klass not in RATE_KEYS:
            problems.append(
                Msg(
                    "%(key)s: not a class (use %(allowed)s)",
                    key=klass,
                    allowed=", ".join(RATE_KEYS),
                )
            )
            continue
        try:
            drawing.quota(rate, 1)  # the draw's own reading of a rate, so both agree
        except drawing.DrawError:
            problems.append(
                Msg('%(key)s: a decimal string between 0 and 1, such as "0.15"', key=klass)
            )
    return problems


def _check(session: Session, plan: Plan) -> None:
    errors: dict[str, list[str]] = {}
    if problems := rate_errors(plan.rates or {}):
        errors["rates"] = problems
    if plan.floor_per_year > plan.cap_per_year:
        errors["floor_per_year"] = [Msg("must not exceed cap_per_year")]
    if plan.street_ids:
        # Stored as text (JSON); the Uuid column wants UUIDs (SQLite will not convert text).
        wanted = [uuid.UUID(s) for s in plan.street_ids]
        found = {
            str(i)
            for i in session.scalars(
                select(Region.id).where(Region.id.in_(wanted), Region.kind == "street")
            )
        }
        if missing := [s for s in plan.street_ids if s not in found]:
            errors["street_ids"] = [Msg("no such street: %(id)s", id=s) for s in missing]
    if plan.checklist_id is not None:
        try:
            directory.usable_checklist(session, plan.checklist_id)
        except Unprocessable as exc:
            errors.update(exc.errors)
    if errors:
        raise Unprocessable(errors=errors)


def _stored(data: dict) -> dict:
    out = dict(data)
    if "street_ids" in out:
        # JSON holds text; the order is the caller's, duplicates dropped.
        out["street_ids"] = list(dict.fromkeys(str(s) for s in out["street_ids"]))
    if "sectors" in out:
        out["sectors"] = list(dict.fromkeys(str(s) for s in out["sectors"]))
    for key in ("stratify", "status"):
        if key in out:
            out[key] = str(out[key])
    return out


DEFAULTS = {
    "sectors": [],
    "street_ids": [],
    "stratify": str(Stratification.NONE),
    "floor_per_year": 0,
    "key_cycle": "quarter",
    "team_size": 2,
    "status": str(PlanStatus.DRAFT),
    "rates": {},
}


def create(session: Session, data: dict) -> Plan:
    given = {k: v for k, v in _stored(data).items() if k in EDITABLE}
    plan = Plan(year=data["year"], created_by=tenancy.current().user_id, **{**DEFAULTS, **given})
    _check(session, plan)
    try:
        with session.begin_nested():
            session.add(plan)
            session.flush()
    except IntegrityError:
        raise Conflict(
            "a plan with this name exists for this year", errors={"name": ["already used"]}
        ) from None
    return plan


def get(session: Session, plan_id) -> Plan:
    plan = session.get(Plan, plan_id) if plan_id else None
    if plan is None:
        raise NotFound("no such plan")
    return plan


def authority_wide() -> None:
    """Plans and their draws are the whole authority's: a regulator limited to one street sees
    only its street's enterprises and must not freeze, re-draw or change the authority's pool."""
    if tenancy.current().street_id is not None:
        raise Forbidden("plans and draws are the authority's: a street regulator reads them")


def update(session: Session, plan: Plan, changes: dict) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise Conflict("the plan is closed")
    if changes.get("status") == PlanStatus.DRAFT and plan.status != PlanStatus.DRAFT:
        # Its draws are published: a plan that went back to draft would hide them.
        raise Conflict("a plan that is active cannot go back to draft")
    for key, value in _stored(changes).items():
        setattr(plan, key, value)
    _check(session, plan)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(
            "a plan with this name exists for this year", errors={"name": ["already used"]}
        ) from None


def list_stmt(args: dict):
    stmt = select(Plan)
    if args.get("year") is not None:
        stmt = stmt.where(Plan.year == args["year"])
    if args.get("status") is not None:
        stmt = stmt.where(Plan.status == str(args["status"]))
    return stmt


def _enterprise(session: Session, enterprise_id) -> Enterprise:
    enterprise = session.get(Enterprise, enterprise_id) if enterprise_id else None
    if enterprise is None:
        raise Unprocessable(errors={"enterprise_id": ["no such enterprise"]})
    return enterprise


def _open(plan: Plan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise Conflict("the plan is closed")


def add_key_enterprise(session: Session, plan: Plan, enterprise_id) -> PlanKeyEnterprise:
    _open(plan)
    enterprise = _enterprise(session, enterprise_id)
    row = PlanKeyEnterprise(
        plan_id=plan.id, enterprise_id=enterprise.id, added_by=tenancy.current().user_id
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict("already a key enterprise of this plan") from None
    return row


def key_enterprises(plan: Plan):
    return select(PlanKeyEnterprise).where(PlanKeyEnterprise.plan_id == plan.id)


def remove_key_enterprise(session: Session, plan: Plan, enterprise_id) -> None:
    _open(plan)
    row = session.scalar(
        key_enterprises(plan).where(PlanKeyEnterprise.enterprise_id == enterprise_id)
    )
    if row is None:
        raise NotFound("not a key enterprise of this plan")
    session.delete(row)
    session.flush()


def add_exclusion(session: Session, plan: Plan, data: dict) -> PlanExclusion:
    _open(plan)
    enterprise = _enterprise(session, data["enterprise_id"])
    period = data.get("period")
    # A unique constraint treats NULL periods as distinct, so look first; a racing duplicate
    # would be harmless (the draw reads exclusions as a set of enterprises).
    same = exclusions(plan).where(
        PlanExclusion.enterprise_id == enterprise.id,
        PlanExclusion.period.is_(None) if period is None else PlanExclusion.period == period,
    )
    if session.scalar(same) is not None:
        raise Conflict("this enterprise is already excluded for this period")
    row = PlanExclusion(
        plan_id=plan.id,
        enterprise_id=enterprise.id,
        period=period,
        reason=str(data["reason"]),
        note=data.get("note"),
        added_by=tenancy.current().user_id,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict("this enterprise is already excluded for this period") from None
    return row


def exclusions(plan: Plan):
    return select(PlanExclusion).where(PlanExclusion.plan_id == plan.id)


def remove_exclusion(session: Session, plan: Plan, exclusion_id) -> None:
    _open(plan)
    row = session.scalar(exclusions(plan).where(PlanExclusion.id == exclusion_id))
    if row is None:
        raise NotFound("no such exclusion")
    session.delete(row)
    session.flush()
