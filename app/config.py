"""Configuration: defaults, then the environment (ANJIAN_* or the plain names below), validated
once.

The embedded default needs nothing running: a SQLite file, jobs inline after commit, files on disk.
Production sets DATABASE_URL (the app role, which owns nothing), REDIS_URL and S3_BUCKET.
"""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

INSTANCE_DIR = Path(os.environ.get("ANJIAN_INSTANCE_DIR", Path.cwd() / "instance"))

# Plain environment names that deployment tools and the README use.
_PLAIN_ENV = (
    "DATABASE_URL",
    "MIGRATION_DATABASE_URL",
    "REDIS_URL",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "SECRET_KEY",
    "AUDIT_CHECKPOINT_KEY",
    "STORAGE_DIR",
    "PUBLIC_BASE_URL",
)


class ConfigError(RuntimeError):
    pass


def defaults() -> dict:
    return {
        "SECRET_KEY": None,
        "DATABASE_URL": None,
        # Migrations run as the schema owner; the app connects as a role that owns nothing.
        "MIGRATION_DATABASE_URL": None,
        "REDIS_URL": None,
        "RQ_QUEUE": "anjian",
        "S3_BUCKET": None,
        "S3_ENDPOINT_URL": None,
        "S3_REGION": "us-east-1",
        "STORAGE_DIR": str(INSTANCE_DIR / "files"),
        "PRESIGNED_URL_TTL_SECONDS": 300,
        "TOKEN_TTL_SECONDS": 3600,
        "LOGIN_RATE_LIMIT": "10 per minute",  # per address and username
        "LOGIN_USER_RATE_LIMIT": "30 per hour",  # per username, from any address
        "LOGIN_ADDRESS_RATE_LIMIT": "60 per minute",  # per address, over any username
        "PASSWORD_CHANGE_RATE_LIMIT": "5 per minute",  # per user: guards the current password
        # Behind a reverse proxy: how many X-Forwarded-For hops to trust (0 = none).
        "PROXY_FIX_X_FOR": 0,
        "RATELIMIT_ENABLED": True,
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        "AUDIT_CHECKPOINT_KEY": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # How long before the 3-year re-evaluation a hazard source shows as "due soon".
        "HAZARD_REEVALUATION_WARNING_DAYS": 90,
        # Hidden dangers: evidence files (checked by content, app/files.py) and public tip-offs.
        "EVIDENCE_MAX_BYTES": 10 * 1024 * 1024,
        "EVIDENCE_MAX_PIXELS": 50_000_000,
        # Days stored evidence stays immutable (S3 Object Lock, compliance mode; the bucket must
        # have Object Lock enabled). 0 leaves objects unlocked (the local folder cannot lock).
        "EVIDENCE_RETENTION_DAYS": 0,
        "TIP_OFF_RATE_LIMIT": "5 per hour",  # per client address: new tip-offs and photos
        "TIP_OFF_STATUS_RATE_LIMIT": "30 per minute",  # per client address: follow-up lookups
        "PUBLIC_READ_RATE_LIMIT": "60 per minute",  # per client address: published results
        # Printed on every document (QR code and link): where the public verification page is.
        "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
        # Overrides of the default windows in app/dangers/data/timelines.json, name -> days
        # (JSON in the environment), e.g. {"general_deadline_days": 10}.
        "DANGER_TIMELINES": {},
        # Rectification evidence (stage "rectified") is needed before acceptance is asked for.
        "DANGER_EVIDENCE_REQUIRED": True,
        "DB_POOL_SIZE": 5,
        "DB_MAX_OVERFLOW": 10,
        "DB_POOL_TIMEOUT": 10,
        "TESTING": False,
        # flask-smorest / OpenAPI
        "API_TITLE": "安监 Anjian",
        "API_VERSION": "1.0.0",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        # /docs is app.apidocs' own page (Chinese, a strict CSP), not flask-smorest's: unset here.
        "OPENAPI_REDOC_PATH": None,
        # ReDoc ships with the web client's build (no CDN: government networks reach none).
        "OPENAPI_REDOC_URL": "/vendor/redoc.standalone.js",
        # The built web client (npm run build in web/) that the app serves at /.
        "WEB_DIST": str(Path(__file__).resolve().parent.parent / "web" / "dist"),
        "JSON_SORT_KEYS": False,
    }


