"""What every hidden-danger use case shares: the clock, the windows, the actor, lookups."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.accounts.rules import Role
from app.dangers import rules
from app.dangers.models import DangerEvent, HiddenDanger
from app.db import utcnow
from app.enterprises.models import Enterprise
from app.errors import Conflict, NotFound, Unprocessable
from app.messages import Msg


def now() -> dt.datetime:
    return utcnow()


def today() -> dt.date:
    """Deadlines are calendar dates in Asia/Shanghai."""
    return rules.local_day(now())


def timelines() -> rules.Timelines:
    """The statutory windows, with the deployment's overrides of the defaults (DANGER_TIMELINES,
    checked when the configuration is loaded)."""
    overrides = current_app.config.get("DANGER_TIMELINES") or {}
    base = rules.load_timelines()
    return base.with_values(overrides) if overrides else base


def actor_kind() -> rules.ActorKind:
    kind = rules.actor_kind_for_role(tenancy.current().role or "")
    if kind is None:  # routes exclude these roles; a bug if reached
        raise Unprocessable("your role does not act on hidden dangers")
    return kind


def get(session: Session, danger_id) -> HiddenDanger:
    danger = session.get(HiddenDanger, danger_id) if danger_id else None
    if danger is None:
        raise NotFound("no such hidden danger")
    return danger


def enterprise_of(session: Session, enterprise_id) -> Enterprise:
    """An active enterprise in the caller's scope, or the 422 a form can show."""
    enterprise = session.get(Enterprise, enterprise_id) if enterprise_id else None
    if enterprise is None or not enterprise.is_active:
        raise Unprocessable(errors={"enterprise_id": ["no such enterprise"]})
    return enterprise


def record(session: Session, danger: HiddenDanger, action: str, **kw) -> DangerEvent:
    scope = tenancy.current()
    event = DangerEvent(
        authority_id=danger.authority_id,
        enterprise_id=danger.enterprise_id,
        danger_id=danger.id,
        action=str(action),
        actor_id=scope.user_id,
        actor_kind=str(kw.pop("actor_kind", None) or _kind_or_system()),
        at=now(),
        **kw,
    )
    session.add(event)
    return event


def _kind_or_system() -> rules.ActorKind:
    return rules.actor_kind_for_role(tenancy.current().role or "") or rules.ActorKind.SYSTEM


def rules_errors(exc: Exception):
    """The rules' exceptions as the API's errors."""
    if isinstance(exc, rules.IllegalTransition):
        allowed = [str(a) for a in exc.allowed]
        action = exc.action
        if action in rules.Action._value2member_map_:
            action = rules.Action(action)
        return Conflict(
            Msg(
                "%(action)s is not allowed from %(state)s for you; allowed next steps: %(allowed)s",
                action=action,
                state=exc.current,
                allowed=list(exc.allowed) or Msg("none"),
            ),
            errors={"state": [str(exc.current)], "allowed_actions": allowed},
        )
    return Unprocessable(errors=getattr(exc, "errors", {}))


def regulators_for(session: Session, enterprise: Enterprise) -> list[User]:
    """Regulators who supervise this enterprise: authority-wide ones and its street's."""
    stmt = select(User).where(
        User.authority_id == enterprise.authority_id,
        User.role.in_([str(Role.AUTHORITY_ADMIN), str(Role.REGULATOR)]),
        User.is_active.is_(True),
        (User.street_id.is_(None)) | (User.street_id == enterprise.street_id),
    )
    return list(session.scalars(stmt.order_by(User.id)))


def enterprise_admins(session: Session, enterprise_id) -> list[User]:
    stmt = select(User).where(
        User.enterprise_id == enterprise_id,
        User.role == str(Role.ENTERPRISE_ADMIN),
        User.is_active.is_(True),
    )
    return list(session.scalars(stmt.order_by(User.id)))
