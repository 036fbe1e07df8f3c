"""Factories for the inspections domain: rows built directly in the authority's system scope
(the services' own rules are tested through the API in tests/inspections/)."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select

from app import tenancy
from app.accounts.rules import Role
from app.db import commit, new_id
from app.extensions import db
from app.inspections import models as m
from app.inspections.rules import draw as drawing
from app.inspections.service import draws
from app.inspections.service import snapshot as snapshots
from app.storage import get_storage, new_key
from app.tenancy import Scope
from tests.worlds import make_user, tag


def _system(authority_id):
    return tenancy.using(Scope(authority_id=authority_id, system=True))


def _today() -> dt.date:
    return dt.date.today()


def _tiny_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 0)).save(out, "PNG")
    return out.getvalue()


def make_checklist(authority_id) -> tuple:
    with _system(authority_id):
        checklist = m.Checklist(name=f"检查表{tag()}", sector=None, is_active=True)
        db.session.add(checklist)
        db.session.flush()
        item = m.ChecklistItem(
            checklist_id=checklist.id,
            position=1,
            text="安全生产责任制",
            legal_basis="《安全生产法》第二十二条",
            must_check=True,
        )
        db.session.add(item)
        commit(db.session)
        return checklist.id, item.id


def make_plan(authority_id, *, status="active") -> object:
    checklist_id, _ = make_checklist(authority_id)
    with _system(authority_id):
        plan = m.Plan(
            year=_today().year,
            name=f"计划{tag()}",
            sectors=[],
            street_ids=[],
            stratify="none",
            rates={"default": "0.5"},
            floor_per_year=0,
            cap_per_year=4,
            key_cycle="quarter",
            team_size=2,
            checklist_id=checklist_id,
            status=status,
        )
        db.session.add(plan)
        commit(db.session)
        return plan.id


def make_key_enterprise(authority_id, enterprise_id) -> tuple:
    plan_id = make_plan(authority_id)
    with _system(authority_id):
        db.session.add(m.PlanKeyEnterprise(plan_id=plan_id, enterprise_id=enterprise_id))
        commit(db.session)
    return plan_id, enterprise_id


def make_exclusion(authority_id, enterprise_id) -> tuple:
    plan_id = make_plan(authority_id)
    with _system(authority_id):
        row = m.PlanExclusion(plan_id=plan_id, enterprise_id=enterprise_id, reason="suspended")
        db.session.add(row)
        commit(db.session)
        return plan_id, row.id


def second_inspector(authority_id):
    return make_user(authority_id, Role.INSPECTOR)[0]


def make_draw(authority_id, *, status="committed") -> object:
    """A committed draw of a fresh active plan, its snapshot from the authority's database."""
    second_inspector(authority_id)  # a team needs two
    plan_id = make_plan(authority_id)
    with _system(authority_id):
        plan = db.session.get(m.Plan, plan_id)
        due = _today() + dt.timedelta(days=30)
        snapshot = snapshots.build_snapshot(db.session, plan, str(plan.year), False, due)
        seed = drawing.new_seed()
        draw = m.Draw(
            plan_id=plan.id,
            period=f"{plan.year}-M{tag()[:2]}",
            seq=1,
            algorithm=drawing.ALGORITHM,
            status="committed",
            commitment=drawing.commitment(seed),
            seed=seed,
            snapshot=snapshot,
            snapshot_sha256=hashlib.sha256(snapshots.canonical(snapshot)).hexdigest(),
            due_date=due,
            committed_at=dt.datetime.now(dt.UTC),
        )
        db.session.add(draw)
        db.session.flush()
        if status == "drawn":
            draws.execute(db.session, draw)
        commit(db.session)
        return draw.id


