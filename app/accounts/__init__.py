"""Accounts: users, their roles, and bearer tokens.

- A username is global (it is the login name) and never reused; a password is stored only as an
  argon2id hash and never logged or returned.
- Every user except the platform operator belongs to exactly one authority; enterprise users also to
  one enterprise of that authority; a regulator may be limited to one street.
- Tokens are random, stored as SHA-256 only, short-lived, and revoked by logout or deactivation.
"""
