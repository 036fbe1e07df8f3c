"""Browser journeys: the built web client (web/dist) served by the real app on 127.0.0.1, over a
PostgreSQL database of its own holding the demo world, driven by Playwright in the system
Chromium (Playwright cannot download its own browser here; `apt-get install chromium`).

Jobs run inline in this server (REDIS_URL unset, the embedded mode's path): the journeys are about
what users see; the rq path is covered by the worker tests. Files go to the suite's moto S3.
Every request the page makes to anything but 127.0.0.1 is refused, so a CDN dependency fails
the journey instead of passing on a connected laptop.

Each journey saves screenshots under test-artifacts/e2e/<test name>/ (gitignored).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import services
from tests.conftest import BACKEND

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("ANJIAN_CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = "anjian-demo"


def web_dist() -> Path:
    return Path(os.environ.get("ANJIAN_WEB_DIST", ROOT / "web" / "dist"))


@pytest.fixture(scope="session")
def e2e_database():
    db = services.create_database(BACKEND)
    yield db
    services.drop_database(BACKEND, db)


@pytest.fixture(scope="session")
def live_server(e2e_database, s3_endpoint):
    """The app on a free loopback port with the demo world loaded; yields its base URL."""
    from app import create_app
    from app.demo import world
    from app.extensions import db

    dist = web_dist()
    if not (dist / "index.html").is_file():
        pytest.fail(f"the web client is not built at {dist}: `make test` builds it (npm run build)")
    server = make_server("127.0.0.1", 0, None, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app = create_app(
        services.app_config(
            e2e_database,
            S3_BUCKET=services.BUCKET,
            S3_ENDPOINT_URL=s3_endpoint,
            STORAGE_DIR=None,
            WEB_DIST=str(dist),
            PUBLIC_BASE_URL=base,
            # Real argon2 cost is not what these journeys measure.
            LOGIN_RATE_LIMIT="1000 per minute",
            LOGIN_USER_RATE_LIMIT="1000 per hour",
        )
    )
    with app.app_context():
        world.build(db.session)
        db.session.remove()
    server.app = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (make test does)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Journey:
    """A browser context for one test: loopback only, JS errors collected, numbered screenshots."""

    def __init__(self, browser, base_url: str, name: str, **context_args):
        self.base_url = base_url
        self.context = browser.new_context(
            base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **context_args
        )
        self.context.set_default_timeout(15_000)
        self.blocked: list[str] = []
        self.context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), self._block)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.shots = 0

    def _block(self, route):
        # data: and blob: URLs never reach the router; everything else off loopback is refused.
        self.blocked.append(route.request.url)
        route.abort("blockedbyclient")

    def shot(self, label: str, page=None) -> Path:
        self.shots += 1
        path = self.folder / f"{self.shots:02d}-{label}.png"
        (page or self.page).screenshot(path=str(path), full_page=True)
        return path

    def login(self, username: str, password: str = DEMO_PASSWORD, expect_path: str | None = None):
        page = self.page
        page.goto("/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        if expect_path:
            page.wait_for_url(re.compile(re.escape(self.base_url + expect_path) + r"($|[?#/])"))

    def close(self):
        self.context.close()


@pytest.fixture
def journey(browser, live_server, request):
    """Open a Journey; call it with context options (viewport=..., ...) for a custom one."""
    opened: list[Journey] = []

    def open_(**context_args) -> Journey:
        context_args.setdefault("viewport", {"width": 1366, "height": 900})
        j = Journey(browser, live_server, request.node.name, **context_args)
        opened.append(j)
        return j

    yield open_
    for j in opened:
        try:
            assert not j.errors, f"uncaught errors in the page: {j.errors}"
            assert not j.blocked, f"the page asked for something off this server: {j.blocked}"
        finally:
            j.close()
