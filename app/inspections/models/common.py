"""Helpers the inspection tables share: composite foreign keys inside one authority, CHECKs
from the rules' enums, and the scope of rows enterprise users must never see."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, and_

from app.db import TenantViolation


def in_enum(column: str, enum, name: str | None = None) -> CheckConstraint:
    values = ", ".join(repr(str(m)) for m in enum)
    return CheckConstraint(f"{column} IN ({values})", name=name or column)


def fk(column: str, table: str) -> ForeignKeyConstraint:
    """A reference that cannot cross authorities: (authority_id, column) → table's pair."""
    return ForeignKeyConstraint(["authority_id", column], [f"{table}.authority_id", f"{table}.id"])


class AuthorityOnly:
    """Rows for the authority's staff alone (RLS says the same): enterprise users see none,
    and cannot write any."""

    @classmethod
    def scope_criteria(cls, scope):
        base = super().scope_criteria(scope)
        return and_(base, cls.id.is_(None)) if scope.enterprise_id is not None else base

    def stamp_scope(self, scope) -> None:
        super().stamp_scope(scope)
        if scope.enterprise_id is not None:
            raise TenantViolation(f"enterprise users do not write {type(self).__name__}")
