"""Finding a Table 1 chemical by CAS number, name or alias (and the errors when none or
several match). Pure."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from app.messages import Msg

from .reference import Chemical, load_reference

_CAS = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")
# Innermost (...) or [...] group; removed repeatedly so nested qualifiers such as
# "[干的或含水(或乙醇)<25%]" go too.
_QUALIFIER = re.compile(r"\([^()\[\]]*\)|\[[^()\[\]]*\]")


def error(
    index: int | None,
    field: str,
    code: str,
    message: str,
    candidates: list[str] | None = None,
) -> dict:
    return {
        "index": index,
        "field": field,
        "code": code,
        "message": message,
        "candidates": candidates or [],
    }


def normalize_text(text: str) -> str:
    # NFKC folds full-width brackets, commas, digits and subscripts (H₂) into the ASCII forms
    # the tables use; whitespace carries no meaning in Chinese chemical names.
    return "".join(unicodedata.normalize("NFKC", text).split())


def strip_qualifiers(name: str) -> str:
    previous = None
    while previous != name:
        previous, name = name, _QUALIFIER.sub("", name)
    return name


def cas_check_digit_ok(cas: str) -> bool:
    digits = cas.replace("-", "")
    body, check = digits[:-1], int(digits[-1])
    return sum(int(d) * weight for weight, d in enumerate(reversed(body), start=1)) % 10 == check


@dataclass(frozen=True, slots=True)
class _Index:
    by_cas: Mapping[str, tuple[Chemical, ...]]
    by_name: Mapping[str, tuple[Chemical, ...]]
    by_base_name: Mapping[str, tuple[Chemical, ...]]


@functools.cache
def _index() -> _Index:
    by_cas: dict[str, list[Chemical]] = {}
    by_name: dict[str, list[Chemical]] = {}
    by_base: dict[str, list[Chemical]] = {}
    for chemical in load_reference().chemicals:
        for cas in (*chemical.cas, *chemical.project_cas):
            by_cas.setdefault(cas, []).append(chemical)
        names = {normalize_text(n) for n in (chemical.name_cn, *chemical.aliases)}
        for name in names:
            by_name.setdefault(name, []).append(chemical)
        for base in {strip_qualifiers(n) for n in names}:
            by_base.setdefault(base, []).append(chemical)
    return _Index(
        by_cas={k: tuple(v) for k, v in by_cas.items()},
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_base_name={k: tuple(v) for k, v in by_base.items()},
    )


def resolve_cas(index: int, raw: object, errors: list[dict]) -> tuple[Chemical, ...] | None:
    if not isinstance(raw, str) or not raw.strip():
        errors.append(error(index, "cas", "invalid_type", "cas must be a non-empty string"))
        return None
    cas = normalize_text(raw)
    if not _CAS.match(cas):
        errors.append(
            error(
                index, "cas", "invalid_cas", Msg("%(value)s is not a CAS number", value=repr(raw))
            )
        )
        return None
    if not cas_check_digit_ok(cas):
        errors.append(
            error(
                index,
                "cas",
                "invalid_cas",
                Msg("CAS %(cas)s: the check digit is wrong", cas=cas),
            )
        )
        return None
    found = _index().by_cas.get(cas)
    if not found:
        errors.append(
            error(
                index,
                "cas",
                "unknown_cas",
                Msg(
                    "CAS %(cas)s is not in GB 18218-2018 Table 1; give an unlisted chemical by"
                    " its hazard category instead",
                    cas=cas,
                ),
            )
        )
        return None
    return found


def resolve_name(index: int, raw: object, errors: list[dict]) -> tuple[Chemical, ...] | None:
    if not isinstance(raw, str) or not raw.strip():
        errors.append(error(index, "name", "invalid_type", "name must be a non-empty string"))
        return None
    name = normalize_text(raw)
    # The exact name or alias wins; the name without its qualifier is only a fallback, so
    # "硝化棉溶液" stays one row even though "硝化棉" is five.
    found = _index().by_name.get(name) or _index().by_base_name.get(strip_qualifiers(name))
    if not found:
        errors.append(
            error(
                index,
                "name",
                "unknown_name",
                Msg(
                    "%(value)s is not a name or alias in GB 18218-2018 Table 1; give an unlisted"
                    " chemical by its hazard category instead",
                    value=repr(raw),
                ),
            )
        )
        return None
    return found
