"""Pure rules of enforcement documents: kinds, numbers, dates, the remedy clause, verification
codes and the check that a context snapshot is complete and safe to render. Stdlib only."""

from __future__ import annotations

import base64
import binascii
import datetime
import re
import secrets
from collections.abc import Iterator
from enum import StrEnum
from urllib.parse import urlsplit

from app.messages import Msg


class Kind(StrEnum):
    INSPECTION_RECORD = "inspection_record"
    RECTIFICATION_ORDER = "rectification_order"
    REINSPECTION_OPINION = "reinspection_opinion"


TITLES: dict[Kind, str] = {
    Kind.INSPECTION_RECORD: "现场检查记录",
    Kind.RECTIFICATION_ORDER: "责令限期整改指令书",
    Kind.REINSPECTION_OPINION: "整改复查意见书",
}

# The word between the authority's short name and the year, as observed in EM systems
# (FACTS §6): （连开）应急责改〔2026〕1号.
NUMBER_WORDS: dict[Kind, str] = {
    Kind.INSPECTION_RECORD: "应急检记",
    Kind.RECTIFICATION_ORDER: "应急责改",
    Kind.REINSPECTION_OPINION: "应急复查",
}

ITEM_RESULTS = {"compliant": "合格", "non_compliant": "不合格", "not_applicable": "不适用"}
REVIEW_VERDICTS = {"rectified": "已整改", "not_rectified": "未整改"}

MAX_FIELD_CHARS = 4000
# All text together: ~50 pages of dense Chinese. Bounds the render time (~0.3 s a page) of a
# context made of many fields each just under MAX_FIELD_CHARS.
MAX_TOTAL_CHARS = 100_000
MAX_ROWS = 200  # items, findings, reviews, inspectors: a bound on pages and render time
MAX_IMAGE_BYTES = 2 * 1024 * 1024  # one decoded signature image
MAX_URL_CHARS = 300

# No 0/O, 1/I/L: the code is read aloud and typed from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS, CODE_GROUP_LEN = 3, 4
CODE_RE = re.compile(rf"[{CODE_ALPHABET}]{{4}}(?:-[{CODE_ALPHABET}]{{4}}){{2}}")
# The printed link and QR code lead to the web client's human page (Chinese, one per code); the
# JSON for machines stays at /api/v1/public/documents/verify/<code>.
VERIFY_PATH = "/verify/"

# Paths whose value is an image data URI, not text: exempt from MAX_FIELD_CHARS, checked as images.
IMAGE_PATHS = re.compile(r"signatures\.(inspectors\[\d+\]\.image|responsible_person)")
IMAGE_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
# Tab, newline and carriage return are text; other control characters are not.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def document_number(short_name: str, kind: Kind | str, year: int, serial: int) -> str:
    """（连开）应急责改〔2026〕1号 — full-width parentheses and 〔〕, as printed on the document."""
    kind = Kind(kind)
    short_name = short_name.strip()
    if not short_name or any(c in short_name for c in "（）()"):
        raise ValueError("short_name must be a non-empty name without parentheses")
    if not 1000 <= year <= 9999:
        raise ValueError("year must have four digits")
    if serial < 1:
        raise ValueError("serial starts at 1")
    return f"（{short_name}）{NUMBER_WORDS[kind]}〔{year}〕{serial}号"


def number_pattern(kind: Kind | str) -> re.Pattern[str]:
    return re.compile(rf"（[^（）\s]+）{NUMBER_WORDS[Kind(kind)]}〔\d{{4}}〕[1-9]\d*号")


def chinese_date(day: datetime.date) -> str:
    """2026年11月29日: Arabic numerals without zero padding, as on current EM documents."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: datetime.datetime) -> str:
    """2026年11月29日09时00分: the record's start and end times."""
    return f"{chinese_date(moment)}{moment.hour:02d}时{moment.minute:02d}分"


GENERIC_BODY = "上一级人民政府或者上一级应急管理部门"
GENERIC_COURT = "有管辖权的人民法院"


def remedy_clause(reconsideration_body: str | None, court: str | None) -> str:
    """The statutory remedy clause of an order (行政复议 60 days, 行政诉讼 6 months, no suspension).

    When the authority has not configured its reconsideration body or court, the clause names
    them generically (GENERIC_BODY / GENERIC_COURT): still true in law, so the document stays
    valid, but an authority should configure both so the party knows exactly where to go.
    """
    body = (reconsideration_body or "").strip() or GENERIC_BODY
    court = (court or "").strip() or GENERIC_COURT
    return (
        f"如不服本指令，可以在接到本指令之日起六十日内依法向{body}申请行政复议，"
        f"或者在六个月内依法向{court}提起行政诉讼，但本指令不停止执行，法律另有规定的除外。"
    )


