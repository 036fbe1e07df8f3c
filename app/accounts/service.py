"""Use cases for accounts: login, token resolution, logout, and user management. Never commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import tenancy
from app.accounts import passwords
from app.accounts.models import AuthToken, User
from app.accounts.rules import (
    ENTERPRISE_ROLES,
    Role,
    may_manage,
    password_errors,
    user_shape_errors,
)
from app.db import utcnow
from app.enterprises import service as enterprises
from app.errors import Conflict, Forbidden, NotFound, Unauthorized, Unprocessable
from app.messages import Msg, Term
from app.tenancy import Scope
from app.tenants import service as tenants


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def scope_for(user: User, token_hash: str | None = None) -> Scope:
    role = Role(user.role)
    return Scope(
        user_id=user.id,
        role=role,
        authority_id=user.authority_id,
        enterprise_id=user.enterprise_id if role in ENTERPRISE_ROLES else None,
        street_id=user.street_id if role == Role.REGULATOR else None,
        platform=role == Role.PLATFORM_ADMIN,
        token_hash=token_hash,
    )


def login(session: Session, username: str, password: str) -> tuple[str, AuthToken]:
    """Check the password and issue a token. The same 401 for every failure."""
    tenancy.set_scope(Scope(login_username=username), session)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        passwords.dummy_verify(password)
        raise Unauthorized("wrong username or password")
    if not passwords.verify_password(user.password_hash, password) or not user.is_active:
        raise Unauthorized("wrong username or password")
    tenancy.set_scope(scope_for(user), session)
    if not _tenant_active(session, user):
        raise Unauthorized("wrong username or password")
    token = secrets.token_urlsafe(32)
    digest = token_digest(token)
    tenancy.set_scope(scope_for(user, digest), session)
    row = AuthToken(
        token_hash=digest,
        user_id=user.id,
        authority_id=user.authority_id,
        enterprise_id=user.enterprise_id,
        expires_at=utcnow() + timedelta(seconds=int(current_app.config["TOKEN_TTL_SECONDS"])),
    )
    session.add(row)
    session.flush()
    return token, row


def authenticate(session: Session, token: str) -> User:
    """Resolve a bearer token to its user and make that user's scope current."""
    digest = token_digest(token)
    tenancy.set_scope(Scope(token_hash=digest), session)
    row = session.scalar(select(AuthToken).where(AuthToken.token_hash == digest))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise Unauthorized("the token is invalid or has expired")
    # Narrow to the token's tenant before the user row can be read.
    tenancy.set_scope(
        Scope(
            authority_id=row.authority_id,
            enterprise_id=row.enterprise_id,
            token_hash=digest,
            platform=row.authority_id is None,
        ),
        session,
    )
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise Unauthorized("the token is invalid or has expired")
    tenancy.set_scope(scope_for(user, digest), session)
    if not _tenant_active(session, user):
        raise Unauthorized("the token is invalid or has expired")
    return user


def _tenant_active(session: Session, user: User) -> bool:
    """Users of a deactivated authority or enterprise can no longer log in or use tokens."""
    if user.authority_id is None:
        return True
    authority = tenants.find_authority(session, user.authority_id)
    if authority is None or not authority.is_active:
        return False
    if user.enterprise_id is not None:
        enterprise = enterprises.find(session, user.enterprise_id)
        return enterprise is not None and enterprise.is_active
    return True


def logout(session: Session) -> None:
    scope = tenancy.current()
    row = session.scalar(select(AuthToken).where(AuthToken.token_hash == scope.token_hash))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise Unprocessable(errors={"current_password": ["does not match"]})
    problems = password_errors(new, user.username)
    if problems:
        raise Unprocessable(errors={"new_password": problems})
    user.password_hash = passwords.hash_password(new)
    _revoke_all(session, user, keep=tenancy.current().token_hash)
    session.flush()


def _revoke_all(session: Session, user: User, keep: str | None = None) -> None:
    # Row by row, not a bulk UPDATE, so every revocation is captured by the audit trail.
    now = utcnow()
    for row in session.scalars(
        select(AuthToken).where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None))
    ):
        if row.token_hash != keep:
            row.revoked_at = now


# --- user management -------------------------------------------------------------------------


def get_user(session: Session, user_id) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    return user


