"""The dashboard, read through each domain's own service (never its api). Never writes.

About ten statements whatever the size of the ledger: the grade, the class and its explanation,
one aggregate and two short lists for the hidden dangers, the enterprise's active hazard units
(a handful per enterprise, read once; their deadlines are derived the way the register derives
them), and two for the notifications.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app import tenancy
from app.classification.service import views as classes
from app.dangers.models import HiddenDanger, Notification
from app.dangers.service import common as danger_common
from app.dangers.service import ledger, notify
from app.dashboard import rules
from app.dashboard.rules import Section
from app.enterprises import service as enterprises
from app.enterprises.models import Enterprise
from app.errors import NotFound
from app.hazards import service as hazards
from app.hazards.models import HazardSource
from app.hazards.rules.register import FilingStatus, Reevaluation
from app.risks.models import RiskColor
from app.risks.service import maps

# Most urgent first: an overdue evaluation, then one never made, then one coming due.
_REEVALUATION_ORDER = {Reevaluation.OVERDUE: 0, Reevaluation.MISSING: 1, Reevaluation.DUE_SOON: 2}


def today() -> dt.date:
    """Deadlines are calendar dates in Asia/Shanghai (the ledger's own clock)."""
    return danger_common.today()


def build(session: Session, day: dt.date | None = None) -> dict:
    """The caller's enterprise's dashboard; the sections the role does not get are None."""
    day = day or today()
    scope = tenancy.current()
    sections = rules.sections_for(scope.role)
    enterprise = enterprises.get(session, scope.enterprise_id)

    def when(section: Section, read):
        return read() if section in sections else None

    return {
        "enterprise": {"id": enterprise.id, "name": enterprise.name},
        "as_of": day,
        "sections": sorted(s.value for s in sections if s != Section.CLASS_EXPLANATION),
        "grade": when(Section.GRADE, lambda: grade(session, enterprise.id)),
        "classification": when(
            Section.CLASSIFICATION,
            lambda: classification(
                session, enterprise, explain=Section.CLASS_EXPLANATION in sections
            ),
        ),
        "hidden_dangers": when(
            Section.HIDDEN_DANGERS, lambda: hidden_dangers(session, enterprise.id, day)
        ),
        "hazard_sources": when(
            Section.HAZARD_SOURCES, lambda: hazard_sources(session, enterprise.id, day)
        ),
        "notifications": when(Section.NOTIFICATIONS, lambda: notifications(session)),
    }


def grade(session: Session, enterprise_id) -> dict | None:
    """The current four-color grade and every rule that set it; None before the first grading."""
    row = session.execute(
        maps.colors(session, {}).where(RiskColor.enterprise_id == enterprise_id)
    ).first()
    if row is None:
        return None
    color = row[0]
    return {
        "color": color.color,
        "reasons": maps.reasons(color),
        "rule_version": color.rule_version,
        "computed_at": color.computed_at,
        "changed_at": color.changed_at,
    }


def classification(session: Session, enterprise: Enterprise, *, explain: bool):
    """The current class (with its explanation for those who get it); None before the first
    classification run."""
    try:
        current, owner = classes.get(session, enterprise.id)
    except NotFound:
        return None
    return classes.view(session, current, owner, explain=explain)


def hidden_dangers(session: Session, enterprise_id, day: dt.date) -> dict:
    until = rules.due_soon_until(day)
    open_entries = ledger.list_stmt(session, {"enterprise_id": enterprise_id, "open": True})
    entries = open_entries.subquery()
    overdue_when = entries.c.deadline < day
    due_soon_when = entries.c.deadline.between(day, until)
    total, overdue, due_soon = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((overdue_when, 1), else_=0)), 0),
            func.coalesce(func.sum(case((due_soon_when, 1), else_=0)), 0),
        ).select_from(entries)
    ).one()

    def first(condition) -> list[dict]:
        stmt = (
            open_entries.where(condition)
            .order_by(HiddenDanger.deadline, HiddenDanger.id)
            .limit(rules.ITEMS_PER_LIST)
        )
        return [_danger_item(d, day) for d in session.scalars(stmt)]

    return {
        "open_count": int(total),
        "window_days": rules.DUE_SOON_DAYS,
        "due_soon_until": until,
        "overdue": {
            "count": int(overdue),
            "items": first(HiddenDanger.deadline < day),
        },
        "due_soon": {
            "count": int(due_soon),
            "items": first(HiddenDanger.deadline.between(day, until)),
        },
    }


def _danger_item(danger: HiddenDanger, day: dt.date) -> dict:
    return {
        "id": danger.id,
        "title": danger.title,
        "severity": danger.severity,
        "state": danger.state,
        "deadline": danger.deadline,
        "days_left": rules.days_left(danger.deadline, day),
        "extension_pending": danger.extension_pending,
        "supervised": danger.supervised_at is not None,
    }


def hazard_sources(session: Session, enterprise_id, day: dt.date) -> dict:
    stmt = hazards.list_sources(session, {"enterprise_id": enterprise_id, "is_active": True}, day)
    units = [
        (s, hazards.status_view(s, day)) for s in session.scalars(stmt.order_by(HazardSource.id))
    ]
    returned = [(s, v) for s, v in units if s.filing_status == FilingStatus.RETURNED]
    filing_overdue = [(s, v) for s, v in units if v["filing_overdue"]]
    # Evaluation and filing concern major hazard sources; a unit below the threshold has none.
    evaluation = sorted(
        (
            (s, v)
            for s, v in units
            if s.is_major and v["reevaluation_status"] in _REEVALUATION_ORDER
        ),
        key=lambda sv: (
            _REEVALUATION_ORDER[sv[1]["reevaluation_status"]],
            sv[0].reevaluation_due_on or dt.date.min,
        ),
    )
    by_status = {status: 0 for status in _REEVALUATION_ORDER}
    for _, view in evaluation:
        by_status[view["reevaluation_status"]] += 1

    def listed(pairs) -> dict:
        return {
            "count": len(pairs),
            "items": [_unit(s, v) for s, v in pairs[: rules.ITEMS_PER_LIST]],
        }

    return {
        "active_count": len(units),
        "major_count": sum(1 for s, _ in units if s.is_major),
        "submitted_count": sum(1 for s, _ in units if s.filing_status == FilingStatus.SUBMITTED),
        "returned": listed(returned),
        "filing_overdue": listed(filing_overdue),
        "reevaluation_due": {
            **listed(evaluation),
            "overdue": by_status[Reevaluation.OVERDUE],
            "missing": by_status[Reevaluation.MISSING],
            "due_soon": by_status[Reevaluation.DUE_SOON],
        },
    }


def _unit(source: HazardSource, view: dict) -> dict:
    return {
        "id": source.id,
        "name": source.name,
        "level": source.level,
        "is_major": source.is_major,
        "filing_status": source.filing_status,
        "filing_note": source.filing_note,
        "filing_due_on": source.filing_due_on,
        "reevaluation_status": view["reevaluation_status"],
        "reevaluation_due_on": source.reevaluation_due_on,
        "updated_at": source.updated_at,
    }


def notifications(session: Session) -> dict:
    unread = session.scalar(
        select(func.count()).select_from(notify.list_mine(session, {"unread": True}).subquery())
    )
    latest = session.scalars(
        notify.list_mine(session, {})
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(rules.LATEST_NOTIFICATIONS)
    ).all()
    return {"unread_count": int(unread or 0), "latest": list(latest)}
