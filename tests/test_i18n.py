"""The API speaks Chinese by default and English on request (app/i18n.py), from a complete catalog.

The `client` fixture asks for English (tests/conftest.py); these tests use their own clients.
"""

from __future__ import annotations

import inspect
import pickle
import re
import secrets
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import default_exceptions

from app import i18n, i18n_extract
from app.messages import Msg, Term
from tests.dangers.helpers import Api, auth

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")  # with Chinese punctuation
LOGIN = "/api/v1/auth/token"


@pytest.fixture
def anon(app):
    """A client that sends no Accept-Language at all, from an address of its own: the login
    limits count per address, and the rest of the suite logs in from 127.0.0.1 all the time."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.7"
    return client


def _catalog():
    with i18n.po_path("zh_CN").open("rb") as handle:
        return read_po(handle, locale="zh_CN")


# --- over HTTP -------------------------------------------------------------------------------


def test_a_failed_login_is_said_in_chinese_by_default(anon, world):
    r = anon.post(LOGIN, json={"username": world.username("regulator"), "password": "wrong-1234"})
    assert r.status_code == 401
    assert r.mimetype == "application/problem+json"
    assert r.json["title"] == "未登录"
    assert r.json["detail"] == "用户名或密码错误"
    assert r.json["type"].endswith("/unauthorized")  # the machine-readable parts stay as they are
    assert r.headers["Content-Language"] == "zh-CN"
    assert "Accept-Language" in r.headers["Vary"]


def test_marshmallow_messages_are_chinese_with_their_numbers(app, anon, world):
    r = anon.post(LOGIN, json={"password": "x", "extra": 1})
    assert r.status_code == 422
    assert r.json["title"] == "输入有误"
    assert r.json["errors"]["username"] == ["必填项，不能为空。"]
    assert r.json["errors"]["extra"] == ["不允许的字段。"]
    admin = auth(app, world.username("enterprise_admin"))
    r = anon.post("/api/v1/hidden-dangers", headers=admin, json={"title": "x" * 201})
    assert r.status_code == 422
    assert r.json["errors"]["title"] == ["长度须在 1 到 200 之间。"]
    assert r.json["errors"]["category"] == ["必填项，不能为空。"]


def test_an_illegal_hidden_danger_step_names_states_and_steps_in_chinese(app, anon, world):
    admin = Api(app, anon, world.username("enterprise_admin"))
    danger = admin.create().json
    r = admin.step(danger["id"], "accept")
    assert r.status_code == 409
    assert r.json["title"] == "操作冲突"
    detail = r.json["detail"]
    assert "已登记" in detail and "验收通过" in detail, detail  # state and action by their labels
    assert "开始整改" in detail, detail  # the allowed next steps too
    assert "reported" not in detail and "start_rectification" not in detail
    # The machine-readable members keep their codes.
    assert r.json["errors"]["state"] == ["reported"]
    assert "start_rectification" in r.json["errors"]["allowed_actions"]


def test_english_on_request(app, anon, world):
    en = {"Accept-Language": "en"}
    r = anon.post(LOGIN, headers=en, json={"username": "nobody-1", "password": "wrong-1234"})
    assert (r.json["title"], r.json["detail"]) == (
        "Not authenticated",
        "wrong username or password",
    )
    assert r.headers["Content-Language"] == "en"
    r = anon.post(LOGIN, headers=en, json={"password": "x", "extra": 1})
    assert r.json["errors"] == {
        "username": ["Missing data for required field."],
        "extra": ["Unknown field."],
    }
    admin = Api(app, anon, world.username("enterprise_admin"))
    danger = admin.create().json
    admin.headers = {**admin.headers, **en}
    r = admin.step(danger["id"], "accept")
    assert r.json["detail"].startswith("accept is not allowed from reported for you; allowed next")


@pytest.mark.parametrize(
    "header, chinese",
    [
        ("zh-CN", True),
        ("en-US,en;q=0.9", False),
        ("zh;q=0.5, en;q=0.9", False),  # the q-values decide, not the order
        ("en;q=0.3, zh-TW;q=0.8", True),  # any Chinese is Chinese
        ("fr-FR, de;q=0.8", True),  # a language we do not have: the default
        ("fr, en;q=0.5", False),  # ... unless one we have is also accepted
        ("en;q=0, zh;q=0.1", True),  # q=0 means "not this one"
        ("*", True),
        ("", True),
    ],
)
def test_accept_language_is_negotiated(anon, header, chinese):
    r = anon.get("/api/v1/no-such-thing", headers={"Accept-Language": header})
    assert r.status_code == 404
    assert r.json["title"] == ("未找到" if chinese else "Not Found"), header
    assert r.headers["Content-Language"] == ("zh-CN" if chinese else "en")


def test_four_color_reasons_are_chinese_by_default(app, anon, world):
    h = auth(app, world.username("regulator"))
    items = anon.get("/api/v1/risk-map/colors?limit=200", headers=h).json["items"]
    grade = next(c for c in items if c["enterprise_id"] == str(world.a.enterprise1))
    reasons = {r["rule"]: r["detail"] for r in grade["reasons"]}  # codes stay codes
    assert reasons["highest_residual_risk"] == "已公布的 1 个风险点中，最高剩余风险为较大风险"
    assert reasons["major_hazard_source"] == "1 处 1 级重大危险源"
    en = anon.get("/api/v1/risk-map/colors?limit=200", headers={**h, "Accept-Language": "en"})
    grade = next(c for c in en.json["items"] if c["enterprise_id"] == str(world.a.enterprise1))
    reasons = {r["rule"]: r["detail"] for r in grade["reasons"]}
    assert reasons["highest_residual_risk"] == (
        "highest residual risk of 1 published risk points is significant"
    )


# --- the translating itself ------------------------------------------------------------------


def test_a_msg_is_its_english_text_and_survives_pickling():
    msg = Msg("no such street: %(id)s", id="s1")
    assert msg == "no such street: s1" and isinstance(msg, str)
    copy = pickle.loads(pickle.dumps(msg))  # noqa: S301 - our own bytes
    assert (copy.msgid, copy.params) == (msg.msgid, msg.params)
    assert i18n.translate(copy, "zh_CN") == "没有这个街道：s1"
    term = pickle.loads(pickle.dumps(Term("plan_statuses", "active")))  # noqa: S301
    assert (str(term), term.dictionary) == ("active", "plan_statuses")
    assert i18n.translate(term, "zh_CN") == "执行中"


def test_stored_english_text_is_still_recognised():
    # A file check's message kept as plain text (evidence.rejected_reason) has lost its Msg.
    text = str(Msg("The %(kind)s is damaged or incomplete and cannot be read.", kind="PDF"))
    assert i18n.translate(text, "zh_CN") == "文件（PDF）已损坏或不完整，无法读取。"
    image = str(
        Msg(
            "The %(kind)s has extra data hidden after its end.",
            kind=Msg("%(name)s image", name="PNG"),
        )
    )
    assert i18n.translate(image, "zh_CN") == "文件（PNG 图片）末尾藏有多余数据。"
    assert i18n.translate(
        "Must be greater than or equal to 0 and less than or equal to 100.", "zh_CN"
    ) == ("须在 0 到 100 之间。")
    # Nested errors keep their keys; what the catalog does not know is left as it is.
    errors = {"items": {0: {"name": ["Not a valid string."]}}, "x": ["rectifying", 3]}
    assert i18n.translate(errors, "zh_CN") == {
        "items": {0: {"name": ["不是有效的文本。"]}},
        "x": ["rectifying", 3],
    }


def test_a_broken_translation_falls_back_to_english(monkeypatch):
    catalog = i18n.catalog_for("zh_CN")
    monkeypatch.setitem(catalog.messages, "no such street: %(id)s", "没有街道 %(wrong)s")
    assert i18n.translate(Msg("no such street: %(id)s", id="s1"), "zh_CN") == "no such street: s1"


def test_outside_a_request_the_default_is_chinese(app):
    with app.app_context():
        assert i18n.current_locale() == "zh_CN"
        assert i18n.gettext("Not found") == "未找到"
        from flask_babel import gettext

        assert gettext("Not found") == "未找到"  # Flask-Babel reads the same catalog


# --- the catalog -----------------------------------------------------------------------------


def test_every_catalog_entry_is_translated_with_its_placeholders():
    problems = []
    for message in _catalog():
        if not message.id:
            continue
        if not message.string or message.fuzzy:
            problems.append(f"untranslated or fuzzy: {message.id!r}")
            continue
        wanted, got = set(PLACEHOLDER.findall(message.id)), set(PLACEHOLDER.findall(message.string))
        if wanted != got:
            problems.append(f"placeholders {sorted(wanted)} != {sorted(got)}: {message.id!r}")
        if not CJK.search(message.string):
            problems.append(f"no Chinese in the translation of {message.id!r}")
    assert not problems, "\n".join(problems)


def test_every_message_in_the_code_is_in_the_catalog():
    """Run `make messages` and translate the new entries when this fails."""
    assert not i18n_extract.problems(ROOT / "app"), "\n".join(i18n_extract.problems(ROOT / "app"))
    known = {m.id for m in _catalog() if m.id}
    missing = {
        text: places
        for text, places in i18n_extract.messages(ROOT / "app").items()
        if text not in known
    }
    assert not missing, "\n".join(f"{t!r} ({', '.join(p)})" for t, p in missing.items())


def test_codes_are_never_catalog_entries():
    """Codes travel in `errors` too (state, allowed_actions): a msgid equal to one would
    translate it and break clients that read them."""
    from app.dictionaries.rules import document

    codes = {entry["code"] for entries in document()["dictionaries"].values() for entry in entries}
    assert not codes & {m.id for m in _catalog() if m.id}


def _braces_to_gettext(text: str) -> str:
    return re.sub(r"\{(\w+)(?:!r)?\}", r"%(\1)s", text)


def test_the_libraries_messages_are_all_in_the_catalog():
    """What marshmallow and werkzeug can say, by reading them: an upgrade that adds a message
    fails here rather than reaching a user in English."""
    said = set()
    for _, cls in inspect.getmembers(fields, inspect.isclass):
        for text in getattr(cls, "default_error_messages", {}).values():
            obj_type = getattr(cls, "OBJ_TYPE", None)
            said.add(_braces_to_gettext(text.replace("{obj_type}", obj_type or "{obj_type}")))
    said = {
        s for s in said if "{" not in s and "%(obj_type)s" not in s and "%(awareness)s" not in s
    }
    said |= {"Not a valid aware datetime.", "Not a valid naive datetime."}
    said |= set(Schema._default_error_messages.values())
    for _, cls in inspect.getmembers(validate, inspect.isclass):
        for name, text in vars(cls).items():
            if isinstance(text, str) and (name.startswith("message") or name == "default_message"):
                if (
                    "{min_op}" in text
                    or "{max_op}" in text
                    or name
                    in (
                        "message_gte",
                        "message_gt",
                        "message_lte",
                        "message_lt",
                    )
                ):
                    continue
                said.add(_braces_to_gettext(text))
    r = validate.Range
    for low in (r.message_gte, r.message_gt):
        said.add(_braces_to_gettext(r.message_min.format(min_op=low)))
        for high in (r.message_lte, r.message_lt):
            said.add(_braces_to_gettext(r.message_all.format(min_op=low, max_op=high)))
    for high in (r.message_lte, r.message_lt):
        said.add(_braces_to_gettext(r.message_max.format(max_op=high)))
    for exc in default_exceptions.values():
        said |= {exc().name, exc.description}
    known = {m.id for m in _catalog() if m.id}
    assert not said - known, sorted(said - known)
