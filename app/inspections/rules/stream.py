"""Seed, commitment and the random-integer stream of anjian-draw-v1 (docs/draw-anjian-v1.md).

Kept apart from draw.py so that assign.py can use the stream without importing draw.py, which
itself calls assign.py. Import these names from draw.py; they are re-exported there.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALGORITHM = "anjian-draw-v1"
INSPECTOR_STREAM = "inspectors"

_SEED = re.compile(r"[0-9a-f]{64}")
_U64 = 1 << 64


class DrawError(ValueError):
    """A seed, rate or snapshot that anjian-draw-v1 cannot use; the message is English."""


def new_seed() -> str:
    return secrets.token_hex(32)


def check_seed(seed_hex: str) -> bytes:
    """The 32 seed bytes. Exactly 64 lowercase hex characters: one written form only, so that the
    commitment (a hash of the text, not of the bytes) has one pre-image per seed."""
    if not isinstance(seed_hex, str) or _SEED.fullmatch(seed_hex) is None:
        raise DrawError("the seed must be exactly 64 lowercase hexadecimal characters")
    return bytes.fromhex(seed_hex)


def commitment(seed_hex: str) -> str:
    check_seed(seed_hex)
    return hashlib.sha256(seed_hex.encode("ascii")).hexdigest()


class RandomStream:
    """Unsigned 64-bit integers from HMAC-SHA256(seed bytes, "<stream key>:<j>"), j = 0, 1, ...;
    each 32-byte block gives four big-endian integers, read in order.

    Every stratum has its own stream key, so a stratum's selection depends only on the seed and
    its own candidates: adding a stratum cannot change another one's draw."""

    __slots__ = ("_key", "_prefix", "_block", "_buffer")

    def __init__(self, seed_hex: str, stream_key: str):
        if not isinstance(stream_key, str):
            raise DrawError("a stream key must be a string")
        self._key = check_seed(seed_hex)
        self._prefix = stream_key + ":"
        self._block = 0
        self._buffer: list[int] = []  # integers of the current block not yet read, reversed

    def next_u64(self) -> int:
        if not self._buffer:
            message = (self._prefix + str(self._block)).encode("utf-8")
            digest = hmac.digest(self._key, message, "sha256")
            self._block += 1
            # Reversed so that pop() reads the block's integers first to last.
            self._buffer = [int.from_bytes(digest[i : i + 8], "big") for i in (24, 16, 8, 0)]
        return self._buffer.pop()

    def below(self, m: int) -> int:
        """Uniform in [0, m). Rejection rather than a bare `x % m`, which would favour small
        residues whenever m does not divide 2**64. Consumes at least one integer, also for m = 1."""
        if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= _U64:
            raise DrawError(f"a bound must be an integer from 1 to 2**64, not {m!r}")
        limit = m * (_U64 // m)
        while True:
            x = self.next_u64()
            if x < limit:
                return x % m
