"""The API in the caller's language: Chinese (zh_CN) by default, English on `Accept-Language: en`.

Messages are written in English in the code (the gettext msgids) and translated through the
catalog app/translations/zh_CN/LC_MESSAGES/messages.po (Flask-Babel). The catalog is compiled in
memory from the .po the first time a process needs it (a few milliseconds), so a fresh clone, the
wheel and the Docker image all work from the one committed source, with no .mo to build or forget.
Refresh the catalog after changing messages with `make messages` (pybabel extract + update, using
babel.cfg and app/i18n_extract.py), then translate the new entries.

`translate` says a message, or a nested dict/list of them (problem+json `errors`), in the current
locale: an app.messages.Msg by its msgid with its parameters filled in after translating; a plain
string by exact lookup, else by matching the catalog's parameterised msgids (how marshmallow's,
webargs' and werkzeug's formatted messages such as "Length must be between 1 and 200." are found).
A string the catalog does not know is returned unchanged. What the libraries underneath say is
listed in app/i18n_library.py, so that it is in the catalog too.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import current_app, g, has_app_context, has_request_context, request
from flask_babel import Babel, Domain, get_locale
from marshmallow import fields

from app.messages import Msg, Term, english

DEFAULT_LOCALE = "zh_CN"  # and "en", the language of the msgids
TRANSLATIONS = Path(__file__).parent / "translations"
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def init_app(app) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    babel = Babel(configure_jinja=False)
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel's own gettext/lazy_gettext read the same in-memory catalogs.
    babel.domain_instance = _CatalogDomain()
    app.after_request(_vary)


def _vary(response):
    # A response that said something in the caller's language differs by Accept-Language.
    if g.get("anjian_localized"):
        response.vary.add("Accept-Language")
        response.headers.setdefault("Content-Language", content_language())
    return response


def select_locale() -> str | None:
    """The best of our locales by the request's Accept-Language (q-values honoured); a language
    we do not have, or no header, gives Chinese. Matching is by primary language, so zh-TW and
    zh-Hans read Chinese and en-US English. Outside a request: None, i.e. the default, Chinese."""
    if not has_request_context():
        return None
    for value, quality in request.accept_languages:  # already sorted, best first
        if quality <= 0:
            continue
        primary = value.replace("_", "-").split("-", 1)[0].lower()
        if primary in ("zh", "*"):
            return "zh_CN"
        if primary == "en":
            return "en"
    return None


def current_locale() -> str:
    if has_app_context() and "babel" in current_app.extensions:
        locale = get_locale()  # babel reads "zh_CN" as zh_Hans_CN: compare languages
        if locale is not None and locale.language == "en":
            return "en"
    return DEFAULT_LOCALE


def content_language(locale: str | None = None) -> str:
    """The Content-Language header value (a BCP 47 tag) of a locale."""
    return (locale or current_locale()).replace("_", "-")


def translate(value: Any, locale: str | None = None) -> Any:
    """`value` in the caller's language: strings translated, dicts and lists walked (keys kept)."""
    if locale is None and has_request_context():
        g.anjian_localized = True
    catalog = catalog_for(locale or current_locale())
    return catalog.walk(value)


def gettext(message: str, locale: str | None = None) -> str:
    return translate(message, locale)


@dataclass(frozen=True)
class _Pattern:
    msgid: str
    regex: re.Pattern
    msgstr: str


