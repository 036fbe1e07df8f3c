"""Use cases for authorities and regions. Never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.db import new_id
from app.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.tenants.models import Authority, Region
from app.tenants.rules import RegionKind, parent_error


def create_authority(session: Session, data: dict) -> Authority:
    for field in ("name", "short_name"):
        if session.scalar(select(Authority.id).where(getattr(Authority, field) == data[field])):
            raise Conflict(errors={field: ["already used by another authority"]})
    authority = Authority(**data)
    session.add(authority)
    session.flush()
    return authority


def find_authority(session: Session, authority_id) -> Authority | None:
    return session.get(Authority, authority_id)


def active_authority_ids(session: Session) -> list:
    return list(session.scalars(select(Authority.id).where(Authority.is_active.is_(True))))


def get_authority(session: Session, authority_id) -> Authority:
    authority = find_authority(session, authority_id)
    if authority is None:
        raise NotFound("no such authority")
    return authority


IDENTITY_FIELDS = ("name", "short_name")


def update_authority(session: Session, authority: Authority, changes: dict) -> Authority:
    renamed = sorted(f for f in IDENTITY_FIELDS if f in changes)
    if renamed and not tenancy.current().platform:
        # Names are unique across the platform: only the platform may change them (a tenant
        # trying would learn which names other authorities use).
        raise Forbidden(
            "the platform operator changes an authority's names",
            errors={f: ["not editable by your role"] for f in renamed},
        )
    for field in IDENTITY_FIELDS:
        if field in changes and changes[field] != getattr(authority, field):
            taken = session.scalar(
                select(Authority.id).where(getattr(Authority, field) == changes[field])
            )
            if taken:
                raise Conflict(errors={field: ["already used by another authority"]})
    for key, value in changes.items():
        setattr(authority, key, value)
    session.flush()
    return authority


def deactivate_authority(session: Session, authority: Authority) -> Authority:
    authority.is_active = False
    session.flush()
    return authority


def within(region_id):
    """Ids of the region and every region under it (the tree is three levels deep), for
    filters that mean "in this street / community / grid"."""
    return select(Region.id).where(
        (Region.id == region_id) | (Region.parent_id == region_id) | (Region.street_id == region_id)
    )


def find_region(session: Session, region_id) -> Region | None:
    return session.get(Region, region_id) if region_id else None


def get_region(session: Session, region_id) -> Region:
    region = find_region(session, region_id)
    if region is None:
        raise NotFound("no such region")
    return region


def list_regions(session: Session, args: dict):
    stmt = select(Region)
    for key in ("kind", "parent_id", "street_id", "is_active"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Region, key) == args[key])
    if args.get("q"):
        stmt = stmt.where(Region.name.ilike(f"%{args['q']}%"))
    return stmt


def create_region(session: Session, data: dict) -> Region:
    kind = RegionKind(data["kind"])
    parent = None
    if data.get("parent_id") is not None:
        parent = find_region(session, data["parent_id"])
        if parent is None:
            raise Unprocessable(errors={"parent_id": ["no such region"]})
    error = parent_error(kind, RegionKind(parent.kind) if parent else None)
    if error:
        raise Unprocessable(errors={"parent_id": [error]})
    _check_name_free(session, parent.id if parent else None, data["name"])
    region = Region(
        authority_id=tenancy.current().authority_id,
        kind=kind.value,
        name=data["name"],
        code=data.get("code"),
        parent_id=parent.id if parent else None,
    )
    region.id = new_id()
    region.street_id = parent.street_id if parent else region.id
    session.add(region)
    session.flush()
    return region


def update_region(session: Session, region: Region, changes: dict) -> Region:
    if "name" in changes and changes["name"] != region.name:
        _check_name_free(session, region.parent_id, changes["name"])
    for key, value in changes.items():
        setattr(region, key, value)
    session.flush()
    return region


def deactivate_region(session: Session, region: Region) -> Region:
    active_children = session.scalar(
        select(Region.id).where(Region.parent_id == region.id, Region.is_active.is_(True))
    )
    if active_children:
        raise Conflict("deactivate its child regions first")
    region.is_active = False
    session.flush()
    return region


def _check_name_free(session: Session, parent_id, name: str) -> None:
    stmt = select(Region.id).where(Region.name == name)
    stmt = stmt.where(Region.parent_id == parent_id if parent_id else Region.parent_id.is_(None))
    if session.scalar(stmt):
        raise Conflict(errors={"name": ["a region with this name already sits here"]})
