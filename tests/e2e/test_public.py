"""The public pages, no account: a tip-off from a phone and its follow-up, the verification page a
document's QR code leads to, the published plans and draws with how to verify them, the results
and the blacklist. Uses only what the demo publishes; the tip-offs it sends are new ones."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import urllib.request

import pytest
from playwright.sync_api import expect

from app.inspections.rules import draw as drawing

MAIN = "连云港经济技术开发区应急管理局"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CJK = re.compile(r"[\u4e00-\u9fff]")
STREETS = ("北片", "中片", "南片", "西片")
CLASSES = ("良好", "正常", "提醒", "警示", "未分级")


def _get(base: str, path: str, token: str | None = None):
    request = urllib.request.Request(base + path, headers={"Accept-Language": "zh-CN"})  # noqa: S310
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        body = response.read()
        kind = response.headers.get_content_type()
    return json.loads(body) if kind.endswith("json") else body


def _token(base: str, username: str) -> str:
    request = urllib.request.Request(  # noqa: S310 - loopback
        base + "/api/v1/auth/token",
        data=json.dumps({"username": username, "password": "anjian-demo"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return json.loads(response.read())["access_token"]


@pytest.fixture(scope="module")
def main_authority(live_server) -> str:
    listed = _get(live_server, "/api/v1/public/authorities")
    return next(a["id"] for a in listed if a["name"] == MAIN)


@pytest.fixture
def photo(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (200, 60, 40))
    ImageDraw.Draw(image).rectangle((40, 40, 280, 200), fill=(250, 220, 0))
    path = tmp_path / "现场.png"
    image.save(path, "PNG")
    return path


def test_a_member_of_the_public_reports_from_a_phone_and_follows_it_up(
    journey, live_server, main_authority, photo
):
    j = journey(**PHONE)
    page = j.page
    page.goto(f"/tip-off/{main_authority}")  # the link printed on a poster
    expect(page.locator("[data-test=authority-select]")).to_contain_text(MAIN)
    j.shot("form-preset-authority")
    page.get_by_label("地址").fill("猴嘴街道纬三路8号东侧仓库")
    page.get_by_label("问题描述").fill("仓库门口堆放大量液化气钢瓶，消防通道被堵塞，夜间有人进出。")
    page.locator("[data-test=photo-input]").set_input_files(str(photo))
    expect(page.get_by_alt_text("现场照片")).to_be_visible()
    j.shot("filled-with-photo")
    page.locator("[data-test=submit-tip-off]").click()

    code_box = page.locator("[data-test=follow-up-code]")
    expect(code_box).to_be_visible()
    code = code_box.get_attribute("data-code")
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{16}", code), code
    assert code_box.inner_text().replace(" ", "") == code  # grouped for reading, same code
    expect(page.get_by_text("照片已上传")).to_be_visible()
    expect(page.get_by_text("查询码只显示这一次")).to_be_visible()
    j.shot("follow-up-code")

    page.locator("[data-test=follow-up-link]").click()
    page.wait_for_url(re.compile(r"/tip-off-status\?"))
    # The secret code is handed over out of the address bar (history, logs, referrers).
    assert code not in page.url and code.lower() not in page.url.lower(), page.url
    status = page.locator("[data-test=status-label]")
    expect(status).to_be_visible()
    labels = _get(live_server, "/api/v1/dictionaries")["dictionaries"]["tip_off_states"]
    received = next(e["label"] for e in labels if e["code"] == "received")
    assert CJK.search(received)
    expect(status).to_have_text(received)
    card = page.locator("[data-test=tip-off-status]")
    expect(card).to_contain_text("监管部门正在核查")
    expect(card.locator(".el-descriptions__cell", has_text="已上传")).to_be_visible()
    j.shot("follow-up-status")

    # The same page by hand: the code as read aloud, in lower case with spaces.
    page.goto("/tip-off-status")
    page.get_by_label("查询码").fill(" ".join(re.findall(".{4}", code.lower())))
    page.locator("[data-test=look-up]").click()
    expect(page.locator("[data-test=status-label]")).to_have_text(received)
    page.get_by_label("查询码").fill("AAAABBBBCCCCDDDD")
    page.locator("[data-test=look-up]").click()
    expect(page.locator("[data-test=status-error]")).to_contain_text("未找到该查询码")
    j.shot("unknown-code")
    assert not j.blocked, j.blocked


def test_an_empty_description_shows_the_api_message_next_to_the_field(journey, main_authority):
    j = journey(**PHONE)
    page = j.page
    page.goto("/tip-off/00000000-0000-4000-8000-000000000000")  # a poster of no authority
    expect(page.get_by_text("链接中的监管部门不存在或已停用")).to_be_visible()
    page.goto("/tip-off")
    page.evaluate("localStorage.removeItem('anjian.public.authority')")
    page.reload()
    page.locator("[data-test=submit-tip-off]").click()
    expect(page.get_by_text("请选择受理举报的监管部门")).to_be_visible()
    # The searchable select: type part of the region, pick the authority.
    page.locator("[data-test=authority-select]").click()
    page.keyboard.type("连云港")
    page.get_by_role("option", name=MAIN).click()
    page.wait_for_url(re.compile(rf"/tip-off/{main_authority}$"))
    page.get_by_label("地址").fill("纬三路8号")
    with page.expect_response(re.compile(r"/tip-offs$")) as answered:
        page.locator("[data-test=submit-tip-off]").click()
    response = answered.value
    assert response.status == 422
    message = response.json()["errors"]["description"][0]
    item = page.locator(".el-form-item", has=page.get_by_label("问题描述"))
    expect(item.locator(".el-form-item__error")).to_have_text(message)
    expect(page.locator("[data-test=follow-up-code]")).to_have_count(0)
    page.wait_for_timeout(400)  # the message zooms in
    j.shot("description-error")
    assert CJK.search(message), f"the API's field message is not in Chinese: {message!r}"


def _rendered_pdf(base: str) -> tuple[dict, bytes]:
    token = _token(base, "regulator")
    docs = _get(base, "/api/v1/documents?limit=50", token)["items"]
    doc = next(d for d in docs if d["status"] == "ready" and d["sha256"])
    link = _get(base, f"/api/v1/documents/{doc['id']}/download", token)["url"]
    if link.startswith("/"):
        return doc, _get(base, link, token)
    with urllib.request.urlopen(link, timeout=30) as response:  # noqa: S310 - moto on loopback
        return doc, response.read()


def test_the_qr_url_printed_on_a_document_opens_its_verification_page(
    journey, live_server, tmp_path
):
    doc, pdf = _rendered_pdf(live_server)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    joined = "".join(text.split())  # a long link wraps across lines in the PDF's text
    printed = re.search(r"https?://[^\s]+?/verify/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", joined)
    assert printed, joined[-600:]
    url = printed.group(0)
    assert url == f"{live_server}/verify/{doc['verification_code']}"
    # What a phone reads: the QR code decoded from the rendered page (poppler + zbar).
    page_png = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-", str(page_png)],  # every page: the QR is on the last
        input=pdf,
        check=True,
        timeout=60,
    )
    scanned = subprocess.run(
        [
            "zbarimg",
            "--quiet",
            "--raw",
            "-Sdisable",
            "-Sqrcode.enable",
            *map(str, tmp_path.glob("page*.png")),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert scanned.stdout.split() == [url], scanned.stdout + scanned.stderr
    sha256 = hashlib.sha256(pdf).hexdigest()
    assert sha256 == doc["sha256"]

    j = journey(**PHONE)
    page = j.page
    page.goto(url)
    expect(page.locator("[data-test=verify-status]")).to_have_text("有效")
    facts = page.locator("[data-test=verify-facts]")
    expect(facts).to_contain_text(doc["number"])
    expect(facts).to_contain_text(MAIN)
    kinds = _get(live_server, "/api/v1/dictionaries")["dictionaries"]["document_kinds"]
    expect(facts).to_contain_text(next(k["label"] for k in kinds if k["code"] == doc["kind"]))
    expect(page.locator("[data-test=verify-sha256]")).to_have_text(sha256)
    j.shot("verification-page")

    # A reader checks the file itself, in the browser.
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    page.locator("[data-test=verify-file]").set_input_files(str(path))
    expect(page.locator("[data-test=file-check]")).to_contain_text("完全一致")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(pdf + b"\n%")
    page.locator("[data-test=verify-file]").set_input_files(str(tampered))
    expect(page.locator("[data-test=file-check]")).to_contain_text("不一致")
    j.shot("file-checked")

    # Without a camera: the code typed on the home page, as read from the paper.
    page.goto("/")
    page.get_by_label("文书验证码").fill(doc["verification_code"].lower())
    page.get_by_role("button", name="核验").click()
    expect(page.locator("[data-test=verify-facts]")).to_contain_text(doc["number"])

    page.goto("/verify/AAAA-BBBB-CCCC")
    expect(page.locator("[data-test=verify-not-found]")).to_contain_text("未找到该验证码")
    j.shot("unknown-code")
    assert not j.blocked, j.blocked


def test_the_published_draw_names_its_strata_and_tells_how_to_verify(
    journey, live_server, main_authority
):
    j = journey(**PHONE)
    page = j.page
    page.goto(f"/public/plans/{main_authority}")
    plans = page.locator("[data-test=plan]")
    expect(plans.first).to_be_visible()
    expect(page.get_by_text("2026年度安全生产监督检查计划")).to_be_visible()
    expect(page.locator("[data-test=how-to-verify]")).to_contain_text("sha256(种子)")
    j.shot("plans")
    # The class × street plan (2027) comes first: newest year on top.
    plans.first.get_by_role("button", name="查看抽取结果与验证数据").first.click()
    page.wait_for_url(re.compile(r"/public/draws/"))
    names = page.locator("[data-test=stratum-name]")
    expect(names.first).to_be_visible()
    shown = names.all_inner_texts()
    assert shown, "no strata"
    for name in shown:
        klass, street = name.split(" · ")
        assert klass in CLASSES and street in STREETS, name
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", " ".join(shown))  # names, not ids
    expect(page.locator("[data-test=seed-check]")).to_contain_text("一致")
    how_to = page.locator("[data-test=how-to-verify]")
    expect(how_to).to_contain_text("如何验证")
    expect(how_to).to_contain_text("flask --app app inspections verify-draw draw.json")
    expect(page.locator("[data-test=team]").first).to_contain_text("3207")
    j.shot("draw")

    # The JSON the page links to re-derives the published result.
    href = page.locator("[data-test=draw-json]").get_attribute("href")
    published = _get(live_server, href)
    assert published["labels"]["strata"]
    problems = drawing.verify_draw(
        published["snapshot"], published["seed"], published["result"], published["commitment"]
    )
    assert problems == []
    assert not j.blocked, j.blocked


def _chinese_date(day: str) -> str:
    y, m, d = (int(x) for x in day.split("-"))
    return f"{y}年{m}月{d}日"


def test_results_and_blacklist_render(journey, live_server, main_authority):
    public = f"/api/v1/public/authorities/{main_authority}"
    outcomes = _get(live_server, "/api/v1/dictionaries")["dictionaries"]["inspection_outcomes"]
    closed = _get(live_server, f"{public}/inspection-results")["items"]
    listed = _get(live_server, f"{public}/blacklist")
    assert closed and listed  # the demo publishes both

    j = journey()
    page = j.page
    page.goto(f"/public/results/{main_authority}")
    results = page.locator("[data-test=result]")
    expect(results).to_have_count(len(closed))
    for r in closed:
        row = results.filter(has_text=r["enterprise_name"])
        row = row.filter(has_text=_chinese_date(r["date"]))
        outcome = next(o["label"] for o in outcomes if o["code"] == r["outcome"])
        expect(row.first).to_contain_text(outcome)
    j.shot("results")
    page.get_by_role("link", name="失信名单").click()
    page.wait_for_url(re.compile(rf"/public/blacklist/{main_authority}$"))
    entries = page.locator("[data-test=blacklist-entry]")
    expect(entries).to_have_count(len(listed))
    for entry, shown in zip(listed, entries.all(), strict=True):
        for value in (entry["enterprise_name"], entry["uscc"], entry["reason"]):
            expect(shown).to_contain_text(value)
        expect(shown).to_contain_text(
            f"{_chinese_date(entry['starts_on'])} 至 {_chinese_date(entry['ends_on'])}"
        )
    j.shot("blacklist")
    page.set_viewport_size(PHONE["viewport"])
    expect(entries.first).to_be_visible()
    j.shot("blacklist-phone")
    assert not j.blocked, j.blocked
