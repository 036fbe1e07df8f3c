"""The inspections domain's tables: planning (checklists, the inspector directory, plans and
their draws) and records (tasks and what a tablet writes during an inspection)."""

from app.inspections.models.planning import (
    Checklist,
    ChecklistItem,
    Draw,
    InspectorConflict,
    Plan,
    PlanExclusion,
    PlanKeyEnterprise,
)
from app.inspections.models.records import (
    Finding,
    Inspection,
    InspectionFile,
    InspectionMember,
    ItemResultRow,
    Review,
    Task,
    TaskMember,
)

__all__ = [
    "Checklist",
    "ChecklistItem",
    "Draw",
    "Finding",
    "Inspection",
    "InspectionFile",
    "InspectionMember",
    "InspectorConflict",
    "ItemResultRow",
    "Plan",
    "PlanExclusion",
    "PlanKeyEnterprise",
    "Review",
    "Task",
    "TaskMember",
]
