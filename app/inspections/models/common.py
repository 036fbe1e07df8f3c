"""What the inspection tables share: composite foreign keys inside one authority and CHECKs
from the rules' enums (app.db's, under short names), and the scope of rows enterprise users must
never see."""

from __future__ import annotations

from sqlalchemy import and_

from app.db import TenantViolation, check_in, tenant_fk

in_enum = check_in
fk = tenant_fk


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
