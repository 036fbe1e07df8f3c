"""The web client (web/, built by Vite into web/dist) served by the API's own process.

One port: the API stays under /api/v1; every other GET path that is not a file of the build
answers the app's index.html, so the client's history-mode routes (/enterprise/dangers/...,
/verify/<code>) survive a reload and a link printed on paper. Hashed assets are cached for good;
index.html never is, so a deployment is picked up at the next navigation.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory
from werkzeug.routing import PathConverter

bp = Blueprint("webclient", __name__)

# Content-Security-Policy of the client's pages: only our own scripts; Element Plus sets inline
# styles; photos are previewed from blob: URLs before upload.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

_NOT_BUILT = """<!doctype html><html lang="zh-CN"><meta charset="utf-8">
<title>安监</title><body style="font-family:sans-serif;padding:2em">
<h1>网页端尚未构建</h1><p>请运行 <code>make run</code>（会自动构建 web/ 目录下的网页端），
或在 web/ 目录中执行 <code>npm ci &amp;&amp; npm run build</code>。</p>
<p>接口仍可使用：<a href="/openapi.yaml">/openapi.yaml</a>。</p></body></html>"""


class ClientPathConverter(PathConverter):
    """Any path except the API's: an unknown /api/... stays a problem+json 404 (or 405)."""

    regex = r"(?!api(?:/|$))[^/].*?"


def dist_dir() -> Path:
    return Path(current_app.config["WEB_DIST"])


def _index() -> Response:
    index = dist_dir() / "index.html"
    if not index.is_file():
        return Response(_NOT_BUILT, status=503, mimetype="text/html", headers={"Retry-After": "60"})
    response = send_from_directory(dist_dir(), "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = CSP
    # Pages carry secrets in their address now and then (a tip-off's follow-up code): never
    # hand the address to another site.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/assets/<path:filename>")
def assets(filename: str):
    # File names carry a content hash: a changed file is a new name.
    response = send_from_directory(dist_dir() / "assets", filename, max_age=365 * 24 * 3600)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/vendor/<path:filename>")
def vendor(filename: str):
    return send_from_directory(dist_dir() / "vendor", filename, max_age=24 * 3600)


@bp.get("/")
def index():
    return _index()


@bp.get("/<clientpath:path>")
def client_route(path: str):
    candidate = dist_dir() / path
    # Top-level files of the build (favicon, manifest); never a path outside dist.
    if "/" not in path and path != "index.html" and candidate.is_file():
        return send_from_directory(dist_dir(), path, max_age=3600)
    return _index()


def init_app(app) -> None:
    app.url_map.converters["clientpath"] = ClientPathConverter
    app.register_blueprint(bp)
