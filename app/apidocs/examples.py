"""Request and response examples shown in the API documentation (/docs).

They are data, not decoration: tests/apidocs sends every request example through the real API
(the calculator's answer must be what the example says), so an example that stops working fails
the suite rather than misleading a reader.
"""

from __future__ import annotations

LOGIN = {"username": "ent01-admin", "password": "anjian-demo"}
TOKEN = {
    "access_token": "kX3v9Q2b7sYt...（省略）",
    "token_type": "Bearer",
    "expires_at": "2026-03-02T10:00:00+00:00",
    "expires_in": 3600,
}

# Chlorine (GB 18218 Table 1, Q = 5 t, β = 4 from Table 3) in a storage unit with 120 people
# within 500 m (α = 2): Σq/Q = 50, R = 2 × 4 × 50 = 400 → level 1.
ASSESS = {
    "unit_kind": "storage",
    "exposed_population": 120,
    "substances": [{"name": "氯", "quantity_t": 250}],
}
ASSESS_RESULT = {
    "sum_ratio": 50.0,
    "is_major": True,
    "alpha": 2.0,
    "alpha_band": "100人以上",
    "r_value": 400.0,
    "level": 1,
    "terms": [
        {
            "index": 0,
            "cas": "7782-50-5",
            "name": "氯",
            "table1_seq": 12,
            "categories": [],
            "quantity_t": 250.0,
            "critical_quantity_t": 5.0,
            "q_source": "table1",
            "q_category": None,
            "ratio": 50.0,
            "beta": 4.0,
            "beta_source": "table3",
            "beta_category": None,
            "beta_category_origin": None,
            "beta_ratio": 200.0,
        }
    ],
    "data_version": "GB18218-2018",
}

_PLAN = {
    "measures": "停用2号反应釜，拆除安全阀前的截止阀，安全阀送检校验后复装",
    "responsible_person": "王建国（生产副总）",
    "funds": "86000.00",
    "deadline": "2026-04-15",
    "contingency_plan": "停用期间物料倒空置换，设专人巡检，超压时执行现场处置方案",
}
DANGER_NEW = {
    "general": {
        "summary": "一般隐患（企业自查）",
        "value": {
            "client_id": "0195f2d4-8c1a-7b3e-9d2f-4a6b8c0e1f23",
            "title": "储罐区可燃气体报警器失效",
            "description": "2号储罐区报警器不响应标定气",
            "location": "2号储罐区",
            "category": "unsafe_condition",
            "severity": "general",
        },
    },
    "major": {
        "summary": "重大隐患，附“五到位”整改方案",
        "value": {
            "title": "2号反应釜安全阀前截止阀关闭，安全阀未投用",
            "location": "合成车间",
            "category": "unsafe_condition",
            "severity": "major",
            "criterion_code": "CHEM2017-15",
            "plan": _PLAN,
        },
    },
}
_ENTRY = {
    "id": "0195f2d4-9e77-7c21-8f0a-1b2c3d4e5f60",
    "enterprise_id": "0195f2d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
    "client_id": "0195f2d4-8c1a-7b3e-9d2f-4a6b8c0e1f23",
    "title": "储罐区可燃气体报警器失效",
    "description": "2号储罐区报警器不响应标定气",
    "location": "2号储罐区",
    "category": "unsafe_condition",
    "severity": "general",
    "source": "self_inspection",
    "found_at": "2026-03-02T01:30:00+00:00",
    "deadline": "2026-03-09",
    "original_deadline": "2026-03-09",
    "state": "reported",
    "overdue": False,
    "days_overdue": 0,
    "extension_pending": False,
    "allowed_actions": ["start_rectification", "request_extension"],
    "version": 1,
}
DANGER_PAGE = {"items": [_ENTRY], "next_cursor": None}
TRANSITIONS = {
    "start": {
        "summary": "开始整改",
        "value": {"action": "start_rectification"},
    },
    "start_major": {
        "summary": "重大隐患开始整改（须带“五到位”方案，若登记时未填）",
        "value": {"action": "start_rectification", "plan": _PLAN},
    },
    "submit": {
        "summary": "整改完成，提交验收（须先上传整改后照片）",
        "value": {"action": "submit_for_acceptance", "reason": "已更换报警器探头并标定合格"},
    },
    "reject": {
        "summary": "验收不通过，退回整改",
        "value": {"action": "reject", "reason": "报警值设定仍为出厂值，未按介质调整"},
    },
}
TRANSITIONED = {
    **_ENTRY,
    "state": "rectifying",
    "allowed_actions": ["submit_for_acceptance", "request_extension"],
    "version": 2,
}
