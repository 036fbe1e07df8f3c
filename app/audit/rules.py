"""Hash chain arithmetic. Pure."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


def _default(value):
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"not serialisable in an audit payload: {type(value).__name__}")


def canonical_json(data) -> str:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default
    )


def link_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def sign_checkpoint(key: str, chain: str, seq: int, head: str) -> str:
    return hmac.new(key.encode(), f"{chain}:{seq}:{head}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    seq: int
    chain: str
    payload: str
    prev_hash: str
    hash: str
    # The row's queryable columns (actor_id, action, entity_type, entity_id, occurred_at) as
    # text; each must say what the hashed payload says, or the API would list forged facts.
    columns: dict | None = None


MIRRORED = ("actor_id", "action", "entity_type", "entity_id", "occurred_at")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    signature: str


@dataclass(frozen=True)
class Verdict:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    reason: str | None = None


def verify_chain(
    chain: str, rows: Iterable[ChainRow], checkpoints: Iterable[Checkpoint] = (), key: str = ""
) -> Verdict:
    """Walk the chain in seq order; the first inconsistency names the first bad entry."""
    marks = {c.seq: c for c in checkpoints}
    for cp in marks.values():
        if not hmac.compare_digest(cp.signature, sign_checkpoint(key, chain, cp.seq, cp.hash)):
            return Verdict(False, 0, cp.seq, "checkpoint signature invalid")
    expected_prev, expected_seq, count = GENESIS, 1, 0
    for row in rows:
        count += 1
        if row.seq != expected_seq:
            return Verdict(False, count, expected_seq, f"seq gap: found {row.seq}")
        try:
            body = json.loads(row.payload)
        except ValueError:
            return Verdict(False, count, row.seq, "payload is not JSON")
        if body.get("seq") != row.seq or body.get("chain") != chain:
            return Verdict(False, count, row.seq, "payload does not match its position")
        if row.columns is not None:
            differs = [k for k in MIRRORED if row.columns.get(k) != body.get(k)]
            if differs:
                return Verdict(False, count, row.seq, f"columns differ from payload: {differs}")
        if row.prev_hash != expected_prev:
            return Verdict(False, count, row.seq, "prev_hash does not match the previous entry")
        if link_hash(row.prev_hash, row.payload) != row.hash:
            return Verdict(False, count, row.seq, "hash does not match the payload")
        cp = marks.get(row.seq)
        if cp is not None and cp.hash != row.hash:
            return Verdict(False, count, row.seq, "entry differs from a signed checkpoint")
        expected_prev, expected_seq = row.hash, expected_seq + 1
    if marks and max(marks) >= expected_seq:
        return Verdict(False, count, expected_seq, "chain ends before a signed checkpoint")
    return Verdict(True, count)
