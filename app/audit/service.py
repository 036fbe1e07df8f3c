"""Capturing every write as an audit event, and appending events to their chain.

Changes are captured from the unit of work itself (after each flush, while attribute history still
holds the old values), so no service can forget to audit. They are chained in `before_commit`,
inside the same transaction: an audited write and its event commit or roll back together.
"""

from __future__ import annotations

import json

from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session

from app import tenancy
from app.audit import rules
from app.audit.models import AuditCheckpoint, AuditEvent
from app.db import utcnow

PLATFORM_CHAIN = "platform"
_PENDING = "anjian_audit_pending"
_BEFORE = "anjian_audit_before"
_MASKED = "***"
SECRET_FIELDS = frozenset({"password_hash", "token_hash", "code_hash"})
_NOT_AUDITED = (AuditEvent, AuditCheckpoint)


def _audited(obj) -> bool:
    # A model may opt out with `__audited__ = False`: only derived rows (a projection of audited
    # rows, a response cache) may, never a record of what someone did.
    return not isinstance(obj, _NOT_AUDITED) and getattr(type(obj), "__audited__", True)


def _snapshot(obj, *, old: bool = False) -> dict:
    state = inspect(obj)
    data = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        value = getattr(obj, key)
        if old:
            hist = state.attrs[key].history
            if hist.deleted:
                value = hist.deleted[0]
        data[key] = _MASKED if key in SECRET_FIELDS and value is not None else value
    # Round-trip through canonical JSON so the stored payload is exactly what was hashed.
    return json.loads(rules.canonical_json(data))


def _authority_of(obj):
    if type(obj).__tablename__ == "authorities":
        return obj.id
    return getattr(obj, "authority_id", None)


def _entry(action: str, obj, before, after) -> tuple:
    identity = inspect(obj).identity
    entity_id = str(identity[0]) if identity else None
    return (_authority_of(obj), action, type(obj).__tablename__, entity_id, before, after)


def record(
    session: Session,
    *,
    authority_id,
    action: str,
    entity_type: str,
    entity_id,
    before: dict | None,
    after: dict | None,
) -> None:
    """Audit a write the unit of work cannot see (a set-based SQL statement). Chained at commit
    like every other event."""

    def snapshot(data):
        return None if data is None else json.loads(rules.canonical_json(data))

    session.info.setdefault(_PENDING, []).append(
        (authority_id, action, entity_type, str(entity_id), snapshot(before), snapshot(after))
    )


def install(session_cls) -> None:
    @event.listens_for(session_cls, "before_flush")
    def _remember_before(session, flush_context, instances):
        # Old values are read before the flush: afterwards the version counter has moved on.
        before = session.info.setdefault(_BEFORE, {})
        for obj in (*session.dirty, *session.deleted):
            if _audited(obj) and obj not in before:
                before[obj] = _snapshot(obj, old=True)

    @event.listens_for(session_cls, "after_flush")
    def _capture(session, flush_context):
        pending = session.info.setdefault(_PENDING, [])
        before = session.info.pop(_BEFORE, {})
        for obj in session.new:
            if _audited(obj):
                pending.append(_entry("create", obj, None, _snapshot(obj)))
        for obj in session.dirty:
            if obj not in before:
                continue
            after = _snapshot(obj)
            if before[obj] != after:
                pending.append(_entry("update", obj, before[obj], after))
        for obj in session.deleted:
            if obj in before:
                pending.append(_entry("delete", obj, before[obj], None))

    @event.listens_for(session_cls, "before_commit")
    def _append(session):
        session.flush()
        pending = session.info.pop(_PENDING, [])
        if pending:
            _write_events(session, pending)
            session.flush()

    @event.listens_for(session_cls, "after_soft_rollback")
    def _forget(session, previous_transaction):
        # Only the outermost rollback discards the unit of work; a SAVEPOINT rollback
        # must not lose the events of what the transaction still holds.
        if not previous_transaction.nested:
            session.info.pop(_PENDING, None)
            session.info.pop(_BEFORE, None)


