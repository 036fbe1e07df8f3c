"""/docs: the API documentation renders from the app alone (ReDoc from the build's /vendor, the
spec from /openapi.json), in Chinese, with every route off 127.0.0.1 blocked."""

from __future__ import annotations

import re

from playwright.sync_api import expect

LOOPBACK = re.compile(r"^(http://127\.0\.0\.1[:/]|data:|blob:)")


def shot(j, label: str) -> None:
    """The visible part only: ReDoc's page holds every operation, far too tall for one image."""
    j.shots += 1
    j.page.screenshot(path=str(j.folder / f"{j.shots:02d}-{label}.png"))


def test_docs_render_offline_with_the_chinese_introduction(journey):
    j = journey()
    requested: list[str] = []
    console: list[str] = []
    j.page.on("request", lambda r: requested.append(r.url))
    j.page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)

    response = j.page.goto("/docs")
    assert response.status == 200
    expect(j.page).to_have_title("安监 Anjian 接口文档")
    content = j.page.locator(".api-content")
    # ReDoc parses the whole spec (every route of the API) before it renders: seconds, on a
    # shared CPU.
    expect(content).to_be_visible(timeout=60_000)
    # The introduction (info.description): its chapters and the quick start of each role.
    expect(content.get_by_role("heading", name="快速开始")).to_be_visible()
    for role in (
        "企业安全管理员",
        "企业员工",
        "执法人员",
        "监管人员",
        "监管机构管理员",
        "社会公众",
    ):
        expect(content.get_by_role("heading", name=role)).to_have_count(1)
    expect(j.page.locator(".menu-content").get_by_text("各角色上手")).to_be_visible()
    shot(j, "introduction")

    # An operation with its request example: the login.
    login = content.locator("h2", has_text="Log in with username and password")
    login.scroll_into_view_if_needed()
    expect(login).to_be_visible()
    operation = login.locator("xpath=ancestor::div[@id][1]")
    expect(operation.get_by_text('"ent01-admin"').first).to_be_visible()
    shot(j, "login-operation")

    # The calculator's example: chlorine 250 t, 120 people → level 1, R = 400.
    assess = content.locator("h2", has_text="Identify and grade a unit")
    assess.scroll_into_view_if_needed()
    calculator = assess.locator("xpath=ancestor::div[@id][1]")
    expect(calculator.get_by_text('"exposed_population"').first).to_be_visible()
    expect(calculator.get_by_text('"氯"').first).to_be_visible()
    shot(j, "calculator-operation")

    # The ledger's transition, whose examples are named steps of the closed loop.
    step = content.locator("h2", has_text="Take one step of the closed loop")
    step.scroll_into_view_if_needed()
    transition = step.locator("xpath=ancestor::div[@id][1]")
    expect(transition.get_by_text('"start_rectification"').first).to_be_visible()
    shot(j, "transition-operation")

    # Nothing left the machine: no request off loopback was even attempted (the journey's
    # router would have refused and listed it), and every request the page made is ours.
    assert not j.blocked, j.blocked
    assert all(LOOPBACK.match(url) for url in requested), [
        u for u in requested if not LOOPBACK.match(u)
    ]
    # ReDoc's sidebar logo (cdn.redoc.ly) is refused by the page's CSP before any request;
    # nothing else may fail.
    unexpected = [m for m in console if "cdn.redoc.ly" not in m]
    assert not unexpected, unexpected


def test_docs_page_without_redoc_says_where_the_contract_is(journey):
    # A build without /vendor (or a browser that runs no script): a Chinese note and the spec's
    # link, never a blank page.
    j = journey()
    j.page.route("**/vendor/redoc.standalone.js", lambda route: route.fulfill(status=404))
    j.page.goto("/docs")
    expect(j.page.get_by_text("正在加载接口文档")).to_be_visible()
    expect(j.page.get_by_text("make run")).to_be_visible()
    link = j.page.get_by_role("link", name="openapi.json")
    assert link.get_attribute("href") == "/openapi.json"
    shot(j, "without-redoc")
