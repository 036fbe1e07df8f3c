"""The shell every role shares: login, expiry, logout, history-mode routes, no CDN."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_login_lands_on_the_role_home_and_logout_returns_to_login(journey):
    j = journey()
    j.page.goto("/")
    expect(j.page.get_by_text("安全隐患举报").first).to_be_visible()
    j.shot("home")
    j.login("ent01-admin", expect_path="/enterprise")
    expect(j.page.get_by_text("连云港恒瑞化工有限公司").first).to_be_visible()
    j.shot("enterprise-home")
    j.page.get_by_role("button", name="退出").click()
    j.page.wait_for_url(re.compile(r"/login$"))
    assert j.page.evaluate("sessionStorage.getItem('anjian.session')") is None


def test_wrong_password_shows_the_api_message_in_chinese(journey):
    j = journey()
    j.login("ent01-admin", password="wrong-password-1")
    alert = j.page.locator("[data-test=login-error]")
    expect(alert).to_be_visible()
    assert re.search(r"[\u4e00-\u9fff]", alert.inner_text()), alert.inner_text()
    j.shot("wrong-password")


def test_expired_token_asks_to_log_in_again_and_returns_to_the_page(journey):
    j = journey()
    j.login("ent01-admin", expect_path="/enterprise")
    j.page.goto("/enterprise/dangers")
    # The server forgets the token (as after expiry or revocation): the next call is a 401.
    j.page.evaluate(
        """() => { const s = JSON.parse(sessionStorage.getItem('anjian.session'));
                   s.token = 'expired-token'; sessionStorage.setItem('anjian.session',
                   JSON.stringify(s)); }"""
    )
    j.page.reload()
    expect(j.page.get_by_text("登录已过期，请重新登录")).to_be_visible()
    j.shot("expired")
    j.page.get_by_label("用户名").fill("ent01-admin")
    j.page.get_by_label("密码").fill("anjian-demo")
    j.page.get_by_role("button", name="登录").click()
    j.page.wait_for_url(re.compile(r"/enterprise/dangers$"))


def test_deep_link_reload_and_unknown_page(journey, live_server):
    j = journey()
    response = j.page.goto("/enterprise/hazards")
    assert response.status == 200
    j.page.wait_for_url(re.compile(r"/login\?redirect="))
    j.page.goto("/no/such/page")
    expect(j.page.get_by_text("页面不存在").first).to_be_visible()
    j.shot("not-found")
    assert not j.blocked, j.blocked
