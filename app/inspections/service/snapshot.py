"""The draw's snapshot: everything anjian-draw-v1 needs and a verifier must see, read from
the database at commit time and frozen (published with the commitment, before the seed is used).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from app.classification.models import EnterpriseClass
from app.classification.service.compute import enforcement
from app.enterprises.models import Enterprise
from app.inspections.models import (
    InspectorConflict,
    Plan,
    PlanExclusion,
    PlanKeyEnterprise,
    Task,
    TaskMember,
)
from app.inspections.rules import draw as drawing
from app.inspections.rules.enums import ExclusionReason, Stratification, TaskKind, TaskStatus
from app.inspections.service import common

# An enterprise not classified yet (no class computed) is in its own stratum "default".
DEFAULT_CLASS = "default"


def class_rate(plan: Plan, klass: str, settings_rates: dict) -> str:
    """The plan's rate for the class, else its "default", else the authority's setting for the
    class (an unclassified enterprise is sampled like a normal one)."""
    rates = plan.rates or {}
    return (
        rates.get(klass)
        or rates.get("default")
        or settings_rates.get(klass)
        or settings_rates["normal"]
    )


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _year_counts(session: Session, year: int) -> dict:
    """Inspections per enterprise this year: tasks not cancelled, re-inspections not counted
    (they follow up an inspection; they are not another one)."""
    stmt = (
        select(Task.enterprise_id, func.count())
        .where(
            Task.status != str(TaskStatus.CANCELLED),
            Task.kind != str(TaskKind.REINSPECTION),
            extract("year", Task.due_date) == year,
        )
        .group_by(Task.enterprise_id)
    )
    return dict(session.execute(stmt).all())


def _prior_pairs(session: Session, plan: Plan) -> list[list[str]]:
    stmt = (
        select(TaskMember.task_id, TaskMember.inspector_id)
        .join(Task, Task.id == TaskMember.task_id)
        .where(
            Task.plan_id == plan.id,
            Task.draw_id.is_not(None),
            Task.status != str(TaskStatus.CANCELLED),
        )
    )
    teams = defaultdict(list)
    for task_id, inspector_id in session.execute(stmt):
        teams[task_id].append(str(inspector_id))
    pairs = set()
    for team in teams.values():
        team.sort()
        pairs.update((a, b) for i, a in enumerate(team) for b in team[i + 1 :])
    return [list(p) for p in sorted(pairs)]


def cycle_window(cycle: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The key-inspection cycle (month, quarter, half year, year) that contains `day`."""
    months = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}[cycle]
    first = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first, 1)
    end_month = first + months
    end = dt.date(day.year + 1, 1, 1) if end_month > 12 else dt.date(day.year, end_month, 1)
    return start, end - dt.timedelta(days=1)


def _inspected_within(session: Session, window: tuple[dt.date, dt.date]) -> set:
    stmt = select(Task.enterprise_id).where(
        Task.status != str(TaskStatus.CANCELLED),
        Task.kind != str(TaskKind.REINSPECTION),
        Task.due_date.between(*window),
    )
    return set(session.scalars(stmt))


