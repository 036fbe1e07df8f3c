"""Compute classes: the facts of every (or some) enterprises of the caller's authority, scored
with the authority's model, stored as results (history) and as each enterprise's current class.
Idempotent per day: a second run with the same facts writes nothing; a triggered run after an
event rewrites that day's result of the enterprises concerned only if their facts changed. A
change of class is an audited update that notifies the enterprise's admins."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import jobs
from app.classification.models import ClassificationResult, ClassificationSettings, EnterpriseClass
from app.classification.rules import Level, Model, default_model, load_model, score
from app.classification.service import facts as facts_service
from app.dangers.service import notify
from app.db import after_commit
from app.enterprises.models import Enterprise

# Differentiated enforcement defaults (the authority's settings override them): sampling rates
# per class as the issue sets them; annual caps after the Shanxi 2025 scheme for hazardous
# chemicals by standardisation level 1/2/3/none (≤ 2/4/8/12, FACTS §5), read onto the classes.
DEFAULT_RATES = {"good": "0.05", "normal": "0.15", "reminder": "0.40", "warning": "1"}
DEFAULT_CAPS = {"good": 2, "normal": 4, "reminder": 8, "warning": 12}
# Annual floor per class (inspected at least this often when a draw enforces floors): no
# published figure; a 警示 enterprise is inspected at least once a year by default.
DEFAULT_FLOORS = {"good": 0, "normal": 0, "reminder": 0, "warning": 1}


def settings(session: Session) -> ClassificationSettings | None:
    return session.scalar(select(ClassificationSettings))


def model(session: Session) -> Model:
    row = settings(session)
    return load_model(row.model) if row is not None and row.model else default_model()


def enforcement(session: Session) -> tuple[dict, dict, dict]:
    """Rates, annual caps and annual floors per class: the defaults, overridden by the
    authority's settings (one read)."""
    row = settings(session)
    return (
        {**DEFAULT_RATES, **((row.rates or {}) if row else {})},
        {**DEFAULT_CAPS, **((row.caps or {}) if row else {})},
        {**DEFAULT_FLOORS, **((row.floors or {}) if row else {})},
    )


def _explained(result) -> dict:
    # Through JSON and back, as it is stored: a fresh explanation then compares equal to the
    # stored one exactly when nothing changed.
    return json.loads(json.dumps(result.explanation(), default=str, sort_keys=True))


def run(session: Session, as_of: dt.date, enterprise_ids=None) -> dict:
    chosen = model(session)
    stmt = select(Enterprise).where(Enterprise.is_active.is_(True))
    if enterprise_ids is not None:
        stmt = stmt.where(Enterprise.id.in_(list(enterprise_ids)))
    enterprises = list(session.scalars(stmt.order_by(Enterprise.id)))
    if not enterprises:
        return {"scored": 0, "written": 0, "changed": 0}
    ids = [e.id for e in enterprises]
    all_facts = facts_service.gather(session, enterprises, as_of)
    results = {
        r.enterprise_id: r
        for r in session.scalars(
            select(ClassificationResult).where(
                ClassificationResult.enterprise_id.in_(ids),
                ClassificationResult.as_of == as_of,
                ClassificationResult.model_version == chosen.version,
            )
        )
    }
    currents = {
        c.enterprise_id: c
        for c in session.scalars(
            select(EnterpriseClass).where(EnterpriseClass.enterprise_id.in_(ids))
        )
    }
    written = changed = 0
    for enterprise in enterprises:
        result = score(all_facts[enterprise.id], chosen)
        explanation = _explained(result)
        row = results.get(enterprise.id)
        if row is None or row.explanation != explanation:
            row = row or ClassificationResult(
                enterprise_id=enterprise.id, as_of=as_of, model_version=chosen.version
            )
            row.total = Decimal(result.total)
            row.computed_level = str(result.computed_level)
            row.level = str(result.level)
            row.explanation = explanation
            session.add(row)
            session.flush()
            written += 1
        changed += _current(session, enterprise, currents.get(enterprise.id), row, as_of)
    return {"scored": len(enterprises), "written": written, "changed": changed}


def _current(session, enterprise, current, row, as_of) -> int:
    if current is None:
        session.add(
            EnterpriseClass(
                enterprise_id=enterprise.id,
                level=row.level,
                total=row.total,
                as_of=as_of,
                model_version=row.model_version,
                result_id=row.id,
                changed_on=as_of,
            )
        )
        return 1
    if current.result_id != row.id or current.total != row.total:
        current.result_id, current.total = row.id, row.total
        current.as_of, current.model_version = as_of, row.model_version
    if current.level == row.level:
        return 0
    current.previous_level, current.level, current.changed_on = current.level, row.level, as_of
    label = Level(row.level).label_cn
    notify.to_enterprise_admins(
        session,
        enterprise.authority_id,
        enterprise.id,
        "class_changed",
        f"企业安全生产分级分类结果调整为：{label}",
        f"class:{enterprise.id}:{as_of.isoformat()}:{row.level}",
        body=f"由{Level(current.previous_level).label_cn}调整为{label}（{as_of.isoformat()}）",
    )
    return 1


def request_recompute(session: Session, authority_id, enterprise_id) -> None:
    """After an event that moves a class (an accident, a closed inspection, a major hidden danger
    opened or overdue): recompute that enterprise once the commit has succeeded. Requests for one
    enterprise collapse into one waiting job."""
    job_id = f"classify-{authority_id}-{enterprise_id}"
    after_commit(
        session,
        lambda: jobs.enqueue(
            "classification.recompute",
            authority_id=authority_id,
            job_id=job_id,
            collapse=True,
            enterprise_id=str(enterprise_id),
        ),
        key=job_id,
    )
