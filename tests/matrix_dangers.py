"""The hidden-danger routes' rows of the authorization matrix, their target objects and bodies
(kept apart so the matrix module stays readable; merged into POLICY there)."""

from __future__ import annotations

import datetime as dt
import io

from tests import danger_worlds as dw
from tests.worlds import make_authority

# Kinds whose objects belong to one enterprise (street regulators and enterprise users see their
# own only), and kinds anyone may address (the public tip-off routes name an authority).
ENTERPRISE_OWNED = {"danger", "evidence", "extension", "report"}
PUBLIC_KINDS = {"public_authority", "tip_off_code"}
MULTIPART = {"evidence_upload", "tip_off_photo"}
TABLES = {"danger": "hidden_dangers"}
REFERENCING = {"danger"}
PUBLIC_DIRECTORY = {"/api/v1/public/authorities"}


def rows(row, STAFF, REGULATORS, ENTERPRISE, PUBLIC):
    readers = STAFF | ENTERPRISE
    editors = REGULATORS | {"inspector", "enterprise_admin"}
    refused = {a: 409 for a in ("inspector", "enterprise_admin", "enterprise_staff")}
    base = "/api/v1/hidden-dangers"
    danger = f"{base}/<uuid:danger_id>"
    tip = "/api/v1/tip-offs/<uuid:tip_off_id>"
    public = "/api/v1/public/authorities/<uuid:authority_id>/tip-offs"
    return {
        ("GET", base): row(readers),
        ("POST", base): row(readers, ok=201, body="danger"),
        ("GET", f"{base}/supervised"): row(STAFF),
        ("GET", f"{base}/export.xlsx"): row(readers),
        ("GET", danger): row(readers, "danger"),
        ("PATCH", danger): row(editors, "danger", body="danger_patch"),
        # The route lets every reader in; the transition table then decides (409 for them).
        ("POST", f"{danger}/transitions"): row(
            readers, "danger", body="danger_cancel", ok_for=refused
        ),
        ("GET", f"{danger}/history"): row(readers, "danger"),
        ("GET", f"{danger}/extensions"): row(readers, "danger"),
        ("POST", f"{danger}/extensions"): row(
            {"enterprise_admin"}, "danger:due", ok=201, body="extension"
        ),
        ("POST", f"{danger}/extensions/<uuid:extension_id>/decision"): row(
            REGULATORS, "extension", body="extension_decision"
        ),
        ("GET", f"{danger}/evidence"): row(readers, "danger"),
        ("POST", f"{danger}/evidence"): row(
            readers, "danger", ok=201, body="evidence_upload", query="stage=found"
        ),
        ("POST", f"{danger}/evidence/uploads"): row(readers, "danger", ok=201, body="presign"),
        ("POST", "/api/v1/evidence/<uuid:evidence_id>/confirm"): row(readers, "evidence"),
        ("GET", "/api/v1/evidence/<uuid:evidence_id>/download"): row(readers, "evidence"),
        ("GET", "/api/v1/evidence/<uuid:evidence_id>/content"): row(readers, "evidence"),
        ("GET", "/api/v1/tip-offs"): row(STAFF),
        ("GET", tip): row(STAFF, "tip_off"),
        ("POST", f"{tip}/dismiss"): row(REGULATORS, "tip_off", body="dismiss"),
        ("POST", f"{tip}/convert"): row(REGULATORS, "tip_off", ok=201, body="convert"),
        ("GET", f"{tip}/photo"): row(STAFF, "tip_off:photo"),
        ("GET", f"{tip}/photo/content"): row(STAFF, "tip_off:photo"),
        ("GET", "/api/v1/public/authorities"): row(PUBLIC),
        ("POST", public): row(PUBLIC, "public_authority", ok=201, body="tip_off"),
        ("GET", f"{public}/<string:code>"): row(PUBLIC, "tip_off_code"),
        ("POST", f"{public}/<string:code>/photo"): row(
            PUBLIC, "tip_off_code", body="tip_off_photo"
        ),
        ("GET", "/api/v1/notifications"): row(readers),
        ("POST", "/api/v1/notifications/<uuid:notification_id>/read"): row(readers, "notification"),
        ("POST", "/api/v1/notifications/read-all"): row(readers),
        ("GET", "/api/v1/hidden-danger-statistics"): row(readers, query="year=2026"),
        ("GET", "/api/v1/hidden-danger-reports"): row(readers),
        ("POST", "/api/v1/hidden-danger-reports"): row({"enterprise_admin"}, ok=201, body="report"),
        ("GET", "/api/v1/hidden-danger-reports/<uuid:report_id>"): row(readers, "report"),
    }


