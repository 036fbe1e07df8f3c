"""The inspection routes' rows of the authorization matrix, their targets and bodies (merged
into POLICY in test_authorization_matrix).

Who sees what: tasks and the directory are the authority's (never an enterprise's); an
inspector sees the tasks and inspections whose team he is on (the targets here put him on it,
so the tenant and street boundaries are what each cell tests); an enterprise sees its own
inspections once closed."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from tests import document_worlds as dw
from tests import inspection_worlds as iw
from tests.worlds import make_authority

ENTERPRISE_OWNED = {
    "conflict",
    "key_enterprise",
    "exclusion",
    "task",
    "inspection",
    "inspection_open",
    "inspection_item",
    "inspection_file",
    "inspection_closable",
    "inspection_found",
    "finding",
    "review",
    "inspection_documentable",
    "document",
}
# Open records (and their parts) an enterprise never sees; closed ones it sees when its own.
OPEN_KINDS = {"inspection_open", "inspection_item", "inspection_closable", "finding", "review"}
PUBLIC_KINDS = {"public_draw", "verification"}
MULTIPART = {"inspection_file"}
TABLES = {
    "inspection_open": "inspections",
    "finding": "inspection_findings",
    "checklist": "inspection_checklists",
    "plan": "inspection_plans",
}
# Published by design (一公开): the draw names the authority's enterprises and inspectors.
# The authority's own view of a draw shows the same snapshot (what the public sees once the plan
# is active), so a street regulator reads the whole authority's pool there.
PUBLISHED = {
    "/api/v1/public/authorities/<uuid:authority_id>/inspection-draws/<uuid:draw_id>",
    "/api/v1/inspection-draws/<uuid:draw_id>",
    "/api/v1/inspection-plans/<uuid:plan_id>/draws",
}


def rows(row, STAFF, REGULATORS, ENTERPRISE, PUBLIC):
    readers = STAFF | ENTERPRISE
    writer = {"inspector"}
    # Plans and draws are the whole authority's: not a street-limited regulator's to change.
    planners = REGULATORS - {"street_regulator"}
    plan = "/api/v1/inspection-plans/<uuid:plan_id>"
    insp = "/api/v1/inspections/<uuid:inspection_id>"
    task = "/api/v1/inspection-tasks/<uuid:task_id>"
    public = "/api/v1/public/authorities/<uuid:authority_id>"
    doc = "/api/v1/documents/<uuid:document_id>"
    export = "/api/v1/document-exports/<uuid:export_id>"
    return {
        ("GET", "/api/v1/inspection-checklists"): row(STAFF),
        ("POST", "/api/v1/inspection-checklists"): row(REGULATORS, ok=201, body="checklist"),
        ("GET", "/api/v1/inspection-checklists/<uuid:checklist_id>"): row(STAFF, "checklist"),
        ("PATCH", "/api/v1/inspection-checklists/<uuid:checklist_id>"): row(
            REGULATORS, "checklist", body="checklist_patch"
        ),
        ("GET", "/api/v1/inspectors"): row(STAFF),
        ("GET", "/api/v1/inspector-conflicts"): row(STAFF),
        ("POST", "/api/v1/inspector-conflicts"): row(STAFF, ok=201, body="conflict"),
        ("POST", "/api/v1/inspector-conflicts/<uuid:conflict_id>/revoke"): row(
            REGULATORS, "conflict", body="revoke"
        ),
        ("GET", "/api/v1/inspection-plans"): row(STAFF),
        ("POST", "/api/v1/inspection-plans"): row(planners, ok=201, body="plan"),
        ("GET", plan): row(STAFF, "plan"),
        ("PATCH", plan): row(planners, "plan", body="plan_patch"),
        ("GET", f"{plan}/key-enterprises"): row(STAFF, "plan"),
        ("POST", f"{plan}/key-enterprises"): row(planners, "plan", ok=201, body="key_enterprise"),
        ("DELETE", f"{plan}/key-enterprises/<uuid:enterprise_id>"): row(
            planners, "key_enterprise", ok=204
        ),
        ("GET", f"{plan}/exclusions"): row(STAFF, "plan"),
        ("POST", f"{plan}/exclusions"): row(planners, "plan", ok=201, body="exclusion"),
        ("DELETE", f"{plan}/exclusions/<uuid:exclusion_id>"): row(planners, "exclusion", ok=204),
        ("GET", f"{plan}/draws"): row(STAFF, "plan"),
        ("POST", f"{plan}/draws"): row(planners, "plan_drawable", ok=201, body="draw"),
        ("GET", "/api/v1/inspection-draws/<uuid:draw_id>"): row(STAFF, "draw"),
        ("POST", "/api/v1/inspection-draws/<uuid:draw_id>/execute"): row(planners, "draw"),
        ("GET", "/api/v1/inspection-tasks"): row(STAFF),
        ("GET", task): row(STAFF, "task"),
        ("GET", f"{task}/bundle"): row(STAFF, "task"),
        ("GET", "/api/v1/inspections"): row(readers),
        ("POST", "/api/v1/inspections"): row(writer, ok=201, body="inspection"),
        ("GET", insp): row(readers, "inspection"),
        ("PATCH", insp): row(writer, "inspection_open", body="inspection_patch"),
        ("GET", f"{insp}/items"): row(readers, "inspection"),
        ("PUT", f"{insp}/items/<uuid:item_id>"): row(writer, "inspection_item", body="item"),
        ("GET", f"{insp}/findings"): row(readers, "inspection"),
        ("POST", f"{insp}/findings"): row(writer, "inspection_open", ok=201, body="finding"),
        ("PATCH", f"{insp}/findings/<uuid:finding_id>"): row(
            writer, "finding", body="finding_patch"
        ),
        ("PUT", f"{insp}/reviews/<uuid:finding_id>"): row(writer, "review", body="review"),
        ("GET", f"{insp}/files"): row(readers, "inspection"),
        ("POST", f"{insp}/files"): row(
            writer, "inspection_open", ok=201, body="inspection_file", query="kind=photo"
        ),
        ("GET", f"{insp}/files/<uuid:file_id>/download"): row(readers, "inspection_file"),
        ("GET", f"{insp}/files/<uuid:file_id>/content"): row(readers, "inspection_file"),
        ("POST", f"{insp}/close"): row(writer, "inspection_closable", body="close"),
        ("GET", f"{insp}/sync-status"): row(writer | REGULATORS, "inspection_open"),
        ("POST", f"{insp}/reinspection-requests"): row(
            writer | REGULATORS | {"enterprise_admin"}, "inspection_found", ok=201, body="note"
        ),
        ("GET", f"{public}/inspection-plans"): row(PUBLIC, "public_authority"),
        ("GET", f"{public}/inspection-draws/<uuid:draw_id>"): row(PUBLIC, "public_draw"),
        ("GET", f"{public}/inspection-results"): row(PUBLIC, "public_authority"),
        # Enforcement documents.
        ("POST", f"{insp}/documents"): row(
            writer | REGULATORS, "inspection_documentable", ok=201, body="issue"
        ),
        ("GET", "/api/v1/documents"): row(readers),
        ("GET", doc): row(readers, "document"),
        ("POST", f"{doc}/corrections"): row(REGULATORS, "document", ok=201, body="correction"),
        ("GET", f"{doc}/download"): row(readers, "document"),
        ("GET", f"{doc}/content"): row(readers, "document"),
        ("POST", "/api/v1/document-exports"): row(REGULATORS, ok=202, body="export"),
        ("GET", export): row(REGULATORS, "document_export"),
        ("GET", f"{export}/download"): row(REGULATORS, "document_export"),
        ("GET", f"{export}/content"): row(REGULATORS, "document_export"),
        ("GET", "/api/v1/public/documents/verify/<string:code>"): row(PUBLIC, "verification"),
    }


def visible(actor: str, kind: str, relation: str) -> bool | None:
    if kind in PUBLIC_KINDS:
        return True
    if kind in OPEN_KINDS and actor in ("enterprise_admin", "enterprise_staff"):
        return False
    return None


def _team(world, tenant):
    a = tenant.authority_id
    return [tenant.users["inspector"], iw.second_inspector(a)]


def target(world, actor, kind, relation, tenant, enterprise):
    a = tenant.authority_id
    if kind == "checklist":
        return iw.make_checklist(a)[0]
    if kind == "verification":
        return dw.make_verification()
    if kind == "document_export":
        # An export is its requester's: the actor's own, or a regulator's of tenant B.
        owner = tenant.users.get(actor) if tenant is world.a else tenant.users["regulator"]
        return dw.make_export(a, owner or tenant.users["regulator"])
    if kind == "conflict":
        return _conflict(tenant, enterprise)
    if kind in ("plan", "plan_drawable"):
        if kind == "plan_drawable":
            iw.second_inspector(a)
        return iw.make_plan(a)
    if kind == "key_enterprise":
        return iw.make_key_enterprise(a, enterprise)
    if kind == "exclusion":
        return iw.make_exclusion(a, enterprise)
    if kind == "draw":
        return iw.make_draw(a)
    if kind == "public_draw":
        if relation == "other_authority":
            a = make_authority()
            from app.accounts.rules import Role
            from tests.worlds import make_enterprise, make_region, make_user

            street = make_region(a, "street")
            make_enterprise(a, make_region(a, "community", street))
            make_user(a, Role.INSPECTOR)
        return (a, iw.make_draw(a, status="drawn"))
    if kind == "task":
        return iw.make_task(a, enterprise, _team(world, tenant))
    team = _team(world, tenant)
    if kind == "inspection":
        return iw.make_inspection(a, enterprise, team, closed=True)["id"]
    if kind == "inspection_open":
        return iw.make_inspection(a, enterprise, team)["id"]
    if kind == "inspection_item":
        made = iw.make_inspection(a, enterprise, team)
        return (made["id"], made["item_id"])
    if kind == "inspection_file":
        made = iw.make_inspection(a, enterprise, team, closed=True, photo=True)
        return (made["id"], made["file_id"])
    if kind == "inspection_closable":
        return iw.make_inspection(a, enterprise, team, signed=True)["id"]
    if kind == "inspection_found":
        return iw.make_inspection(a, enterprise, team, closed=True, finding=True)["id"]
    if kind == "finding":
        made = iw.make_inspection(a, enterprise, team, finding=True)
        return (made["id"], made["finding_id"])
    if kind == "review":
        return iw.make_review_target(a, enterprise, team)
    if kind == "inspection_documentable":
        made = iw.make_inspection(a, enterprise, team, closed=True, finding=True, signed=True)
        return made["id"]
    if kind == "document":
        # Issued by the tenant's inspector: he downloads those he issued.
        return dw.make_document(a, enterprise, tenant.users["inspector"], team)
    return None


def _conflict(tenant, enterprise):
    # A fresh inspector: the world's own must stay free to inspect enterprise 1.
    inspector = iw.second_inspector(tenant.authority_id)
    from app import tenancy
    from app.db import commit
    from app.extensions import db
    from app.inspections.models import InspectorConflict
    from app.tenancy import Scope

    with tenancy.using(Scope(authority_id=tenant.authority_id, system=True)):
        row = InspectorConflict(
            inspector_id=inspector,
            enterprise_id=enterprise,
            kind="relative",
            reason="亲属在该企业任职",
        )
        db.session.add(row)
        commit(db.session)
        return row.id


def body(name, actor, relation, world, ref):
    today = dt.date.today()
    if name == "checklist":
        return {"name": "矩阵检查表", "items": [{"text": "制度", "legal_basis": "安全生产法"}]}
    if name == "checklist_patch":
        return {"name": "改名检查表"}
    if name == "conflict":
        data = {"enterprise_id": str(ref.enterprise1), "kind": "other", "reason": "曾任顾问"}
        if actor != "inspector":
            # A fresh inspector per cell: one pair is declared once.
            data["inspector_id"] = str(iw.second_inspector(ref.authority_id))
        return data
    if name == "revoke":
        return {"reason": "已离职"}
    if name == "plan":
        return {
            "year": today.year,
            "name": f"矩阵计划{uuid.uuid4().hex[:8]}",
            "rates": {"default": "0.1"},
            "cap_per_year": 4,
        }
    if name == "plan_patch":
        return {"floor_per_year": 1}
    if name == "key_enterprise":
        return {"enterprise_id": str(ref.enterprise1)}
    if name == "exclusion":
        return {"enterprise_id": str(ref.enterprise1), "reason": "suspended", "note": "停产整顿"}
    if name == "draw":
        return {"period": str(today.year), "due_date": (today + dt.timedelta(days=30)).isoformat()}
    if name == "inspection":
        return {
            "id": str(uuid.uuid4()),
            "enterprise_id": str(ref.enterprise1),
            "inspector_ids": [
                str(ref.users["inspector"]),
                str(iw.second_inspector(ref.authority_id)),
            ],
            "started_at": dt.datetime.now(dt.UTC).isoformat(),
            "responsible_person": "负责人",
        }
    if name == "inspection_patch":
        return {"place": "二号车间"}
    if name == "item":
        return {"result": "non_compliant", "note": "未见制度文本"}
    if name == "finding":
        return {
            "id": str(uuid.uuid4()),
            "title": "安全出口锁闭",
            "category": "unsafe_condition",
            "severity": "general",
            "deadline": (today + dt.timedelta(days=7)).isoformat(),
        }
    if name == "finding_patch":
        return {"title": "安全出口被锁闭"}
    if name == "review":
        return {"verdict": "rectified"}
    if name == "inspection_file":
        return {"file": (io.BytesIO(iw._tiny_png()), "p.png", "image/png")}
    if name == "close":
        return {"summary": "未发现问题"}
    if name == "note":
        return {"note": "申请复查"}
    if name == "issue":
        return {"kind": "rectification_order"}
    if name == "correction":
        return {"reason": "整改期限有误"}
    if name == "export":
        return {"year": today.year}
    return None
