"""The register as an .xlsx workbook (Chinese headers), the way regulators keep it today."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from app.xlsx import safe_row

LEVEL_ZH = {1: "一级", 2: "二级", 3: "三级", 4: "四级", None: "—"}
KIND_ZH = {"production": "生产单元", "storage": "储存单元"}
FILING_ZH = {"draft": "未备案", "submitted": "已提交", "filed": "已备案", "returned": "已退回"}
REEVALUATION_ZH = {
    "missing": "未评估",
    "overdue": "已逾期",
    "due_soon": "即将到期",
    "current": "有效",
}
GAP_ZH = {
    "continuous_monitoring": "连续监测",
    "gas_detection": "气体检测",
    "emergency_shutdown": "紧急停车",
}

COLUMNS = (
    ("企业名称", 28),
    ("统一社会信用代码", 22),
    ("单元名称", 20),
    ("单元类型", 10),
    ("位置", 18),
    ("是否重大危险源", 14),
    ("等级", 8),
    ("R值", 10),
    ("Σq/Q", 10),
    ("α", 6),
    ("厂外暴露人数", 12),
    ("危险化学品", 40),
    ("主要负责人", 12),
    ("技术负责人", 12),
    ("操作负责人", 12),
    ("上次评估日期", 14),
    ("复评到期日", 14),
    ("复评状态", 10),
    ("备案状态", 10),
    ("备案逾期", 10),
    ("缺少的监控设施", 24),
    ("数据版本", 14),
)


def _substances(result: dict) -> str:
    parts = []
    for term in result.get("terms", []):
        label = term.get("name") or "/".join(c["symbol"] for c in term.get("categories", []))
        parts.append(f"{label} {term['quantity_t']:g}t")
    return "；".join(parts)


def workbook(rows) -> bytes:
    """rows: (enterprise, source, view) triples, view as returned by service.status_view."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("重大危险源")
    for index, (_, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    header = []
    for title, _ in COLUMNS:
        cell = _cell(ws, title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for enterprise, source, view in rows:
        ws.append(
            safe_row(
                ws,
                [
                    enterprise.name,
                    enterprise.uscc,
                    source.name,
                    KIND_ZH[source.unit_kind],
                    source.location or "",
                    "是" if source.is_major else "否",
                    LEVEL_ZH[source.level],
                    float(source.r_value),
                    float(source.sum_ratio),
                    source.result.get("alpha"),
                    source.exposed_population,
                    _substances(source.result),
                    _person(source, "principal"),
                    _person(source, "technical"),
                    _person(source, "operational"),
                    source.last_evaluated_on,
                    source.reevaluation_due_on,
                    REEVALUATION_ZH[view["reevaluation_status"]],
                    FILING_ZH[source.filing_status],
                    "是" if view["filing_overdue"] else "否",
                    "、".join(GAP_ZH[g] for g in view["monitoring_gaps"]),
                    source.data_version,
                ],
            )
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell(ws, value):
    return WriteOnlyCell(ws, value=value)


def _person(source, role: str) -> str:
    name, phone = getattr(source, f"{role}_name"), getattr(source, f"{role}_phone")
    return " ".join(p for p in (name, phone) if p)
