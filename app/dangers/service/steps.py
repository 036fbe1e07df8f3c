"""Changing an entry: edits (with the severity rules) and the steps of the closed loop. Never
commits; every change writes a DangerEvent (who, why) and the unit of work audits the rest."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.dangers import rules
from app.dangers.models import DangerExtension, Evidence, HiddenDanger
from app.dangers.service import common, notify
from app.dangers.service.ledger import placed_under_supervision, plan_facts, stored_plan
from app.enterprises.models import Enterprise
from app.errors import Conflict, Unprocessable
from app.messages import Msg
from app.risks.service import grading

S, A, K = rules.State, rules.Action, rules.ActorKind
# The enterprise edits the wording of what it found itself; what an inspector, a regulator or a
# tip-off recorded is theirs (the enterprise still adds its plan, and may upgrade).
OWN_SOURCES = frozenset({rules.Source.SELF_INSPECTION, rules.Source.STAFF_REPORT})
WORDING = ("title", "description", "location", "category")
AUTHORITY_KINDS = frozenset({K.REGULATOR, K.INSPECTOR})
ENTERPRISE_KINDS = frozenset({K.ENTERPRISE_ADMIN, K.ENTERPRISE_STAFF})


def _edit_errors(danger: HiddenDanger, kind: rules.ActorKind, changes: dict) -> dict:
    errors: dict[str, list[str]] = {}
    if kind in ENTERPRISE_KINDS and rules.Source(danger.source) not in OWN_SOURCES:
        for key in WORDING:
            if key in changes:
                errors[key] = [
                    Msg(
                        "recorded from %(source)s: not the enterprise's to reword",
                        source=rules.Source(danger.source),
                    )
                ]
    if "deadline" in changes:
        # The enterprise asks for more time in writing (an extension); it never moves its own
        # deadline. Authority staff may correct it until rectification starts.
        if kind not in AUTHORITY_KINDS:
            errors["deadline"] = [Msg("request an extension to change the deadline")]
        elif rules.State(danger.state) != S.REPORTED:
            errors["deadline"] = [Msg("after rectification starts, only an extension moves it")]
        elif changes["deadline"] < common.today():
            errors["deadline"] = [
                Msg("must not be in the past (today is %(today)s)", today=common.today())
            ]
    return errors


def update(session: Session, danger: HiddenDanger, changes: dict) -> HiddenDanger:
    state = rules.State(danger.state)
    if state not in rules.OPEN_STATES:
        raise Conflict(
            Msg("a %(state)s entry is final and cannot be edited", state=state),
            errors={"state": [str(state)]},
        )
    kind = common.actor_kind()
    reason = changes.pop("reason", None)
    enterprise = session.get(Enterprise, danger.enterprise_id)
    old_severity = rules.Severity(danger.severity)
    new_severity = rules.Severity(changes.get("severity", danger.severity))
    plan = stored_plan(changes["plan"]) if "plan" in changes else danger.plan
    errors = _edit_errors(danger, kind, changes)
    errors |= rules.reclassification_errors(
        state, old_severity, new_severity, kind, plan_facts(plan), common.today()
    )
    downgrade = old_severity == rules.Severity.MAJOR and new_severity == rules.Severity.GENERAL
    if downgrade and not (reason and reason.strip()):
        # It takes the entry off the regulator's supervision: say why.
        errors.setdefault("reason", []).append(Msg("required to downgrade a major hidden danger"))
    criterion = changes.get("criterion_code", danger.criterion_code)
    if downgrade and "criterion_code" not in changes:
        criterion = None  # the criterion made it major; it goes with the downgrade
    errors |= rules.criterion_errors(new_severity, criterion, enterprise.sector)
    if "plan" in changes and new_severity == rules.Severity.MAJOR and state != S.REPORTED:
        # Once a major one is in rectification its plan must stay complete.
        errors |= {f"plan.{k}": v for k, v in rules.plan_errors(plan_facts(plan)).items()}
    if errors:
        raise Unprocessable(errors=errors)
    fields = (*WORDING, "severity", "criterion_code", "plan", "deadline")
    before = {k: getattr(danger, k) for k in fields}
    for key in ("title", "description", "location"):
        if key in changes:
            setattr(danger, key, changes[key])
    if "category" in changes:
        danger.category = str(rules.Category(changes["category"]))
    if "deadline" in changes and changes["deadline"] != danger.deadline:
        danger.deadline = changes["deadline"]  # original_deadline keeps the first one
        danger.overdue_since = None  # overdue again (and escalated) only past the new one
    danger.plan = plan
    danger.criterion_code = criterion or None
    danger.severity = str(new_severity)
    changed = sorted(k for k, v in before.items() if getattr(danger, k) != v)
    if changed:
        details = {"fields": changed}
        if new_severity != old_severity:
            details["severity"] = {"from": str(old_severity), "to": str(new_severity)}
        common.record(session, danger, "update", reason=reason, details=details)
    if new_severity != old_severity:
        if new_severity == rules.Severity.MAJOR:
            placed_under_supervision(session, danger)
        else:
            danger.supervised_at = None  # off the supervised list; the event keeps the history
            grading.request_regrade(session, danger.authority_id, danger.enterprise_id)
    return danger


def _has_fresh_evidence(session: Session, danger: HiddenDanger) -> bool:
    """Proof of this round of rectification: stored after the entry last entered it (evidence
    of a fix the acceptance already rejected does not count again)."""
    stmt = select(Evidence.id).where(
        Evidence.danger_id == danger.id,
        Evidence.stage == "rectified",
        Evidence.status == "stored",
        Evidence.created_at >= danger.state_changed_at,
    )
    return session.scalar(stmt.limit(1)) is not None


def transition(
    session: Session, danger: HiddenDanger, action, reason=None, plan=None
) -> HiddenDanger:
    action = rules.Action(action)
    kind = common.actor_kind()
    today = common.today()
    current = rules.State(danger.state)
    if plan is not None and current == S.REPORTED and action == A.START_RECTIFICATION:
        danger.plan = stored_plan(plan)  # the plan may come with the step that needs it
    elif plan is not None:
        raise Unprocessable(errors={"plan": ["a plan is sent with start_rectification only"]})
    facts = rules.Facts(
        plan=plan_facts(danger.plan),
        reason=reason,
        extension_pending=danger.extension_pending,
        today=today,
    )
    try:
        target = rules.next_state(current, action, danger.severity, kind, facts)
    except (rules.IllegalTransition, rules.PreconditionFailed) as exc:
        raise common.rules_errors(exc) from None
    if (
        action == A.SUBMIT_FOR_ACCEPTANCE
        and current_app.config["DANGER_EVIDENCE_REQUIRED"]
        and not _has_fresh_evidence(session, danger)
    ):
        # "Close them with evidence": nothing goes to acceptance without proof of the fix.
        raise Unprocessable(
            errors={"evidence": ["attach a photo or document of the fix (stage rectified) first"]}
        )
    danger.state = str(target)
    danger.state_changed_at = common.now()
    if target == S.CLOSED:
        danger.closed_at = common.now()
        danger.closed_by = tenancy.current().user_id
        danger.closed_on_time = today <= danger.deadline
    if target in rules.TERMINAL_STATES and danger.extension_pending:
        withdraw_extensions(session, danger)
    common.record(
        session,
        danger,
        action,
        from_state=str(current),
        to_state=str(target),
        reason=(reason or None),
    )
    after_step(session, danger, action)
    return danger


def withdraw_extensions(session: Session, danger: HiddenDanger) -> None:
    """A closed or cancelled entry needs no more time: its pending request is withdrawn."""
    stmt = select(DangerExtension).where(
        DangerExtension.danger_id == danger.id, DangerExtension.status == "pending"
    )
    for ext in session.scalars(stmt):
        ext.status = "withdrawn"
        ext.decided_at = common.now()
    danger.extension_pending = False


def after_step(session: Session, danger: HiddenDanger, action: rules.Action) -> None:
    major = danger.severity == str(rules.Severity.MAJOR)
    key = f"{action}:{danger.state_changed_at.isoformat()}"
    if action == A.SUBMIT_FOR_ACCEPTANCE and major:
        notify.about_danger(
            session,
            danger,
            "awaiting_review",
            f"重大事故隐患待核查销号：{danger.title}",
            key,
            regulators=True,
            enterprise_admins=False,
        )
    elif action in (A.REJECT, A.CANCEL, A.CLOSE, A.ACCEPT):
        notify.about_danger(
            session,
            danger,
            str(action),
            f"隐患{action.label_cn}：{danger.title}",
            key,
            regulators=False,
            enterprise_admins=True,
        )
    if major or action == A.CANCEL:
        grading.request_regrade(session, danger.authority_id, danger.enterprise_id)
