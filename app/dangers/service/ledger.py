"""The ledger's use cases: record an entry, edit it, move it through the closed loop. Never
commits; every step writes a DangerEvent (who, why) and the unit of work audits the rest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal, InvalidOperation

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.accounts.rules import Role
from app.classification.service import compute as classes
from app.dangers import rules
from app.dangers.models import DangerEvent, HiddenDanger
from app.dangers.rules.transitions import UPGRADERS
from app.dangers.service import common, notify
from app.enterprises.models import Enterprise
from app.errors import Conflict, Unprocessable
from app.messages import Msg
from app.risks.service import grading
from app.tenants import service as tenants

S, A = rules.State, rules.Action
# Which sources each role may record; the first is the default.
SOURCES_BY_ROLE = {
    Role.ENTERPRISE_ADMIN: (rules.Source.SELF_INSPECTION, rules.Source.STAFF_REPORT),
    Role.ENTERPRISE_STAFF: (rules.Source.STAFF_REPORT, rules.Source.SELF_INSPECTION),
    Role.INSPECTOR: (rules.Source.INSPECTION_FINDING,),
    Role.REGULATOR: (rules.Source.REGULATOR_ENTRY,),
    Role.AUTHORITY_ADMIN: (rules.Source.REGULATOR_ENTRY,),
}
EDITABLE = ("title", "description", "location", "category", "severity", "criterion_code", "plan")


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _raise_on(errors: dict) -> None:
    if errors:
        raise Unprocessable(errors=errors)


def plan_facts(plan: dict | None) -> dict | None:
    """The stored plan (JSON) with the types the rules check: a date, a Decimal."""
    if plan is None:
        return None
    facts = dict(plan)
    if isinstance(facts.get("deadline"), str):
        try:
            facts["deadline"] = dt.date.fromisoformat(facts["deadline"])
        except ValueError:
            facts["deadline"] = None
    if isinstance(facts.get("funds"), str):
        try:
            facts["funds"] = Decimal(facts["funds"])
        except InvalidOperation:
            facts["funds"] = None
    return facts


def stored_plan(plan: dict | None) -> dict | None:
    if plan is None:
        return None
    out = dict(plan)
    if isinstance(out.get("deadline"), dt.date):
        out["deadline"] = out["deadline"].isoformat()
    if isinstance(out.get("funds"), Decimal | int | float):
        out["funds"] = str(out["funds"])
    return out


def _source_for(data: dict) -> rules.Source:
    allowed = SOURCES_BY_ROLE.get(tenancy.current().role, ())
    source = rules.Source(data.get("source") or allowed[0])
    if source not in allowed:
        raise Unprocessable(
            errors={"source": [Msg("you may record only: %(sources)s", sources=list(allowed))]}
        )
    return source


def _reporter_name(session: Session) -> str:
    user = session.get(User, tenancy.current().user_id)
    return user.display_name if user is not None else "?"


def create(
    session: Session, data: dict, *, source=None, source_ref=None, deadline_checked=False
) -> tuple[HiddenDanger, bool]:
    """Record an entry; (entry, created). A retried create with the same client_id returns the
    entry made the first time; the same client_id with different content is a 409."""
    scope = tenancy.current()
    client_id = data.get("client_id")
    digest = _digest(data)
    if client_id is not None:
        existing = _by_client_id(session, client_id)
        if existing is not None:
            return _replayed(existing, digest), False
    enterprise_id = data.get("enterprise_id") or scope.enterprise_id
    if scope.enterprise_id is not None and enterprise_id != scope.enterprise_id:
        enterprise_id = None  # an enterprise user records on its own ledger only
    enterprise = common.enterprise_of(session, enterprise_id)
    source = rules.Source(source) if source else _source_for(data)
    if source == rules.Source.INSPECTION_FINDING:
        source_ref = data.get("source_ref")
    elif data.get("source_ref") is not None:
        raise Unprocessable(errors={"source_ref": ["only an inspection finding links a record"]})
    severity = rules.Severity(data["severity"])
    if severity == rules.Severity.MAJOR and common.actor_kind() not in UPGRADERS:
        # Staff report; grading one as major is for the admin or authority staff.
        raise Unprocessable(errors={"severity": ["staff report as general; an admin grades it"]})
    _raise_on(rules.criterion_errors(severity, data.get("criterion_code"), enterprise.sector))
    found_at = data.get("found_at") or common.now()
    today = common.today()
    if found_at > common.now() + dt.timedelta(minutes=5):
        raise Unprocessable(errors={"found_at": ["must not be in the future"]})
    deadline = data.get("deadline") or rules.default_deadline(
        severity, rules.local_day(found_at), common.timelines()
    )
    # An inspection finding's deadline was checked when it was recorded on site; the record may
    # reach the ledger days later (an offline tablet), past a deadline that was valid then.
    if data.get("deadline") is not None and deadline < today and not deadline_checked:
        raise Unprocessable(
            errors={"deadline": [Msg("must not be in the past (today is %(today)s)", today=today)]}
        )
    danger = HiddenDanger(
        authority_id=enterprise.authority_id,
        enterprise_id=enterprise.id,
        client_id=client_id,
        client_digest=digest if client_id else None,
        title=data["title"],
        description=data.get("description"),
        location=data.get("location"),
        category=str(rules.Category(data["category"])),
        severity=str(severity),
        criterion_code=data.get("criterion_code") or None,
        source=str(source),
        source_ref=source_ref,
        found_at=found_at,
        found_by=data.get("found_by") or _reporter_name(session),
        reported_by=scope.user_id,
        state=str(S.REPORTED),
        state_changed_at=common.now(),
        deadline=deadline,
        original_deadline=deadline,
        plan=stored_plan(data.get("plan")),
        supervised_at=common.now() if severity == rules.Severity.MAJOR else None,
    )
    try:
        # A savepoint: two retries racing past the lookup meet at the unique constraint, and
        # the loser answers with the winner's entry instead of a 409.
        with session.begin_nested():
            session.add(danger)
            session.flush()
    except IntegrityError:
        existing = _by_client_id(session, client_id) if client_id else None
        if existing is None:
            raise
        return _replayed(existing, digest), False
    common.record(
        session, danger, "create", to_state=str(S.REPORTED), details={"source": str(source)}
    )
    if severity == rules.Severity.MAJOR:
        placed_under_supervision(session, danger)
    return danger, True


def _by_client_id(session: Session, client_id) -> HiddenDanger | None:
    # Within what the caller sees; a client id is a UUID, so another enterprise's entry with
    # the same one is a client bug, answered 409 by the unique constraint.
    return session.scalar(select(HiddenDanger).where(HiddenDanger.client_id == client_id))


def _replayed(existing: HiddenDanger, digest: str) -> HiddenDanger:
    if existing.client_digest != digest:
        raise Conflict(
            "this client_id was already used for a different entry",
            errors={"client_id": ["already used with other content"]},
        )
    return existing


def placed_under_supervision(session: Session, danger: HiddenDanger) -> None:
    """A major one is reported to the regulator and placed under its supervision (挂牌督办):
    when recorded as major, and again each time it is upgraded after a downgrade."""
    danger.supervised_at = common.now()
    notify.about_danger(
        session,
        danger,
        "major_reported",
        f"重大事故隐患挂牌督办：{danger.title}",
        key=danger.supervised_at.isoformat(),
        regulators=True,
        enterprise_admins=True,
    )
    grading.request_regrade(session, danger.authority_id, danger.enterprise_id)
    classes.request_recompute(session, danger.authority_id, danger.enterprise_id)


def list_stmt(session: Session, args: dict, *, with_enterprise: bool = False):
    d = HiddenDanger
    stmt = (
        select(d, Enterprise).join(Enterprise, Enterprise.id == d.enterprise_id)
        if (with_enterprise)
        else select(d)
    )
    if args.get("enterprise_id") is not None:
        stmt = stmt.where(d.enterprise_id == args["enterprise_id"])
    for key in ("severity", "source", "category", "state"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(d, key) == str(args[key]))
    if args.get("open") is not None:
        open_states = [str(s) for s in rules.OPEN_STATES]
        stmt = stmt.where(d.state.in_(open_states) if args["open"] else d.state.not_in(open_states))
    if args.get("overdue") is not None:
        overdue = and_(
            d.state.in_([str(s) for s in rules.OPEN_STATES]), d.deadline < common.today()
        )
        stmt = stmt.where(overdue if args["overdue"] else ~overdue)
    if args.get("supervised") is not None:
        stmt = stmt.where(
            d.supervised_at.is_not(None) if args["supervised"] else d.supervised_at.is_(None)
        )
    if args.get("region_id") is not None:
        ids = select(Enterprise.id).where(
            Enterprise.region_id.in_(tenants.within(args["region_id"]))
        )
        stmt = stmt.where(d.enterprise_id.in_(ids))
    if args.get("found_from") is not None:
        stmt = stmt.where(d.found_at >= args["found_from"])
    if args.get("found_to") is not None:
        stmt = stmt.where(d.found_at < args["found_to"])
    if args.get("due_by") is not None:
        stmt = stmt.where(d.deadline <= args["due_by"])
    if args.get("q"):
        # The user's % and _ are text, not wildcards.
        text = args["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{text}%"
        stmt = stmt.where(
            or_(d.title.ilike(like, escape="\\"), d.location.ilike(like, escape="\\"))
        )
    return stmt


def view(danger: HiddenDanger) -> HiddenDanger:
    """Derived fields for the response: overdue, days overdue, this caller's next steps."""
    today = common.today()
    danger.overdue = rules.is_overdue(danger.state, danger.deadline, today)
    danger.days_overdue = rules.days_overdue(danger.state, danger.deadline, today)
    kind = rules.actor_kind_for_role(tenancy.current().role or "")
    allowed = rules.allowed_actions(danger.state, danger.severity, kind) if kind else ()
    # The table lists who may take a step; whether an extension is pending decides which of
    # the extension steps is possible right now.
    skip = (
        {A.REQUEST_EXTENSION}
        if danger.extension_pending
        else {A.GRANT_EXTENSION, A.REFUSE_EXTENSION}
    )
    danger.allowed_actions = [str(a) for a in allowed if a not in skip]
    return danger


def history(session: Session, danger: HiddenDanger):
    return select(DangerEvent).where(DangerEvent.danger_id == danger.id)


def name_actors(session: Session, events: list[DangerEvent]) -> list[DangerEvent]:
    """Each event's actor_name: the account's display name where the caller's scope reads that
    account (an enterprise sees its own people, not the regulator's), None otherwise."""
    ids = {e.actor_id for e in events if e.actor_id is not None}
    stmt = select(User.id, User.display_name).where(User.id.in_(ids))
    names = {row.id: row.display_name for row in session.execute(stmt)} if ids else {}
    for event in events:
        event.actor_name = names.get(event.actor_id)
    return events
