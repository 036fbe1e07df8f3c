"""Possible accident types of a risk point, as GB 6441-2025 codes (FACTS §2.6).

Only the 27 basic types (WSA10001–WSA10026 and WSA10099) qualify: the WSA2xxxx codes of the same
standard grade injury severity, not what could happen, and the 1986 list has no codes at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from app.messages import Msg

from .errors import AccidentTypeError
from .reference import AccidentType, accident_types


@cache
def _by_code() -> dict[str, AccidentType]:
    return {t.code: t for t in accident_types()}


@cache
def _by_name() -> dict[str, AccidentType]:
    return {t.name_cn: t for t in accident_types()}


def is_accident_type_code(code: Any) -> bool:
    return isinstance(code, str) and code in _by_code()


def accident_type(code: str) -> AccidentType:
    """The type for a valid code; KeyError otherwise (validate first)."""
    return _by_code()[code]


def accident_type_for_name(name_cn: str) -> AccidentType | None:
    """Look up by the standard's Chinese name, as typed in the Excel template."""
    return _by_name().get(name_cn.strip())


def validate_accident_type_codes(
    codes: Iterable[Any], field: str = "accident_types"
) -> tuple[str, ...]:
    """The codes, de-duplicated in first-seen order; every bad one reported in one error.

    Codes are matched exactly: they are identifiers from a pick list, and accepting "wsa10009"
    here would let two spellings of one code reach the database.
    """
    if isinstance(codes, str | bytes) or not isinstance(codes, Iterable):
        raise AccidentTypeError({field: ["must be a list of GB 6441-2025 codes (WSA1xxxx)"]})
    result: list[str] = []
    bad: list[str] = []
    for code in codes:
        if is_accident_type_code(code):
            if code not in result:
                result.append(code)
        else:
            bad.append(repr(code))
    if bad:
        raise AccidentTypeError(
            {
                field: [
                    Msg(
                        "not GB 6441-2025 accident type codes: %(codes)s; allowed:"
                        " WSA10001–WSA10026 and WSA10099",
                        codes=", ".join(bad),
                    )
                ]
            }
        )
    return tuple(result)