def visible(actor: str, kind: str, relation: str) -> bool | None:
    """The product's promise for these kinds; None for kinds this module does not know."""
    if kind in PUBLIC_KINDS:
        return True
    if kind == "notification":
        return relation == "own"  # one's own notifications only
    if kind == "tip_off":
        return relation != "other_authority"
    return None


def target(world, actor, kind, relation, tenant, enterprise):
    a = tenant.authority_id
    if kind == "danger":
        return dw.make_danger(a, enterprise)
    if kind == "danger:due":
        return dw.make_danger(a, enterprise, deadline=dt.date.today() + dt.timedelta(days=5))
    if kind == "extension":
        return dw.make_extension(a, enterprise)
    if kind == "evidence":
        return dw.make_evidence(a, enterprise)
    if kind == "report":
        return dw.make_report(a, enterprise)
    if kind in PUBLIC_KINDS and relation == "other_authority":
        # Not tenant B itself: earlier rows of the matrix deactivate it as the platform admin.
        a = make_authority()
    if kind == "tip_off_code":
        return (a, dw.make_tip_off(a)[1])
    if kind in ("tip_off", "tip_off:photo"):
        tip_id, _ = dw.make_tip_off(a, photo=kind.endswith(":photo"))
        return tip_id
    if kind == "public_authority":
        return a
    if kind == "notification":
        if relation == "own" and actor in world.a.users:
            own = enterprise if actor in ("enterprise_admin", "enterprise_staff") else None
            return dw.make_notification(a, world.a.users[actor], own)
        return dw.make_notification(a, tenant.users["other_staff"], tenant.enterprise2)
    return None


def body(name, actor, relation, world, ref):
    today = dt.date.today()
    if name == "danger":
        data = {"title": "矩阵隐患", "category": "unsafe_condition", "severity": "general"}
        if actor not in ("enterprise_admin", "enterprise_staff") or relation == "other_authority":
            data["enterprise_id"] = str(ref.enterprise1)
        return data
    if name == "danger_patch":
        return {"title": "改名的隐患"}
    if name == "danger_cancel":
        return {"action": "cancel", "reason": "重复登记"}
    if name == "extension":
        return {"new_deadline": (today + dt.timedelta(days=20)).isoformat(), "reason": "延期"}
    if name == "extension_decision":
        return {"granted": False, "reason": "不予延期"}
    if name == "evidence_upload":
        return {"file": (io.BytesIO(dw.tiny_jpeg()), "现场.jpg", "image/jpeg")}
    if name == "presign":
        return {"stage": "found", "filename": "a.jpg", "content_type": "image/jpeg"}
    if name == "dismiss":
        return {"reason": "不属实"}
    if name == "convert":
        return {
            "enterprise_id": str(world.a.enterprise1),
            "title": "举报转隐患",
            "description": "核查属实",
            "category": "unsafe_act",
            "severity": "general",
        }
    if name == "tip_off":
        return {"enterprise_name": "某厂", "description": "夜间偷排"}
    if name == "tip_off_photo":
        return {"file": (io.BytesIO(dw.tiny_jpeg()), "p.jpg", "image/jpeg")}
    if name == "report":
        return {"year": 2025, "principal_name": "负责人", "confirm": True}
    return None
