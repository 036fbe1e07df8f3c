"""The daily overdue run: mark entries overdue, escalate, re-grade. Once per authority and day.

The (authority, day) row is inserted first, ON CONFLICT DO NOTHING: a second run of the same day
(two schedulers, an rq retry after a crash) inserts nothing and stops, and a concurrent one
waits on the first's uncommitted row and then stops too. Each mark is itself conditional
(overdue_since IS NULL) and each notification is unique per (user, key), so even a run without
its row changes nothing twice.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.classification.service import compute as classes
from app.dangers import rules
from app.dangers.models import HiddenDanger, OverdueRun
from app.dangers.service import common, notify
from app.db import new_id, upsertable_insert
from app.risks.service import grading


def _claim(session: Session, authority_id, day: dt.date) -> bool:
    stmt = (
        upsertable_insert(session, OverdueRun.__table__)
        .values(
            id=new_id(),
            authority_id=authority_id,
            day=day,
            ran_at=common.now(),
            marked=0,
        )
        .on_conflict_do_nothing(index_elements=["authority_id", "day"])
        .returning(OverdueRun.__table__.c.id)
    )
    return session.execute(stmt).first() is not None


def run(session: Session, authority_id, day: dt.date) -> int | None:
    """Mark what is overdue on `day` (a Shanghai date); None when the day already ran."""
    if not _claim(session, authority_id, day):
        return None
    stmt = select(HiddenDanger).where(
        HiddenDanger.authority_id == authority_id,
        HiddenDanger.state.in_([str(s) for s in rules.OPEN_STATES]),
        HiddenDanger.deadline < day,
        HiddenDanger.overdue_since.is_(None),
    )
    marked = 0
    for danger in session.scalars(stmt.order_by(HiddenDanger.id)):
        danger.overdue_since = danger.deadline + dt.timedelta(days=1)
        common.record(
            session,
            danger,
            "mark_overdue",
            actor_kind=rules.ActorKind.SYSTEM,
            details={"day": day.isoformat(), "deadline": danger.deadline.isoformat()},
        )
        targets = rules.escalation_targets(danger.severity)
        notify.about_danger(
            session,
            danger,
            "overdue",
            f"隐患整改逾期：{danger.title}",
            key=danger.deadline.isoformat(),
            body=f"整改期限 {danger.deadline.isoformat()} 已过。",
            enterprise_admins=rules.ActorKind.ENTERPRISE_ADMIN in targets,
            regulators=rules.ActorKind.REGULATOR in targets,
        )
        if danger.severity == str(rules.Severity.MAJOR):
            grading.request_regrade(session, danger.authority_id, danger.enterprise_id)
            classes.request_recompute(session, danger.authority_id, danger.enterprise_id)
        marked += 1
    session.execute(
        OverdueRun.__table__.update()
        .where(OverdueRun.authority_id == authority_id, OverdueRun.day == day)
        .values(marked=marked)
    )
    return marked
