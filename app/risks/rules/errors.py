"""The error shape shared by every risk rule: field → list of messages.

It mirrors the `errors` member of the API's problem+json body, so the API layer can pass it
through unchanged and a client sees every bad field of one request at once.
"""

from __future__ import annotations

from collections.abc import Mapping


class InvalidInput(ValueError):
    """Base of the rules' validation errors; `errors` maps a field to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]):
        # Copy so that a caller mutating its dict afterwards cannot change a raised error.
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in errors.items()}
        super().__init__(
            "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items())
        )


class AssessmentError(InvalidInput):
    """An assessment payload (method and factors) is not acceptable."""


class GradingConfigError(InvalidInput):
    """An authority's banding / control-tier configuration is not acceptable."""


class EnterpriseColorInputError(InvalidInput):
    """Inputs to the enterprise four-color rule, or its rule data, are not acceptable."""


class AccidentTypeError(InvalidInput):
    """One or more accident type codes are not GB 6441-2025 basic type codes."""
