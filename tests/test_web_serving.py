"""The API process serves the built web client: history-mode fallback, cached assets, and the API's
own 404s untouched by the client's catch-all route."""

from __future__ import annotations

import pytest

from app import create_app
from tests import services


@pytest.fixture
def dist(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=app></div>", encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    return tmp_path


@pytest.fixture
def web_client(database, dist):
    app = create_app(services.app_config(database, WEB_DIST=str(dist)))
    return app.test_client()


@pytest.mark.parametrize(
    "path", ["/", "/index.html", "/enterprise/dangers", "/verify/ABCD-1234", "/tip-off/x/y"]
)
def test_client_routes_answer_index_html_uncached(web_client, path):
    response = web_client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert b"<div id=app>" in response.data
    assert response.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_hashed_assets_are_cached_for_good(web_client):
    response = web_client.get("/assets/index-abc123.js")
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert web_client.get("/favicon.ico").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/no-such-thing", 404),
        ("POST", "/api/v1/no-such-thing", 404),
        ("GET", "/api", 404),
        ("GET", "/assets/missing.js", 404),
        ("POST", "/enterprise", 405),
    ],
)
def test_api_and_missing_files_are_not_swallowed_by_the_client(web_client, method, path, status):
    response = web_client.open(path, method=method)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"


def test_paths_outside_the_build_are_never_served(web_client):
    response = web_client.get("/assets/../../etc/passwd")
    assert response.status_code == 404
    assert b"root:" not in response.data


def test_without_a_build_the_page_says_how_to_build_it(database, tmp_path):
    app = create_app(services.app_config(database, WEB_DIST=str(tmp_path / "none")))
    response = app.test_client().get("/enterprise")
    assert response.status_code == 503
    assert b"make run" in response.data
    assert app.test_client().get("/healthz").status_code == 200
