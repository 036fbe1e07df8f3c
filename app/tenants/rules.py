"""Region tree rules. Pure."""

from __future__ import annotations

import enum

from app.messages import Msg, Term


class RegionKind(enum.StrEnum):
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"


PARENT_KIND: dict[RegionKind, RegionKind | None] = {
    RegionKind.STREET: None,
    RegionKind.COMMUNITY: RegionKind.STREET,
    RegionKind.GRID: RegionKind.COMMUNITY,
}


def parent_error(kind: RegionKind, parent_kind: RegionKind | None) -> str | None:
    expected = PARENT_KIND[kind]
    if expected is None and parent_kind is not None:
        return Msg("a street has no parent region")
    if expected is not None and parent_kind != expected:
        return Msg(
            "a %(kind)s must sit under a %(parent)s",
            kind=Term("region_kinds", kind.value),
            parent=Term("region_kinds", expected.value),
        )
    return None
