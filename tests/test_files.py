"""Upload content checks (app/files.py): pure, every file built here with Pillow or by hand."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image

from app import files
from app.files import ALLOWED_TYPES, EXTENSIONS, CheckedFile, FileRejected, check_file

MB = 2**20
LIMITS = {"max_bytes": 10 * MB, "max_pixels": 40_000_000}


def jpeg(size=(64, 48), **save) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "JPEG", **save)
    return buf.getvalue()


def png(size=(40, 30), mode="RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, "PNG")
    return buf.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def handmade_png(width: int, height: int, idat: bytes) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A 16x16 JPEG whose frame header (SOF0) says another size."""
    data = bytearray(jpeg((16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def pdf(*objects: bytes) -> bytes:
    """A well-formed PDF: header, numbered objects, cross-reference table, trailer."""
    out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
CONTENT = stream(b"", b"BT /F1 12 Tf 72 720 Td (Hidden danger 42) Tj ET")
MINIMAL_PDF = pdf(CATALOG, PAGES, PAGE, CONTENT)

EXIF = Image.Exif()
EXIF[0x010F] = "CameraMaker"  # Make


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("shell.php", "<?php system($_GET['c']); ?>")
    return buf.getvalue()


def rejected(data, **kwargs) -> FileRejected:
    with pytest.raises(FileRejected) as info:
        check_file(data, **{**LIMITS, **kwargs})
    return info.value


class CountingReader(io.RawIOBase):
    """A stream that hands out at most 1000 bytes per read and counts what was taken."""

    def __init__(self, data: bytes):
        self.data, self.taken = data, 0

    def readable(self):
        return True

    def read(self, n=-1):
        n = 1000 if n is None or n < 0 else min(n, 1000)
        chunk = self.data[self.taken : self.taken + n]
        self.taken += len(chunk)
        return chunk


# --- accepted files ------------------------------------------------------------------------


def test_valid_jpeg_passes():
    data = jpeg((64, 48))
    assert check_file(data, **LIMITS) == CheckedFile(
        content_type="image/jpeg",
        extension=".jpg",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        width=64,
        height=48,
    )


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P", "1"])
def test_valid_png_passes(mode):
    data = png((40, 30), mode)
    checked = check_file(data, **LIMITS)
    assert (checked.content_type, checked.extension) == ("image/png", ".png")
    assert (checked.width, checked.height, checked.size) == (40, 30, len(data))
    assert checked.sha256 == hashlib.sha256(data).hexdigest()


def test_valid_minimal_pdf_passes():
    checked = check_file(MINIMAL_PDF, **LIMITS)
    assert (checked.content_type, checked.extension) == ("application/pdf", ".pdf")
    assert (checked.width, checked.height, checked.size) == (None, None, len(MINIMAL_PDF))
    assert checked.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()


def test_pillow_written_pdf_passes():
    buf = io.BytesIO()
    Image.new("RGB", (100, 80), (0, 128, 0)).save(buf, "PDF")
    assert check_file(buf.getvalue(), **LIMITS).content_type == "application/pdf"


@pytest.mark.parametrize(
    "data",
    [
        jpeg(progressive=True),
        jpeg(comment=b"Inspector: Li; site 3, stairwell"),
        jpeg(exif=EXIF),
        jpeg() + b"\0" * 500,  # zero padding after the end
        jpeg() + b"\r\n",  # a few stray bytes are tolerated
        jpeg(comment=b"PK\x03\x04 not a real zip header"),  # signature alone is not an archive
        png() + b"\0" * 64,
    ],
    ids=["progressive", "comment", "exif", "zero-padding", "crlf", "stray-pk", "png-padding"],
)
def test_harmless_variants_pass(data):
    assert check_file(data, **LIMITS).size == len(data)


def test_multi_picture_jpeg_passes():
    # Phones store a second picture (depth map, HDR gain map) right after the first: MPO.
    buf = io.BytesIO()
    Image.new("RGB", (64, 48)).save(
        buf, "MPO", save_all=True, append_images=[Image.new("RGB", (32, 24))]
    )
    checked = check_file(buf.getvalue(), **LIMITS)
    assert (checked.content_type, checked.width, checked.height) == ("image/jpeg", 64, 48)


def test_stream_input_reads_at_most_max_bytes_plus_one():
    data = jpeg((64, 48))
    reader = CountingReader(data)
    assert check_file(reader, **LIMITS).sha256 == hashlib.sha256(data).hexdigest()

    big = CountingReader(data + b"\0" * 50_000)
    assert rejected(big, max_bytes=len(data) + 100).reason == "too_large"
    assert big.taken == len(data) + 101


def test_exactly_max_bytes_passes_and_one_more_is_too_large():
    data = jpeg()
    assert check_file(data, max_bytes=len(data), max_pixels=10_000).size == len(data)
    assert rejected(data, max_bytes=len(data) - 1).reason == "too_large"
    assert rejected(io.BytesIO(data), max_bytes=len(data) - 1).reason == "too_large"


@pytest.mark.parametrize(
    "declared",
    [
        None,
        "image/jpeg",
        "image/jpeg; charset=x",
        "IMAGE/JPEG",
        " image/jpg ",
        "application/octet-stream",
    ],
)
def test_declared_type_that_agrees_is_accepted(declared):
    assert check_file(jpeg(), declared_type=declared, **LIMITS).content_type == "image/jpeg"


# --- refused files -------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", io.BytesIO(b"")], ids=["bytes", "stream"])
def test_empty(data):
    assert rejected(data).reason == "empty"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><script>alert(1)</script></body></html>",
        b"Plain text pretending to be a photo\n",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        zip_bytes(),
        b"\x00\x00\x00\x18ftypheic",
        b" %PDF-1.7 leading space",
    ],
    ids=["html", "text", "gif", "zip", "heic", "offset-pdf"],
)
def test_unsupported_type(data):
    error = rejected(data, declared_type="image/jpeg")
    assert error.reason == "unsupported_type"
    assert error.message == "Only JPEG, PNG or PDF files are accepted."


def test_real_gif_is_unsupported():
    buf = io.BytesIO()
    Image.new("P", (8, 8)).save(buf, "GIF")
    assert rejected(buf.getvalue()).reason == "unsupported_type"


@pytest.mark.parametrize(
    ("allowed", "data", "message"),
    [
        (frozenset({"image/jpeg"}), MINIMAL_PDF, "Only JPEG files are accepted."),
        (
            frozenset({"image/jpeg", "image/png"}),
            MINIMAL_PDF,
            "Only JPEG or PNG files are accepted.",
        ),
        (frozenset({"application/pdf"}), png(), "Only PDF files are accepted."),
    ],
)
def test_type_outside_allowed_is_unsupported(allowed, data, message):
    error = rejected(data, allowed=allowed)
    assert (error.reason, error.message) == ("unsupported_type", message)


@pytest.mark.parametrize(
    ("data", "declared"),
    [
        (jpeg(), "image/png"),
        (jpeg(), "application/pdf; charset=binary"),
        (png(), "image/jpeg"),
        (MINIMAL_PDF, "image/png"),
        (jpeg(), "text/html"),
        (jpeg(), "image/jpeg, text/html"),
    ],
)
def test_type_mismatch(data, declared):
    assert rejected(data, declared_type=declared).reason == "type_mismatch"


def test_pixel_flood_png_is_refused_from_the_header():
    # 900 megapixels declared in a ~100-byte file; decoding it would need ~112 MB even at 1 bit.
    flood = handmade_png(30_000, 30_000, zlib.compress(b"\0" * 100))
    assert len(flood) < 200
    error = rejected(flood)
    assert error.reason == "too_many_pixels"
    assert "30000x30000" in error.message


def test_pixel_flood_jpeg_is_refused_from_the_header():
    assert rejected(jpeg_claiming(30_000, 30_000)).reason == "too_many_pixels"


def test_max_pixels_is_inclusive():
    data = png((40, 30))
    assert check_file(data, max_bytes=MB, max_pixels=1200).width == 40
    assert rejected(data, max_pixels=1199).reason == "too_many_pixels"


@pytest.mark.parametrize("side", [10_000, 20_000])  # Pillow warns above ~89 Mpx, raises at twice
def test_pillow_bomb_limit_is_a_ceiling_so_pillow_never_warns(side, recwarn):
    bomb = handmade_png(side, side, zlib.compress(b"\0" * 100))
    assert rejected(bomb, max_pixels=10**12).reason == "too_many_pixels"
    assert not [w for w in recwarn if issubclass(w.category, Image.DecompressionBombWarning)]


@pytest.mark.parametrize(
    "data",
    [
        jpeg((128, 128))[:-200],
        jpeg((128, 128))[:20],
        png((64, 64))[:-20],
        handmade_png(4, 4, b"this is not zlib data"),
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"tEXt", b"IHDR missing"),
        jpeg_claiming(16, 0),
    ],
    ids=["truncated-jpeg", "jpeg-header-only", "truncated-png", "bad-idat", "no-ihdr", "no-height"],
)
def test_corrupt(data):
    assert rejected(data).reason == "corrupt"