def load(overrides: dict | None = None) -> dict:
    cfg = defaults()
    for name in _PLAIN_ENV:
        if os.environ.get(name):
            cfg[name] = os.environ[name]
    prefix = "ANJIAN_"
    for key, raw in os.environ.items():
        if key.startswith(prefix):
            name = key[len(prefix) :]
            if name in cfg and isinstance(cfg[name], bool):
                cfg[name] = raw.lower() in ("1", "true", "yes", "on")
            elif name in cfg and isinstance(cfg[name], int):
                cfg[name] = int(raw)
            else:
                cfg[name] = raw
    cfg.update(overrides or {})
    return validate(cfg)


def validate(cfg: dict) -> dict:
    embedded = not cfg.get("DATABASE_URL")
    if embedded:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        cfg["DATABASE_URL"] = f"sqlite:///{INSTANCE_DIR / 'anjian.sqlite3'}"
    cfg["SQLALCHEMY_DATABASE_URI"] = _normalise_url(cfg["DATABASE_URL"])
    if cfg.get("MIGRATION_DATABASE_URL"):
        cfg["MIGRATION_DATABASE_URL"] = _normalise_url(cfg["MIGRATION_DATABASE_URL"])
    else:
        cfg["MIGRATION_DATABASE_URL"] = cfg["SQLALCHEMY_DATABASE_URI"]
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_size": int(cfg["DB_POOL_SIZE"]),
            "max_overflow": int(cfg["DB_MAX_OVERFLOW"]),
            "pool_timeout": int(cfg["DB_POOL_TIMEOUT"]),
            "pool_pre_ping": True,
        }
    secret = cfg.get("SECRET_KEY")
    if not secret:
        if not embedded and not cfg.get("TESTING"):
            raise ConfigError("SECRET_KEY must be set when DATABASE_URL points at a server")
        secret = "embedded-development-only-secret"  # noqa: S105 - embedded/dev mode only
    cfg["SECRET_KEY"] = secret
    if not cfg.get("AUDIT_CHECKPOINT_KEY"):
        cfg["AUDIT_CHECKPOINT_KEY"] = secret
    cfg["RATELIMIT_STORAGE_URI"] = cfg.get("REDIS_URL") or "memory://"
    cfg["RATELIMIT_HEADERS_ENABLED"] = True
    if isinstance(cfg.get("DANGER_TIMELINES"), str):
        try:
            cfg["DANGER_TIMELINES"] = json.loads(cfg["DANGER_TIMELINES"] or "{}")
        except ValueError:
            raise ConfigError("DANGER_TIMELINES must be a JSON object of name -> days") from None
    if not isinstance(cfg.get("DANGER_TIMELINES") or {}, dict):
        raise ConfigError("DANGER_TIMELINES must be a JSON object of name -> days")
    if cfg.get("DANGER_TIMELINES"):
        from app.dangers.rules import InvalidInput, load_timelines  # pure: no cycle

        try:
            load_timelines().with_values(cfg["DANGER_TIMELINES"])
        except InvalidInput as exc:  # refused at start-up, not at the first ledger request
            raise ConfigError(f"DANGER_TIMELINES: {exc}") from None
    if int(cfg["TOKEN_TTL_SECONDS"]) <= 0 or int(cfg["TOKEN_TTL_SECONDS"]) > 24 * 3600:
        raise ConfigError("TOKEN_TTL_SECONDS must be between 1 and 86400")
    _check_public_base_url(cfg["PUBLIC_BASE_URL"], production=not embedded and not cfg["TESTING"])
    return cfg


def _check_public_base_url(url, production: bool) -> None:
    """PUBLIC_BASE_URL is printed on every document (link and QR code) and cannot be changed on
    paper afterwards: in production it must be an address the public can reach."""
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"PUBLIC_BASE_URL must be an http(s) URL, not {url!r}")
    if parts.query or parts.fragment:
        # "/verify/<code>" is appended to it: a query or fragment would swallow that path.
        raise ConfigError(f"PUBLIC_BASE_URL must not carry a query or fragment: {url!r}")
    if _is_unspecified(parts.hostname):
        raise ConfigError(
            f"PUBLIC_BASE_URL is {url!r}: 0.0.0.0 / :: is where a server listens, not an "
            "address anyone can open; use the host name or address people reach"
        )
    if production and _is_loopback(parts.hostname):
        raise ConfigError(
            f"PUBLIC_BASE_URL is {url!r}: documents printed in production would carry a "
            "verification link and QR code that lead nowhere. Set PUBLIC_BASE_URL (or "
            "ANJIAN_PUBLIC_BASE_URL) to the address the public reaches, e.g. https://anjian.example.gov.cn"
        )


def _is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _normalise_url(url: str) -> str:
    # psycopg 3 is the driver; accept the common postgres:// spellings.
    for old in ("postgres://", "postgresql://"):
        if url.startswith(old):
            return "postgresql+psycopg://" + url[len(old) :]
    return url
