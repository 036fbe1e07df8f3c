"""The risk list in the browser: an LEC risk point graded live while the values are picked, the
import template downloaded, filled and imported, a bad workbook refused with every bad cell
listed and nothing imported, and a version published.

Enterprise ent02 (连云港康盛医药科技有限公司) only: every journey file shares one demo world.
The demo gives ent02 two risk points (溶剂回收, 有限空间), both 一般风险 (yellow), published as
version 1. Grading follows the default convention: LEC D ≥ 320 重大 (red), 160 ≤ D < 320 较大
(orange), 70 ≤ D < 160 一般 (yellow), below 70 低 (blue).
"""

from __future__ import annotations

import re
import uuid

from openpyxl import load_workbook
from playwright.sync_api import expect

ENTERPRISE = "连云港康盛医药科技有限公司"
CJK = re.compile(r"[\u4e00-\u9fff]")


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:4]}"


def form_item(page, label: str):
    return page.locator(".el-form-item").filter(
        has=page.locator(".el-form-item__label", has_text=label)
    )


def pick(page, test: str, option: str):
    """Open the select marked data-test=`test` and choose the option showing `option`."""
    page.locator(f"[data-test={test}]").click()
    page.locator(".el-select-dropdown__item:visible", has_text=option).first.click()


def shot(j, label: str):
    """A screenshot once the tables have settled (loading masks fade out after the data is in)."""
    expect(j.page.locator(".el-loading-mask")).to_have_count(0)
    j.page.wait_for_timeout(300)  # Element Plus fades tags and masks in over 0.3 s
    j.shot(label)


def row_of(page, table: str, text: str):
    return page.locator(f"[data-test={table}] .el-table__body tr").filter(has_text=text)


def test_admin_adds_an_lec_risk_point_seeing_its_grade_live(journey):
    j = journey()
    page = j.page
    j.login("ent02-admin", expect_path="/enterprise")
    expect(page.get_by_text(ENTERPRISE).first).to_be_visible()
    page.locator(".side").get_by_text("安全风险清单").click()
    page.wait_for_url(re.compile(r"/enterprise/risks$"))
    expect(row_of(page, "risk-table", "溶剂回收")).to_be_visible()
    shot(j, "risk-list")

    page.get_by_role("button", name="新增风险点").click()
    page.wait_for_url(re.compile(r"/enterprise/risks/new$"))
    # Saved empty: the API's messages, in Chinese, next to the fields they are about.
    page.locator("[data-test=save]").click()
    for label in ("风险点名称", "风险点类型", "危险有害因素"):
        message = form_item(page, label).locator(".el-form-item__error")
        expect(message).to_be_visible()
        assert CJK.search(message.inner_text()), message.inner_text()
    shot(j, "form-field-errors")
    name = unique("甲醇储罐装卸")
    form_item(page, "风险点名称").locator("input").fill(name)
    pick(page, "point_type", "作业场所")
    form_item(page, "所在区域").locator("input").fill("罐区")
    form_item(page, "危险有害因素").locator("textarea").fill("甲醇装卸时泄漏，遇点火源燃烧爆炸")
    page.locator("[data-test=accident_types]").click()  # a multi-select stays open while picking
    for accident in ("火灾", "中毒"):
        page.locator(".el-select-dropdown__item:visible").get_by_text(accident, exact=True).click()
    page.keyboard.press("Escape")

    # Inherent: L=6 (相当可能), E=6 (每天工作时间内暴露), C=15 (一人死亡): D = 540, 重大 red.
    inherent = page.locator("[data-test=inherent-result]")
    expect(inherent).to_contain_text("选齐各项取值后即时显示")
    pick(page, "inherent-l", "相当可能")
    pick(page, "inherent-e", "每天工作时间内暴露")
    expect(inherent).not_to_contain_text("D = ")  # C still missing: nothing graded yet
    pick(page, "inherent-c", "一人死亡")
    expect(inherent).to_contain_text("D = L × E × C = 540")
    expect(inherent.locator(".risk-tag")).to_have_text("重大风险 · 红")
    expect(inherent.locator(".risk-tag")).to_have_attribute("data-color", "red")
    expect(inherent).to_contain_text("管控层级：公司级")

    # Residual: L=6, E=3 (每周一次或偶然暴露), C=15: D = 270, 较大 orange; then a change of E
    # re-grades at once.
    residual = page.locator("[data-test=residual-result]")
    pick(page, "residual-l", "相当可能")
    pick(page, "residual-e", "每天工作时间内暴露")
    pick(page, "residual-c", "一人死亡")
    expect(residual).to_contain_text("= 540")
    pick(page, "residual-e", "每周一次或偶然暴露")
    expect(residual).to_contain_text("D = L × E × C = 270")
    expect(residual.locator(".risk-tag")).to_have_text("较大风险 · 橙")
    expect(residual).to_contain_text("管控层级：部门级")
    # The bands of the authority's convention are shown beside the result.
    expect(page.locator("[data-test=residual-assessment]")).to_contain_text("D ≥ 320：重大风险")

    measures = page.locator("[data-test=measures-engineering]")
    measures.locator("input").first.fill("装卸区设可燃气体检测报警和静电接地")
    measures.get_by_role("button", name="＋ 添加一条").click()
    measures.locator("input").nth(1).fill("装卸鹤管设紧急切断阀")
    page.locator("[data-test=measures-ppe] input").first.fill("防静电工作服、防护眼镜")
    shot(j, "form-graded-live")

    page.locator("[data-test=save]").click()
    page.wait_for_url(re.compile(r"/enterprise/risks$"))
    row = row_of(page, "risk-table", name)
    expect(row).to_be_visible()
    expect(row.locator(".risk-tag")).to_have_text("较大风险 · 橙")
    expect(row.locator(".risk-tag")).to_have_attribute("data-color", "orange")
    expect(row).to_contain_text("270")
    expect(row).to_contain_text("部门级")
    expect(row).to_contain_text("火灾、中毒")
    shot(j, "saved-in-list")

    # Opened again, the editor shows what was saved, measures as their own lines.
    row.get_by_role("link", name=name).click()
    expect(page.locator("[data-test=residual-result]")).to_contain_text("= 270")
    engineering = page.locator("[data-test=measures-engineering] input")
    expect(engineering).to_have_count(2)
    expect(engineering.nth(1)).to_have_value("装卸鹤管设紧急切断阀")

    # Edited (If-Match from the read): C=7 brings the residual risk down to D = 126, 一般 yellow.
    pick(page, "residual-c", "严重，重伤")
    expect(page.locator("[data-test=residual-result]")).to_contain_text("= 126")
    page.locator("[data-test=save]").click()
    page.wait_for_url(re.compile(r"/enterprise/risks$"))
    row = row_of(page, "risk-table", name)
    expect(row.locator(".risk-tag")).to_have_text("一般风险 · 黄")

    # Deactivated: off the working list, still found under 已停用.
    row.get_by_role("button", name="停用").click()
    page.locator(".el-message-box").get_by_role("button", name="停用").click()
    expect(row_of(page, "risk-table", name)).to_have_count(0)
    page.locator(".filters").get_by_text("已停用").click()
    expect(row_of(page, "risk-table", name)).to_contain_text("已停用")
    expect(row_of(page, "risk-table", "溶剂回收")).to_have_count(0)
    shot(j, "deactivated")


