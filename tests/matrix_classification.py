"""The classification routes' rows of the authorization matrix, their targets and bodies."""

from __future__ import annotations

import datetime as dt

from app import tenancy
from app.classification.models import BlacklistEntry
from app.classification.service import compute
from app.db import commit
from app.extensions import db
from app.tenancy import Scope

ENTERPRISE_OWNED = {"classified", "blacklist_entry"}
REFERENCING = {"accident", "penalty", "blacklist"}
# Settings are one row per authority: a PUT replaces whatever version is current.
HEADERS = {("PUT", "/api/v1/classification-settings"): {"If-Match": "*"}}


def rows(row, STAFF, REGULATORS, ENTERPRISE, PUBLIC):
    readers = STAFF | ENTERPRISE
    reporters = REGULATORS | {"enterprise_admin"}
    one = "/api/v1/enterprise-classes/<uuid:enterprise_id>"
    return {
        ("GET", "/api/v1/accidents"): row(readers),
        ("POST", "/api/v1/accidents"): row(reporters, ok=201, body="accident"),
        ("GET", "/api/v1/enterprises/<uuid:enterprise_id>/safety-conditions"): row(
            readers, "enterprise"
        ),
        ("PUT", "/api/v1/enterprises/<uuid:enterprise_id>/safety-conditions"): row(
            reporters, "enterprise", body="conditions"
        ),
        ("GET", "/api/v1/penalties"): row(readers),
        ("POST", "/api/v1/penalties"): row(REGULATORS, ok=201, body="penalty"),
        ("GET", "/api/v1/blacklist"): row(STAFF),
        ("POST", "/api/v1/blacklist"): row(REGULATORS, ok=201, body="blacklist"),
        ("POST", "/api/v1/blacklist/<uuid:entry_id>/revoke"): row(
            REGULATORS, "blacklist_entry", body="revocation"
        ),
        ("GET", "/api/v1/public/authorities/<uuid:authority_id>/blacklist"): row(
            PUBLIC, "public_authority"
        ),
        ("GET", "/api/v1/enterprise-classes"): row(STAFF),
        ("GET", one): row(readers, "classified"),
        ("GET", f"{one}/history"): row(readers, "classified"),
        ("POST", f"{one}/override"): row(REGULATORS, "classified", body="override"),
        ("GET", "/api/v1/classification-statistics"): row(STAFF),
        ("GET", "/api/v1/enterprise-classes/export.xlsx"): row(STAFF),
        ("GET", "/api/v1/classification-settings"): row(REGULATORS),
        ("PUT", "/api/v1/classification-settings"): row(REGULATORS, body="settings"),
        ("POST", "/api/v1/classification-runs"): row(REGULATORS),
    }


def visible(actor: str, kind: str, relation: str) -> bool | None:
    return None


def target(world, actor, kind, relation, tenant, enterprise):
    a = tenant.authority_id
    if kind == "classified":
        with tenancy.using(Scope(authority_id=a, system=True)):
            compute.run(db.session, dt.date.today(), [enterprise])
            commit(db.session)
        return enterprise
    if kind == "blacklist_entry":
        with tenancy.using(Scope(authority_id=a, system=True)):
            entry = BlacklistEntry(
                enterprise_id=enterprise,
                reason="拒不整改",
                legal_basis="失信名单管理办法",
                starts_on=dt.date.today(),
                ends_on=dt.date.today() + dt.timedelta(days=30),
            )
            db.session.add(entry)
            commit(db.session)
            return entry.id
    return None


def body(name, actor, relation, world, ref):
    today = dt.date.today()
    enterprise_user = actor in ("enterprise_admin", "enterprise_staff")
    if name == "accident":
        data = {
            "occurred_on": (today - dt.timedelta(days=3)).isoformat(),
            "type_code": "WSA10004",
            "minor_injuries": 1,
            "description": "设备检修时手部轻伤",
        }
        if not enterprise_user or relation == "other_authority":
            data["enterprise_id"] = str(ref.enterprise1)
        return data
    if name == "conditions":
        return {
            "principal_certificate_expires": (today + dt.timedelta(days=200)).isoformat(),
            "insurance_expires": (today + dt.timedelta(days=200)).isoformat(),
        }
    if name == "penalty":
        return {
            "enterprise_id": str(ref.enterprise1),
            "decided_on": today.isoformat(),
            "amount": "20000.00",
            "legal_basis": "《安全生产法》第九十七条",
        }
    if name == "blacklist":
        return {
            "enterprise_id": str(ref.enterprise1),
            "reason": "拒不执行整改指令",
            "legal_basis": "失信名单管理办法",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=90)).isoformat(),
        }
    if name == "revocation":
        return {"reason": "已整改到位"}
    if name == "override":
        return {"level": "reminder", "reason": "近期多次群众举报，提高检查频次"}
    if name == "settings":
        return {"rates": {"good": "0.05", "warning": "1"}}
    return None