class Catalog:
    """One locale's messages: exact msgids, and the parameterised ones as patterns."""

    def __init__(self, locale: str, messages: dict[str, str], translations: NullTranslations):
        self.locale = locale
        self.messages = messages
        self.translations = translations  # the same catalog, for Flask-Babel's gettext
        patterns = [
            _Pattern(msgid, _pattern_of(msgid), msgstr)
            for msgid, msgstr in messages.items()
            # Only with some words of its own: "%(field)s: %(message)s" would match anything.
            if _PLACEHOLDER.search(msgid) and re.search(r"[^\W\d_]{2}", _PLACEHOLDER.sub("", msgid))
        ]
        # Most literal text first: the most specific pattern wins when two could match.
        patterns.sort(key=lambda p: -len(_PLACEHOLDER.sub("", p.msgid)))
        self.patterns = tuple(patterns)

    @property
    def english(self) -> bool:
        return not self.messages

    def walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.walk(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.walk(item) for item in value]
        return value

    def text(self, value: str) -> str:
        if isinstance(value, Msg):
            return self.message(value)
        if isinstance(value, Term):
            return self.term(value)
        if self.english:
            return str(value)
        found = self.messages.get(value)
        if found is not None:
            return found
        for pattern in self.patterns:
            if match := pattern.regex.fullmatch(value):
                # A parameter may itself be a message ("JPEG image" in "The JPEG image is ...").
                params = {
                    k: self.text(v) if len(v) < len(value) else v
                    for k, v in match.groupdict().items()
                }
                return _format(pattern.msgstr, params, value)
        return str(value)

    def message(self, msg: Msg) -> str:
        if self.english:
            return str(msg)
        msgstr = self.messages.get(msg.msgid)
        if msgstr is None:
            return str(msg)  # not translated yet: all English rather than half
        if not msg.params:
            return msgstr
        return _format(msgstr, {k: self.param(v) for k, v in msg.params.items()}, str(msg))

    def param(self, value: Any) -> str:
        if isinstance(value, list | tuple):
            return "、".join(self.param(v) for v in value)
        if isinstance(value, Msg):
            return self.message(value)
        if isinstance(value, Term):
            return self.term(value)
        if isinstance(value, Enum) and hasattr(value, "label_cn"):
            return value.label_cn
        return english(value)

    def term(self, term: Term) -> str:
        if self.english:
            return str(term)
        return _dictionary_labels().get(term.dictionary, {}).get(str(term), str(term))


def _format(msgstr: str, params: dict[str, Any], fallback: str) -> str:
    try:
        return msgstr % params
    except (KeyError, ValueError, TypeError):
        # A broken translation must not break the response: the English text still says it.
        return fallback


def _pattern_of(msgid: str) -> re.Pattern:
    parts: list[str] = []
    seen: set[str] = set()
    position = 0
    for match in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[position : match.start()]))
        name = match.group(1)
        if name is None:
            parts.append("%")
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            parts.append(f"(?P<{name}>.+?)")
            seen.add(name)
        position = match.end()
    parts.append(re.escape(msgid[position:]))
    return re.compile("".join(parts), re.DOTALL)


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


@cache
def catalog_for(locale: str) -> Catalog:
    path = po_path(locale)
    if locale == "en" or not path.exists():
        return Catalog(locale, {}, NullTranslations())
    with path.open("rb") as handle:
        po = read_po(handle, locale=locale)
    messages = {
        m.id: m.string for m in po if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }
    buffer = io.BytesIO()
    write_mo(buffer, po)  # fuzzy entries are left out, as pybabel compile does
    buffer.seek(0)
    return Catalog(locale, messages, Translations(buffer))


class _CatalogDomain(Domain):
    def get_translations(self):
        return catalog_for(current_locale()).translations


# The labels a `Term` in a message reads as: those of GET /api/v1/dictionaries, the same ones
# the screens show.
@cache
def _dictionary_labels() -> dict[str, dict[str, str]]:
    # Imported here: the dictionaries import every domain's rules, and this module is imported
    # by app.errors before any of them.
    from app.dictionaries.rules import document

    return {
        name: {entry["code"]: entry["label"] for entry in entries}
        for name, entries in document()["dictionaries"].items()
    }


class Text(fields.String):
    """A string field whose value is a message to say in the caller's language (e.g. a reason)."""

    def _serialize(self, value, attr, obj, **kwargs):
        # Translated first: String's own serialising makes a plain str of a Msg.
        return super()._serialize(None if value is None else translate(value), attr, obj, **kwargs)
