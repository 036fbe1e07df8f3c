"""Enforcement document tests. sample() is the frozen context the service stores, filled with
realistic Chinese values; shared by the rules and render tests and bench/render.py."""

from __future__ import annotations

import base64
import io

from app.documents import rules
from app.documents.rules import Kind

AUTHORITY = {
    "name": "连云港经济技术开发区应急管理局",
    "short_name": "连开",
    "reconsideration_body": "连云港市人民政府",
    "court": "连云港市海州区人民法院",
}
FINDINGS = [
    {
        "number": 1,
        "title": "甲类仓库未设置可燃气体报警装置",
        "description": "仓库内存放甲醇约20吨，未设置可燃气体检测报警装置。",
        "legal_basis": "《中华人民共和国安全生产法》第三十六条第一款",
        "deadline": "2026-12-14",
        "location": "甲类仓库",
    },
    {
        "number": 2,
        "title": "配电室应急照明失效",
        "description": "配电室两处应急照明灯不亮。",
        "legal_basis": "《中华人民共和国安全生产法》第四十一条第二款",
        "deadline": "2026-12-06",
        "location": "配电室",
    },
]


def signature_png(seed: int = 0) -> str:
    """A small handwriting-like stroke as a PNG data URI, as the tablet sends it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 80), "white")
    points = [(10, 60), (60, 20 + seed * 5), (110, 55), (160, 15), (230, 50 - seed * 5)]
    ImageDraw.Draw(image).line(points, fill="navy", width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def sample(kind: Kind | str, code: str = "ABCD-EFGH-JKMN") -> dict:
    kind = Kind(kind)
    context = {
        "number": rules.document_number("连开", kind, 2026, 1),
        "issued_on": "2026-11-29",
        "authority": dict(AUTHORITY),
        "enterprise": {
            "name": "连云港华辰化工有限公司",
            "address": "连云港经济技术开发区大浦工业区临港路18号",
            "legal_representative": "王建国",
            "uscc": "91320791MA1W2X3Y4K",
        },
        "responsible_person": {"name": "李明", "title": "安全生产部经理"},
        "inspectors": [
            {"name": "张伟", "certificate_no": "320701000001"},
            {"name": "刘洋", "certificate_no": "320701000002"},
        ],
        "inspection": {
            "started_at": "2026-11-29 09:00",
            "ended_at": "2026-11-29 11:00",
            "place": "甲类仓库、罐区及配电室",
            "summary": "检查组依法对该单位安全生产情况进行了现场检查。",
        },
        "items": [],
        "findings": [dict(f) for f in FINDINGS],
        "signatures": {
            "inspectors": [
                {"name": "张伟", "image": signature_png(0)},
                {"name": "刘洋", "image": signature_png(1)},
            ],
            "responsible_person": signature_png(2),
            "refused_note": None,
        },
        "verification": {
            "code": code,
            "url": f"https://anjian.example.org/verify/{code}",
        },
    }
    if kind is Kind.INSPECTION_RECORD:
        context["items"] = [
            {
                "position": 1,
                "text": "危险化学品仓库是否按规定设置可燃气体报警装置",
                "legal_basis": "GB/T 50493-2019 第3.0.1条",
                "result": "non_compliant",
            },
            {
                "position": 2,
                "text": "特种作业人员是否持证上岗",
                "legal_basis": "《中华人民共和国安全生产法》第三十条",
                "result": "compliant",
            },
            {
                "position": 3,
                "text": "有限空间作业管理",
                "legal_basis": None,
                "result": "not_applicable",
            },
        ]
    if kind is Kind.REINSPECTION_OPINION:
        context["inspection"]["started_at"] = "2026-11-29 14:00"
        context["order"] = {
            "number": rules.document_number("连开", Kind.RECTIFICATION_ORDER, 2026, 1),
            "issued_on": "2026-11-20",
        }
        context["reviews"] = [
            {"number": 1, "title": FINDINGS[0]["title"], "verdict": "rectified", "note": "已安装"},
            {"number": 2, "title": FINDINGS[1]["title"], "verdict": "not_rectified", "note": None},
        ]
    return context