def test_admin_imports_the_template_and_publishes_a_version(journey, tmp_path):
    j = journey()
    page = j.page
    j.login("ent02-admin", expect_path="/enterprise")
    page.goto("/enterprise/risks")
    expect(row_of(page, "risk-table", "溶剂回收")).to_be_visible()

    # The template is a real workbook with the data sheet the import reads.
    with page.expect_download() as info:
        page.locator("[data-test=template]").click()
    template = tmp_path / "template.xlsx"
    info.value.save_as(template)
    assert template.read_bytes()[:2] == b"PK"
    assert "风险清单" in load_workbook(template).sheetnames

    good = [unique("原料仓库"), unique("污水处理池")]
    filled = fill(
        template,
        tmp_path / "filled.xlsx",
        [
            row(good[0], "作业场所", "LEC", (3, 6, 7), "LEC", (1, 6, 7)),
            row(good[1], "设备设施", "LS", (4, 4), "LS", (2, 3)),
        ],
    )
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_url(re.compile(r"/enterprise/risk-import$"))
    page.locator("[data-test=upload] input[type=file]").set_input_files(str(filled))
    expect(page.get_by_text("已选择：filled.xlsx")).to_be_visible()
    page.locator("[data-test=submit]").click()
    success = page.locator("[data-test=import-success]")
    expect(success).to_contain_text("导入成功")
    expect(success).to_contain_text("新增 2 个风险点")
    shot(j, "import-success")
    success.get_by_role("button", name="查看风险清单").click()
    page.wait_for_url(re.compile(r"/enterprise/risks$"))
    # LEC 1×6×7 = 42: 低风险 blue; LS 2×3 = 6: 低风险 blue.
    for name in good:
        expect(row_of(page, "risk-table", name).locator(".risk-tag")).to_have_text("低风险 · 蓝")
    shot(j, "imported-in-list")
    with page.expect_download() as info:
        page.locator("[data-test=export]").click()
    exported = tmp_path / "export.xlsx"
    info.value.save_as(exported)
    names = {r[1] for r in load_workbook(exported).active.iter_rows(min_row=2, values_only=True)}
    assert set(good) <= names, names

    # A bad workbook: an L that no table defines, a missing name, an unknown type; and one good
    # row, which must not be imported either.
    innocent = unique("不应导入的风险点")
    bad = fill(
        template,
        tmp_path / "bad.xlsx",
        [
            row(unique("反应釜"), "设备设施", "LEC", (5, 6, 15), "LEC", (3, 6, 7)),
            row(None, "作业场所", "LEC", (3, 6, 7), "LEC", (1, 6, 7)),
            row(unique("仓库"), "仓储区", "LS", (2, 3), "LS", (2, 9)),
            row(innocent, "作业场所", "LEC", (3, 6, 7), "LEC", (1, 6, 7)),
        ],
    )
    page.goto("/enterprise/risk-import")
    page.locator("[data-test=upload] input[type=file]").set_input_files(str(bad))
    expect(page.get_by_text("已选择：bad.xlsx")).to_be_visible()
    page.locator("[data-test=submit]").click()
    refused = page.locator("[data-test=import-errors]")
    expect(refused).to_contain_text("未导入任何数据：发现 4 处问题，涉及 3 行")
    table = page.locator("[data-test=problem-table] .el-table__body tr")
    expect(table).to_have_count(4)
    cells = [[c.strip() for c in r.locator("td").all_inner_texts()] for r in table.all()]
    assert [c[:2] for c in cells] == [
        ["第 2 行", "固有L"],
        ["第 3 行", "风险点名称*"],
        ["第 4 行", "风险点类型*"],
        ["第 4 行", "现实S"],
    ], cells
    assert "5 不是 LEC 法 L 的标准取值" in cells[0][2], cells
    assert cells[1][2] == "必填", cells
    assert "“仓储区”不是可选值" in cells[2][2], cells
    assert "9 不是 LS 法 S 的标准取值" in cells[3][2], cells
    shot(j, "import-refused")

    page.goto("/enterprise/risks")
    expect(row_of(page, "risk-table", good[0])).to_be_visible()
    expect(row_of(page, "risk-table", innocent)).to_have_count(0)
    active = page.locator("[data-test=risk-table] .el-table__body tr").count()

    # Publish: the new version is current, holds every active point and names who published it.
    page.locator("[data-test=publish]").click()
    page.locator(".el-message-box").get_by_role("button", name="发布").click()
    page.wait_for_url(re.compile(r"/enterprise/risk-versions$"))
    versions = page.locator("[data-test=versions-table] .el-table__body tr")
    newest = versions.first
    expect(newest).to_contain_text("当前")
    expect(newest).to_contain_text(str(active))
    expect(newest).to_contain_text("企业管理员02")
    number = re.search(r"第 (\d+) 版", newest.inner_text()).group(1)
    assert int(number) >= 2
    expect(versions.filter(has_text="第 1 版")).not_to_contain_text("当前")
    shot(j, "versions")
    newest.get_by_role("button", name="查看").click()
    entries = page.locator("[data-test=entries-table] .el-table__body tr")
    expect(entries).to_have_count(active)
    expect(entries.filter(has_text=good[1]).locator(".risk-tag")).to_have_text("低风险 · 蓝")
    shot(j, "version-published")


