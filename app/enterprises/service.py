"""Use cases for enterprises. Never commits."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.rules import REGULATORS
from app.enterprises.models import Enterprise
from app.enterprises.rules import ENTERPRISE_EDITABLE, REGULATOR_EDITABLE, uscc_error
from app.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.tenants import service as tenants


def find(session: Session, enterprise_id) -> Enterprise | None:
    return session.get(Enterprise, enterprise_id) if enterprise_id else None


def get(session: Session, enterprise_id) -> Enterprise:
    enterprise = find(session, enterprise_id)
    if enterprise is None:
        raise NotFound("no such enterprise")
    return enterprise


def list_enterprises(session: Session, args: dict):
    stmt = select(Enterprise)
    for key in ("sector", "street_id", "is_key", "standardization_grade", "is_active"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Enterprise, key) == args[key])
    if args.get("region_id") is not None:
        stmt = stmt.where(Enterprise.region_id.in_(tenants.within(args["region_id"])))
    if args.get("q"):
        like = f"%{args['q']}%"
        stmt = stmt.where(Enterprise.name.ilike(like) | Enterprise.uscc.ilike(like))
    return stmt


def _region_for(session: Session, region_id):
    region = tenants.find_region(session, region_id)
    if region is None or not region.is_active:
        raise Unprocessable(errors={"region_id": ["no such region"]})
    scope = tenancy.current()
    if scope.street_id is not None and region.street_id != scope.street_id:
        # Outside a street regulator's street: the same answer as for a missing region.
        raise Unprocessable(errors={"region_id": ["no such region"]})
    return region


def _check_uscc(session: Session, uscc: str, current_id=None) -> None:
    error = uscc_error(uscc)
    if error:
        raise Unprocessable(errors={"uscc": [error]})
    # Unique within the authority only: a clash in another tenant is never revealed. A street
    # regulator is told about a clash elsewhere in its own authority (same tenant).
    wide = replace(tenancy.current(), street_id=None)
    with tenancy.using(wide):
        clash = session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc))
    if clash and clash != current_id:
        raise Conflict(
            errors={"uscc": ["an enterprise with this credit code is already registered"]}
        )


def create(session: Session, data: dict) -> Enterprise:
    _check_uscc(session, data["uscc"])
    region = _region_for(session, data["region_id"])
    enterprise = Enterprise(**data, street_id=region.street_id)
    session.add(enterprise)
    session.flush()
    return enterprise


def update(session: Session, enterprise: Enterprise, changes: dict) -> Enterprise:
    scope = tenancy.current()
    allowed = REGULATOR_EDITABLE if scope.role in REGULATORS else ENTERPRISE_EDITABLE
    refused = sorted(set(changes) - allowed)
    if refused:
        raise Forbidden(
            "these fields are edited by the regulator",
            errors={name: ["not editable by your role"] for name in refused},
        )
    if "uscc" in changes:
        _check_uscc(session, changes["uscc"], enterprise.id)
    if "region_id" in changes:
        enterprise.street_id = _region_for(session, changes["region_id"]).street_id
    for key, value in changes.items():
        setattr(enterprise, key, value)
    session.flush()
    return enterprise


def deactivate(session: Session, enterprise: Enterprise) -> Enterprise:
    enterprise.is_active = False
    session.flush()
    return enterprise