def list_users(session: Session, args: dict):
    stmt = select(User)
    for key in ("role", "enterprise_id", "is_active"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(User, key) == args[key])
    if args.get("q"):
        like = f"%{args['q']}%"
        stmt = stmt.where(User.username.ilike(like) | User.display_name.ilike(like))
    return stmt


def _check_manageable(actor: Scope, target_role: Role) -> None:
    if not may_manage(actor.role, target_role):
        raise Forbidden(
            Msg(
                "a %(actor)s cannot manage %(target)s accounts",
                actor=Term("roles", actor.role),
                target=Term("roles", target_role),
            )
        )


def _check_shape(session: Session, role: Role, enterprise_id, street_id, badge_no) -> None:
    errors = user_shape_errors(
        role, enterprise_id=enterprise_id, street_id=street_id, badge_no=badge_no
    )
    if (
        enterprise_id is not None
        and "enterprise_id" not in errors
        and enterprises.find(session, enterprise_id) is None
    ):
        errors["enterprise_id"] = [Msg("no such enterprise")]
    if street_id is not None and "street_id" not in errors:
        region = tenants.find_region(session, street_id)
        if region is None or region.kind != "street":
            errors["street_id"] = [Msg("no such street")]
    if errors:
        raise Unprocessable(errors=errors)


def create_user(session: Session, data: dict) -> User:
    actor = tenancy.current()
    role = Role(data["role"])
    _check_manageable(actor, role)
    if actor.enterprise_id is not None:
        data.setdefault("enterprise_id", actor.enterprise_id)
        if data["enterprise_id"] != actor.enterprise_id:
            # The same answer as for an enterprise that does not exist.
            raise Unprocessable(errors={"enterprise_id": ["no such enterprise"]})
    _check_shape(
        session, role, data.get("enterprise_id"), data.get("street_id"), data.get("badge_no")
    )
    problems = password_errors(data["password"], data["username"])
    if problems:
        raise Unprocessable(errors={"password": problems})
    if username_taken(session, data["username"]):
        # Usernames are the global login namespace, so this is the one fact shared across tenants.
        raise Conflict("username already taken", errors={"username": ["already taken"]})
    user = User(
        authority_id=actor.authority_id,
        username=data["username"],
        password_hash=passwords.hash_password(data["password"]),
        display_name=data["display_name"],
        phone=data.get("phone"),
        role=role.value,
        enterprise_id=data.get("enterprise_id"),
        street_id=data.get("street_id"),
        badge_no=data.get("badge_no"),
    )
    session.add(user)
    session.flush()
    return user


def username_taken(session: Session, username: str) -> bool:
    with tenancy.using(Scope(login_username=username), session):
        return session.scalar(select(User.id).where(User.username == username)) is not None


def update_user(session: Session, user: User, changes: dict) -> User:
    actor = tenancy.current()
    _check_manageable(actor, Role(user.role))
    if "role" in changes:
        _check_manageable(actor, Role(changes["role"]))
    merged = {
        "role": Role(changes.get("role", user.role)),
        "enterprise_id": user.enterprise_id,
        "street_id": changes.get("street_id", user.street_id),
        "badge_no": changes.get("badge_no", user.badge_no),
    }
    _check_shape(
        session, merged["role"], merged["enterprise_id"], merged["street_id"], merged["badge_no"]
    )
    for key, value in changes.items():
        setattr(user, key, value)
    session.flush()
    return user


def deactivate_user(session: Session, user: User) -> User:
    actor = tenancy.current()
    _check_manageable(actor, Role(user.role))
    if user.id == actor.user_id:
        raise Conflict("you cannot deactivate yourself")
    user.is_active = False
    _revoke_all(session, user)
    session.flush()
    return user


def create_first_admin(session: Session, authority, data: dict) -> User:
    """The platform operator, acting inside the new authority, creates its first admin."""
    problems = password_errors(data["password"], data["username"])
    if problems:
        raise Unprocessable(errors={"admin.password": problems})
    if username_taken(session, data["username"]):
        raise Conflict("username already taken", errors={"admin.username": ["already taken"]})
    user = User(
        authority_id=authority.id,
        username=data["username"],
        password_hash=passwords.hash_password(data["password"]),
        display_name=data["display_name"],
        phone=data.get("phone"),
        role=Role.AUTHORITY_ADMIN.value,
    )
    session.add(user)
    session.flush()
    return user
