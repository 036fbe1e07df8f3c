"""The grading convention, evaluation, and the working risk list (risk points)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.enterprises import service as enterprises
from app.errors import NotFound, Unprocessable
from app.risks import rules
from app.risks.models import RiskPoint, RiskSettings
from app.risks.service import grading

ASSESSED = ("inherent", "residual")


def find_settings(session: Session) -> RiskSettings | None:
    return session.scalar(select(RiskSettings))


def grading_config(session: Session) -> rules.GradingConfig:
    """The caller's authority's convention, or the documented default."""
    if tenancy.current().authority_id is None:
        return rules.default_grading_config()
    settings = find_settings(session)
    if settings is None:
        return rules.default_grading_config()
    return rules.GradingConfig.from_dict(settings.grading)


def set_grading(session: Session, data: dict) -> RiskSettings:
    try:
        config = rules.GradingConfig.from_dict(data)
    except rules.GradingConfigError as exc:
        raise Unprocessable("the grading convention is not valid", errors=_errors(exc)) from None
    settings = find_settings(session)
    if settings is None:
        settings = RiskSettings(grading=config.to_dict())
        session.add(settings)
    else:
        settings.grading = config.to_dict()
    session.flush()
    # Working lists follow the new convention at once; published versions stay as published
    # (each entry names the convention that graded it) until the enterprise publishes again.
    for point in session.scalars(select(RiskPoint).where(RiskPoint.is_active.is_(True))):
        _grade(session, point)
    session.flush()
    return settings


def _errors(exc) -> dict:
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict):
        return errors
    return {"_schema": [str(exc)]}


def evaluate(session: Session, payload: dict, field: str | None = None) -> rules.Evaluation:
    try:
        return rules.evaluate(payload, grading_config(session))
    except rules.AssessmentError as exc:
        errors = {f"{field}.{k}" if field else k: v for k, v in exc.errors.items()}
        raise Unprocessable("the assessment is not valid", errors=errors) from None


def _grade(session: Session, point: RiskPoint) -> None:
    results = {kind: evaluate(session, getattr(point, kind), kind) for kind in ASSESSED}
    inherent, residual = results["inherent"], results["residual"]
    point.inherent_score, point.inherent_level = inherent.score, str(inherent.level)
    point.residual_score, point.residual_level = residual.score, str(residual.level)
    point.color, point.control_tier = str(residual.color), str(residual.control_tier)
    point.grading_version = residual.config_version


def _accident_types(codes: list[str]) -> list[str]:
    try:
        return list(rules.validate_accident_type_codes(codes))
    except rules.AccidentTypeError as exc:
        raise Unprocessable(errors=_errors(exc)) from None


def find(session: Session, point_id) -> RiskPoint | None:
    return session.get(RiskPoint, point_id) if point_id else None


def get(session: Session, point_id) -> RiskPoint:
    point = find(session, point_id)
    if point is None:
        raise NotFound("no such risk point")
    return point


def list_points(session: Session, args: dict):
    stmt = select(RiskPoint)
    for key in (
        "enterprise_id",
        "point_type",
        "residual_level",
        "color",
        "control_status",
        "is_active",
    ):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(RiskPoint, key) == args[key])
    if args.get("q"):
        like = f"%{args['q']}%"
        stmt = stmt.where(RiskPoint.name.ilike(like) | RiskPoint.area.ilike(like))
    return stmt


def own_enterprise(session: Session):
    enterprise = enterprises.find(session, tenancy.current().enterprise_id)
    if enterprise is None or not enterprise.is_active:
        raise NotFound("no such enterprise")
    return enterprise


def create(session: Session, data: dict) -> RiskPoint:
    enterprise = own_enterprise(session)
    point = build(data, enterprise)
    _grade(session, point)
    session.add(point)
    session.flush()
    grading.request_regrade(session, point.authority_id, point.enterprise_id)
    return point


def build(data: dict, enterprise) -> RiskPoint:
    data = {**data, "accident_types": _accident_types(data.get("accident_types") or [])}
    data["control_status"] = data.get("control_status") or str(rules.ControlStatus.IN_CONTROL)
    return RiskPoint(**data, authority_id=enterprise.authority_id, enterprise_id=enterprise.id)


def update(session: Session, point: RiskPoint, changes: dict) -> RiskPoint:
    if "accident_types" in changes:
        changes = {**changes, "accident_types": _accident_types(changes["accident_types"])}
    for key, value in changes.items():
        setattr(point, key, value)
    _grade(session, point)
    session.flush()
    grading.request_regrade(session, point.authority_id, point.enterprise_id)
    return point


def deactivate(session: Session, point: RiskPoint) -> RiskPoint:
    point.is_active = False
    session.flush()
    grading.request_regrade(session, point.authority_id, point.enterprise_id)
    return point


def deactivate_all(session: Session) -> int:
    """Before a replacing import: the current working list goes inactive (kept, audited)."""
    own_enterprise(session)
    points = list(session.scalars(select(RiskPoint).where(RiskPoint.is_active.is_(True))))
    for point in points:
        point.is_active = False
    session.flush()
    return len(points)


def as_export_row(point: RiskPoint) -> dict:
    """The payload shape plus the computed grades, as the Excel export expects."""
    data = {key: getattr(point, key) for key in EXPORTED}
    for key in ("inherent_score", "residual_score"):
        data[key] = None if data[key] is None else float(data[key])
    return data


EXPORTED = (
    "code",
    "name",
    "area",
    "point_type",
    "activity",
    "hazard_factors",
    "accident_types",
    "inherent",
    "residual",
    "measures",
    "responsible_department",
    "responsible_person",
    "control_status",
    "inherent_score",
    "inherent_level",
    "residual_score",
    "residual_level",
    "color",
    "control_tier",
)


def import_rows(session: Session, rows: list[dict]) -> list[RiskPoint]:
    """All or nothing: every row was validated before; any failure here rolls the whole back."""
    enterprise = own_enterprise(session)
    created = []
    for row in rows:
        point = build(row, enterprise)
        _grade(session, point)
        session.add(point)
        created.append(point)
    session.flush()
    grading.request_regrade(session, enterprise.authority_id, enterprise.id)
    return created
