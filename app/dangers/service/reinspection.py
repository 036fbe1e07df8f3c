"""A re-inspection's verdict on an entry that came from an inspection finding (复查, 15号令
Art.17): the one path besides the transition table that moves an entry, because the authority's
on-site check *is* the acceptance of a general entry, whatever the enterprise has clicked.

- rectified, general: closed (recorded as an acceptance by the re-inspecting inspector);
- rectified, major: stays for the regulator's close-out (销号), who is notified;
- not rectified, awaiting acceptance: back to rectifying (recorded as a rejection);
- not rectified otherwise: stays, with the verdict in its history.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app import tenancy
from app.dangers import rules
from app.dangers.models import HiddenDanger
from app.dangers.service import common, notify
from app.dangers.service.steps import after_step, withdraw_extensions

S, A = rules.State, rules.Action


def apply_verdict(
    session: Session, danger: HiddenDanger, rectified: bool, inspection_id, note: str | None
) -> None:
    state = rules.State(danger.state)
    if state not in rules.OPEN_STATES:
        return  # closed or cancelled meanwhile: the verdict changes nothing
    details = {"reinspection_id": str(inspection_id), "rectified": rectified}
    major = danger.severity == str(rules.Severity.MAJOR)
    label = "复查合格" if rectified else "复查未整改"
    reason = f"{label}：{note}" if note else label
    if rectified and not major:
        _move(session, danger, A.ACCEPT, S.CLOSED, reason, details)
    elif not rectified and state == S.AWAITING_ACCEPTANCE:
        _move(session, danger, A.REJECT, S.RECTIFYING, reason, details)
    else:
        common.record(session, danger, "update", reason=reason, details=details)
        if rectified and major:
            notify.about_danger(
                session,
                danger,
                "reinspection_passed",
                f"重大事故隐患复查合格，待销号：{danger.title}",
                f"reinspection:{inspection_id}",
                regulators=True,
                enterprise_admins=False,
            )


def _move(session, danger, action, target, reason, details) -> None:
    current = danger.state
    danger.state = str(target)
    danger.state_changed_at = common.now()
    if target == S.CLOSED:
        danger.closed_at = common.now()
        danger.closed_by = tenancy.current().user_id
        danger.closed_on_time = common.today() <= danger.deadline
        if danger.extension_pending:
            withdraw_extensions(session, danger)
    common.record(
        session,
        danger,
        action,
        from_state=current,
        to_state=str(target),
        reason=reason,
        details=details,
    )
    after_step(session, danger, action)
