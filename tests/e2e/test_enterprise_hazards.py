"""The enterprise safety officer of 连云港恒瑞化工有限公司 (ent01): the dashboard with its grade
and why, the major-hazard register with the live GB 18218 calculator and the filing, the
notifications, the staff accounts; and the staff's reduced dashboard on a phone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

COLORS = re.compile(r"^(红|橙|黄|蓝)色")


def field(page, name: str):
    """An Element Plus input by its data-test (the attribute lands on the <input> itself)."""
    return page.locator(f"input[data-test={name}], [data-test={name}] input").first


def error_next_to(page, name: str):
    return page.locator(f".el-form-item:has(input[data-test={name}]) .el-form-item__error").first


def test_admin_sees_grade_with_reasons_and_class_on_the_dashboard(journey):
    j = journey()
    j.login("ent01-admin", expect_path="/enterprise")
    page = j.page
    badge = page.locator(".grade-card [data-test=grade-badge]").first
    expect(badge).to_be_visible()
    assert COLORS.search(badge.inner_text()), badge.inner_text()
    expect(page.get_by_text("为什么是这个颜色")).to_be_visible()
    reasons = page.locator("[data-test=grade-reasons] li")
    assert reasons.count() >= 1
    # "why" in Chinese: the API's reason text, not a code.
    for text in reasons.all_inner_texts():
        assert re.search(r"[\u4e00-\u9fff]{4,}", text), text
    # The class with its explanation: the level, the score and the deductions in Chinese.
    expect(page.locator("[data-test=class-level]")).to_have_text(re.compile("良好|正常|提醒|警示"))
    expect(page.locator("[data-test=class-deductions]")).to_contain_text("隐患排查治理")
    # The demo ledger has an overdue entry; its tile links to the ledger filtered.
    overdue = page.locator("[data-test=tile-overdue]")
    expect(overdue).to_contain_text("逾期未整改隐患")
    assert int(overdue.locator(".count").inner_text()) >= 1
    expect(page.locator("[data-test=danger-todos]")).to_contain_text("储罐防雷接地检测超期")
    expect(page.locator("[data-test=hazard-todos]")).to_be_visible()
    j.shot("dashboard")
    overdue.click()
    page.wait_for_url(re.compile(r"/enterprise/dangers\?due=overdue$"))


def test_register_chlorine_storage_with_the_live_calculator_and_submit_it(journey):
    j = journey()
    j.login("ent01-admin", expect_path="/enterprise")
    page = j.page
    page.locator(".side").get_by_text("重大危险源").click()
    page.wait_for_url(re.compile(r"/enterprise/hazards$"))
    expect(page.get_by_text("甲醇中间罐")).to_be_visible()
    expect(page.locator(".el-loading-mask")).to_have_count(0)
    j.shot("register")
    page.get_by_role("button", name="登记重大危险源").click()
    page.wait_for_url(re.compile(r"/enterprise/hazards/new$"))

    field(page, "unit-name").fill("液氯储罐区（二期）")
    page.get_by_text("储存单元", exact=True).click()
    field(page, "exposed-population").fill("120")
    page.locator("[data-test=substance-pick]").first.click()
    page.keyboard.type("氯")
    page.locator(".el-select-dropdown__item", has_text="氯（液氯、氯气）").first.click()

    # A negative quantity: the API's message appears next to the field, live.
    field(page, "substance-quantity").fill("-250")
    expect(error_next_to(page, "substance-quantity")).to_be_visible()
    assert error_next_to(page, "substance-quantity").inner_text().strip()
    expect(page.locator("[data-test=calc-error]")).to_be_visible()
    j.shot("negative-quantity")

    # 250 t of chlorine, 120 people: before saving, 一级 and R = 400, every term explained.
    field(page, "substance-quantity").fill("250")
    expect(page.locator("[data-test=calc-r]")).to_have_text("R = 400")
    expect(page.locator("[data-test=calc-level]")).to_contain_text("一级重大危险源")
    expect(page.locator("[data-test=calc-level]")).to_contain_text("R ≥ 100")
    term = page.locator("[data-test=calc-term]").first
    expect(term).to_contain_text("q/Q = 50")
    expect(term).to_contain_text("Q = 5 t（表1")
    expect(term).to_contain_text("β = 4（表3")
    expect(page.locator("[data-test=calc-sum]")).to_contain_text("构成重大危险源")
    expect(page.locator("[data-test=calc-alpha]")).to_contain_text("α = 2")
    expect(page.locator("[data-test=calc-alpha]")).to_contain_text("100人以上")
    expect(error_next_to(page, "substance-quantity")).to_have_count(0)
    j.shot("live-calculator")

    evaluated = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() - dt.timedelta(days=5)
    picker = page.get_by_placeholder("选择日期")
    picker.fill(evaluated.isoformat())
    picker.press("Enter")
    page.locator("[data-test=save]").click()
    page.wait_for_url(re.compile(r"/enterprise/hazards/[0-9a-f-]{36}$"))
    panel = page.locator("[data-test=filing-panel]")
    expect(panel.locator("[data-test=filing-status]")).to_have_text("草稿")
    expect(page.locator("[data-test=calc-r]")).to_have_text("R = 400")
    panel.get_by_role("button", name="提交备案").click()
    expect(panel.locator("[data-test=filing-status]")).to_have_text("已提交备案")
    expect(panel).to_contain_text("提交时间")
    j.shot("submitted")

    # The register lists it with its level and filing state.
    page.goto("/enterprise/hazards")
    row = page.locator(".el-table__row", has_text="液氯储罐区（二期）")
    expect(row).to_contain_text("一级重大危险源")
    expect(row).to_contain_text("已提交备案")


def test_a_save_refused_by_the_api_shows_its_messages_next_to_the_fields(journey):
    j = journey()
    j.login("ent01-admin", expect_path="/enterprise")
    page = j.page
    page.goto("/enterprise/hazards/new")
    field(page, "exposed-population").fill("3")
    page.locator("[data-test=substance-pick]").first.click()
    page.keyboard.type("甲醇")
    page.locator(".el-select-dropdown__item", has_text="甲醇").first.click()
    field(page, "substance-quantity").fill("-1")
    page.locator("[data-test=save]").click()  # no name either
    expect(page.locator("[data-test=form-error]")).to_be_visible()
    expect(error_next_to(page, "unit-name")).to_be_visible()
    expect(error_next_to(page, "substance-quantity")).to_be_visible()
    assert page.url.endswith("/enterprise/hazards/new")
    j.shot("save-refused")


def test_notifications_mark_read(journey):
    j = journey()
    j.login("ent01-admin", expect_path="/enterprise")
    page = j.page
    expect(page.locator(".side [data-test=unread-badge]")).to_be_visible()
    page.locator(".side").get_by_text("消息通知").click()
    page.wait_for_url(re.compile(r"/enterprise/notifications$"))
    note = page.locator("[data-test=notification]", has_text="隐患整改逾期")
    expect(note).to_contain_text("未读")
    j.shot("notifications")
    page.locator("[data-test=mark-all]").click()
    expect(note).not_to_contain_text("未读")
    expect(page.locator(".side [data-test=unread-badge]")).to_have_count(0)
    j.shot("all-read")


def test_admin_creates_edits_and_deactivates_a_staff_account(journey):
    j = journey()
    j.login("ent01-admin", expect_path="/enterprise")
    page = j.page
    page.goto("/enterprise/staff")
    expect(page.locator("[data-test=staff-table]")).to_contain_text("ent01-staff")
    page.locator("[data-test=new-staff]").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("用户名（登录用）").fill("ent01-e2e-operator")
    dialog.get_by_label("姓名").fill("巡检员小王")
    dialog.get_by_label("手机").fill("13900001111")
    dialog.get_by_label("初始密码").fill("short")
    dialog.locator("[data-test=save-staff]").click()
    # The API's password rule, next to the field.
    expect(
        dialog.locator(".el-form-item:has(input[type=password]) .el-form-item__error")
    ).to_be_visible()
    j.shot("staff-password-refused")
    dialog.get_by_label("初始密码").fill("xunjian-2026-safe")
    dialog.locator("[data-test=save-staff]").click()
    row = page.locator(".el-table__row", has_text="ent01-e2e-operator")
    expect(row).to_contain_text("巡检员小王")
    row.get_by_role("button", name="编辑").click()
    dialog.get_by_label("姓名").fill("巡检员王明")
    dialog.locator("[data-test=save-staff]").click()
    expect(row).to_contain_text("巡检员王明")
    j.shot("staff")
    row.get_by_role("button", name="停用").click()
    page.get_by_role("button", name="确定").click()
    expect(page.locator(".el-table__row", has_text="ent01-e2e-operator")).to_have_count(0)


def test_staff_sees_the_reduced_dashboard_on_a_phone(journey):
    j = journey(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    j.login("ent01-staff", expect_path="/enterprise")
    page = j.page
    expect(page.locator("[data-test=grade-badge]").first).to_be_visible()
    expect(page.locator("[data-test=danger-todos]")).to_contain_text("储罐防雷接地检测超期")
    expect(page.locator("[data-test=tile-overdue]")).to_be_visible()
    # The register and its filings are the safety officer's: not on the staff's dashboard.
    expect(page.locator("[data-test=hazard-todos]")).to_have_count(0)
    expect(page.locator("[data-test=tile-returned]")).to_have_count(0)
    expect(page.locator("[data-test=class-deductions]")).to_have_count(0)
    expect(page.get_by_role("button", name="上报隐患")).to_be_visible()
    j.shot("staff-dashboard")
