"""The dictionaries the clients build their pick lists from: every closed vocabulary of the API
with its Chinese label and display order, and the standard value tables (LEC, LS, GB 6441-2025,
GB 18218-2018 Table 2). Pure: built from the domains' enums and reference data, never from the
database, so the whole document is the same for every caller and can be cached by anyone.

Codes are exactly what the API accepts and returns (tests hold each dictionary to its enum).
Where an enum carries `label_cn` that label is used; the labels written here are for enums that
have none, worded as the glossary (docs/product.md) and the printed documents word them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from app.accounts.rules import Role
from app.classification.rules import Level
from app.dangers.rules import enums as danger
from app.documents.rules import ITEM_RESULTS, REVIEW_VERDICTS, TITLES
from app.documents.rules import Kind as DocumentKind
from app.enterprises.rules import SECTOR_NAMES_ZH, STANDARDIZATION_GRADES, Sector
from app.hazards.rules.assessment import UNIT_KINDS
from app.hazards.rules.reference import load_reference
from app.hazards.rules.register import FilingAction, FilingStatus, Reevaluation
from app.inspections.rules import enums as inspection
from app.risks.rules import enums as risk
from app.risks.rules.reference import accident_types, lec_values, ls_values
from app.tenants.rules import RegionKind

Entry = dict[str, Any]

ROLE_LABELS = {
    Role.PLATFORM_ADMIN: "平台管理员",
    Role.AUTHORITY_ADMIN: "监管机构管理员",
    Role.REGULATOR: "监管人员",
    Role.INSPECTOR: "执法人员",
    Role.ENTERPRISE_ADMIN: "企业安全管理员",
    Role.ENTERPRISE_STAFF: "企业员工",
}
REGION_KIND_LABELS = {
    RegionKind.STREET: "街道",
    RegionKind.COMMUNITY: "社区（村）",
    RegionKind.GRID: "网格",
}
UNIT_KIND_LABELS = {"production": "生产单元", "storage": "储存单元"}
FILING_LABELS = {
    FilingStatus.DRAFT: "草稿",
    FilingStatus.SUBMITTED: "已提交备案",
    FilingStatus.FILED: "已备案",
    FilingStatus.RETURNED: "已退回",
}
REEVALUATION_LABELS = {
    Reevaluation.MISSING: "未评估",
    Reevaluation.OVERDUE: "已逾期",
    Reevaluation.DUE_SOON: "即将到期",
    Reevaluation.CURRENT: "在有效期内",
}
# The API's method codes are upper case (LEC, LS, DIRECT): the dictionary keeps them as sent.
METHOD_LABELS = {
    risk.AssessmentMethod.LEC: "LEC 作业条件危险性分析法",
    risk.AssessmentMethod.LS: "LS 风险矩阵分析法",
    risk.AssessmentMethod.DIRECT: "直接判定法",
}
# The payload's keys of a risk point's `measures` object; the label comes from the enum.
MEASURE_KEYS = {
    "engineering": risk.ControlMeasureCategory.ENGINEERING,
    "management": risk.ControlMeasureCategory.MANAGEMENT,
    "training": risk.ControlMeasureCategory.TRAINING,
    "ppe": risk.ControlMeasureCategory.PERSONAL_PROTECTION,
    "emergency": risk.ControlMeasureCategory.EMERGENCY,
}
# app.dangers.models.TIP_OFF_STATUSES (a test keeps them equal; models are not pure).
TIP_OFF_LABELS = {"received": "待核查", "dismissed": "不予受理", "converted": "已转入隐患台账"}
INSPECTION_STATUS_LABELS = {
    inspection.InspectionStatus.OPEN: "检查中",
    inspection.InspectionStatus.CLOSED: "已结束",
}
TASK_STATUS_LABELS = {
    inspection.TaskStatus.OPEN: "待检查",
    inspection.TaskStatus.DONE: "已完成",
    inspection.TaskStatus.CANCELLED: "已取消",
}
TASK_KIND_LABELS = {
    inspection.TaskKind.RANDOM: "随机抽查",
    inspection.TaskKind.KEY: "重点检查",
    inspection.TaskKind.FLOOR: "保底检查",
    inspection.TaskKind.REINSPECTION: "复查",
}
PLAN_STATUS_LABELS = {
    inspection.PlanStatus.DRAFT: "草稿",
    inspection.PlanStatus.ACTIVE: "执行中",
    inspection.PlanStatus.CLOSED: "已结束",
}
OUTCOME_LABELS = {
    inspection.Outcome.NO_FINDINGS: "未发现问题",
    inspection.Outcome.FINDINGS: "发现问题，责令整改",
    inspection.Outcome.ALL_RECTIFIED: "全部整改完毕",
    inspection.Outcome.NOT_ALL_RECTIFIED: "尚未全部整改",
}
CONFLICT_LABELS = {
    inspection.ConflictKind.FORMER_EMPLOYER: "曾任职于该企业",
    inspection.ConflictKind.RELATIVE: "近亲属关系",
    inspection.ConflictKind.OTHER: "其他利害关系",
}
EXCLUSION_LABELS = {
    inspection.ExclusionReason.SUSPENDED: "停产停业",
    inspection.ExclusionReason.INSPECTED_THIS_PERIOD: "本周期已检查",
    inspection.ExclusionReason.OTHER: "其他原因",
    inspection.ExclusionReason.INACTIVE: "已注销或停用",
    inspection.ExclusionReason.CAP_REACHED: "已达年度检查上限",
    inspection.ExclusionReason.MANDATORY: "必查（重点或保底），不参与抽取",
}
GRADE_LABELS = {1: "一级", 2: "二级", 3: "三级"}
DRAW_STATUS_LABELS = {
    inspection.DrawStatus.COMMITTED: "已公布承诺值，待抽取",
    inspection.DrawStatus.DRAWN: "已抽取",
    inspection.DrawStatus.SUPERSEDED: "已被重新抽取取代",
}
# Statuses held as strings by models (not pure, so not importable here); the API names them in
# its messages, and screens show them.
EVIDENCE_STAGE_LABELS = {"found": "发现", "rectified": "整改", "accepted": "验收"}
EVIDENCE_STATUS_LABELS = {"pending": "待上传", "stored": "已上传", "rejected": "已拒收"}
EXTENSION_STATUS_LABELS = {
    "pending": "待审批",
    "granted": "已批准",
    "refused": "不予延期",
    "withdrawn": "已撤回",
}
DOCUMENT_STATUS_LABELS = {"rendering": "生成中", "ready": "已生成", "failed": "生成失败"}
EXPORT_STATUS_LABELS = {
    "queued": "排队中",
    "running": "导出中",
    "ready": "已完成",
    "failed": "失败",
}
FILING_ACTION_LABELS = {
    FilingAction.SUBMIT: "提交备案",
    FilingAction.FILE: "备案",
    FilingAction.RETURN: "退回",
}


def _entries(pairs: Iterable[tuple[Any, str]]) -> list[Entry]:
    """[(code, label), ...] in display order → entries, ordered from 1."""
    return [
        {"code": str(code), "label": label, "order": order}
        for order, (code, label) in enumerate(pairs, start=1)
    ]


def _labelled(enum: type[StrEnum], labels: Mapping[Any, str] | None = None) -> list[Entry]:
    """Every member of `enum` in declaration order, labelled by `labels` or its own label_cn."""
    return _entries((m.value, labels[m] if labels else m.label_cn) for m in enum)


def _by_rank(members: Iterable[Any], *, descending: bool = False) -> list[Entry]:
    """Enum members (with `rank` and `label_cn`) ordered by rank: most severe or highest first."""
    ordered = sorted(members, key=lambda m: -m.rank if descending else m.rank)
    return _entries((m.value, m.label_cn) for m in ordered)


def _number(value: Decimal) -> int | float:
    # JSON numbers: 0.5 and 100, not "0.5" or 100.0 (Decimal of a data file is exact text).
    return int(value) if value == value.to_integral_value() else float(value)


def _zh(text: str) -> str:
    # The data files separate clauses with ASCII ", " and "; "; shown to users, they are Chinese.
    return text.replace("; ", "；").replace(", ", "，").strip()


def _first_clause(text: str) -> str:
    for separator in (";", ","):
        text = text.split(separator, 1)[0]
    return text.strip()


def _factor(values, *, short: bool) -> list[Entry]:
    # LEC labels are short already ("相当可能"); LS criteria are sentences, shown in full as the
    # description and by their first clause in the pick list.
    return [
        {
            "code": str(v.value),
            "label": f"{v.value}（{_first_clause(v.label_cn) if short else v.label_cn}）",
            "order": order,
            "value": _number(v.value),
            "description": _zh(v.label_cn),
        }
        for order, v in enumerate(values, start=1)
    ]


def _chinese_part(text: str, separator: str) -> str:
    # Table 2's cells are "中文 (English)" / "中文 / English"; the pick list is Chinese.
    return text.split(separator, 1)[0].strip()


def _hazard_categories() -> list[Entry]:
    result = []
    for order, category in enumerate(load_reference().categories.values(), start=1):
        hazard_class = _chinese_part(category.hazard_class, " (")
        description = _zh(_chinese_part(category.description, " / "))
        result.append(
            {
                "code": category.symbol,
                "label": f"{category.symbol} {hazard_class}：{description}",
                "order": order,
                "hazard_class": hazard_class,
                "description": description,
                "critical_quantity_t": _number(category.critical_quantity_t),
                "beta": _number(category.beta),
            }
        )
    return result


def _hazard_levels() -> list[Entry]:
    bands = sorted(load_reference().level_bands, key=lambda b: b.level)
    return _entries((str(b.level), f"{b.label_cn}重大危险源") for b in bands)


def _risk_levels() -> list[Entry]:
    entries = _by_rank(risk.RiskLevel, descending=True)
    for entry in entries:
        entry["color"] = risk.RiskLevel(entry["code"]).color.value
    return entries


def build() -> dict[str, list[Entry]]:
    """Every dictionary, by name. Names are a contract with the clients: add, never rename."""
    return {
        "sectors": _entries((s.value, SECTOR_NAMES_ZH[s]) for s in Sector),
        "roles": _labelled(Role, ROLE_LABELS),
        "region_kinds": _labelled(RegionKind, REGION_KIND_LABELS),
        "standardization_grades": _entries((g, GRADE_LABELS[g]) for g in STANDARDIZATION_GRADES),
        "accident_types": [
            {"code": t.code, "label": t.name_cn, "order": t.seq} for t in accident_types()
        ],
        "hazard_categories": _hazard_categories(),
        "hazard_levels": _hazard_levels(),
        "unit_kinds": _entries((k, UNIT_KIND_LABELS[k]) for k in UNIT_KINDS),
        "hazard_filing_states": _labelled(FilingStatus, FILING_LABELS),
        "hazard_reevaluation_states": _labelled(Reevaluation, REEVALUATION_LABELS),
        "risk_levels": _risk_levels(),
        "risk_colors": _by_rank(risk.Color, descending=True),
        "control_tiers": _by_rank(risk.ControlTier, descending=True),
        "assessment_methods": _labelled(risk.AssessmentMethod, METHOD_LABELS),
        "assessment_kinds": _labelled(risk.AssessmentKind),
        "risk_point_types": _labelled(risk.RiskPointType),
        "measure_categories": _entries((key, m.label_cn) for key, m in MEASURE_KEYS.items()),
        "control_statuses": _labelled(risk.ControlStatus),
        "lec_likelihood": _factor(lec_values()["L"], short=False),
        "lec_exposure": _factor(lec_values()["E"], short=False),
        "lec_consequence": _factor(lec_values()["C"], short=False),
        "ls_likelihood": _factor(ls_values()["L"], short=True),
        "ls_severity": _factor(ls_values()["S"], short=True),
        "danger_sources": _labelled(danger.Source),
        "danger_categories": _labelled(danger.Category),
        "danger_severities": _labelled(danger.Severity),
        "danger_states": _labelled(danger.State),
        "danger_actions": _labelled(danger.Action),
        "danger_actor_kinds": _labelled(danger.ActorKind),
        "tip_off_states": _entries(TIP_OFF_LABELS.items()),
        "enterprise_classes": _by_rank(Level),
        "document_kinds": _entries((k.value, TITLES[k]) for k in DocumentKind),
        "inspection_statuses": _labelled(inspection.InspectionStatus, INSPECTION_STATUS_LABELS),
        "inspection_outcomes": _labelled(inspection.Outcome, OUTCOME_LABELS),
        "task_statuses": _labelled(inspection.TaskStatus, TASK_STATUS_LABELS),
        "task_kinds": _labelled(inspection.TaskKind, TASK_KIND_LABELS),
        "plan_statuses": _labelled(inspection.PlanStatus, PLAN_STATUS_LABELS),
        "conflict_kinds": _labelled(inspection.ConflictKind, CONFLICT_LABELS),
        "exclusion_reasons": _labelled(inspection.ExclusionReason, EXCLUSION_LABELS),
        "item_results": _entries((r.value, ITEM_RESULTS[r.value]) for r in inspection.ItemResult),
        "verdicts": _entries((v.value, REVIEW_VERDICTS[v.value]) for v in inspection.Verdict),
        "draw_statuses": _labelled(inspection.DrawStatus, DRAW_STATUS_LABELS),
        "evidence_stages": _entries(EVIDENCE_STAGE_LABELS.items()),
        "evidence_statuses": _entries(EVIDENCE_STATUS_LABELS.items()),
        "extension_statuses": _entries(EXTENSION_STATUS_LABELS.items()),
        "document_statuses": _entries(DOCUMENT_STATUS_LABELS.items()),
        "export_statuses": _entries(EXPORT_STATUS_LABELS.items()),
        "hazard_filing_actions": _labelled(FilingAction, FILING_ACTION_LABELS),
    }


def version_of(dictionaries: Mapping[str, Any]) -> str:
    """A digest of the content: equal content, equal version (and ETag), whatever the process."""
    canonical = json.dumps(dictionaries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


@cache
def document() -> dict[str, Any]:
    """The response body: built once per process (every input is shipped data)."""
    dictionaries = build()
    return {"version": version_of(dictionaries), "dictionaries": dictionaries}
