"""Pure rules of the hidden-danger domain: stdlib only, no Flask, no database, no clock.

Split by concern; import from here, the modules' layout is not part of the API.

    next_state(current, action, severity, actor_role, facts) -> State
        raises IllegalTransition (409: .current, .allowed) or PreconditionFailed (422: .errors)
    allowed_actions(state, severity, actor_role) -> tuple[Action, ...]
    plan_errors(plan, today=None) -> {field: [messages]}           the five in place
    extension_request_errors(deadline, requested_on, new_deadline, today, window_days)
    extension_decision(granted, new_deadline, reason, current_deadline, today)
    is_overdue(state, deadline, today), overdue_key(day), escalation_targets(severity)
    criterion_errors(severity, code, sector)
    load_timelines() -> Timelines, major_criteria() -> {code: Criterion}
"""

from .criteria import criteria_for_sector, criterion_errors
from .deadlines import (
    SHANGHAI,
    days_overdue,
    default_deadline,
    escalation_targets,
    is_overdue,
    local_day,
    overdue_key,
    recheck_due_on,
    statistics_due_on,
)
from .enums import (
    OPEN_STATES,
    TERMINAL_STATES,
    Action,
    ActorKind,
    Category,
    Severity,
    Source,
    State,
    actor_kind_for_role,
)
from .errors import IllegalTransition, InvalidInput, PreconditionFailed, ReferenceDataError
from .extensions import (
    ExtensionDecision,
    extension_answer_due,
    extension_decision,
    extension_decision_errors,
    extension_request_errors,
)
from .plan import PLAN_FIELDS, plan_errors
from .reference import Criterion, Timelines, load_timelines, major_criteria
from .transitions import (
    CHECKS,
    TRANSITIONS,
    Check,
    Facts,
    Rule,
    allowed_actions,
    next_state,
    reclassification_errors,
)

__all__ = [
    "CHECKS",
    "OPEN_STATES",
    "PLAN_FIELDS",
    "SHANGHAI",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "Action",
    "ActorKind",
    "Category",
    "Check",
    "Criterion",
    "ExtensionDecision",
    "Facts",
    "IllegalTransition",
    "InvalidInput",
    "PreconditionFailed",
    "ReferenceDataError",
    "Rule",
    "Severity",
    "Source",
    "State",
    "Timelines",
    "actor_kind_for_role",
    "allowed_actions",
    "criteria_for_sector",
    "criterion_errors",
    "days_overdue",
    "default_deadline",
    "escalation_targets",
    "extension_answer_due",
    "extension_decision",
    "extension_decision_errors",
    "extension_request_errors",
    "is_overdue",
    "load_timelines",
    "local_day",
    "major_criteria",
    "next_state",
    "overdue_key",
    "plan_errors",
    "recheck_due_on",
    "reclassification_errors",
    "statistics_due_on",
]
