"""Rendering: the text layer, an embedded CJK font, and hostile input that must stay text.

No app, no database: render.py is called directly, as the rq worker calls it.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import io
import os
import re
import subprocess
import threading

import pypdf
import pytest
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from app.documents import render, rules
from app.documents.rules import Kind
from tests.documents import sample, signature_png

REMEDY_PHRASES = (
    "六十日内",
    "六个月内",
    "连云港市人民政府",
    "连云港市海州区人民法院",
    "不停止执行",
)


def pdf_text(pdf: bytes, tmp_path) -> str:
    """pdftotext in reading order, all whitespace removed so wrapped lines join up. (-layout
    interleaves the lines of neighbouring table cells, which splits a cell's phrase.)"""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, timeout=30)
    return re.sub(r"\s+", "", out.stdout.decode())


def cjk_fonts(page) -> list[str]:
    """BaseFont names of the page's embedded fonts that are CJK (a font file is present)."""
    found = []
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts") or [font]
        for inner in descendants:
            descriptor = inner.get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if embedded and "CJK" in str(font["/BaseFont"]):
                found.append(str(font["/BaseFont"]))
    return found


def links_and_attachments(pdf: bytes) -> tuple[list[str], list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    uris, bad = [], []
    if "/EmbeddedFiles" in (reader.trailer["/Root"].get("/Names") or {}):
        bad.append("/EmbeddedFiles")
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/FileAttachment":
                bad.append("/FileAttachment")
            action = (annot.get("/A") or {}).get("/URI")
            if action is not None:
                uris.append(str(action))
    return uris, bad


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_renders_chinese_text_with_an_embedded_cjk_font(kind, tmp_path):
    context = sample(kind)
    pdf = render.render_pdf(kind, context)

    text = pdf_text(pdf, tmp_path)
    for phrase in (rules.TITLES[kind], context["number"], context["enterprise"]["name"]):
        assert phrase in text
    for finding in context["findings"]:
        assert finding["title"] in text
    for person in context["inspectors"]:
        assert person["certificate_no"] in text
    assert "连云港经济技术开发区应急管理局" in text and "2026年11月29日" in text
    assert context["verification"]["code"] in text
    assert "第1页共" in text  # the @page footer counter

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == context["number"]
    assert cjk_fonts(reader.pages[0]), "no embedded CJK font: the glyphs would not render"
    uris, bad = links_and_attachments(pdf)
    assert set(uris) == {context["verification"]["url"]} and bad == []


def test_order_carries_deadlines_basis_duties_and_the_remedy_clause(tmp_path):
    text = pdf_text(
        render.render_pdf(Kind.RECTIFICATION_ORDER, sample("rectification_order")), tmp_path
    )
    for phrase in REMEDY_PHRASES + ("申请行政复议", "提起行政诉讼"):
        assert phrase in text
    assert "2026年12月14日前" in text and "2026年12月6日前" in text
    assert "第三十六条第一款" in text
    assert "达到有关法律、法规、规章和国家标准或者行业标准规定的要求" in text
    assert "依法追究有关人员的责任" in text and "确保安全生产" in text


def test_record_lists_results_and_opinion_cites_the_order(tmp_path):
    text = pdf_text(
        render.render_pdf(Kind.INSPECTION_RECORD, sample("inspection_record")), tmp_path
    )
    assert text.count("合格") > text.count("不合格") > 0 and "不适用" in text
    assert "2026年11月29日09时00分至2026年11月29日11时00分" in text
    opinion = sample("reinspection_opinion")
    text = pdf_text(render.render_pdf(Kind.REINSPECTION_OPINION, opinion), tmp_path)
    assert "本机关于2026年11月20日向你单位下达了（连开）应急责改〔2026〕1号" in text
    assert "已整改" in text and "未整改" in text and "已整改1项，未整改1项" in text


def test_refused_signature_prints_the_note(tmp_path):
    context = sample("rectification_order")
    context["signatures"]["responsible_person"] = None
    context["signatures"]["refused_note"] = "当事人拒绝签名，已录像"
    text = pdf_text(render.render_pdf("rectification_order", context), tmp_path)
    assert "拒绝签名：当事人拒绝签名，已录像" in text


def test_generic_remedy_when_the_authority_named_no_body_or_court(tmp_path):
    context = sample("rectification_order")
    context["authority"]["reconsideration_body"] = context["authority"]["court"] = None
    text = pdf_text(render.render_pdf("rectification_order", context), tmp_path)
    assert rules.GENERIC_BODY in text and rules.GENERIC_COURT in text


# --- hostile input -----------------------------------------------------------------------------


@contextlib.contextmanager
def canary():
    """A loopback HTTP server that counts every request made to it."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body{}")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 1
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def hostile(port: int, secret_file: str) -> list[str]:
    return [
        f'<img src="http://127.0.0.1:{port}/x">',
        f'<link rel=stylesheet href="http://127.0.0.1:{port}/y">',
        f"<style>@import url(http://127.0.0.1:{port}/z);</style>",
        f'<a rel="attachment" href="file://{secret_file}">附件</a>',
        "file:///etc/hostname",
        f"file://{secret_file}",
        f"http://localhost:{port}/a http://[::1]:{port}/b http://2130706433:{port}/c",
        '"><script>alert(1)</script>{{ 7*7 }}',
    ]


# Structure, not free text: must keep their shape or check_context refuses them.
STRUCTURAL = re.compile(
    r"(number|issued_on|order\.number|.*deadline|.*started_at|.*ended_at|.*result|.*verdict|verification\..*"
    r"|signatures\.inspectors\[\d+\]\.image|signatures\.responsible_person|order\.issued_on)"
)


def poison(context, texts, path=""):
    """Every free-text value replaced by hostile text (rotating through the list)."""
    if isinstance(context, dict):
        return {k: poison(v, texts, f"{path}.{k}" if path else k) for k, v in context.items()}
    if isinstance(context, list):
        return [poison(v, texts, f"{path}[{i}]") for i, v in enumerate(context)]
    if isinstance(context, str) and not STRUCTURAL.fullmatch(path):
        texts.append(texts.pop(0))
        return texts[-1]
    return context


@pytest.mark.parametrize("kind", list(Kind))
def test_hostile_text_renders_as_text_and_fetches_nothing(kind, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-4f9d2c-NOT-FOR-PDF")
    hostname = open("/etc/hostname", encoding="utf-8").read().strip()  # noqa: SIM115
    with canary() as (port, hits):
        context = poison(sample(kind), hostile(port, str(secret)))
        assert rules.check_context(kind, context) == []
        markup = render.html(kind, context)
        pdf = render.render_pdf(kind, context)
    assert hits == []
    assert f'<img src="http://127.0.0.1:{port}' not in markup and "&lt;img src=" in markup
    assert "<script>" not in markup and "<style>@import" not in markup
    text = pdf_text(pdf, tmp_path)
    assert "<img" in text and "@import" in text and "{{7*7}}" in text
    assert "SECRET-4f9d2c" not in text and b"SECRET-4f9d2c" not in pdf
    if hostname and hostname not in "".join(hostile(port, str(secret))):
        assert hostname not in text
    uris, bad = links_and_attachments(pdf)
    assert set(uris) == {context["verification"]["url"]} and bad == []


def test_a_megabyte_field_is_refused_before_rendering(monkeypatch):
    context = sample("rectification_order")
    context["findings"][0]["description"] = "隐" * (1024 * 1024)

    def never(*args):
        raise AssertionError("rendered a refused context")

    monkeypatch.setattr(render, "html", never)
    with pytest.raises(render.RenderError) as caught:
        render.render_pdf("rectification_order", context)
    assert "findings[0].description: longer than 4000 characters" in caught.value.problems


def test_a_refused_url_stops_the_render_instead_of_leaving_a_blank(tmp_path):
    with canary() as (port, hits):
        for markup in (
            f'<p>x</p><img src="http://127.0.0.1:{port}/x">',
            f"<style>@import url(http://127.0.0.1:{port}/z);</style><p>x</p>",
            f'<link rel="stylesheet" href="http://localhost:{port}/y"><p>x</p>',
            '<link rel="attachment" href="file:///etc/hostname"><p>x</p>',
            '<p>x</p><img src="../rules.py">',
        ):
            with pytest.raises(render.RenderError, match="refused"):
                render.pdf_from_html(markup)
    assert hits == []


def test_the_canary_would_see_a_default_weasyprint_fetch():
    """The canary is not blind: WeasyPrint's own fetcher does call it (and so leaked before)."""
    import weasyprint

    with canary() as (port, hits):
        weasyprint.HTML(string=f'<img src="http://127.0.0.1:{port}/x">').write_pdf()
    assert hits == ["/x"]


# --- the fetcher itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "https://example.org/x.png",
        "ftp://127.0.0.1/x",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://otherhost/share/x.css",
        render.ASSETS_URL + "../rules.py",
        render.ASSETS_URL + "%2e%2e/%2e%2e/app/__init__.py",
        render.ASSETS_URL + "../../documents/assets/../render.py",
        render.ASSETS_URL + "missing.css",
        "data:text/html;base64,PGI+aGk8L2I+",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:image/png;base64," + base64.b64encode(b"<html>not a png</html>").decode(),
        "data:image/png,%89PNG",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses(url):
    with pytest.raises(FatalURLFetchingError):
        render.fetcher().fetch(url)


def test_fetcher_allows_assets_and_image_data_uris():
    css = render.fetcher().fetch(render.ASSETS_URL + "document.css")
    assert css.content_type == "text/css" and b"@page" in css.read()
    png = render.fetcher().fetch(signature_png())
    assert png.content_type == "image/png" and png.read().startswith(b"\x89PNG")
    assert os.path.isdir(render.ASSETS)
    assert isinstance(render.fetcher(), URLFetcher) and render.fetcher() is render.fetcher()
