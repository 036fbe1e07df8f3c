"""A re-inspection's verdict on an entry that came from an inspection finding (复查, 15号令
Art.17): the one path besides the transition table that moves an entry, because the authority's
on-site check *is* the acceptance of a general entry, whatever the enterprise has clicked.

- rectified, general: closed (recorded as an acceptance by the re-inspecting inspector), on time
  if the unit had applied for acceptance by the deadline, or the check itself was by then;
- rectified, major: stays for the regulator's close-out (销号), who is notified;
- not rectified, awaiting acceptance, or closed by the enterprise's own acceptance: back to
  rectifying (recorded as a rejection): the authority's check overrules the unit's;
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
    if state == S.CLOSED and not rectified:
        _move(session, danger, A.REJECT, S.RECTIFYING, "复查未整改，重新整改", {"reopened": True})
        return
    if state not in rules.OPEN_STATES:
        return  # closed as rectified, or cancelled meanwhile: the verdict changes nothing
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
    # "On time" is when the unit applied for acceptance (the day it entered that state), or
    # today's check: a re-inspection after the deadline must not mark an on-time fix late.
    applied = (
        rules.local_day(danger.state_changed_at)
        if current == str(S.AWAITING_ACCEPTANCE)
        else common.today()
    )
    danger.state = str(target)
    danger.state_changed_at = common.now()
    if target == S.CLOSED:
        danger.closed_at = common.now()
        danger.closed_by = tenancy.current().user_id
        danger.closed_on_time = applied <= danger.deadline
        if danger.extension_pending:
            withdraw_extensions(session, danger)
    else:  # re-opened: no longer closed
        danger.closed_at = danger.closed_by = danger.closed_on_time = None
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
