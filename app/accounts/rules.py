"""Roles and who may manage whom. Pure: no flask, no database."""

from __future__ import annotations

import enum
import re

from app.messages import Msg


class Role(enum.StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    AUTHORITY_ADMIN = "authority_admin"
    REGULATOR = "regulator"
    INSPECTOR = "inspector"
    ENTERPRISE_ADMIN = "enterprise_admin"
    ENTERPRISE_STAFF = "enterprise_staff"


REGULATORS = frozenset({Role.AUTHORITY_ADMIN, Role.REGULATOR})
AUTHORITY_STAFF = frozenset({Role.AUTHORITY_ADMIN, Role.REGULATOR, Role.INSPECTOR})
ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_STAFF})

# Which roles each role may create, update and deactivate (within its own scope).
MANAGES: dict[Role, frozenset[Role]] = {
    Role.AUTHORITY_ADMIN: frozenset(Role) - {Role.PLATFORM_ADMIN},
    Role.ENTERPRISE_ADMIN: frozenset({Role.ENTERPRISE_STAFF}),
}

# Always used with fullmatch: with .match, "$" also matches before a trailing newline.
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


def username_ok(value: str) -> bool:
    return USERNAME_RE.fullmatch(value) is not None


MIN_PASSWORD_LENGTH = 10


def may_manage(actor: Role, target: Role) -> bool:
    return target in MANAGES.get(actor, frozenset())


def user_shape_errors(role: Role, *, enterprise_id, street_id, badge_no) -> dict[str, list[str]]:
    """The fields a user of `role` must and must not carry."""
    errors: dict[str, list[str]] = {}
    if role in ENTERPRISE_ROLES:
        if enterprise_id is None:
            errors["enterprise_id"] = [Msg("required for enterprise users")]
    elif enterprise_id is not None:
        errors["enterprise_id"] = [Msg("only enterprise users belong to an enterprise")]
    if role == Role.INSPECTOR and not badge_no:
        errors["badge_no"] = [Msg("an inspector needs a law-enforcement certificate number")]
    if street_id is not None and role != Role.REGULATOR:
        errors["street_id"] = [Msg("only a regulator can be limited to a street")]
    return errors


def password_errors(password: str, username: str) -> list[str]:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(Msg("at least %(count)s characters", count=MIN_PASSWORD_LENGTH))
    if len(password) > 256:
        problems.append(Msg("at most 256 characters"))
    if username and username.lower() in password.lower():
        problems.append(Msg("must not contain the username"))
    return problems
