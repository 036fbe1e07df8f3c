"""Demo hidden-danger ledgers: an entry in every state, a supervised major one, an overdue one
(marked by the daily run), a pending extension, evidence, and public tip-offs (one triaged)."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from app import tenancy
from app.accounts.rules import Role
from app.dangers.service import common, evidence, extensions, ledger, overdue, steps, tipoffs
from app.tenancy import Scope

PLAN = {
    "measures": "停用并更换泄漏阀组，增设可燃气体检测联锁",
    "responsible_person": "生产副总",
    "funds": "86000.00",
    "contingency_plan": "泄漏时启动储罐区现场处置方案，疏散下风向人员",
}


def _photo(color) -> FileStorage:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(out, "JPEG", quality=80)
    out.seek(0)
    return FileStorage(out, "现场照片.jpg", content_type="image/jpeg")


def _as(authority_id, enterprise_id=None, role=Role.ENTERPRISE_ADMIN):
    return tenancy.using(
        Scope(authority_id=authority_id, enterprise_id=enterprise_id, role=role, system=True)
    )


def _entry(session, authority_id, enterprise, **data):
    base = {"category": "unsafe_condition", "severity": "general", "found_by": "安全员"}
    with _as(authority_id, enterprise.id):
        danger, _ = ledger.create(session, {**base, **data})
        session.flush()
    return danger


def _step(session, authority_id, danger, action, role=Role.ENTERPRISE_ADMIN, **kw):
    enterprise_id = danger.enterprise_id if role in (Role.ENTERPRISE_ADMIN,) else None
    with _as(authority_id, enterprise_id, role):
        steps.transition(session, danger, action, kw.get("reason"), kw.get("plan"))
        session.flush()


def _evidence(session, authority_id, danger, stage, color=(90, 140, 90)):
    with _as(authority_id, danger.enterprise_id):
        evidence.upload(session, danger, stage, _photo(color))
        session.flush()


def build(session: Session, authority_id, enterprises_by_name: dict) -> None:
    today = common.today()
    e = enterprises_by_name
    hengrui, kangsheng = e["连云港恒瑞化工有限公司"], e["连云港康盛医药科技有限公司"]
    haichen, debang = e["江苏海晨氯碱化工有限公司"], e["连云港德邦精细化工有限公司"]
    # Reported, just now.
    _entry(session, authority_id, hengrui, title="消防通道堆放物料", location="成品仓库东侧")
    # Rectifying, with evidence of what was found.
    d = _entry(session, authority_id, hengrui, title="配电室门未设挡鼠板", location="1号配电室")
    _evidence(session, authority_id, d, "found", (160, 120, 80))
    _step(session, authority_id, d, "start_rectification")
    # Awaiting acceptance, with evidence of the fix.
    d = _entry(session, authority_id, kangsheng, title="有限空间作业未检测", category="unsafe_act")
    _step(session, authority_id, d, "start_rectification")
    _evidence(session, authority_id, d, "rectified")
    _step(session, authority_id, d, "submit_for_acceptance")
    # Closed: accepted by an inspector's re-check.
    d = _entry(
        session, authority_id, kangsheng, title="应急预案未演练", category="management_defect"
    )
    _step(session, authority_id, d, "start_rectification")
    _evidence(session, authority_id, d, "rectified")
    _step(session, authority_id, d, "submit_for_acceptance")
    _step(session, authority_id, d, "accept", Role.INSPECTOR)
    # Cancelled by the regulator: a duplicate.
    d = _entry(session, authority_id, debang, title="消防通道堆放物料（重复）")
    _step(session, authority_id, d, "cancel", Role.REGULATOR, reason="与另一条重复登记")
    # A major one under supervision (挂牌督办), in rectification with the five in place.
    d = _entry(
        session,
        authority_id,
        haichen,
        title="液氯储罐区紧急切断阀失效",
        severity="major",
        criterion_code="CHEM2017-01",
        location="液氯储罐区",
    )
    plan = {**PLAN, "deadline": today + dt.timedelta(days=25)}
    _step(session, authority_id, d, "start_rectification", plan=plan)
    # A pending extension request, filed within the window before its deadline.
    d = _entry(
        session,
        authority_id,
        debang,
        title="反应釜安全阀校验过期",
        deadline=today + dt.timedelta(days=6),
    )
    with _as(authority_id, debang.id):
        extensions.request(
            session,
            d,
            {"new_deadline": today + dt.timedelta(days=20), "reason": "校验机构排期，已预约"},
        )
        session.flush()
    # Overdue: found three weeks ago with the default deadline, a major one too; the daily run
    # marks both and tells the enterprise admins and, for the major one, the regulators.
    found = dt.datetime.now(dt.UTC) - dt.timedelta(days=21)
    _entry(session, authority_id, hengrui, title="储罐防雷接地检测超期", found_at=found)
    _entry(
        session,
        authority_id,
        debang,
        title="甲类仓库超量储存",
        severity="major",
        found_at=found,
    )
    with tenancy.using(Scope(authority_id=authority_id, system=True)):
        overdue.run(session, authority_id, today)
        session.flush()
    # Public tip-offs: one waiting for triage, one turned into a ledger entry.
    with tenancy.using(tipoffs.public_scope(authority_id)):
        tipoffs.submit(
            session,
            authority_id,
            {
                "enterprise_name": "连云港鑫达涂料有限公司",
                "description": "夜间有刺鼻气味，疑似偷排",
            },
        )
        tip, _ = tipoffs.submit(
            session,
            authority_id,
            {
                "address": "开发区金苏村",
                "description": "采石场爆破后无人警戒",
                "contact": "13900001111",
            },
        )
        session.flush()
    with _as(authority_id, role=Role.REGULATOR):
        tipoffs.convert(
            session,
            tip,
            {
                "enterprise_id": e["连云港锦屏采石场"].id,
                "title": "爆破作业警戒不到位",
                "description": "爆破作业后未设警戒，群众反映",
                "category": "unsafe_act",
                "severity": "general",
            },
        )
        session.flush()
