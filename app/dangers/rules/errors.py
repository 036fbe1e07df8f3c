"""The errors the hidden-danger rules raise.

Two kinds, because the API answers them differently: a step that is not allowed from here for
this actor is a conflict (409) naming the state and the steps that are allowed; a step that is
allowed but lacks what it needs (a plan, a reason) is a validation error (422) with field →
messages, the `errors` member of the problem+json body, so a client sees every gap at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.messages import Msg

from .enums import Action, ActorKind, Severity, State


class InvalidInput(ValueError):
    """Base of the rules' validation errors; `errors` maps a field to its messages."""

    def __init__(self, errors: Mapping[str, Iterable[str]]):
        # Copy so that a caller mutating its dict afterwards cannot change a raised error.
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in errors.items()}
        super().__init__(
            "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items())
        )


class PreconditionFailed(InvalidInput):
    """The step is allowed here, but what it needs was not given (→ 422)."""


class IllegalTransition(ValueError):
    """The step is not allowed from this state for this actor (→ 409).

    `allowed` lists what this actor may do instead, in the Action enum's order; it is empty in
    a final state, or when the actor has no say at this point.
    """

    def __init__(
        self,
        current: State,
        action: Action | str,
        severity: Severity,
        actor: ActorKind | str,
        allowed: tuple[Action, ...],
    ):
        self.current = current
        self.action = action
        self.severity = severity
        self.actor = actor
        self.allowed = allowed
        super().__init__(
            Msg(
                "%(actor)s cannot %(action)s a %(severity)s hidden danger that is %(state)s;"
                " allowed: %(allowed)s",
                actor=_member(ActorKind, actor),
                action=_member(Action, action),
                severity=severity,
                state=current,
                allowed=list(allowed) or Msg("nothing"),
            )
        )


def _member(enum, value):
    # A member reads as its Chinese label; a value outside the enum as itself.
    return enum(value) if value in enum._value2member_map_ else value


class ReferenceDataError(RuntimeError):
    """The shipped data files are inconsistent: a bug in the release, never a user error."""
