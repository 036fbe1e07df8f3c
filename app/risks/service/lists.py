"""Publishing the risk list: a numbered, frozen version with who and when."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.errors import Conflict, NotFound
from app.risks import rules
from app.risks.models import RiskListEntry, RiskListVersion, RiskPoint
from app.risks.service import grading
from app.risks.service.points import as_export_row, own_enterprise

RANK = {"major": 4, "significant": 3, "general": 2, "low": 1}


def frozen(point: RiskPoint) -> dict:
    """The point as published: what the export writes, plus where it came from."""
    return {
        **as_export_row(point),
        "grading_version": point.grading_version,
        "risk_point_id": str(point.id),
    }


def publish(session: Session) -> RiskListVersion:
    enterprise = own_enterprise(session)
    points = list(
        session.scalars(
            select(RiskPoint).where(RiskPoint.is_active.is_(True)).order_by(RiskPoint.id)
        )
    )
    if not points:
        raise Conflict("there are no active risk points to publish")
    last = session.scalar(
        select(func.max(RiskListVersion.number)).where(
            RiskListVersion.enterprise_id == enterprise.id
        )
    )
    previous = session.scalar(
        select(RiskListVersion).where(
            RiskListVersion.enterprise_id == enterprise.id, RiskListVersion.is_current
        )
    )
    if previous is not None:
        previous.is_current = False
        session.flush()  # before the new one: one current version per enterprise
    levels = [rules.RiskLevel(p.residual_level) for p in points]
    version = RiskListVersion(
        authority_id=enterprise.authority_id,
        enterprise_id=enterprise.id,
        number=(last or 0) + 1,
        published_by=tenancy.current().user_id,
        point_count=len(points),
        highest_level=str(max(levels, key=lambda lv: lv.rank)),
        is_current=True,
    )
    session.add(version)
    session.flush()
    session.add_all(
        RiskListEntry(
            authority_id=enterprise.authority_id,
            enterprise_id=enterprise.id,
            version_id=version.id,
            risk_point_id=p.id,
            residual_rank=RANK[p.residual_level],
            data=frozen(p),
        )
        for p in points
    )
    session.flush()
    grading.request_regrade(session, enterprise.authority_id, enterprise.id)
    return version


def list_versions(session: Session, args: dict):
    stmt = select(RiskListVersion)
    for key in ("enterprise_id", "is_current"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(RiskListVersion, key) == args[key])
    return stmt


def name_publishers(session: Session, versions: list[RiskListVersion]) -> list[RiskListVersion]:
    """Each version's published_by_name: the account's display name where the caller's scope
    reads that account (an enterprise its own people), None otherwise or when the system
    published it."""
    ids = {v.published_by for v in versions if v.published_by is not None}
    query = select(User.id, User.display_name).where(User.id.in_(ids))
    names = {row.id: row.display_name for row in session.execute(query)} if ids else {}
    for version in versions:
        version.published_by_name = names.get(version.published_by)
    return versions


def get_version(session: Session, version_id) -> RiskListVersion:
    version = session.get(RiskListVersion, version_id) if version_id else None
    if version is None:
        raise NotFound("no such published risk list")
    return version


def entries(session: Session, version: RiskListVersion):
    return select(RiskListEntry).where(RiskListEntry.version_id == version.id)
