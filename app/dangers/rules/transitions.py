"""The closed loop as a table: (state, action, severity) → next state, who may, what it needs.

The table is data so that the tests, the 409 body ("allowed next steps") and any documentation
read the same rows; `next_state` only looks a row up and runs its named checks.

Extension steps are rows too, though the state stays the same: they go through the same role
check and the same audit as every other step. Their date rules (window, new deadline) need the
entry's dates and live in `extensions`; the service runs both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from app.messages import Msg

from .enums import OPEN_STATES, Action, ActorKind, Severity, State
from .errors import IllegalTransition, PreconditionFailed
from .plan import plan_errors


class Check(StrEnum):
    """A named precondition of a step; each failure is field → messages (422)."""

    PLAN_COMPLETE = "plan_complete"  # the five in place
    REASON_GIVEN = "reason_given"
    EXTENSION_PENDING = "extension_pending"
    NO_EXTENSION_PENDING = "no_extension_pending"


@dataclass(frozen=True)
class Facts:
    """What the checks look at; the service fills it from the entry and the request."""

    plan: Mapping[str, Any] | None = None
    reason: str | None = None
    extension_pending: bool = False
    today: dt.date | None = None  # with it, a plan deadline already past is refused


@dataclass(frozen=True)
class Rule:
    next_state: State
    roles: frozenset[ActorKind]
    checks: tuple[Check, ...] = ()


S, A, K = State, Action, ActorKind
GENERAL, MAJOR = (Severity.GENERAL,), (Severity.MAJOR,)
BOTH = (Severity.GENERAL, Severity.MAJOR)
OPEN = (S.REPORTED, S.RECTIFYING, S.AWAITING_ACCEPTANCE)
ENTERPRISE = frozenset({K.ENTERPRISE_ADMIN, K.ENTERPRISE_STAFF})
ADMIN = frozenset({K.ENTERPRISE_ADMIN})
REGULATOR = frozenset({K.REGULATOR})
# The enterprise accepts its own general hidden dangers; authority staff may accept them too,
# since an inspector re-checks what an inspection found (15号令 Art.17 复查).
GENERAL_ACCEPTORS = frozenset({K.ENTERPRISE_ADMIN, K.REGULATOR, K.INSPECTOR})
# Raising an entry to major puts it under the regulator; staff report, they do not grade.
UPGRADERS = frozenset({K.ENTERPRISE_ADMIN, K.REGULATOR, K.INSPECTOR})
STAY = None  # the step leaves the state as it is
PLAN = (Check.PLAN_COMPLETE,)
REASON = (Check.REASON_GIVEN,)
PENDING, NOT_PENDING = (Check.EXTENSION_PENDING,), (Check.NO_EXTENSION_PENDING,)

_Row = tuple[
    tuple[State, ...],
    Action,
    tuple[Severity, ...],
    State | None,
    frozenset[ActorKind],
    tuple[Check, ...],
]
# (from states, action, severities, to state or STAY, roles, checks)
_ROWS: tuple[_Row, ...] = (
    # A general one is fixed at once, by whoever is on the spot; a major one needs the
    # principal's plan first (16号令 Art.15): only the enterprise admin starts it, with the plan.
    ((S.REPORTED,), A.START_RECTIFICATION, GENERAL, S.RECTIFYING, ENTERPRISE, ()),
    ((S.REPORTED,), A.START_RECTIFICATION, MAJOR, S.RECTIFYING, ADMIN, PLAN),
    # For a major one, submitting is the unit's written application to the regulator.
    ((S.RECTIFYING,), A.SUBMIT_FOR_ACCEPTANCE, GENERAL, S.AWAITING_ACCEPTANCE, ENTERPRISE, ()),
    ((S.RECTIFYING,), A.SUBMIT_FOR_ACCEPTANCE, MAJOR, S.AWAITING_ACCEPTANCE, ADMIN, ()),
    ((S.AWAITING_ACCEPTANCE,), A.ACCEPT, GENERAL, S.CLOSED, GENERAL_ACCEPTORS, ()),
    ((S.AWAITING_ACCEPTANCE,), A.REJECT, GENERAL, S.RECTIFYING, GENERAL_ACCEPTORS, REASON),
    # A supervised (挂牌督办) one is closed out (销号) by the regulator alone, after its review.
    ((S.AWAITING_ACCEPTANCE,), A.CLOSE, MAJOR, S.CLOSED, REGULATOR, ()),
    ((S.AWAITING_ACCEPTANCE,), A.REJECT, MAJOR, S.RECTIFYING, REGULATOR, REASON),
    # Cancelling (a duplicate, a mistaken report) removes an entry from the loop for good, so
    # the enterprise cannot do it to its own entries.
    (OPEN, A.CANCEL, BOTH, S.CANCELLED, REGULATOR, REASON),
    # Extensions: asked for by the unit in writing while the work is still its own (not once it
    # is submitted), answered by the regulator whenever a request is pending.
    ((S.REPORTED, S.RECTIFYING), A.REQUEST_EXTENSION, BOTH, STAY, ADMIN, NOT_PENDING),
    (OPEN, A.GRANT_EXTENSION, BOTH, STAY, REGULATOR, PENDING),
    (OPEN, A.REFUSE_EXTENSION, BOTH, STAY, REGULATOR, PENDING + REASON),
)


def _build(rows) -> Mapping[tuple[State, Action, Severity], Rule]:
    table: dict[tuple[State, Action, Severity], Rule] = {}
    for states, action, severities, target, roles, checks in rows:
        for state in states:
            for severity in severities:
                key = (state, action, severity)
                if key in table:  # two rows for one step would make the outcome order-dependent
                    raise RuntimeError(f"transition {key} is defined twice")
                table[key] = Rule(state if target is STAY else target, roles, checks)
    return MappingProxyType(table)


TRANSITIONS = _build(_ROWS)


def _plan_complete(facts: Facts) -> dict[str, list[str]]:
    # Dotted names: the API's plan is a nested object, and one flat mapping keeps the 422 body
    # a plain field → messages like every other.
    return {f"plan.{k}": v for k, v in plan_errors(facts.plan, facts.today).items()}


def _reason_given(facts: Facts) -> dict[str, list[str]]:
    ok = isinstance(facts.reason, str) and facts.reason.strip()
    return {} if ok else {"reason": [Msg("required for this step")]}


def _extension_pending(facts: Facts) -> dict[str, list[str]]:
    if facts.extension_pending:
        return {}
    return {"extension": [Msg("no extension request is pending")]}


def _no_extension_pending(facts: Facts) -> dict[str, list[str]]:
    msg = Msg("an extension request is already pending")
    return {"extension": [msg]} if facts.extension_pending else {}


CHECKS: Mapping[Check, Callable[[Facts], dict[str, list[str]]]] = MappingProxyType(
    {
        Check.PLAN_COMPLETE: _plan_complete,
        Check.REASON_GIVEN: _reason_given,
        Check.EXTENSION_PENDING: _extension_pending,
        Check.NO_EXTENSION_PENDING: _no_extension_pending,
    }
)


def allowed_actions(state: State, severity: Severity, actor_role: ActorKind) -> tuple[Action, ...]:
    """The steps this actor may take from here, in the Action enum's order."""
    state, severity = State(state), Severity(severity)
    return tuple(
        action
        for action in Action
        if (rule := TRANSITIONS.get((state, action, severity))) and actor_role in rule.roles
    )