def make_task(authority_id, enterprise_id, team) -> object:
    with _system(authority_id):
        checklist_id, _ = make_checklist(authority_id)
        task = m.Task(
            enterprise_id=enterprise_id,
            kind="random",
            due_date=_today() + dt.timedelta(days=20),
            dedupe_key=f"test:{new_id()}",
            checklist_id=checklist_id,
        )
        db.session.add(task)
        db.session.flush()
        for position, inspector in enumerate(team):
            db.session.add(m.TaskMember(task_id=task.id, inspector_id=inspector, position=position))
        commit(db.session)
        return task.id


def make_inspection(
    authority_id,
    enterprise_id,
    team,
    *,
    closed=False,
    finding=False,
    signed=False,
    photo=False,
    reinspection_of=None,
) -> dict:
    """An inspection by `team` (ids); optionally with a finding, the signatures a close needs,
    a stored photo, or closed."""
    checklist_id, item_id = make_checklist(authority_id)
    with _system(authority_id):
        inspection = m.Inspection(
            id=new_id(),
            enterprise_id=enterprise_id,
            checklist_id=checklist_id,
            reinspection_of=reinspection_of,
            started_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
            place="厂区",
            responsible_person="负责人",
            status="open",
            request_sha256="0" * 64,
        )
        db.session.add(inspection)
        db.session.flush()
        for position, inspector in enumerate(team):
            db.session.add(
                m.InspectionMember(
                    enterprise_id=enterprise_id,
                    inspection_id=inspection.id,
                    inspector_id=inspector,
                    position=position,
                )
            )
        db.session.add(
            m.ItemResultRow(
                enterprise_id=enterprise_id,
                inspection_id=inspection.id,
                item_id=item_id,
                result="compliant",
            )
        )
        out = {"id": inspection.id, "item_id": item_id}
        if reinspection_of is not None and closed:
            # A closed re-inspection gave its verdict on every earlier finding.
            earlier = db.session.scalars(
                select(m.Finding.id).where(m.Finding.inspection_id == reinspection_of)
            )
            for finding_id in earlier:
                db.session.add(
                    m.Review(
                        enterprise_id=enterprise_id,
                        inspection_id=inspection.id,
                        finding_id=finding_id,
                        verdict="rectified",
                    )
                )
        if finding:
            f = m.Finding(
                id=new_id(),
                enterprise_id=enterprise_id,
                inspection_id=inspection.id,
                number=1,
                title="消防通道堵塞",
                legal_basis="《安全生产法》第四十二条",
                category="unsafe_condition",
                severity="general",
                deadline=_today() + dt.timedelta(days=10),
                request_sha256="0" * 64,
            )
            db.session.add(f)
            out["finding_id"] = f.id
        files = []
        if signed:
            files += [("signature", "inspector", i) for i in team]
            files.append(("signature", "responsible_person", None))
        if photo:
            files.append(("photo", None, None))
        for kind, signer, signer_id in files:
            data = _tiny_png()
            key = new_key(
                authority_id,
                "enterprises",
                enterprise_id,
                "inspections",
                inspection.id,
                suffix=".png",
            )
            get_storage().save(key, data, "image/png")
            row = m.InspectionFile(
                id=new_id(),
                enterprise_id=enterprise_id,
                inspection_id=inspection.id,
                kind=kind,
                signer=signer,
                signer_id=signer_id,
                key=key,
                filename="f.png",
                content_type="image/png",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
            db.session.add(row)
            out["file_id"] = row.id
        if closed:
            inspection.status = "closed"
            inspection.outcome = "findings" if finding else "no_findings"
            inspection.ended_at = dt.datetime.now(dt.UTC)
            inspection.closed_at = dt.datetime.now(dt.UTC)
        commit(db.session)
    return out


def make_review_target(authority_id, enterprise_id, team) -> tuple:
    """(re-inspection id, finding id): an open re-inspection of a closed inspection's finding."""
    parent = make_inspection(authority_id, enterprise_id, team, closed=True, finding=True)
    child = make_inspection(authority_id, enterprise_id, team, reinspection_of=parent["id"])
    return child["id"], parent["finding_id"]
