"""The ledger as an .xlsx workbook with Chinese headers (隐患台账)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app.dangers import rules
from app.xlsx import safe_row

COLUMNS = (
    ("企业名称", 28),
    ("统一社会信用代码", 22),
    ("隐患名称", 28),
    ("隐患描述", 40),
    ("位置", 18),
    ("类别", 14),
    ("等级", 14),
    ("判定标准条款", 14),
    ("来源", 14),
    ("发现时间", 18),
    ("发现人", 12),
    ("整改期限", 12),
    ("原整改期限", 12),
    ("状态", 10),
    ("是否逾期", 10),
    ("逾期天数", 10),
    ("挂牌督办", 10),
    ("整改措施", 30),
    ("责任人", 12),
    ("资金（元）", 12),
    ("应急预案", 30),
    ("销号/验收时间", 18),
    ("按期完成", 10),
)


def _local(instant) -> str:
    return instant.astimezone(rules.SHANGHAI).strftime("%Y-%m-%d %H:%M") if instant else ""


def workbook(rows, today) -> bytes:
    """rows: (enterprise, danger) pairs."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("隐患台账")
    for index, (_, width) in enumerate(COLUMNS):
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    header = []
    for title, _ in COLUMNS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for enterprise, d in rows:
        plan = d.plan or {}
        person = plan.get("responsible_person")
        ws.append(
            safe_row(
                ws,
                [
                    enterprise.name,
                    enterprise.uscc,
                    d.title,
                    d.description or "",
                    d.location or "",
                    rules.Category(d.category).label_cn,
                    rules.Severity(d.severity).label_cn,
                    d.criterion_code or "",
                    rules.Source(d.source).label_cn,
                    _local(d.found_at),
                    d.found_by,
                    d.deadline,
                    d.original_deadline,
                    rules.State(d.state).label_cn,
                    "是" if rules.is_overdue(d.state, d.deadline, today) else "否",
                    rules.days_overdue(d.state, d.deadline, today),
                    "是" if d.supervised_at else "否",
                    plan.get("measures") or "",
                    str(person) if person is not None else "",
                    float(plan["funds"]) if plan.get("funds") is not None else "",
                    plan.get("contingency_plan") or "",
                    _local(d.closed_at),
                    {True: "是", False: "否", None: ""}[d.closed_on_time],
                ],
            )
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
