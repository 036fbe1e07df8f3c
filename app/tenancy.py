"""Who is asking, and what they may see: the two locks of tenant isolation.

Lock 1 (ORM, every backend): every SELECT/UPDATE/DELETE the ORM emits gets criteria for the
caller's scope (`do_orm_execute` + `with_loader_criteria`), and every insert is stamped with, and
checked against, the caller's authority (`before_flush`). A missing scope sees nothing.

Lock 2 (PostgreSQL): row-level security on every tenant table compares rows with settings made
per transaction by `set_config(name, value, true)` in `after_begin`. Transaction-local settings
vanish at COMMIT/ROLLBACK, so a pooled connection can never carry one tenant into the next request
(a session-level SET would: it survives the pool's reset).

The scope lives in a context variable set once per request from the bearer token (never from a
client-sent id) and once per job from the job's arguments.
"""

from __future__ import annotations

import contextlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, replace

from flask import has_app_context
from sqlalchemy import event, text
from sqlalchemy.orm import Session, scoped_session, with_loader_criteria

from app.accounts.rules import Role
from app.db import Base, TenantViolation


@dataclass(frozen=True)
class Scope:
    user_id: uuid.UUID | None = None
    role: Role | None = None
    authority_id: uuid.UUID | None = None
    enterprise_id: uuid.UUID | None = None
    street_id: uuid.UUID | None = None
    # Narrow, pre-authentication lookups (RLS lets exactly that one row through).
    login_username: str | None = None
    token_hash: str | None = None
    # Set only for the platform operator: sees the authorities table (and nothing inside them
    # unless it explicitly acts in one authority, e.g. to create its first admin).
    platform: bool = False
    # Background system work for one authority (jobs): authority-wide, no user.
    system: bool = False

    def acting_in(self, authority_id: uuid.UUID) -> Scope:
        return replace(self, authority_id=authority_id, enterprise_id=None, street_id=None)

    def settings(self) -> dict[str, str]:
        """The PostgreSQL settings this scope stands for ('' means unset)."""
        return {
            "app.authority_id": str(self.authority_id or ""),
            "app.enterprise_id": str(self.enterprise_id or ""),
            "app.platform": "on" if self.platform else "",
            "app.login_username": self.login_username or "",
            "app.token_hash": self.token_hash or "",
            "app.user_id": str(self.user_id or ""),
        }


ANONYMOUS = Scope()
_current: ContextVar[Scope] = ContextVar("anjian_scope", default=ANONYMOUS)


def current() -> Scope:
    return _current.get()


def set_scope(scope: Scope, session: Session | None = None) -> None:
    """Replace the scope; with a session whose transaction is open, re-apply the settings to
    it. (Request teardown calls this without one: that transaction is about to end.)"""
    _current.set(scope)
    _reapply(session, scope)


@contextlib.contextmanager
def using(scope: Scope, session: Session | None = None):
    """Act in `scope` for a block. The open transaction of `session` (by default the app's
    own, in an app context) gets the scope's settings, and the previous ones back after: else
    the ORM would filter by the new scope and row-level security by the old one."""
    if session is None and has_app_context():
        from app.extensions import db  # here: app.extensions is built on app.db, like us

        session = db.session
    token = _current.set(scope)
    try:
        _reapply(session, scope)
        yield scope
    finally:
        _current.reset(token)
        _reapply(session, current())


def _reapply(session, scope: Scope) -> None:
    """A transaction already open keeps its settings until told: re-apply them to it. A
    transaction that failed (awaiting its rollback) is left alone: it can run nothing, and the
    error that failed it must reach its handler, not be replaced by ours."""
    if isinstance(session, scoped_session):
        session = session()
    if session is None or not session.in_transaction():
        return
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active:
        return
    _apply_settings(session.connection(), scope)


_SET_SQL = text(
    "SELECT set_config('app.authority_id', :a, true), set_config('app.enterprise_id', :e, true),"
    " set_config('app.platform', :p, true), set_config('app.login_username', :u, true),"
    " set_config('app.token_hash', :t, true), set_config('app.user_id', :uid, true)"
)


def _apply_settings(connection, scope: Scope) -> None:
    if connection.dialect.name != "postgresql":
        return
    s = scope.settings()
    connection.execute(
        _SET_SQL,
        {
            "a": s["app.authority_id"],
            "e": s["app.enterprise_id"],
            "p": s["app.platform"],
            "u": s["app.login_username"],
            "t": s["app.token_hash"],
            "uid": s["app.user_id"],
        },
    )


def install(session_factory) -> None:
    """Register the session hooks on the application's session class."""

    @event.listens_for(session_factory, "after_begin")
    def _after_begin(session, transaction, connection):
        _apply_settings(connection, current())

    @event.listens_for(session_factory, "do_orm_execute")
    def _scope_statements(state):
        if state.execution_options.get("skip_scope"):
            return
        if not (state.is_select or state.is_update or state.is_delete):
            return
        scope = current()
        for model in _scoped_models():
            state.statement = state.statement.options(
                with_loader_criteria(model, model.scope_criteria(scope), include_aliases=True)
            )

    @event.listens_for(session_factory, "before_flush")
    def _stamp(session, flush_context, instances):
        scope = current()
        for obj in session.new:
            check = getattr(obj, "stamp_scope", None)
            if check is not None:
                check(scope)
        for obj in session.dirty:
            check = getattr(obj, "check_scope_unchanged", None)
            if check is not None and session.is_modified(obj):
                check(scope)


_scoped_cache: tuple[int, list] = (-1, [])


def _scoped_models() -> list:
    """The models with a scope, for every ORM statement (a hot path): computed once, again only
    if models were added to the registry since (they all are once the app has imported them)."""
    global _scoped_cache
    mappers = Base.registry.mappers
    if _scoped_cache[0] != len(mappers):
        _scoped_cache = (
            len(mappers),
            [m.class_ for m in mappers if hasattr(m.class_, "scope_criteria")],
        )
    return _scoped_cache[1]


__all__ = ["ANONYMOUS", "Scope", "TenantViolation", "current", "install", "set_scope", "using"]
