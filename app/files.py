"""Server-side content checks for uploaded evidence files (photos and documents).

Pure helper: the type is sniffed from the bytes, images are size-checked from their header before
any pixel is decoded, then fully decoded; hidden payloads (polyglots, PDF active content) are
refused.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageFile

from app.messages import Msg

ALLOWED_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}

_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "application/pdf": "PDF"}
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg"}
_NO_CLAIM = {"", "application/octet-stream"}  # what clients send when they do not know the type
# Pillow opens with the first; JPEGs with a second picture (phones' depth or gain maps) report MPO.
_PIL_FORMATS = {"image/jpeg": ("JPEG", "MPO"), "image/png": ("PNG",)}
_TRAILING_TOLERANCE = 16  # non-zero bytes after the image end (some encoders pad)
# A ZIP reader needs a plausible header: the signature plus a known compression method (local file
# header) or zero/ZIP64 disk numbers (end record). Bare 4-byte signatures turn up by chance in
# compressed pixel data (~1 photo in 500 at 5 MB), which would refuse honest uploads.
_ZIP = re.compile(
    rb"PK\x03\x04.{4}[\x00\x01\x06\x08\x09\x0c\x0e\x5d\x5f\x62\x63]\x00|PK\x05\x06(?:\0{4}|\xff{4})",
    re.DOTALL,
)
# "<html" needs a tag end after it, as browsers' sniffers do; bare, it also turns up by chance.
_MARKUP = re.compile(rb"<script|<html[\s/>]", re.IGNORECASE)
# /OpenAction is left out: most generators use it only to set the opening page or zoom, and a
# script or launch it triggers is itself a /JavaScript, /JS or /Launch action, refused anyway.
# XFA forms carry their own scripts.
# Scripts, launched programs, embedded files, and actions that phone home or pull content in
# (/URI is left out: an ordinary link in a scanned report, opened only on a click).
_ACTIVE = {
    b"JavaScript",
    b"JS",
    b"Launch",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"XFA",
    b"SubmitForm",
    b"ImportData",
    b"GoToR",
    b"GoToE",
    b"RichMedia",
}
_PDF_NAME = re.compile(rb"/([^\x00\s/%()<>\[\]{}]*)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb">>\s*stream\r?\n")
_PDF_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\d|\s+\d+\s+R)")  # direct, not "12 0 R"
_PDF_ENDSTREAM = re.compile(rb"\s*endstream")
_ZEROS = re.compile(rb"\0*")
_INFLATE_BUDGET = 32 * 2**20  # bytes of decompressed object streams inspected per PDF


class FileRejected(Exception):
    """The upload fails a content check.

    .reason is a stable code, .message a clear English sentence (an app.messages.Msg, which the
    API says in the caller's language; stored as text, the catalog still recognises it)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    content_type: str  # sniffed from the bytes, never taken from the client
    extension: str  # ".jpg" / ".png" / ".pdf"
    size: int
    sha256: str  # lowercase hex of the exact bytes checked
    width: int | None  # images only
    height: int | None


def check_file(
    data: bytes | IO[bytes],
    *,
    max_bytes: int,
    max_pixels: int,
    declared_type: str | None = None,
    allowed: frozenset[str] = ALLOWED_TYPES,
) -> CheckedFile:
    data = _read(data, max_bytes)
    if not data:
        raise FileRejected("empty", "The file is empty.")
    if len(data) > max_bytes:
        raise FileRejected(
            "too_large", Msg("The file is larger than %(max)s bytes.", max=max_bytes)
        )
    ctype = next((t for magic, t in _MAGIC if data.startswith(magic)), None)
    if ctype is None or ctype not in allowed:
        names = [name for t, name in _NAMES.items() if t in allowed] or ["no"]
        accepted = names[-1]
        if len(names) > 1:
            accepted = Msg("%(some)s or %(last)s", some=", ".join(names[:-1]), last=names[-1])
        raise FileRejected(
            "unsupported_type", Msg("Only %(accepted)s files are accepted.", accepted=accepted)
        )
    if declared_type is not None:
        declared = declared_type.split(";", 1)[0].strip().lower()
        if _ALIASES.get(declared, declared) not in _NO_CLAIM | {ctype}:
            raise FileRejected(
                "type_mismatch",
                Msg("The file is a %(kind)s but was sent as another type.", kind=_NAMES[ctype]),
            )
    width = height = None
    if ctype == "application/pdf":
        _check_pdf(data)
    else:
        width, height = _check_image(data, ctype, max_pixels)
    digest = hashlib.sha256(data).hexdigest()
    return CheckedFile(ctype, EXTENSIONS[ctype], len(data), digest, width, height)


def _read(data: bytes | IO[bytes], max_bytes: int) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    chunks, left = [], max_bytes + 1  # one byte more than allowed proves "too large"
    while left > 0 and (chunk := data.read(left)):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _corrupt(kind: str) -> FileRejected:
    return FileRejected(
        "corrupt", Msg("The %(kind)s is damaged or incomplete and cannot be read.", kind=kind)
    )


def _check_image(data: bytes, ctype: str, max_pixels: int) -> tuple[int, int]:
    kind = Msg("%(name)s image", name=_NAMES[ctype])
    width, height, end = (_jpeg_layout if ctype == "image/jpeg" else _png_layout)(data)
    if not width or not height:
        raise _corrupt(kind)
    # Pillow's own bomb limit is a ceiling too: staying under it means it never warns or raises.
    limit = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
    if width * height > limit:
        raise FileRejected(
            "too_many_pixels",
            Msg(
                "The image is %(width)sx%(height)s pixels, more than %(limit)s in all.",
                width=width,
                height=height,
                limit=limit,
            ),
        )
    if end is None:
        raise _corrupt(kind)
    trailing = data[end:]
    if len(trailing) - trailing.count(0) > _TRAILING_TOLERANCE:
        raise FileRejected(
            "polyglot", Msg("The %(kind)s has extra data hidden after its end.", kind=kind)
        )
    if _ZIP.search(data) or _MARKUP.search(data):
        raise FileRejected(
            "polyglot",
            Msg("The %(kind)s has an archive or web page hidden inside it.", kind=kind),
        )
    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import (any process that can
    # render a document); a truncated or damaged image must still fail this check.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data), formats=_PIL_FORMATS[ctype][:1]) as im:
            if im.format not in _PIL_FORMATS[ctype] or im.size != (width, height):
                raise _corrupt(kind)
            im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Only reachable if warnings are errors or the header parse missed; never let it escape.
        raise FileRejected("too_many_pixels", "The image has too many pixels.") from exc
    except FileRejected:
        raise
    except Exception as exc:  # any decoder failure (OSError, SyntaxError, ValueError...) is damage
        raise _corrupt(kind) from exc
    return width, height


def _jpeg_layout(data: bytes) -> tuple[int | None, int | None, int | None]:
    """Size from the first frame header; end after the last of the chained images (MPO)."""
    width = height = end = None
    start = 0
    while data.startswith(b"\xff\xd8\xff", start):
        i, end = start + 2, None
        while end is None and (i := data.find(b"\xff", i)) >= 0 and i + 1 < len(data):
            marker = data[i + 1]
            if marker == 0xD9:
                end = i + 2
            elif marker in (0x00, 0x01, 0xFF) or 0xD0 <= marker <= 0xD7:
                i += 1 if marker == 0xFF else 2  # fill byte, stuffed zero or standalone marker
            elif i + 4 > len(data):
                break
            else:
                seg = int.from_bytes(data[i + 2 : i + 4], "big")
                sof = 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC)
                if sof and width is None and i + 9 <= len(data):
                    height = int.from_bytes(data[i + 5 : i + 7], "big")
                    width = int.from_bytes(data[i + 7 : i + 9], "big")
                i += 2 + max(seg, 2)  # entropy-coded data after SOS is skipped by the find above
        if end is None:
            return width, height, None
        start = _ZEROS.match(data, end).end()  # padding between chained images
    return width, height, end


def _png_layout(data: bytes) -> tuple[int | None, int | None, int | None]:
    """Size from IHDR; end after the IEND chunk."""
    if data[12:16] != b"IHDR" or len(data) < 24:
        return None, None, None
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    i = 8
    while i + 12 <= len(data):
        length, kind = int.from_bytes(data[i : i + 4], "big"), data[i + 4 : i + 8]
        i += 12 + length
        if kind == b"IEND":
            return width, height, i if i <= len(data) else None
    return width, height, None


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-1024:]:
        raise _corrupt("PDF")
    view, pos, budget = memoryview(data), 0, _INFLATE_BUDGET
    # Scan names outside stream data (compressed bytes would match /JS by chance), plus the
    # inflated object streams, where PDF 1.5+ writers put most dictionaries.
    while True:
        m = _PDF_STREAM.search(data, pos)
        if m is None:
            _refuse_active(data[pos:])
            return
        _refuse_active(data[pos : m.end()])
        header = data[max(data.rfind(b"obj", pos, m.start()), pos) : m.start()]
        length = _PDF_LENGTH.search(header)
        end = m.end() + int(length[1]) if length else -1
        if not length or not _PDF_ENDSTREAM.match(data, end):
            end = data.find(b"endstream", m.end())
            end = len(data) if end < 0 else end
        if b"ObjStm" in _pdf_names(header):
            inflater = zlib.decompressobj()
            try:
                plain = inflater.decompress(view[m.end() : end], max(budget, 1))
            except zlib.error:
                plain = b""  # not Flate: a viewer cannot read these objects either
            if inflater.unconsumed_tail:
                raise FileRejected("too_large", "The PDF expands to too much data to inspect.")
            budget -= len(plain)
            _refuse_active(plain)
        pos = end


def _pdf_names(chunk: bytes) -> set[bytes]:
    # "#xx" escapes spell the same name (/J#61vaScript is /JavaScript).
    return {_PDF_HEX.sub(lambda h: bytes([int(h[1], 16)]), n) for n in _PDF_NAME.findall(chunk)}


def _refuse_active(chunk: bytes) -> None:
    if found := _pdf_names(chunk) & _ACTIVE:
        names = ", ".join(sorted("/" + n.decode() for n in found))
        raise FileRejected(
            "active_content", Msg("The PDF contains active content (%(names)s).", names=names)
        )
