"""Factories: worlds of two authorities built through the services, as the API would."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from app import tenancy
from app.accounts import passwords
from app.accounts import service as accounts
from app.accounts.models import User
from app.accounts.rules import Role
from app.db import commit
from app.enterprises import service as enterprises
from app.enterprises.rules import USCC_ALPHABET, uscc_check_char
from app.extensions import db
from app.hazards import service as hazards
from app.hazards.rules.register import FilingAction
from app.risks.models import RiskListVersion
from app.risks.service import lists as risk_lists
from app.risks.service import points as risks
from app.tenancy import Scope
from app.tenants import service as tenants

PASSWORD = "correct-horse-battery"  # noqa: S105 - test accounts only
_serial = itertools.count(1)


def tag() -> str:
    return uuid.uuid4().hex[:8]


def uscc() -> str:
    n = next(_serial) * 7919 + uuid.uuid4().int % 10_000_000
    body = ""
    for _ in range(9):
        body = USCC_ALPHABET[n % 31] + body
        n //= 31
    first = "91320700" + body
    return first + uscc_check_char(first)


@dataclass
class Tenant:
    authority_id: uuid.UUID
    street1: uuid.UUID
    street2: uuid.UUID
    community1: uuid.UUID
    community2: uuid.UUID
    enterprise1: uuid.UUID
    enterprise2: uuid.UUID
    users: dict[str, uuid.UUID] = field(default_factory=dict)
    hazard_source1: uuid.UUID | None = None
    hazard_source2: uuid.UUID | None = None
    risk_point1: uuid.UUID | None = None
    risk_point2: uuid.UUID | None = None
    usernames: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    a: Tenant
    b: Tenant
    platform_username: str
    token: str | None = None

    def username(self, actor: str) -> str:
        if actor == "platform_admin":
            return self.platform_username
        return self.a.usernames[actor]


def make_authority(name: str | None = None) -> uuid.UUID:
    t = tag()
    with tenancy.using(Scope(platform=True, system=True)):
        authority = tenants.create_authority(
            db.session, {"name": name or f"测试应急管理局{t}", "short_name": f"测{t}"}
        )
        commit(db.session)
    return authority.id


def make_region(authority_id, kind: str, parent_id=None, name: str | None = None) -> uuid.UUID:
    with tenancy.using(Scope(authority_id=authority_id, system=True)):
        region = tenants.create_region(
            db.session, {"kind": kind, "name": name or f"{kind}{tag()}", "parent_id": parent_id}
        )
        commit(db.session)
    return region.id


def make_enterprise(authority_id, region_id, **extra) -> uuid.UUID:
    data = {
        "name": f"测试企业{tag()}",
        "uscc": uscc(),
        "sector": "hazardous_chemicals",
        "region_id": region_id,
        **extra,
    }
    with tenancy.using(Scope(authority_id=authority_id, system=True)):
        enterprise = enterprises.create(db.session, data)
        commit(db.session)
    return enterprise.id


def make_user(
    authority_id, role: Role, *, enterprise_id=None, street_id=None
) -> tuple[uuid.UUID, str]:
    username = f"{role.value.replace('_', '-')}-{tag()}"
    scope = (
        Scope(platform=True, system=True)
        if authority_id is None
        else Scope(authority_id=authority_id, system=True)
    )
    with tenancy.using(scope):
        user = User(
            authority_id=authority_id,
            username=username,
            display_name=username,
            role=role.value,
            enterprise_id=enterprise_id,
            street_id=street_id,
            badge_no="32070100" + tag() if role == Role.INSPECTOR else None,
            password_hash=passwords.hash_password(PASSWORD),
        )
        db.session.add(user)
        commit(db.session)
    return user.id, username


CHLORINE = [{"cas": "7782-50-5", "quantity_t": 250}]


def make_hazard_source(authority_id, enterprise_id, *, submitted=False, **extra) -> uuid.UUID:
    """A unit registered as the enterprise would (optionally evaluated and submitted)."""
    data = {
        "name": f"储罐区{tag()}",
        "unit_kind": "storage",
        "exposed_population": 120,
        "substances": CHLORINE,
        **extra,
    }
    if submitted:
        data.setdefault("last_evaluated_on", dt.date.today() - dt.timedelta(days=30))
    scope = Scope(authority_id=authority_id, enterprise_id=enterprise_id, system=True)
    with tenancy.using(scope):
        source = hazards.create(db.session, data)
        if submitted:
            hazards.transition(db.session, source, FilingAction.SUBMIT)
        commit(db.session)
    return source.id


LEC = {
    "major": {"method": "LEC", "l": 10, "e": 6, "c": 40},  # 2400
    "significant": {"method": "LEC", "l": 6, "e": 3, "c": 15},  # 270
    "general": {"method": "LEC", "l": 3, "e": 6, "c": 7},  # 126
    "low": {"method": "LEC", "l": 1, "e": 2, "c": 7},  # 14
}


def risk_point_body(level: str = "general", **extra) -> dict:
    return {
        "name": f"风险点{tag()}",
        "point_type": "equipment_facility",
        "hazard_factors": "储罐泄漏遇点火源",
        "accident_types": ["WSA10009"],
        "inherent": LEC["major"],
        "residual": LEC[level],
        "measures": {"engineering": "可燃气体检测报警", "management": "巡检制度"},
        **extra,
    }


def make_risk_list(authority_id, enterprise_id, levels=("general",), publish=True) -> list:
    """Risk points of the given residual levels, published as a version when asked."""
    scope = Scope(authority_id=authority_id, enterprise_id=enterprise_id, system=True)
    with tenancy.using(scope):
        points = [risks.create(db.session, risk_point_body(level)) for level in levels]
        if publish:
            risk_lists.publish(db.session)
        commit(db.session)
    return [p.id for p in points]


def make_risk_list_version(authority_id, enterprise_id) -> uuid.UUID:
    make_risk_list(authority_id, enterprise_id, ("general",), publish=True)
    with tenancy.using(Scope(authority_id=authority_id, system=True)):
        version_id = db.session.scalar(
            select(RiskListVersion.id).where(
                RiskListVersion.enterprise_id == enterprise_id, RiskListVersion.is_current
            )
        )
        db.session.rollback()
    return version_id


def login(username: str, password: str = PASSWORD) -> str:
    """A fresh token, through the service (the HTTP route is rate-limited)."""
    token, _ = accounts.login(db.session, username, password)
    commit(db.session)
    tenancy.set_scope(tenancy.ANONYMOUS)
    return token


def make_tenant() -> Tenant:
    authority = make_authority()
    s1 = make_region(authority, "street")
    s2 = make_region(authority, "street")
    c1 = make_region(authority, "community", s1)
    c2 = make_region(authority, "community", s2)
    e1 = make_enterprise(authority, c1)
    e2 = make_enterprise(authority, c2)
    tenant = Tenant(authority, s1, s2, c1, c2, e1, e2)
    actors = {
        "authority_admin": dict(role=Role.AUTHORITY_ADMIN),
        "regulator": dict(role=Role.REGULATOR),
        "street_regulator": dict(role=Role.REGULATOR, street_id=s1),
        "inspector": dict(role=Role.INSPECTOR),
        "enterprise_admin": dict(role=Role.ENTERPRISE_ADMIN, enterprise_id=e1),
        "enterprise_staff": dict(role=Role.ENTERPRISE_STAFF, enterprise_id=e1),
    }
    for actor, spec in actors.items():
        role = spec.pop("role")
        tenant.users[actor], tenant.usernames[actor] = make_user(authority, role, **spec)
    # Someone in the other enterprise, so "other enterprise" user rows exist to leak.
    tenant.users["other_staff"], tenant.usernames["other_staff"] = make_user(
        authority, Role.ENTERPRISE_STAFF, enterprise_id=e2
    )
    tenant.hazard_source1 = make_hazard_source(authority, e1)
    tenant.hazard_source2 = make_hazard_source(authority, e2)
    tenant.risk_point1 = make_risk_list(authority, e1, ("significant",))[0]
    tenant.risk_point2 = make_risk_list(authority, e2, ("low",))[0]
    return tenant


def build_world() -> World:
    a, b = make_tenant(), make_tenant()
    _, platform = make_user(None, Role.PLATFORM_ADMIN)
    return World(a, b, platform)


def bearer(username: str) -> dict:
    return {"Authorization": f"Bearer {login(username)}"}
