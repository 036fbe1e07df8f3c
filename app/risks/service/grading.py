"""Four-color grading, set-based.

One SQL statement computes every enterprise's inputs (published risk points per residual level,
major hazard sources per level) with GROUP BYs and its color with CASE expressions built from the
versioned rule data; grades whose inputs changed are appended to the history and upserted as the
current color. The same statement, filtered to one enterprise, re-grades after a change. The pure
rule (app.risks.rules.grade_enterprise) is the specification: it explains each stored grade from
its inputs, and a test checks the SQL against it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import String, and_, case, cast, func, literal, select, text
from sqlalchemy.orm import Session

from app import jobs
from app.audit import service as audit
from app.dangers.models import HiddenDanger
from app.dangers.rules import OPEN_STATES, Severity, local_day
from app.db import after_commit, transaction_state, upsertable_insert, utcnow
from app.enterprises.models import Enterprise
from app.hazards.models import HazardSource
from app.risks import rules
from app.risks.models import RiskColor, RiskGrade, RiskListEntry, RiskListVersion

COLOR_RANK = {"blue": 1, "yellow": 2, "orange": 3, "red": 4}
RANK_COLOR = {rank: color for color, rank in COLOR_RANK.items()}
RESIDUAL = (
    ("residual_major", 4),
    ("residual_significant", 3),
    ("residual_general", 2),
    ("residual_low", 1),
)
HAZARD = (("hazard_level1", 1), ("hazard_level2", 2), ("hazard_level3", 3), ("hazard_level4", 4))
DANGERS = ("open_major_hidden_dangers", "overdue_major_hidden_dangers")
COUNTS = (*(name for name, _ in RESIDUAL + HAZARD), *DANGERS)
LEVEL_OF_RANK = {4: "major", 3: "significant", 2: "general", 1: "low"}


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _greatest(a, b):
    # SQLite has no GREATEST; a CASE reads the same on both.
    return case((a >= b, a), else_=b)


def computed(authority_id, enterprise_ids=None, rule=None, today=None):
    """SELECT enterprise_id, authority_id, <10 counts>, color, inputs_digest for the authority.

    Overdue is derived here as the ledger derives it (open, deadline before `today`, a Shanghai
    date), so a nightly recompute catches what the daily overdue job has not marked yet."""
    rule = rule or rules.default_color_rules()
    today = today or local_day(utcnow())
    e, v, h, ent = (
        RiskListEntry.__table__,
        RiskListVersion.__table__,
        HazardSource.__table__,
        Enterprise.__table__,
    )
    residual = (
        select(
            e.c.enterprise_id,
            *[_count(e.c.residual_rank == rank).label(name) for name, rank in RESIDUAL],
        )
        .select_from(e.join(v, and_(v.c.id == e.c.version_id, v.c.is_current.is_(True))))
        .where(e.c.authority_id == authority_id)
        .group_by(e.c.enterprise_id)
        .subquery()
    )
    hazard = (
        select(
            h.c.enterprise_id, *[_count(h.c.level == level).label(name) for name, level in HAZARD]
        )
        .where(h.c.authority_id == authority_id, h.c.is_active.is_(True), h.c.is_major.is_(True))
        .group_by(h.c.enterprise_id)
        .subquery()
    )
    d = HiddenDanger.__table__
    dangers = (
        select(
            d.c.enterprise_id,
            func.count().label("open_major_hidden_dangers"),
            _count(d.c.deadline < today).label("overdue_major_hidden_dangers"),
        )
        .where(
            d.c.authority_id == authority_id,
            d.c.severity == str(Severity.MAJOR),
            d.c.state.in_([str(state) for state in OPEN_STATES]),
        )
        .group_by(d.c.enterprise_id)
        .subquery()
    )
    counts = {name: func.coalesce(residual.c[name], 0) for name, _ in RESIDUAL}
    counts |= {name: func.coalesce(hazard.c[name], 0) for name, _ in HAZARD}
    counts |= {name: func.coalesce(dangers.c[name], 0) for name in DANGERS}
    baseline = COLOR_RANK[str(rule.baseline_color)]
    residual_rank = case(
        *[
            (counts[name] > 0, COLOR_RANK[str(rules.RiskLevel(LEVEL_OF_RANK[rank]).color)])
            for name, rank in RESIDUAL
        ],
        else_=baseline,
    )
    floors = rule.hazard_source_floors
    hazard_rank = case(
        *[(counts[name] > 0, COLOR_RANK[str(floors[level])]) for name, level in HAZARD],
        else_=0,
    )
    open_rank = case(
        (
            counts["open_major_hidden_dangers"] >= rule.open_danger_min_count,
            COLOR_RANK[str(rule.open_danger_floor)],
        ),
        else_=0,
    )
    overdue_rank = case(
        (
            counts["overdue_major_hidden_dangers"] >= rule.overdue_danger_min_count,
            COLOR_RANK[str(rule.overdue_danger_floor)],
        ),
        else_=0,
    )
    color_rank = _greatest(
        _greatest(residual_rank, hazard_rank), _greatest(open_rank, overdue_rank)
    )
    color = case(*[(color_rank == rank, color) for rank, color in RANK_COLOR.items()])
    key = literal(rule.version, String)
    for name in COUNTS:
        key = key + "|" + cast(counts[name], String)
    stmt = (
        select(
            ent.c.id.label("enterprise_id"),
            ent.c.authority_id,
            *[counts[name].label(name) for name in COUNTS],
            color.label("color"),
            func.anjian_sha256(key).label("inputs_digest"),
        )
        .select_from(
            ent.outerjoin(residual, residual.c.enterprise_id == ent.c.id)
            .outerjoin(hazard, hazard.c.enterprise_id == ent.c.id)
            .outerjoin(dangers, dangers.c.enterprise_id == ent.c.id)
        )
        .where(ent.c.authority_id == authority_id, ent.c.is_active.is_(True))
    )
    if enterprise_ids is not None:
        stmt = stmt.where(ent.c.id.in_(list(enterprise_ids)))
    return stmt


def recompute(session: Session, authority_id, enterprise_ids=None, now=None) -> list[dict]:
    """Grade the authority's enterprises (or some of them); returns the grades that changed."""
    rule = rules.default_color_rules()
    if session.get_bind().dialect.name == "postgresql":
        # One grading at a time per authority, until commit: each statement below then reads
        # what the previous grading committed, and a slow nightly run can never write its older
        # view over a newer re-grade (READ COMMITTED takes a snapshot per statement).
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
            {"k": f"risk-grading:{authority_id}"},
        )
    now = now or utcnow()
    c = computed(authority_id, enterprise_ids, rule, local_day(now)).cte("computed")
    cur = RiskColor.__table__
    grades = RiskGrade.__table__
    changed = (
        select(
            func.anjian_uuid(),
            c.c.authority_id,
            c.c.enterprise_id,
            c.c.color,
            cur.c.color,
            *[c.c[name] for name in COUNTS],
            c.c.inputs_digest,
            literal(rule.version, String),
            literal(now, grades.c.computed_at.type),
        )
        .select_from(c.outerjoin(cur, cur.c.enterprise_id == c.c.enterprise_id))
        .where((cur.c.id.is_(None)) | (cur.c.inputs_digest != c.c.inputs_digest))
    )
    session.execute(
        grades.insert().from_select(
            [
                "id",
                "authority_id",
                "enterprise_id",
                "color",
                "previous_color",
                *COUNTS,
                "inputs_digest",
                "rule_version",
                "computed_at",
            ],
            changed,
        )
    )
    fresh = select(grades).where(grades.c.authority_id == authority_id, grades.c.computed_at == now)
    upsert = upsertable_insert(session, cur).from_select(
        [
            "id",
            "authority_id",
            "enterprise_id",
            "color",
            *COUNTS,
            "inputs_digest",
            "rule_version",
            "computed_at",
            "changed_at",
        ],
        select(
            grades.c.id,
            grades.c.authority_id,
            grades.c.enterprise_id,
            grades.c.color,
            *[grades.c[name] for name in COUNTS],
            grades.c.inputs_digest,
            grades.c.rule_version,
            grades.c.computed_at,
            grades.c.computed_at,
        ).where(grades.c.authority_id == authority_id, grades.c.computed_at == now),
    )
    excluded = upsert.excluded
    session.execute(
        upsert.on_conflict_do_update(
            index_elements=["enterprise_id"],
            set_={
                "color": excluded.color,
                **{name: excluded[name] for name in COUNTS},
                "inputs_digest": excluded.inputs_digest,
                "rule_version": excluded.rule_version,
                "computed_at": excluded.computed_at,
                "changed_at": case(
                    (cur.c.color != excluded.color, excluded.computed_at), else_=cur.c.changed_at
                ),
            },
        )
    )
    changes = [dict(row._mapping) for row in session.execute(fresh)]
    for row in changes:
        if row["previous_color"] != row["color"]:
            # A change of color is an audited event (the set-based write is invisible to the
            # unit of work, so it is recorded explicitly).
            audit.record(
                session,
                authority_id=authority_id,
                action="update",
                entity_type="risk_colors",
                entity_id=row["enterprise_id"],
                before={"color": row["previous_color"]} if row["previous_color"] else None,
                after={"color": row["color"], "rule_version": row["rule_version"]},
            )
    return changes