def test_damage_is_still_caught_once_weasyprint_is_loaded():
    """WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported; a process
    that renders documents must still refuse a truncated image."""
    from PIL import ImageFile

    import app.documents.render  # noqa: F401 - the import is the point

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as WeasyPrint leaves it, whatever the order
    assert rejected(png((64, 64))[:-20]).reason == "corrupt"
    assert rejected(handmade_png(4, 4, b"this is not zlib data")).reason == "corrupt"


@pytest.mark.parametrize(
    "data",
    [
        jpeg() + zip_bytes(),
        png() + zip_bytes(),
        jpeg(comment=zip_bytes()),  # archive inside the image, nothing after the end
        jpeg() + b"<?php system($_GET['c']); ?>",
        jpeg() + b"\xff\xd9" * 8 + b"x" * 40,  # trailing data, even among fake end markers
        jpeg(comment=b"<script>alert(document.cookie)</script>"),
        jpeg(comment=b"<HTML><body>phish</body></HTML>"),
        jpeg(comment=b"<ScRiPt/src=//evil.example/x.js>"),
    ],
    ids=[
        "jpeg+zip",
        "png+zip",
        "zip-in-comment",
        "php-appended",
        "trailing-junk",
        "script",
        "html",
        "script-slash",
    ],
)
def test_polyglot(data):
    assert rejected(data).reason == "polyglot"