def row(name, point_type, inherent_method, inherent, residual_method, residual) -> dict:
    """One data row by template header: factors are (L, E, C) for LEC or (L, S) for LS."""

    def factors(prefix: str, method: str, values: tuple) -> dict:
        keys = ("L", "E", "C") if method == "LEC" else ("L", "S")
        return {f"{prefix}{k}": v for k, v in zip(keys, values, strict=True)}

    return {
        "风险点名称": name,
        "所在区域": "厂区",
        "风险点类型": point_type,
        "危险有害因素": "物料泄漏、设备故障",
        "可能导致的事故类型": "火灾、中毒",
        "固有风险评价方法": inherent_method,
        **factors("固有", inherent_method, inherent),
        "现实风险评价方法": residual_method,
        **factors("现实", residual_method, residual),
        "工程技术措施": "设置检测报警",
        "管理措施": "每班巡检",
        "责任部门": "安全环保部",
        "责任人": "王工",
    }


def fill(template, out, rows: list[dict]):
    """The downloaded template with `rows` written under its own headers (matched as the
    import matches them: without the required mark)."""
    workbook = load_workbook(template)
    sheet = workbook["风险清单"]
    columns = {str(c.value).rstrip("*"): c.column for c in sheet[1] if c.value}
    for offset, values in enumerate(rows):
        for header, value in values.items():
            if value is not None:
                sheet.cell(row=2 + offset, column=columns[header], value=value)
    workbook.save(out)
    return out