def explain(row) -> rules.EnterpriseGrade:
    """The reasons of a stored grade, recomputed from its inputs by the pure rule."""
    residual = [
        level
        for name, rank in RESIDUAL
        for level in [LEVEL_OF_RANK[rank]] * int(getattr(row, name))
    ]
    hazards = [level for name, level in HAZARD for _ in range(int(getattr(row, name)))]
    return rules.grade_enterprise(
        residual,
        hazards,
        int(row.open_major_hidden_dangers or 0),
        int(row.overdue_major_hidden_dangers or 0),
    )


# --- triggers -------------------------------------------------------------------------------

_PENDING = "risks.regrade"


def request_regrade(session: Session, authority_id, enterprise_id) -> None:
    """After the commit, re-grade this enterprise; many requests in one unit of work (or while
    a job is still queued) collapse into one job."""
    pending = transaction_state(session, _PENDING)
    pending.add((str(authority_id), str(enterprise_id)))
    after_commit(session, lambda: _enqueue_pending(sorted(pending)), key=_PENDING)


def _enqueue_pending(pending: list) -> None:
    for authority_id, enterprise_id in pending:
        jobs.enqueue(
            "risks.regrade",
            authority_id=authority_id,
            job_id=f"risk-regrade-{enterprise_id}",
            collapse=True,
            enterprise_id=enterprise_id,
        )


def as_uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
