"""argon2id password hashing (argon2-cffi). Cost parameters come from the configuration."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hashers: dict[tuple[int, int], PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    key = (
        int(current_app.config["ARGON2_TIME_COST"]),
        int(current_app.config["ARGON2_MEMORY_COST"]),
    )
    if key not in _hashers:
        _hashers[key] = PasswordHasher(time_cost=key[0], memory_cost=key[1], type=Type.ID)
    return _hashers[key]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# Verified against when the username is unknown, so both paths cost the same (no user oracle).
def dummy_verify(password: str) -> None:
    verify_password(_dummy_hash(), password)


_DUMMY: dict[tuple, str] = {}


def _dummy_hash() -> str:
    key = (current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"])
    if key not in _DUMMY:
        _DUMMY[key] = hash_password("not-a-real-password-anywhere")
    return _DUMMY[key]
