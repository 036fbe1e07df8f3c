"""Demo classification: safety conditions for every enterprise (a few expired), a fatal
accident, a penalty, a blacklisting, classes computed (all four occur), and next year's plan
whose draw uses the classes as strata with the authority's rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts.models import User
from app.accounts.rules import Role
from app.classification.service import compute, inputs
from app.inspections.service import common, draws, plans
from app.tenancy import Scope


def _regulator(session, authority_id) -> Scope:
    user = session.scalar(select(User).where(User.username == "regulator"))
    return Scope(user_id=user.id, role=Role.AUTHORITY_ADMIN, authority_id=authority_id)


def build(session: Session, authority_id, enterprises_by_name: dict) -> None:
    today = common.today()
    valid = today + dt.timedelta(days=300)
    expired = today - dt.timedelta(days=20)
    e = enterprises_by_name
    with tenancy.using(_regulator(session, authority_id), session):
        for n, enterprise in enumerate(e.values()):
            lapsed = n % 9 == 4  # a few with an expired insurance and manager certificate
            inputs.put_conditions(
                session,
                enterprise.id,
                {
                    "principal_certificate_expires": valid,
                    "safety_manager_certificates": [expired if lapsed else valid],
                    "safety_managers_required": 1,
                    "special_operators_required": 2,
                    "special_operator_certificates": [valid, valid],
                    "insurance_expires": expired if lapsed else valid,
                },
                None,
            )
        inputs.report_accident(
            session,
            {
                "enterprise_id": e["连云港新海苯胺化工有限公司"].id,
                "occurred_on": today - dt.timedelta(days=40),
                "type_code": "WSA10023",
                "deaths": 1,
                "serious_injuries": 1,
                "minor_injuries": 0,
                "direct_loss": Decimal("1850000.00"),
                "description": "苯胺精馏塔检修作业时发生中毒窒息事故，1人死亡、1人重伤。",
            },
        )
        inputs.add_penalty(
            session,
            {
                "enterprise_id": e["连云港鑫达涂料有限公司"].id,
                "decided_on": today - dt.timedelta(days=60),
                "amount": Decimal("50000.00"),
                "legal_basis": "《安全生产法》第一百零二条",
                "description": "未采取措施消除事故隐患",
            },
        )
        inputs.blacklist(
            session,
            {
                "enterprise_id": e["连云港锦屏采石场"].id,
                "reason": "拒不执行停产停业整顿决定，擅自恢复生产",
                "legal_basis": "《安全生产严重失信主体名单管理办法》第六条",
                "starts_on": today - dt.timedelta(days=10),
                "ends_on": today + dt.timedelta(days=355),
            },
        )
        compute.run(session, today)
        # Next year's plan samples by class and street at the authority's rates per class.
        plan = plans.create(
            session,
            {
                "year": today.year + 1,
                "name": f"{today.year + 1}年度安全生产监督检查计划（分级分类）",
                "stratify": "class_region",
                "cap_per_year": 12,
                "status": "active",
            },
        )
        session.flush()
        draw = draws.commit(
            session,
            plan,
            {"period": f"{today.year + 1}-Q1", "due_date": dt.date(today.year + 1, 3, 31)},
        )
        draws.execute(session, draw)
    session.flush()
