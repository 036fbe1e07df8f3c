"""Enforcement documents to PDF: an autoescaped Jinja template, then WeasyPrint with a fetcher
that reads only this package's assets and image data URIs, and one FontConfiguration per process.

No Flask here: the rq worker, the API and the tests call it directly.
"""

from __future__ import annotations

import base64
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jinja2
import segno
import weasyprint
from PIL import ImageFile
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse, path2url

from app.documents import rules
from app.documents.rules import Kind

# Importing WeasyPrint turned on Pillow's LOAD_TRUNCATED_IMAGES for the whole process, which
# would let a truncated upload pass app.files' checks; our images are checked, so keep it off.
ImageFile.LOAD_TRUNCATED_IMAGES = False

HERE = Path(__file__).resolve().parent
ASSETS = Path(os.path.realpath(HERE / "assets"))
# The trailing slash makes href="document.css" resolve inside assets/, not next to it.
ASSETS_URL = path2url(str(ASSETS) + os.sep)
# No SVG: WeasyPrint swallows every exception (even a fatal fetch) while drawing an SVG image.
ASSET_TYPES = {".css": "text/css; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg"}
MAX_ASSET_BYTES = 2 * 1024 * 1024


class RenderError(RuntimeError):
    """A refused context (.problems lists why) or a failed render (e.g. a refused URL)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


class LockedFetcher(URLFetcher):
    """Serves file:// URLs inside ASSETS and PNG/JPEG base64 data URIs; anything else stops the
    render with FatalURLFetchingError, so a document never silently loses a part, and never
    reads a local file, the network or a loopback service (the default fetcher did all three).

    Stateless after __init__, so one instance is shared by every render and thread.
    """

    def __init__(self, assets: Path = ASSETS):
        # fail_on_errors: any other exception raised here (a read error) is fatal too.
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.assets = os.path.realpath(assets)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "file":
            return self._asset(url)
        if scheme == "data":
            return self._image(url)
        raise self._refuse(url, "scheme not allowed")

    def _asset(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, "remote file URL")
        # realpath resolves "..", %2e%2e (url2pathname unquotes) and symlinks before the check.
        path = os.path.realpath(url2pathname(parts.path))
        suffix = os.path.splitext(path)[1].lower()
        if os.path.commonpath([path, self.assets]) != self.assets or suffix not in ASSET_TYPES:
            raise self._refuse(url, "outside the document assets")
        if not os.path.isfile(path) or os.path.getsize(path) > MAX_ASSET_BYTES:
            raise self._refuse(url, "missing or too large")
        with open(path, "rb") as f:
            body = f.read()
        return URLFetcherResponse(path2url(path), body, {"Content-Type": ASSET_TYPES[suffix]})

    def _image(self, url: str) -> URLFetcherResponse:
        if problem := rules.image_problem(url):
            raise self._refuse(url, problem)
        head, _, payload = url.partition(",")
        mime = head.removeprefix("data:").removesuffix(";base64").lower()
        return URLFetcherResponse("data:", base64.b64decode(payload), {"Content-Type": mime})

    @staticmethod
    def _refuse(url: str, why: str) -> FatalURLFetchingError:
        return FatalURLFetchingError(f"refused {url[:80]!r}: {why}")


_FETCHER = LockedFetcher()
_FONT_CONFIG: FontConfiguration | None = None
_FONT_LOCK = threading.Lock()


def fetcher() -> LockedFetcher:
    return _FETCHER


def font_config() -> FontConfiguration:
    """The process's one FontConfiguration: a fresh one per render swung memory up to ~0.9 GB."""
    global _FONT_CONFIG
    with _FONT_LOCK:
        if _FONT_CONFIG is None:
            _FONT_CONFIG = FontConfiguration()
        return _FONT_CONFIG


def _blank(value: object) -> object:
    return "" if value is None else value


def _cn_date(text: str | None) -> str:
    day = rules.parse_date(text)
    return rules.chinese_date(day) if day else ""


def _cn_time(text: str | None) -> str:
    moment = rules.parse_time(text)
    return rules.chinese_datetime(moment) if moment else ""