def _write_events(session: Session, pending: list) -> None:
    scope = tenancy.current()
    by_chain: dict[str, list] = {}
    for entry in pending:
        authority_id = entry[0]
        chain = str(authority_id) if authority_id else PLATFORM_CHAIN
        by_chain.setdefault(chain, []).append(entry)
    now = utcnow()
    for chain in sorted(by_chain):  # a fixed order: two writers never lock chains crosswise
        entries = by_chain[chain]
        authority_id = entries[0][0]
        # The platform operator creating or changing an authority writes into that authority's
        # chain (its row change already passed both locks); everyone else writes in their own.
        acting = scope.platform and authority_id and authority_id != scope.authority_id
        with tenancy.using(scope.acting_in(authority_id) if acting else scope, session):
            _append_chain(session, scope, chain, entries, now)


def _append_chain(session: Session, scope, chain: str, entries: list, now) -> None:
    seq, prev = _lock_head(session, chain)
    for authority_id, action, entity_type, entity_id, before, after in entries:
        seq += 1
        body = {
            "chain": chain,
            "seq": seq,
            "occurred_at": now.isoformat(),
            "actor_id": str(scope.user_id) if scope.user_id else None,
            "actor_role": str(scope.role) if scope.role else None,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "before": before,
            "after": after,
        }
        payload = rules.canonical_json(body)
        digest = rules.link_hash(prev, payload)
        session.add(
            AuditEvent(
                chain=chain,
                seq=seq,
                authority_id=authority_id,
                occurred_at=now,
                actor_id=scope.user_id,
                actor_role=body["actor_role"],
                action=action,
                entity_type=body["entity_type"],
                entity_id=body["entity_id"],
                payload=payload,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    session.flush()  # inside the chain's scope, so both locks check the insert


def _lock_head(session: Session, chain: str) -> tuple[int, str]:
    """Serialise appends to one chain until commit, then read its head."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:c, 0))"), {"c": chain})
    head = session.execute(
        select(AuditEvent.seq, AuditEvent.hash)
        .where(AuditEvent.chain == chain)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    return (head.seq, head.hash) if head else (0, rules.GENESIS)


def chain_rows(session: Session, chain: str, batch: int = 2000):
    """The chain in seq order, streamed in keyset batches."""
    last = 0
    while True:
        e = AuditEvent
        rows = session.execute(
            select(
                e.seq,
                e.payload,
                e.prev_hash,
                e.hash,
                e.actor_id,
                e.action,
                e.entity_type,
                e.entity_id,
                e.occurred_at,
            )
            .where(AuditEvent.chain == chain, AuditEvent.seq > last)
            .order_by(AuditEvent.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        for r in rows:
            columns = {
                "actor_id": str(r.actor_id) if r.actor_id else None,
                "action": r.action,
                "entity_type": r.entity_type,
                "entity_id": r.entity_id,
                "occurred_at": r.occurred_at.isoformat(),
            }
            yield rules.ChainRow(r.seq, chain, r.payload, r.prev_hash, r.hash, columns)
        last = rows[-1].seq


def verify(session: Session, chain: str, key: str) -> rules.Verdict:
    checkpoints = [
        rules.Checkpoint(c.seq, c.hash, c.signature)
        for c in session.scalars(select(AuditCheckpoint).where(AuditCheckpoint.chain == chain))
    ]
    return rules.verify_chain(chain, chain_rows(session, chain), checkpoints, key)


def write_checkpoint(
    session: Session, chain: str, authority_id, key: str
) -> AuditCheckpoint | None:
    """Verify the chain, then sign its head. Idempotent: the same head is signed once."""
    verdict = verify(session, chain, key)
    if not verdict.ok:
        raise ChainBroken(chain, verdict)
    head = session.execute(
        select(AuditEvent.seq, AuditEvent.hash)
        .where(AuditEvent.chain == chain)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    ).first()
    if head is None:
        return None
    existing = session.scalar(
        select(AuditCheckpoint).where(
            AuditCheckpoint.chain == chain, AuditCheckpoint.seq == head.seq
        )
    )
    if existing is not None:
        return existing
    cp = AuditCheckpoint(
        chain=chain,
        seq=head.seq,
        hash=head.hash,
        authority_id=authority_id,
        signature=rules.sign_checkpoint(key, chain, head.seq, head.hash),
    )
    session.add(cp)
    session.flush()
    return cp


class ChainBroken(RuntimeError):
    def __init__(self, chain: str, verdict: rules.Verdict):
        super().__init__(
            f"audit chain {chain} broken at seq {verdict.first_bad_seq}: {verdict.reason}"
        )
        self.verdict = verdict
