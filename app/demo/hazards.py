"""Demo major hazard sources: a realistic register across the chemical enterprises, with every
level, one unit below the threshold, and a spread of evaluation and filing states."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app import tenancy
from app.hazards import service as hazards
from app.hazards.rules.register import FilingAction
from app.tenancy import Scope

MONITORED = {"continuous_monitoring": True, "gas_detection": True, "emergency_shutdown": True}
PEOPLE = {
    "principal_name": "总经理",
    "principal_phone": "13805180001",
    "technical_name": "技术总监",
    "technical_phone": "13805180002",
    "operational_name": "储运主管",
    "operational_phone": "13805180003",
}

# enterprise name → units: (name, kind, location, population, substances, evaluated days ago
# (None: never), filing steps, extra fields)
UNITS = {
    "江苏海晨氯碱化工有限公司": [
        (
            "液氯储罐区",
            "storage",
            "厂区东北角罐区",
            120,
            [{"name": "液氯", "quantity_t": 250}],
            400,
            ("submit", "file"),
            MONITORED,
        ),  # 250/5 × β4 × α2.0 = 400 → 一级
        (
            "氯碱电解生产单元",
            "production",
            "电解车间",
            120,
            [{"name": "氯气", "quantity_t": 30}, {"name": "氢", "quantity_t": 3}],
            1000,
            ("submit",),
            {"continuous_monitoring": True, "gas_detection": True},
        ),  # 三级
    ],
    "连云港天源液氨储备站": [
        (
            "液氨球罐区",
            "storage",
            "1号、2号球罐",
            60,
            [{"name": "液氨", "quantity_t": 300}],
            30,
            (),
            {"continuous_monitoring": True},
        ),  # 300/10 × β2 × α1.5 = 90 → 二级, gaps
    ],
    "连云港华润燃气储配站": [
        (
            "液化石油气储罐区",
            "storage",
            "储配站罐区",
            35,
            [{"name": "液化石油气", "quantity_t": 400}],
            1060,
            ("submit", "file"),
            MONITORED,
        ),
    ],
    "连云港金海甲醇储运有限公司": [
        (
            "甲醇储罐区",
            "storage",
            "码头后方罐区",
            10,
            [{"name": "甲醇", "quantity_t": 2000}],
            1200,
            ("submit", "return"),
            {},
        ),  # 四级; re-evaluation overdue; returned
    ],
    "连云港新海苯胺化工有限公司": [
        (
            "苯胺合成生产单元",
            "production",
            "合成车间",
            40,
            [{"name": "苯", "quantity_t": 120}, {"name": "甲苯", "quantity_t": 200}],
            None,
            (),
            {},
        ),  # 四级, never evaluated
    ],
    "江苏正康制药有限公司": [
        (
            "溶剂库",
            "storage",
            "甲类仓库",
            80,
            [{"name": "甲醇", "quantity_t": 300}, {"name": "乙醇", "quantity_t": 200}],
            200,
            ("submit", "file"),
            {},
        ),  # Σq/Q = 1 exactly: major, 四级
    ],
    "连云港恒瑞化工有限公司": [
        (
            "甲醇中间罐",
            "production",
            "合成车间",
            5,
            [{"name": "甲醇", "quantity_t": 100}],
            None,
            (),
            {},
        ),  # 0.2: not a major hazard source
    ],
}


def build(session: Session, authority_id, enterprises_by_name: dict) -> int:
    today = hazards.today()
    count = 0
    session.flush()  # what is pending belongs to the authority's scope, not an enterprise's
    for enterprise_name, units in UNITS.items():
        enterprise = enterprises_by_name[enterprise_name]
        scope = Scope(authority_id=authority_id, enterprise_id=enterprise.id, system=True)
        with tenancy.using(scope):
            for name, kind, location, people, substances, age, steps, extra in units:
                evaluated = today - dt.timedelta(days=age) if age is not None else None
                source = hazards.create(
                    session,
                    {
                        "name": name,
                        "unit_kind": kind,
                        "location": location,
                        "exposed_population": people,
                        "substances": substances,
                        "last_evaluated_on": evaluated,
                        **PEOPLE,
                        **extra,
                    },
                )
                for step in steps:
                    note = "评估报告缺少周边人口核查" if step == "return" else None
                    hazards.transition(session, source, FilingAction(step), note)
                count += 1
    return count
