"""Extensions of a rectification deadline: the unit's written request, the regulator's answer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.dangers import rules
from app.dangers.models import DangerExtension, HiddenDanger
from app.dangers.service import common, notify
from app.errors import Conflict, NotFound, Unprocessable
from app.messages import Msg, Term
from app.risks.service import grading

A = rules.Action


def _step(danger: HiddenDanger, action: rules.Action, reason=None) -> None:
    """Role and state checks of the transition table (the state itself stays)."""
    facts = rules.Facts(reason=reason, extension_pending=danger.extension_pending)
    try:
        rules.next_state(danger.state, action, danger.severity, common.actor_kind(), facts)
    except (rules.IllegalTransition, rules.PreconditionFailed) as exc:
        raise common.rules_errors(exc) from None


def request(session: Session, danger: HiddenDanger, data: dict) -> DangerExtension:
    _step(danger, A.REQUEST_EXTENSION)
    today, windows = common.today(), common.timelines()
    requested_on = data.get("requested_on") or today
    errors = rules.extension_request_errors(
        danger.deadline,
        requested_on,
        data.get("new_deadline"),
        today,
        windows.extension_request_window_days,
    )
    if errors:
        raise Unprocessable(errors=errors)
    ext = DangerExtension(
        authority_id=danger.authority_id,
        enterprise_id=danger.enterprise_id,
        danger_id=danger.id,
        requested_on=requested_on,
        requested_deadline=data["new_deadline"],
        previous_deadline=danger.deadline,
        reason=data["reason"],
        requested_by=tenancy.current().user_id,
        answer_due_on=rules.extension_answer_due(requested_on, windows.extension_answer_days),
        status="pending",
    )
    session.add(ext)
    danger.extension_pending = True
    session.flush()
    common.record(
        session,
        danger,
        A.REQUEST_EXTENSION,
        reason=data["reason"],
        details={"extension_id": str(ext.id), "new_deadline": data["new_deadline"].isoformat()},
    )
    notify.about_danger(
        session,
        danger,
        "extension_requested",
        f"隐患延期申请：{danger.title}",
        str(ext.id),
        regulators=True,
        enterprise_admins=False,
    )
    return ext


def get(session: Session, danger: HiddenDanger, extension_id) -> DangerExtension:
    ext = session.get(DangerExtension, extension_id)
    if ext is None or ext.danger_id != danger.id:
        raise NotFound("no such extension request")
    return ext


def decide(session: Session, danger: HiddenDanger, ext: DangerExtension, data: dict):
    granted = bool(data["granted"])
    reason = data.get("reason")
    if ext.status != "pending":
        _already_answered(ext)
    _step(danger, A.GRANT_EXTENSION if granted else A.REFUSE_EXTENSION, reason)
    today = common.today()
    try:
        decision = rules.extension_decision(
            granted, data.get("new_deadline"), reason, danger.deadline, today
        )
    except rules.InvalidInput as exc:
        raise Unprocessable(errors=exc.errors) from None
    ext.status = "granted" if decision.granted else "refused"
    ext.decided_by = tenancy.current().user_id
    ext.decided_at = common.now()
    ext.granted_deadline = decision.new_deadline
    ext.decision_reason = decision.reason
    danger.extension_pending = False
    if decision.granted:
        danger.deadline = decision.new_deadline
        danger.overdue_since = None
    action = A.GRANT_EXTENSION if decision.granted else A.REFUSE_EXTENSION
    common.record(
        session,
        danger,
        action,
        reason=decision.reason,
        details={
            "extension_id": str(ext.id),
            "new_deadline": decision.new_deadline.isoformat() if decision.new_deadline else None,
        },
    )
    notify.about_danger(
        session,
        danger,
        str(action),
        f"隐患{action.label_cn}：{danger.title}",
        str(ext.id),
        regulators=False,
        enterprise_admins=True,
    )
    if danger.severity == str(rules.Severity.MAJOR):
        grading.request_regrade(session, danger.authority_id, danger.enterprise_id)
    return ext


def _already_answered(ext: DangerExtension):
    raise Conflict(
        Msg(
            "this request was already answered (%(status)s)",
            status=Term("extension_statuses", ext.status),
        ),
        errors={"status": [ext.status]},
    )


def list_stmt(danger: HiddenDanger):
    return select(DangerExtension).where(DangerExtension.danger_id == danger.id)
