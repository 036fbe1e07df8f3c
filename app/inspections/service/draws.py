"""The double-random draw (双随机): freeze the pool and publish a commitment, then draw, reveal
the seed and make the tasks. The algorithm is the pure anjian-draw-v1 (rules/draw.py); this
module gathers its inputs from the database and stores what it returns.

Order of events, and why: the snapshot (candidates, strata, quotas, exclusions, inspectors,
conflicts, earlier pairs) is frozen and published with sha256(seed) *before* the seed is used,
so nobody can adjust the pool after seeing an outcome; a re-draw needs a recorded reason and a
new commitment, and every draw, superseded or not, stays published."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.errors import Conflict, NotFound, Unprocessable
from app.inspections.models import (
    Draw,
    Inspection,
    Plan,
    Task,
    TaskMember,
)
from app.inspections.rules import draw as drawing
from app.inspections.rules.enums import (
    DrawStatus,
    PlanStatus,
    TaskKind,
    TaskStatus,
)
from app.inspections.service import common
from app.inspections.service.snapshot import build_snapshot, canonical
from app.messages import Msg, Term

PERIOD = re.compile(r"(\d{4})(?:-(?:Q[1-4]|H[12]|M(?:0[1-9]|1[0-2])))?")
FEASIBILITY_DETAIL = 20


def _locked_plan(session: Session, plan: Plan) -> Plan:
    # Draws of one plan are made one at a time: the sequence number and the superseding of an
    # earlier draw depend on what is already there.
    locked = session.scalar(select(Plan).where(Plan.id == plan.id).with_for_update())
    if locked is None:
        raise NotFound("no such plan")
    return locked


def _feasibility(snapshot: dict) -> None:
    """Every enterprise that could be drawn must have a full team without a conflict; say so at
    commit time, not after the seed is spent."""
    team = snapshot["team_size"]
    inspectors = set(snapshot["inspectors"])
    if len(inspectors) < team:
        raise Unprocessable(
            errors={
                "inspectors": [
                    Msg("the directory has %(count)s active inspectors", count=len(inspectors))
                ]
            }
        )
    barred = defaultdict(set)
    for inspector, enterprise in snapshot["conflicts"]:
        barred[enterprise].add(inspector)
    short = [
        eid
        for eid in [
            *snapshot["mandatory"],
            *(c for s in snapshot["strata"] for c in s["candidates"]),
        ]
        if len(inspectors - barred[eid]) < team
    ]
    if short:
        raise Unprocessable(
            errors={
                "conflicts": [
                    Msg("fewer than %(team)s eligible inspectors for %(id)s", team=team, id=e)
                    for e in short[:FEASIBILITY_DETAIL]
                ]
            }
        )


def _period_errors(period: str, year: int) -> list[str]:
    match = PERIOD.fullmatch(period)
    if match is None:
        return [Msg('a year ("2026") or a part of it: "2026-Q1", "2026-H2", "2026-M03"')]
    if int(match.group(1)) != year:
        return [Msg("must lie in the plan's year %(year)s", year=year)]
    return []


def commit(session: Session, plan: Plan, data: dict) -> Draw:
    """Freeze the pool, choose the seed, publish the commitment; a re-draw of a period
    supersedes the earlier draw (and cancels its tasks) and must give a reason."""
    plan = _locked_plan(session, plan)
    if plan.status != PlanStatus.ACTIVE:
        # A draft plan is not published: a commitment nobody can see commits to nothing.
        raise Conflict(
            Msg(
                "the plan is %(status)s; draws are made from an active plan",
                status=Term("plan_statuses", plan.status),
            )
        )
    period, reason = data["period"], (data.get("reason") or "").strip() or None
    errors = {}
    if problems := _period_errors(period, plan.year):
        errors["period"] = problems
    if data["due_date"] < common.today():
        errors["due_date"] = [Msg("must not be in the past")]
    if errors:
        raise Unprocessable(errors=errors)
    earlier = list(
        session.scalars(
            select(Draw).where(Draw.plan_id == plan.id, Draw.period == period).order_by(Draw.seq)
        )
    )
    if earlier and reason is None:
        raise Unprocessable(errors={"reason": ["a re-draw of a period must give its reason"]})
    for old in earlier:
        if old.status != DrawStatus.SUPERSEDED:
            _supersede(session, old)
    snapshot = build_snapshot(
        session, plan, period, bool(data.get("enforce_floor")), data["due_date"]
    )
    _feasibility(snapshot)
    seed = drawing.new_seed()
    scope = tenancy.current()
    draw = Draw(
        plan_id=plan.id,
        period=period,
        seq=(earlier[-1].seq + 1) if earlier else 1,
        algorithm=drawing.ALGORITHM,
        status=str(DrawStatus.COMMITTED),
        commitment=drawing.commitment(seed),
        seed=seed,
        snapshot=snapshot,
        snapshot_sha256=hashlib.sha256(canonical(snapshot)).hexdigest(),
        due_date=data["due_date"],
        enforce_floor=bool(data.get("enforce_floor")),
        redraw_reason=reason if earlier else None,
        committed_by=scope.user_id,
        committed_at=common.now(),
    )
    try:
        with session.begin_nested():
            session.add(draw)
            session.flush()
    except IntegrityError:
        raise Conflict("another draw of this period was made at the same moment") from None
    return draw


def _supersede(session: Session, old: Draw) -> None:
    tasks = list(session.scalars(select(Task).where(Task.draw_id == old.id)))
    started = (
        session.scalar(
            select(func.count())
            .select_from(Inspection)
            .where(Inspection.task_id.in_([t.id for t in tasks]))
        )
        if tasks
        else 0
    )
    if started:
        raise Conflict(
            "inspections of this draw have started; it can no longer be re-drawn",
            errors={"draw_id": [str(old.id)]},
        )
    for task in tasks:
        if task.status == TaskStatus.OPEN:
            task.status = str(TaskStatus.CANCELLED)
            task.cancelled_reason = "superseded by a re-draw"
    old.status = str(DrawStatus.SUPERSEDED)
    old.superseded_at = common.now()


def execute(session: Session, draw: Draw) -> Draw:
    """Run anjian-draw-v1 on the frozen snapshot, reveal the seed, make the tasks."""
    if draw.status != DrawStatus.COMMITTED:
        raise Conflict(
            Msg(
                "the draw is %(status)s; only a committed draw is executed",
                status=Term("draw_statuses", draw.status),
            )
        )
    plan = _locked_plan(session, session.get(Plan, draw.plan_id))
    if plan.status != PlanStatus.ACTIVE:
        raise Conflict(
            Msg(
                "the plan is %(status)s; draws are made from an active plan",
                status=Term("plan_statuses", plan.status),
            )
        )
    try:
        result = drawing.run_draw(draw.seed, draw.snapshot)
    except drawing.AssignmentError as exc:  # checked at commit; the snapshot is frozen
        raise Unprocessable(errors={"inspectors": [exc.args[0]]}) from exc
    draw.result = result
    draw.status = str(DrawStatus.DRAWN)
    draw.drawn_at = common.now()
    draw.drawn_by = tenancy.current().user_id
    kinds = draw.snapshot.get("mandatory_kinds", {})
    for assignment in result["assignments"]:
        eid = assignment["enterprise_id"]
        task = Task(
            enterprise_id=uuid.UUID(eid),
            kind=kinds.get(eid, str(TaskKind.RANDOM)),
            plan_id=plan.id,
            draw_id=draw.id,
            checklist_id=plan.checklist_id,
            due_date=draw.due_date,
            dedupe_key=f"draw:{draw.id}:{eid}",
        )
        session.add(task)
        session.flush()
        for position, inspector in enumerate(assignment["inspectors"]):
            session.add(
                TaskMember(task_id=task.id, inspector_id=uuid.UUID(inspector), position=position)
            )
    session.flush()
    return draw


def get(session: Session, draw_id) -> Draw:
    draw = session.get(Draw, draw_id) if draw_id else None
    if draw is None:
        raise NotFound("no such draw")
    return draw


def list_stmt(plan: Plan):
    return select(Draw).where(Draw.plan_id == plan.id)


def seed_if_revealed(draw: Draw) -> str | None:
    """The seed is secret while the draw is only committed; once drawn (or superseded, drawn
    or not) it is published so the draw can be checked."""
    return None if draw.status == DrawStatus.COMMITTED else draw.seed


def certificates(session: Session, draw: Draw) -> dict[str, str]:
    """Inspector id → enforcement certificate number, for the published teams."""
    ids = {i for a in (draw.result or {}).get("assignments", []) for i in a["inspectors"]}
    if not ids:
        return {}
    users = session.scalars(select(User).where(User.id.in_([uuid.UUID(i) for i in ids])))
    return {str(u.id): u.badge_no or "" for u in users}
