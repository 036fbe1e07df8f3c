"""Audit trail: every write records who, when, what, before and after.

- Append-only: the app role may only INSERT and SELECT; a trigger rejects UPDATE and DELETE for
  every role, the owner included.
- Hash-chained per authority (`chain` is the authority id, or "platform"): event n stores
  sha256(prev_hash ‖ payload) where payload is the canonical JSON of the event, so changing,
  deleting or reordering a row breaks the chain from that row on.
- Signed checkpoints (HMAC of chain, seq, hash with a key the database never sees) catch a forger
  who rewrites a row and recomputes every later hash, and a truncated tail.
- `flask audit verify` recomputes a chain and reports the first bad entry.
"""
