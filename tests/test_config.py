"""Start-up checks of the configuration: PUBLIC_BASE_URL is printed on every document, so
production refuses an address only this machine reaches."""

from __future__ import annotations

import pytest

from app import config

PRODUCTION = {
    "DATABASE_URL": "postgresql://anjian_web:x@db.internal:5432/anjian",
    "SECRET_KEY": "a-long-random-production-secret",
}


def _validate(**values) -> dict:
    return config.validate({**config.defaults(), **values})


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://localhost:8000",
        "https://LOCALHOST",
        "http://app.localhost",
        "http://[::1]:8000",
        "http://127.1.2.3",
    ],
)
def test_production_refuses_a_loopback_public_base_url(url):
    with pytest.raises(config.ConfigError, match="PUBLIC_BASE_URL") as refused:
        _validate(**PRODUCTION, PUBLIC_BASE_URL=url)
    assert "verification link" in str(refused.value)


def test_production_without_a_public_base_url_is_refused_at_start_up():
    """The default (http://127.0.0.1:8000) suits `make run` only."""
    with pytest.raises(config.ConfigError, match="PUBLIC_BASE_URL"):
        _validate(**PRODUCTION)


@pytest.mark.parametrize(
    "url", ["https://anjian.example.gov.cn", "http://10.20.0.5:8000", "https://x.org/anjian"]
)
def test_production_accepts_a_reachable_public_base_url(url):
    assert _validate(**PRODUCTION, PUBLIC_BASE_URL=url)["PUBLIC_BASE_URL"] == url


@pytest.mark.parametrize("url", ["anjian.example.gov.cn", "ftp://x.org", "https://", ""])
def test_a_public_base_url_that_is_no_http_url_is_refused_everywhere(url):
    with pytest.raises(config.ConfigError, match="http"):
        _validate(**PRODUCTION, PUBLIC_BASE_URL=url)
    with pytest.raises(config.ConfigError, match="http"):
        _validate(DATABASE_URL="postgresql://x@h/db", TESTING=True, PUBLIC_BASE_URL=url)


def test_tests_and_the_embedded_mode_may_use_localhost(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    local = "http://127.0.0.1:8123"
    assert _validate(PUBLIC_BASE_URL=local)["PUBLIC_BASE_URL"] == local  # make run
    testing = _validate(**PRODUCTION, TESTING=True, PUBLIC_BASE_URL=local)
    assert testing["PUBLIC_BASE_URL"] == local


def test_the_plain_environment_name_is_read(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("ANJIAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://plain.example.org")
    assert config.load()["PUBLIC_BASE_URL"] == "https://plain.example.org"
    monkeypatch.setenv("ANJIAN_PUBLIC_BASE_URL", "https://prefixed.example.org")
    assert config.load()["PUBLIC_BASE_URL"] == "https://prefixed.example.org"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://0.0.0.0:8000", "0.0.0.0"),  # noqa: S104 - the value under test
        ("http://[::]:8000", "0.0.0.0"),  # noqa: S104
        ("https://anjian.example.gov.cn/?x=1", "query"),
        ("https://anjian.example.gov.cn/#top", "query or fragment"),
    ],
)
def test_a_base_url_that_cannot_carry_the_verification_path_is_refused_everywhere(url, why):
    # Refused in every mode: whatever prints it on paper, nobody could open the link.
    with pytest.raises(config.ConfigError, match=why):
        _validate(**PRODUCTION, PUBLIC_BASE_URL=url)
    with pytest.raises(config.ConfigError, match=why):
        _validate(DATABASE_URL="postgresql://x@h/db", TESTING=True, PUBLIC_BASE_URL=url)