def next_state(
    current: State,
    action: Action,
    severity: Severity,
    actor_role: ActorKind,
    facts: Facts | Mapping[str, Any] | None = None,
) -> State:
    """The state after `action`, or IllegalTransition (409) / PreconditionFailed (422).

    Who-and-when is decided before what-was-given: a step that is not allowed at all is never
    answered with "reason missing", which would suggest that adding one would make it pass.
    """
    current, severity = State(current), Severity(severity)
    if not isinstance(facts, Facts):
        facts = Facts(**(facts or {}))
    rule = TRANSITIONS.get((current, action, severity))
    if rule is None or actor_role not in rule.roles:
        raise IllegalTransition(
            current, action, severity, actor_role, allowed_actions(current, severity, actor_role)
        )
    errors: dict[str, list[str]] = {}
    for check in rule.checks:
        for field, messages in CHECKS[check](facts).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise PreconditionFailed(errors)
    return rule.next_state


def reclassification_errors(
    state: State,
    current: Severity,
    new: Severity,
    actor_role: ActorKind,
    plan: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> dict[str, list[str]]:
    """Problems with changing an entry's severity; {} when the change may be made.

    Without this, the rule that only the regulator closes a major one could be sidestepped by
    downgrading it first; and an entry upgraded mid-rectification must meet the same plan rule
    as one that started major.
    """
    state, current, new = State(state), Severity(current), Severity(new)
    if current == new:
        return {}
    if state not in OPEN_STATES:
        return {"severity": [Msg("a %(state)s entry keeps its severity", state=state)]}
    if new == Severity.GENERAL:
        if actor_role != ActorKind.REGULATOR:
            return {"severity": [Msg("only a regulator may downgrade a major hidden danger")]}
        return {}
    if actor_role not in UPGRADERS:
        return {
            "severity": [Msg("only an enterprise admin or authority staff may upgrade to major")]
        }
    if state == State.REPORTED:
        return {}
    return {f"plan.{k}": v for k, v in plan_errors(plan, today).items()}