def test_png_with_markup_in_text_chunk_is_polyglot():
    data = png()
    iend = data.rindex(b"IEND") - 4
    data = data[:iend] + png_chunk(b"tEXt", b"Comment\0<html><script>x</script>") + data[iend:]
    assert rejected(data).reason == "polyglot"


# --- PDF -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>",
        b"<< /S /J#61va#53cript /J#53 (app.alert(1)) >>",  # hex-escaped names
        b"<< /Type /Action /S /Launch /F (cmd.exe) >>",
        stream(b"/Type /EmbeddedFile", b"MZ\x90\x00"),
        b"<< /Names << /EmbeddedFiles 9 0 R >> >>",
        b"<< /Fields [] /XFA 9 0 R >>",
    ],
    ids=["javascript", "hex-escaped", "launch", "embedded-file", "embedded-files", "xfa"],
)
def test_pdf_active_content(extra):
    error = rejected(pdf(CATALOG, PAGES, PAGE, CONTENT, extra))
    assert error.reason == "active_content"


def test_pdf_javascript_hidden_in_a_compressed_object_stream():
    objects = b"6 0 << /S /JavaScript /JS (app.alert(1)) >>"
    body = zlib.compress(objects)
    objstm = stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", body)
    assert rejected(pdf(CATALOG, PAGES, PAGE, CONTENT, objstm)).reason == "active_content"


@pytest.mark.parametrize(
    "image",
    [
        stream(b"/Type /XObject /Subtype /Image /Filter /DCTDecode", b"\x00\x17/JS (\xff\xd8"),
        b"<< /Filter /FlateDecode /Length 9 0 R >>\nstream\n\x00/JS (\x01\nendstream",
    ],
    ids=["direct-length", "indirect-length"],
)
def test_pdf_names_inside_binary_stream_data_are_not_read(image):
    # Compressed bytes spell "/JS (" by chance in several percent of 20 MB PDFs: not a script.
    assert check_file(pdf(CATALOG, PAGES, PAGE, CONTENT, image), **LIMITS).size > 0


def test_pdf_object_streams_are_inflated_within_a_budget(monkeypatch):
    monkeypatch.setattr(files, "_INFLATE_BUDGET", 1000)
    objstm = stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", zlib.compress(b" " * 5000))
    assert rejected(pdf(CATALOG, PAGES, PAGE, CONTENT, objstm)).reason == "too_large"


def test_pdf_open_action_to_a_page_is_allowed():
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>"
    assert (
        check_file(pdf(catalog, PAGES, PAGE, CONTENT), **LIMITS).content_type == "application/pdf"
    )


@pytest.mark.parametrize(
    "data",
    [MINIMAL_PDF[:-6], MINIMAL_PDF[: len(MINIMAL_PDF) // 2], MINIMAL_PDF + b"\n" * 2000],
    ids=["no-eof", "half", "eof-too-early"],
)
def test_pdf_without_eof_marker_is_corrupt(data):
    assert rejected(data).reason == "corrupt"


# --- the API itself ------------------------------------------------------------------------


def test_file_rejected_carries_reason_and_message():
    error = FileRejected("empty", "The file is empty.")
    assert (error.reason, error.message, str(error)) == (
        "empty",
        "The file is empty.",
        "The file is empty.",
    )


def test_every_allowed_type_has_an_extension():
    assert set(EXTENSIONS) == ALLOWED_TYPES