def verification_code() -> str:
    """12 characters (~59 bits) from CODE_ALPHABET, grouped ABCD-EFGH-JKMN."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN))
    return "-".join(chars[i : i + CODE_GROUP_LEN] for i in range(0, len(chars), CODE_GROUP_LEN))


def normalize_verification_code(text: str) -> str | None:
    """What a person typed → the canonical code, or None. Case, spaces and dashes do not count."""
    chars = re.sub(r"[\s\-]", "", text or "").upper()
    if len(chars) != CODE_GROUPS * CODE_GROUP_LEN or any(c not in CODE_ALPHABET for c in chars):
        return None
    return "-".join(chars[i : i + CODE_GROUP_LEN] for i in range(0, len(chars), CODE_GROUP_LEN))


def parse_date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def parse_time(text: str | None) -> datetime.datetime | None:
    """'YYYY-MM-DD HH:MM' as the service formats it (already Asia/Shanghai)."""
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M") if text else None
    except (TypeError, ValueError):
        return None


def image_problem(value: object) -> str | None:
    """None if value is a PNG/JPEG base64 data URI whose bytes really are that type."""
    if not isinstance(value, str):
        return "must be a data:image/png or data:image/jpeg base64 URI"
    head, _, payload = value.partition(",")
    mime = head.removeprefix("data:").removesuffix(";base64").lower()
    if not head.startswith("data:") or not head.endswith(";base64") or mime not in IMAGE_TYPES:
        return "must be a data:image/png or data:image/jpeg base64 URI"
    if len(payload) > (MAX_IMAGE_BYTES // 3 + 1) * 4:
        return f"image larger than {MAX_IMAGE_BYTES} bytes"
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return "invalid base64"
    if not data.startswith(IMAGE_TYPES[mime]):
        return f"content is not {mime}"
    return None


def _walk(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    yield path, value
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _walk(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _walk(inner, f"{path}[{i}]")


def _get(context: dict, path: str) -> object:
    value: object = context
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


REQUIRED_TEXT: dict[Kind, tuple[str, ...]] = {
    Kind.INSPECTION_RECORD: (
        "inspection.started_at",
        "inspection.ended_at",
        "inspection.place",
    ),
    Kind.RECTIFICATION_ORDER: (),
    Kind.REINSPECTION_OPINION: ("order.number", "order.issued_on"),
}
COMMON_TEXT = ("number", "issued_on", "authority.name", "enterprise.name")


def _rows(context: dict, key: str, problems: list[str]) -> list[dict]:
    rows = context.get(key) or []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        problems.append(f"{key}: must be a list of objects")
        return []
    if len(rows) > MAX_ROWS:
        problems.append(f"{key}: more than {MAX_ROWS} rows")
    return rows


def _numbered(rows: list[dict], key: str, field: str, problems: list[str], *, gaps: bool) -> None:
    """Findings run 1, 2, 3 (the order's items); reviews and checklist positions may skip (only
    some findings are re-checked, only some items answered) but must still ascend."""
    numbers = [r.get(field) for r in rows]
    if gaps:
        ok = all(isinstance(n, int) and n > 0 for n in numbers) and numbers == sorted(set(numbers))
    else:
        ok = numbers == list(range(1, len(rows) + 1))
    if not ok:
        rule = "ascend without repeats" if gaps else "run 1, 2, 3 … in order"
        problems.append(f"{key}: {field} must {rule} (got {numbers[:10]})")


def _check_values(context: dict, problems: list[str]) -> None:
    total = 0
    for path, value in _walk(context):
        if IMAGE_PATHS.fullmatch(path):
            if value is not None and (problem := image_problem(value)):
                problems.append(f"{path}: {problem}")
        elif isinstance(value, str):
            total += len(value)
            if len(value) > MAX_FIELD_CHARS:
                problems.append(f"{path}: longer than {MAX_FIELD_CHARS} characters")
            elif CONTROL_RE.search(value):
                problems.append(f"{path}: contains control characters")
        elif value is not None and not isinstance(value, int | dict | list):
            problems.append(f"{path}: unexpected {type(value).__name__}")
    if total > MAX_TOTAL_CHARS:
        problems.append(f"context: more than {MAX_TOTAL_CHARS} characters of text in all")


def check_verification(context: dict, problems: list[str]) -> None:
    code, url = _get(context, "verification.code"), _get(context, "verification.url")
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        problems.append(Msg("verification.code: not a verification code"))
        return
    # The URL becomes a QR code and a link: it must be ours, never free text.
    parts = urlsplit(url) if isinstance(url, str) and len(url) <= MAX_URL_CHARS else None
    if (
        parts is None
        or parts.scheme not in ("https", "http")
        or not parts.netloc
        or not parts.path.endswith(VERIFY_PATH + code)
        or parts.query
        or parts.fragment
        or re.search(r"[\s\"'<>\\]", url)
    ):
        problems.append(f"verification.url: must be an http(s) URL ending in {VERIFY_PATH}{code}")


def _check_people(context: dict, problems: list[str]) -> None:
    inspectors = _rows(context, "inspectors", problems)
    if len(inspectors) < 2:
        problems.append(Msg("inspectors: at least two enforcement officers (行政处罚法 Art.42)"))
    for i, person in enumerate(inspectors):
        for field in ("name", "certificate_no"):
            if not _text(person.get(field)):
                problems.append(Msg("%(path)s: required", path=f"inspectors[{i}].{field}"))


def _check_findings(kind: Kind, context: dict, problems: list[str]) -> None:
    findings = _rows(context, "findings", problems)
    if kind is Kind.RECTIFICATION_ORDER and not findings:
        problems.append(Msg("findings: an order lists at least one problem"))
    _numbered(findings, "findings", "number", problems, gaps=False)
    # An order states each problem's deadline and legal basis; elsewhere they are optional.
    # (Whether a deadline is still ahead is the issuing service's question, not the printer's.)
    required = ("title", "deadline", "legal_basis") if kind is Kind.RECTIFICATION_ORDER else ()
    for i, finding in enumerate(findings):
        for field in ("title", *required):
            if not _text(finding.get(field)):
                problems.append(Msg("%(path)s: required", path=f"findings[{i}].{field}"))
        if finding.get("deadline") and parse_date(finding["deadline"]) is None:
            problems.append(
                Msg("%(path)s: not a YYYY-MM-DD date", path=f"findings[{i}].deadline")
            )


def _check_record(context: dict, problems: list[str]) -> None:
    # A refusal to sign is noted instead (安全生产法 Art.68); then the name may be unknown.
    if not _text(_get(context, "responsible_person.name")) and not _text(
        _get(context, "signatures.refused_note")
    ):
        problems.append(Msg("responsible_person.name: required (or signatures.refused_note)"))
    items = _rows(context, "items", problems)
    _numbered(items, "items", "position", problems, gaps=True)
    for i, item in enumerate(items):
        if item.get("result") not in ITEM_RESULTS:
            problems.append(f"items[{i}].result: one of {', '.join(ITEM_RESULTS)}")


def _check_opinion(context: dict, problems: list[str]) -> None:
    order_number = _get(context, "order.number")
    if isinstance(order_number, str) and not number_pattern(Kind.RECTIFICATION_ORDER).fullmatch(
        order_number
    ):
        problems.append(Msg("order.number: not a 责令限期整改指令书 number"))
    order_day = parse_date(_get(context, "order.issued_on"))
    issued = parse_date(context.get("issued_on"))
    if _get(context, "order.issued_on") and order_day is None:
        problems.append(Msg("order.issued_on: not a YYYY-MM-DD date"))
    elif order_day and issued and order_day > issued:
        problems.append(Msg("order.issued_on: after this opinion's issued_on"))
    reviews = _rows(context, "reviews", problems)
    if not reviews:
        problems.append(Msg("reviews: an opinion reviews at least one problem"))
    _numbered(reviews, "reviews", "number", problems, gaps=True)
    for i, review in enumerate(reviews):
        if not _text(review.get("title")):
            problems.append(Msg("%(path)s: required", path=f"reviews[{i}].title"))
        if review.get("verdict") not in REVIEW_VERDICTS:
            problems.append(f"reviews[{i}].verdict: one of {', '.join(REVIEW_VERDICTS)}")


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check_context(kind: Kind | str, context: dict) -> list[str]:
    """Problems that make the context unrenderable; an empty list means it may be rendered.

    Pure and fast (no rendering): the issuing service can call it before it commits, so a bad
    snapshot is a 422 at issue time rather than a failed render job later.
    """
    kind = Kind(kind)
    if not isinstance(context, dict):
        return ["context: must be an object"]
    problems: list[str] = []
    _check_values(context, problems)
    for path in COMMON_TEXT + REQUIRED_TEXT[kind]:
        if not _text(_get(context, path)):
            problems.append(Msg("%(path)s: required", path=path))
    number = context.get("number")
    if isinstance(number, str) and not number_pattern(kind).fullmatch(number):
        example = document_number("连开", kind, 2026, 1)
        problems.append(f"number: not a {TITLES[kind]} number like {example}")
    if context.get("issued_on") and parse_date(context["issued_on"]) is None:
        problems.append(Msg("issued_on: not a YYYY-MM-DD date"))
    for path in ("inspection.started_at", "inspection.ended_at"):
        if _get(context, path) and parse_time(_get(context, path)) is None:
            problems.append(f"{path}: not a YYYY-MM-DD HH:MM time")
    _check_people(context, problems)
    _check_findings(kind, context, problems)
    if kind is Kind.INSPECTION_RECORD:
        _check_record(context, problems)
    elif kind is Kind.REINSPECTION_OPINION:
        _check_opinion(context, problems)
    check_verification(context, problems)
    return problems
