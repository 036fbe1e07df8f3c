"""Demo risk lists, published, so the four-color map shows every color with its reasons."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app import tenancy
from app.risks.service import grading
from app.risks.service import lists as risk_lists
from app.risks.service import points as risk_points
from app.tenancy import Scope

A = {  # assessments by residual level (LEC unless noted)
    "major": {"method": "LEC", "l": 10, "e": 6, "c": 40},
    "significant": {"method": "LEC", "l": 6, "e": 3, "c": 15},
    "general": {"method": "LEC", "l": 3, "e": 6, "c": 7},
    "low": {"method": "LS", "l": 2, "s": 2},
}

# (name, area, type, activity, hazard factors, accident type codes, inherent, residual)
POINTS = {
    "连云港恒瑞化工有限公司": [
        (
            "反应釜区",
            "合成车间",
            "equipment_facility",
            "硝化反应",
            "反应失控超温超压",
            ["WSA10014", "WSA10009"],
            "major",
            "significant",
        ),
        (
            "动火作业",
            "全厂",
            "special_operation",
            "检修动火",
            "动火点周边可燃物",
            ["WSA10009"],
            "significant",
            "general",
        ),
    ],
    "连云港康盛医药科技有限公司": [
        (
            "溶剂回收",
            "回收车间",
            "equipment_facility",
            "蒸馏回收",
            "溶剂蒸气泄漏",
            ["WSA10009", "WSA10017"],
            "significant",
            "general",
        ),
        (
            "有限空间",
            "污水站",
            "special_operation",
            "清淤",
            "硫化氢中毒窒息",
            ["WSA10023", "WSA10024"],
            "major",
            "general",
        ),
    ],
    "连云港德邦精细化工有限公司": [
        ("储罐区", "罐区", "site", "装卸", "甲苯泄漏", ["WSA10009"], "major", "major"),
    ],
    "连云港宏达金属制品有限公司": [
        (
            "冲压线",
            "冲压车间",
            "equipment_facility",
            "冲压",
            "机械伤害",
            ["WSA10004"],
            "significant",
            "low",
        ),
        (
            "行车吊装",
            "装配车间",
            "routine_operation",
            "吊装",
            "起重伤害",
            ["WSA10005"],
            "general",
            "low",
        ),
    ],
    "连云港粮油食品加工有限公司": [
        (
            "粉尘涉爆区",
            "制粉车间",
            "site",
            "制粉",
            "粉尘爆炸",
            ["WSA10018"],
            "major",
            "significant",
        ),
    ],
    "中建八局连云港开发区项目部": [
        (
            "高处作业",
            "主楼",
            "special_operation",
            "外架搭设",
            "高处坠落",
            ["WSA10010"],
            "significant",
            "general",
        ),
    ],
    "连云港开发区公交客运有限公司": [
        (
            "车辆维修",
            "保养场",
            "routine_operation",
            "维修",
            "车辆伤害",
            ["WSA10003"],
            "general",
            "low",
        ),
    ],
}


def build(session: Session, authority_id, enterprises_by_name: dict) -> None:
    session.flush()
    for enterprise_name, rows in POINTS.items():
        enterprise = enterprises_by_name[enterprise_name]
        scope = Scope(authority_id=authority_id, enterprise_id=enterprise.id, system=True)
        with tenancy.using(scope):
            for name, area, kind, activity, factors, accidents, inherent, residual in rows:
                risk_points.create(
                    session,
                    {
                        "name": name,
                        "area": area,
                        "point_type": kind,
                        "activity": activity,
                        "hazard_factors": factors,
                        "accident_types": accidents,
                        "inherent": A[inherent],
                        "residual": A[residual],
                        "measures": {
                            "engineering": "监测报警与联锁",
                            "management": "岗位巡检",
                            "training": "三级安全教育",
                            "ppe": "按规定佩戴防护用品",
                            "emergency": "现场处置方案",
                        },
                        "responsible_department": "安全环保部",
                        "responsible_person": "安全员",
                    },
                )
            risk_lists.publish(session)
            session.flush()
    with tenancy.using(Scope(authority_id=authority_id, system=True)):
        grading.recompute(session, authority_id)
