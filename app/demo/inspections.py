"""Demo inspections: two checklists, a declared conflict, the year's plan with its key
enterprises and a published, executed draw (双随机), tasks, closed inspections with findings on
the ledger, one re-inspection that closed its finding, and their enforcement documents."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from app import tenancy
from app.accounts.models import User
from app.accounts.rules import Role
from app.documents.rules import Kind
from app.documents.service import issue as documents
from app.inspections.models import Task, TaskMember
from app.inspections.service import (
    closing,
    common,
    directory,
    draws,
    files,
    findings,
    plans,
    records,
    tasks,
)
from app.tenancy import Scope

HAZCHEM_ITEMS = [
    ("是否建立健全全员安全生产责任制", "《安全生产法》第二十二条", True),
    ("主要负责人、安全管理人员是否经考核合格", "《安全生产法》第二十七条", True),
    ("重大危险源是否登记建档、定期检测评估", "《安全生产法》第四十条", True),
    ("重大事故隐患是否按规定治理并报告", "《安全生产法》第四十一条", True),
    ("特种作业人员是否持证上岗", "《安全生产法》第三十条", False),
    ("可燃有毒气体检测报警设施是否完好", "GB/T 50493-2019", False),
]
GENERAL_ITEMS = [
    ("是否建立安全生产责任制", "《安全生产法》第二十二条", True),
    ("安全出口、疏散通道是否畅通", "《安全生产法》第四十二条", False),
    ("有限空间作业是否审批并检测", "《工贸企业有限空间作业安全规定》", False),
]


def _image(color) -> FileStorage:
    out = io.BytesIO()
    Image.new("RGB", (240, 120), color).save(out, "PNG")
    out.seek(0)
    return FileStorage(out, "签名.png", content_type="image/png")


def _regulator_scope(session, authority_id) -> Scope:
    user = session.scalar(select(User).where(User.username == "regulator"))
    return Scope(user_id=user.id, role=Role.AUTHORITY_ADMIN, authority_id=authority_id)


def _inspector_scope(authority_id, inspector_id) -> Scope:
    return Scope(user_id=inspector_id, role=Role.INSPECTOR, authority_id=authority_id)


def build(session: Session, authority_id, enterprises_by_name: dict) -> None:
    today = common.today()
    with tenancy.using(_regulator_scope(session, authority_id), session):
        hazchem = directory.create_checklist(
            session,
            {
                "name": "危险化学品企业安全生产执法检查表",
                "sector": "hazardous_chemicals",
                "items": [
                    {"text": t, "legal_basis": b, "must_check": m} for t, b, m in HAZCHEM_ITEMS
                ],
            },
        )
        directory.create_checklist(
            session,
            {
                "name": "工贸企业安全生产执法检查表",
                "sector": None,
                "items": [
                    {"text": t, "legal_basis": b, "must_check": m} for t, b, m in GENERAL_ITEMS
                ],
            },
        )
        inspector03 = session.scalar(select(User).where(User.username == "inspector03"))
        directory.declare_conflict(
            session,
            {
                "inspector_id": inspector03.id,
                "enterprise_id": enterprises_by_name["连云港恒瑞化工有限公司"].id,
                "kind": "former_employer",
                "reason": "2019—2022年曾在该企业任安全科长",
            },
        )
        plan = plans.create(
            session,
            {
                "year": today.year,
                "name": f"{today.year}年度安全生产监督检查计划",
                "stratify": "class_region",
                "rates": {"default": "0.25"},
                "floor_per_year": 1,
                "cap_per_year": 4,
                "key_cycle": "quarter",
                "checklist_id": hazchem.id,
                "status": "active",
            },
        )
        for name in ("江苏海晨氯碱化工有限公司", "江苏豪森医药化学有限公司"):
            plans.add_key_enterprise(session, plan, enterprises_by_name[name].id)
        plans.add_exclusion(
            session,
            plan,
            {
                "enterprise_id": enterprises_by_name["连云港天源液氨储备站"].id,
                "reason": "suspended",
                "note": "停产检修至年底",
            },
        )
        period = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
        draw = draws.commit(
            session, plan, {"period": period, "due_date": today + dt.timedelta(days=30)}
        )
        draws.execute(session, draw)
        session.flush()
    _inspections(session, authority_id, draw.id, today)


def _team_of(session, task) -> list:
    stmt = select(TaskMember.inspector_id).where(TaskMember.task_id == task.id)
    return list(session.scalars(stmt.order_by(TaskMember.position)))


def _record(session, authority_id, task, finding: str | None, started: dt.datetime):
    team = _team_of(session, task)
    lead = team[0]
    with tenancy.using(_inspector_scope(authority_id, lead), session):
        inspection, _ = records.create(
            session,
            {
                "id": uuid.uuid4(),
                "task_id": task.id,
                "started_at": started,
                "responsible_person": "安全部经理",
                "responsible_title": "安全部经理",
            },
        )
        for item in directory.items_of(session, inspection.checklist_id):
            result = "non_compliant" if finding and item.position == 3 else "compliant"
            records.put_item(session, inspection, item.id, {"result": result})
        if finding:
            findings.create_finding(
                session,
                inspection,
                {
                    "id": uuid.uuid4(),
                    "title": finding,
                    "category": "management_defect",
                    "severity": "general",
                    "legal_basis": "《安全生产法》第四十条",
                    "deadline": common.today() + dt.timedelta(days=15),
                    "latitude": "34.620000",
                    "longitude": "119.280000",
                },
            )
        _sign(session, inspection, team)
        closing.close(session, inspection, {"ended_at": started + dt.timedelta(hours=2)})
    return inspection


def _sign(session, inspection, team) -> None:
    for n, member in enumerate(team):
        files.upload(
            session,
            inspection,
            {"id": uuid.uuid4(), "kind": "signature", "signer": "inspector", "signer_id": member},
            _image((20 * n, 20, 120)),
        )
    files.upload(
        session,
        inspection,
        {"id": uuid.uuid4(), "kind": "signature", "signer": "responsible_person"},
        _image((120, 20, 20)),
    )


def _inspections(session, authority_id, draw_id, today) -> None:
    with tenancy.using(Scope(authority_id=authority_id, system=True), session):
        drawn = list(session.scalars(select(Task).where(Task.draw_id == draw_id).order_by(Task.id)))
    now = common.now()
    first = _record(
        session, authority_id, drawn[0], "重大危险源未定期检测评估", now - dt.timedelta(days=3)
    )
    second = _record(session, authority_id, drawn[1], None, now - dt.timedelta(days=2))
    # The enterprise says it has fixed the finding; the team re-inspects and closes it.
    with tenancy.using(Scope(authority_id=authority_id, system=True), session):
        task, _ = tasks.request_reinspection(session, first, note="企业申请复查")
        team = _team_of(session, task)
    with tenancy.using(_inspector_scope(authority_id, team[0]), session):
        again, _ = records.create(
            session,
            {
                "id": uuid.uuid4(),
                "task_id": task.id,
                "started_at": now - dt.timedelta(hours=3),
                "responsible_person": "安全部经理",
            },
        )
        finding = session.scalars(findings.findings(first.id)).first()
        findings.put_review(
            session, again, finding.id, {"verdict": "rectified", "note": "已完成检测评估"}
        )
        _sign(session, again, team)
        closing.close(session, again, {})
    session.flush()
    # The documents the regulator signs: the record and the order of the first inspection, the
    # record of the second, and the opinion of the re-inspection (rendered after the commit).
    with tenancy.using(_regulator_scope(session, authority_id), session):
        for inspection, kinds in (
            (first, (Kind.INSPECTION_RECORD, Kind.RECTIFICATION_ORDER)),
            (second, (Kind.INSPECTION_RECORD,)),
            (again, (Kind.REINSPECTION_OPINION,)),
        ):
            for kind in kinds:
                documents.issue(session, inspection, kind)
    session.flush()
