"""What the four-color map shows: current colors with reasons, roll-ups, GeoJSON, changes."""

from __future__ import annotations

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from app.enterprises.models import Enterprise
from app.risks.models import RiskColor, RiskGrade
from app.risks.service.grading import COLOR_RANK, explain
from app.tenants import service as tenants
from app.tenants.models import Region

COLORS = ("red", "orange", "yellow", "blue")


def reasons(row) -> list[dict]:
    return [
        {"rule": str(r.rule), "color": str(r.color), "detail": r.detail, "facts": dict(r.facts)}
        for r in explain(row).reasons
    ]


def colors(session: Session, args: dict):
    stmt = (
        select(RiskColor, Enterprise)
        .join(Enterprise, Enterprise.id == RiskColor.enterprise_id)
        .where(Enterprise.is_active.is_(True))
    )
    if args.get("color"):
        stmt = stmt.where(RiskColor.color == args["color"])
    return _in_area(stmt, args)


def _in_area(stmt, args: dict):
    for key in ("sector", "street_id"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Enterprise, key) == args[key])
    if args.get("region_id") is not None:
        stmt = stmt.where(Enterprise.region_id.in_(tenants.within(args["region_id"])))
    return stmt


def _tally(rows) -> dict:
    counts = dict.fromkeys(COLORS, 0)
    ungraded = 0
    for color, n in rows:
        if color is None:
            ungraded += n
        else:
            counts[color] += n
    top = max((c for c in COLORS if counts[c]), key=COLOR_RANK.get, default=None)
    return {"color": top, "counts": counts, "ungraded": ungraded}


def summary(session: Session, by: str) -> list[dict]:
    """Highest color and count per color, by region (every level), sector or authority."""
    graded = (
        select(
            Enterprise.id,
            Enterprise.sector,
            Enterprise.region_id,
            Enterprise.street_id,
            Region.parent_id,
            RiskColor.color,
        )
        .join(Region, Region.id == Enterprise.region_id)
        .outerjoin(RiskColor, RiskColor.enterprise_id == Enterprise.id)
        .where(Enterprise.is_active.is_(True))
        .subquery()
    )
    if by == "sector":
        return _grouped(session, graded.c.sector, graded)
    if by == "authority":
        rows = session.execute(select(graded.c.color, func.count()).group_by(graded.c.color)).all()
        return [{"key": "authority", "name": None, **_tally(rows)}]
    # Each enterprise counts once for its own region and once for each ancestor.
    ancestors = union_all(
        select(graded.c.id, graded.c.region_id.label("region"), graded.c.color),
        select(graded.c.id, graded.c.parent_id, graded.c.color).where(
            graded.c.parent_id.is_not(None)
        ),
        select(graded.c.id, graded.c.street_id, graded.c.color).where(
            graded.c.street_id != graded.c.region_id,
            (graded.c.parent_id.is_(None)) | (graded.c.street_id != graded.c.parent_id),
        ),
    ).subquery()
    rows = session.execute(
        select(ancestors.c.region, ancestors.c.color, func.count()).group_by(
            ancestors.c.region, ancestors.c.color
        )
    ).all()
    regions = {r.id: r for r in session.scalars(select(Region))}
    grouped: dict = {}
    for region, color, n in rows:
        grouped.setdefault(region, []).append((color, n))
    return [
        {"key": str(rid), "name": regions[rid].name, "kind": regions[rid].kind, **_tally(t)}
        for rid, t in grouped.items()
        if rid in regions
    ]


def _grouped(session: Session, column, graded) -> list[dict]:
    rows = session.execute(
        select(column, graded.c.color, func.count()).group_by(column, graded.c.color)
    ).all()
    grouped: dict = {}
    for key, color, n in rows:
        grouped.setdefault(key, []).append((color, n))
    return [{"key": key, "name": None, **_tally(t)} for key, t in sorted(grouped.items())]


def geojson(session: Session, args: dict) -> dict:
    stmt = (
        select(Enterprise, RiskColor)
        .outerjoin(RiskColor, RiskColor.enterprise_id == Enterprise.id)
        .where(
            Enterprise.is_active.is_(True),
            Enterprise.longitude.is_not(None),
            Enterprise.latitude.is_not(None),
        )
        .order_by(Enterprise.id)
    )
    stmt = _in_area(stmt, args)
    features = []
    for enterprise, grade in session.execute(stmt):
        features.append(
            {
                "type": "Feature",
                "id": str(enterprise.id),
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(enterprise.longitude), float(enterprise.latitude)],
                },
                "properties": {
                    "name": enterprise.name,
                    "sector": enterprise.sector,
                    "is_key": enterprise.is_key,
                    "color": grade.color if grade else None,
                    "reasons": reasons(grade) if grade else [],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def changes(session: Session, since):
    """Grades whose color changed at or after `since` (first grades included)."""
    return (
        select(RiskGrade)
        .where(RiskGrade.computed_at >= since)
        .where((RiskGrade.previous_color.is_(None)) | (RiskGrade.previous_color != RiskGrade.color))
    )


def history(session: Session, enterprise_id):
    return select(RiskGrade).where(RiskGrade.enterprise_id == enterprise_id)


__all__ = ["changes", "colors", "geojson", "history", "summary"]