def _cn_date_of_time(text: str | None) -> str:
    moment = rules.parse_time(text)
    return rules.chinese_date(moment.date()) if moment else ""


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    # .html templates only, and strings too: everything user-entered is escaped.
    autoescape=jinja2.select_autoescape(["html"], default_for_string=True, default=True),
    # Optional values may be missing or null: both print blank, never "None" or an error.
    undefined=jinja2.ChainableUndefined,
    finalize=_blank,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
)
_ENV.filters["cn_date"] = _cn_date
_ENV.filters["cn_time"] = _cn_time
_ENV.filters["cn_date_of_time"] = _cn_date_of_time


def _image_or_none(value: object) -> str | None:
    """Only a valid image data URI reaches an src attribute, even when html() runs unchecked."""
    return value if isinstance(value, str) and rules.image_problem(value) is None else None


def _officers(context: dict) -> list[dict]:
    """Inspectors with their signature image, matched by name, else by position."""
    signed = (context.get("signatures") or {}).get("inspectors") or []
    by_name = {s.get("name"): s.get("image") for s in signed if isinstance(s, dict)}
    officers = []
    for i, person in enumerate(context.get("inspectors") or []):
        image = by_name.get(person.get("name"))
        if image is None and i < len(signed) and isinstance(signed[i], dict):
            image = signed[i].get("image") if not signed[i].get("name") else None
        officers.append({**person, "image": _image_or_none(image)})
    return officers


def _view(kind: Kind, context: dict) -> dict:
    """What the templates need beyond the snapshot: labels, the clause, images, the QR code."""
    verification = context.get("verification") or {}
    url = verification.get("url")
    # The QR code and the link carry only a URL that passed the same check as check_context.
    checked: list[str] = []
    rules.check_verification(context, checked)
    url = url if not checked else None
    signatures = context.get("signatures") or {}
    authority = context.get("authority") or {}
    reviews = context.get("reviews") or []
    return {
        "kind": kind.value,
        "title": rules.TITLES[kind],
        "remedy": rules.remedy_clause(
            authority.get("reconsideration_body"), authority.get("court")
        ),
        "officers": _officers(context),
        "responsible_signature": _image_or_none(signatures.get("responsible_person")),
        "refused_note": signatures.get("refused_note"),
        "results": rules.ITEM_RESULTS,
        "verdicts": rules.REVIEW_VERDICTS,
        "rectified": sum(r.get("verdict") == "rectified" for r in reviews),
        "verify_url": url,
        "qr": segno.make(url, error="m").png_data_uri(scale=4, border=2) if url else None,
    }


def html(kind: Kind | str, context: dict) -> str:
    """The document as HTML: every value from the context is autoescaped text."""
    kind = Kind(kind)
    return _ENV.get_template(f"{kind.value}.html").render(doc=context, v=_view(kind, context))


# One render at a time per process. Pango/fontconfig under WeasyPrint are not thread-safe: two
# renders in two threads of one process (the embedded mode's threaded server renders inline)
# corrupted the heap here ("corrupted double-linked list"). rq workers are processes, each with
# its own lock, so production renders stay parallel across workers.
_RENDER_LOCK = threading.Lock()


def pdf_from_html(markup: str) -> bytes:
    """WeasyPrint with the locked fetcher and the shared fonts; a refused URL → RenderError."""
    try:
        with _RENDER_LOCK:
            document = weasyprint.HTML(string=markup, base_url=ASSETS_URL, url_fetcher=_FETCHER)
            return document.write_pdf(font_config=font_config())
    except FatalURLFetchingError as exc:
        raise RenderError(f"render stopped: {exc}") from exc
    except Exception as exc:
        raise RenderError(f"render failed: {type(exc).__name__}: {exc}") from exc


def render_pdf(kind: Kind | str, context: dict) -> bytes:
    """Check the context, then render; the PDF's title metadata is the document number."""
    kind = Kind(kind)
    if problems := rules.check_context(kind, context):
        shown = "; ".join(problems[:5]) + (" …" if len(problems) > 5 else "")
        raise RenderError(f"context refused: {shown}", problems)
    return pdf_from_html(html(kind, context))