def build_snapshot(
    session: Session, plan: Plan, period: str, enforce_floor: bool, due_date: dt.date
) -> dict:
    """Everything anjian-draw-v1 needs and a verifier must see, from the database, now."""
    stmt = select(Enterprise)
    if plan.sectors:
        stmt = stmt.where(Enterprise.sector.in_(plan.sectors))
    if plan.street_ids:
        stmt = stmt.where(Enterprise.street_id.in_([uuid.UUID(s) for s in plan.street_ids]))
    enterprises = sorted(session.scalars(stmt), key=lambda e: str(e.id))
    manual = {
        str(x.enterprise_id): str(x.reason)
        for x in session.scalars(
            select(PlanExclusion).where(
                PlanExclusion.plan_id == plan.id,
                PlanExclusion.period.is_(None) | (PlanExclusion.period == period),
            )
        )
    }
    keys = {
        str(k.enterprise_id)
        for k in session.scalars(
            select(PlanKeyEnterprise).where(PlanKeyEnterprise.plan_id == plan.id)
        )
    }
    counts = _year_counts(session, plan.year)
    today = common.today()
    classes = {
        c.enterprise_id: c.effective(today) for c in session.scalars(select(EnterpriseClass))
    }
    settings_rates, settings_caps, class_floors = enforcement(session)
    # A key enterprise is inspected once per cycle: one already inspected in the cycle of this
    # draw's due date waits for the next.
    cycle_done = _inspected_within(session, cycle_window(plan.key_cycle, due_date))
    exclusions, mandatory, mandatory_kinds = [], [], {}
    strata: dict[str, list[str]] = defaultdict(list)
    rates: dict[str, str] = {}
    for enterprise in enterprises:
        eid = str(enterprise.id)
        done = counts.get(enterprise.id, 0)
        if not enterprise.is_active:
            exclusions.append({"enterprise_id": eid, "reason": str(ExclusionReason.INACTIVE)})
        elif eid in manual:
            exclusions.append({"enterprise_id": eid, "reason": manual[eid]})
        elif done >= min(
            plan.cap_per_year,
            settings_caps.get(classes.get(enterprise.id, ""), plan.cap_per_year),
        ):
            exclusions.append({"enterprise_id": eid, "reason": str(ExclusionReason.CAP_REACHED)})
        elif eid in keys and enterprise.id in cycle_done:
            exclusions.append(
                {"enterprise_id": eid, "reason": str(ExclusionReason.INSPECTED_THIS_PERIOD)}
            )
        elif eid in keys or (
            enforce_floor
            and done < max(plan.floor_per_year, class_floors.get(classes.get(enterprise.id, ""), 0))
        ):
            kind = TaskKind.KEY if eid in keys else TaskKind.FLOOR
            mandatory.append(eid)
            mandatory_kinds[eid] = str(kind)
            exclusions.append({"enterprise_id": eid, "reason": str(ExclusionReason.MANDATORY)})
        else:
            if plan.stratify == Stratification.CLASS_REGION:
                klass = classes.get(enterprise.id, DEFAULT_CLASS)
                key = f"{klass}/{enterprise.street_id}"
            else:  # one stratum, one rate: the plan's default
                klass, key = DEFAULT_CLASS, "all"
            strata[key].append(eid)
            rates[key] = class_rate(plan, klass, settings_rates)
    inspectors = sorted(str(u.id) for u in common.directory(session))
    conflicts = sorted(
        [str(c.inspector_id), str(c.enterprise_id)]
        for c in session.scalars(
            select(InspectorConflict).where(InspectorConflict.revoked_at.is_(None))
        )
        if str(c.inspector_id) in set(inspectors)
    )
    return {
        "algorithm": drawing.ALGORITHM,
        "strata": [
            {
                "key": key,
                "rate": rates[key],
                "n": len(ids),
                "k": drawing.quota(rates[key], len(ids)),
                "candidates": ids,
            }
            for key, ids in sorted(strata.items())
        ],
        "mandatory": mandatory,
        "mandatory_kinds": mandatory_kinds,
        "inspectors": inspectors,
        "conflicts": conflicts,
        "prior_pairs": _prior_pairs(session, plan),
        "team_size": plan.team_size,
        "exclusions": exclusions,
        "parameters": {
            "plan_id": str(plan.id),
            "year": plan.year,
            "period": period,
            "stratify": str(plan.stratify),
            "rates": dict(plan.rates),
            "sectors": list(plan.sectors),
            "street_ids": list(plan.street_ids),
            "floor_per_year": plan.floor_per_year,
            "cap_per_year": plan.cap_per_year,
            "enforce_floor": enforce_floor,
            "key_cycle": plan.key_cycle,
            "due_date": due_date.isoformat(),
        },
    }
