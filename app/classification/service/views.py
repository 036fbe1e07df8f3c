"""Regulators' views of the classes: the list with each enterprise's class and why, its history,
the override, the distribution by region or sector, and the .xlsx export."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.classification.models import LEVELS, ClassificationResult, EnterpriseClass
from app.classification.rules import Level
from app.enterprises.models import Enterprise
from app.errors import NotFound
from app.inspections.service import common
from app.tenants import service as tenants
from app.tenants.models import Region


def list_stmt(args: dict):
    stmt = select(EnterpriseClass, Enterprise).join(
        Enterprise, Enterprise.id == EnterpriseClass.enterprise_id
    )
    if args.get("level") is not None:
        stmt = stmt.where(EnterpriseClass.level == args["level"])
    if args.get("sector") is not None:
        stmt = stmt.where(Enterprise.sector == args["sector"])
    if args.get("region_id") is not None:
        stmt = stmt.where(Enterprise.region_id.in_(tenants.within(args["region_id"])))
    if args.get("changed_since") is not None:
        stmt = stmt.where(
            EnterpriseClass.changed_on >= args["changed_since"],
            EnterpriseClass.previous_level.is_not(None),
        )
    return stmt


def view(session: Session, current: EnterpriseClass, enterprise: Enterprise, *, explain=False):
    current.enterprise_name = enterprise.name
    current.level_cn = Level(current.level).label_cn
    current.effective_level = current.effective(common.today())
    if explain:
        result = session.get(ClassificationResult, current.result_id)
        current.explanation = result.explanation if result else {}
    return current


def get(session: Session, enterprise_id) -> tuple[EnterpriseClass, Enterprise]:
    row = session.execute(
        list_stmt({}).where(EnterpriseClass.enterprise_id == enterprise_id)
    ).first()
    if row is None:
        raise NotFound("no class computed for this enterprise yet")
    return row[0], row[1]


def history(enterprise_id):
    return select(ClassificationResult).where(ClassificationResult.enterprise_id == enterprise_id)


def override(current: EnterpriseClass, level: str, reason: str) -> None:
    """Shown beside the computed class; it lapses at the end of the year."""
    today = common.today()
    current.override_level = level
    current.override_reason = reason
    current.override_until = dt.date(today.year, 12, 31)
    current.override_by = tenancy.current().user_id


def statistics(session: Session, by: str) -> dict:
    today = common.today()
    rows = session.execute(list_stmt({})).all()
    counts: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, str] = {}
    if by == "region":
        streets = {
            r.id: r.name for r in session.scalars(select(Region).where(Region.kind == "street"))
        }
    for current, enterprise in rows:
        key = str(enterprise.street_id) if by == "region" else enterprise.sector
        names[key] = streets.get(enterprise.street_id, "") if by == "region" else enterprise.sector
        counts[key][current.effective(today)] += 1
    return {
        "by": by,
        "groups": [
            {
                "key": key,
                "name": names[key],
                "counts": {lv: counts[key].get(lv, 0) for lv in LEVELS},
            }
            for key in sorted(counts)
        ],
    }


HEADERS = (
    "企业名称",
    "统一社会信用代码",
    "行业",
    "得分",
    "计算等级",
    "执行等级",
    "调整原因",
    "评定日期",
    "模型版本",
)


def export_rows(session: Session):
    today = common.today()
    for current, enterprise in session.execute(list_stmt({}).order_by(Enterprise.name)).all():
        yield (
            enterprise.name,
            enterprise.uscc,
            enterprise.sector,
            float(current.total),
            Level(current.level).label_cn,
            Level(current.effective(today)).label_cn,
            current.override_reason or "",
            current.as_of.isoformat(),
            current.model_version,
        )
