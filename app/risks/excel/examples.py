"""The rows of the template's 示例 sheet: one per assessment method, valid as they stand."""

from __future__ import annotations

from typing import Any

EXAMPLES: tuple[dict[str, Any], ...] = (
    {
        "code": "FX-001",
        "name": "液氨储罐区",
        "area": "罐区",
        "point_type": "equipment_facility",
        "activity": "液氨储罐及进出料管线",
        "hazard_factors": "储罐、管线、阀门泄漏；超压；静电积聚",
        "accident_types": ["WSA10023", "WSA10014", "WSA10026"],
        "inherent": {"method": "LEC", "l": 3, "e": 6, "c": 40},
        "residual": {"method": "LEC", "l": 1, "e": 6, "c": 15},
        "measures": {
            "engineering": "设置氨气泄漏检测报警仪、紧急切断阀和水喷淋系统",
            "management": "执行巡检制度，每班巡检两次并记录",
            "training": "岗位人员每年接受液氨安全专项培训",
            "ppe": "配备正压式空气呼吸器、重型防化服",
            "emergency": "制定液氨泄漏专项应急预案，每半年演练一次",
        },
        "responsible_department": "生产部",
        "responsible_person": "张工",
        "control_status": "in_control",
    },
    {
        "code": "FX-002",
        "name": "配电室",
        "area": "动力车间",
        "point_type": "site",
        "activity": "高低压配电柜操作与检修",
        "hazard_factors": "带电体裸露；绝缘老化；误操作",
        "accident_types": ["WSA10006", "WSA10009"],
        "inherent": {"method": "LS", "l": 4, "s": 4},
        "residual": {"method": "LS", "l": 2, "s": 4},
        "measures": {
            "engineering": "设置绝缘挡板和防误闭锁装置",
            "management": "执行工作票、操作票制度",
            "training": "电工持证上岗",
            "ppe": "绝缘手套、绝缘靴",
            "emergency": None,
        },
        "responsible_department": "设备部",
        "responsible_person": "李工",
        "control_status": "in_control",
    },
    {
        "code": "FX-003",
        "name": "储罐清罐作业",
        "area": "罐区",
        "point_type": "special_operation",
        "activity": "有限空间作业",
        "hazard_factors": "缺氧；有毒气体积聚；通风不良",
        "accident_types": ["WSA10024", "WSA10023"],
        "inherent": {"method": "DIRECT", "reason": "有限空间作业，按本企业规定直接判定为重大风险"},
        "residual": {"method": "LEC", "l": 1, "e": 2, "c": 40},
        "measures": {
            "engineering": "强制通风，连续气体检测",
            "management": "执行有限空间作业审批，先通风、再检测、后作业",
            "training": "作业人员和监护人员专项培训",
            "ppe": "正压式空气呼吸器、安全带、救生绳",
            "emergency": "现场配备救援器材，监护人不得离开",
        },
        "responsible_department": "安全环保部",
        "responsible_person": "王工",
        "control_status": "warning",
    },
)
