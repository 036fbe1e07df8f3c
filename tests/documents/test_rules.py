"""Pure rules: numbers, dates, the remedy clause, verification codes, the context check."""

from __future__ import annotations

import copy
import datetime

import pytest

from app.documents import rules
from app.documents.rules import Kind
from tests.documents import sample


@pytest.mark.parametrize(
    ("short", "kind", "year", "serial", "expected"),
    [
        ("连开", Kind.INSPECTION_RECORD, 2026, 1, "（连开）应急检记〔2026〕1号"),
        ("连开", Kind.RECTIFICATION_ORDER, 2026, 1, "（连开）应急责改〔2026〕1号"),
        ("连开", "reinspection_opinion", 2026, 1, "（连开）应急复查〔2026〕1号"),
        (" 海州 ", Kind.RECTIFICATION_ORDER, 2027, 123, "（海州）应急责改〔2027〕123号"),
    ],
)
def test_document_number(short, kind, year, serial, expected):
    assert rules.document_number(short, kind, year, serial) == expected
    assert rules.number_pattern(kind).fullmatch(expected)


@pytest.mark.parametrize(
    ("short", "kind", "year", "serial"),
    [
        ("连开", Kind.RECTIFICATION_ORDER, 2026, 0),
        ("连开", Kind.RECTIFICATION_ORDER, 2026, -1),
        ("", Kind.RECTIFICATION_ORDER, 2026, 1),
        ("连（开）", Kind.RECTIFICATION_ORDER, 2026, 1),
        ("连开", Kind.RECTIFICATION_ORDER, 26, 1),
        ("连开", "penalty_decision", 2026, 1),
    ],
)
def test_document_number_refuses(short, kind, year, serial):
    with pytest.raises(ValueError):
        rules.document_number(short, kind, year, serial)


def test_titles_and_words_cover_every_kind():
    assert set(rules.TITLES) == set(rules.NUMBER_WORDS) == set(Kind)
    assert rules.TITLES[Kind.RECTIFICATION_ORDER] == "责令限期整改指令书"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 11, 29), "2026年11月29日"),
        (datetime.date(2026, 1, 5), "2026年1月5日"),
        (datetime.datetime(2026, 12, 31, 23, 59), "2026年12月31日"),
    ],
)
def test_chinese_date(day, expected):
    assert rules.chinese_date(day) == expected


def test_chinese_datetime():
    moment = datetime.datetime(2026, 11, 29, 9, 5)
    assert rules.chinese_datetime(moment) == "2026年11月29日09时05分"


@pytest.mark.parametrize(
    ("body", "court", "named"),
    [
        (
            "连云港市人民政府",
            "连云港市海州区人民法院",
            ("连云港市人民政府", "连云港市海州区人民法院"),
        ),
        (None, None, (rules.GENERIC_BODY, rules.GENERIC_COURT)),
        ("  ", "连云港市海州区人民法院", (rules.GENERIC_BODY, "连云港市海州区人民法院")),
        ("连云港市人民政府", "", ("连云港市人民政府", rules.GENERIC_COURT)),
    ],
)
def test_remedy_clause(body, court, named):
    clause = rules.remedy_clause(body, court)
    assert clause.startswith("如不服本指令，可以在接到本指令之日起六十日内依法向")
    assert f"向{named[0]}申请行政复议" in clause
    assert f"在六个月内依法向{named[1]}提起行政诉讼" in clause
    assert clause.endswith("但本指令不停止执行，法律另有规定的除外。")


def test_verification_codes_are_unambiguous_and_distinct():
    codes = [rules.verification_code() for _ in range(1000)]
    assert len(set(codes)) == 1000
    for code in codes:
        assert rules.CODE_RE.fullmatch(code), code
        assert not set(code) & set("01OIL")
    assert set("".join(codes).replace("-", "")) == set(rules.CODE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abcd-efgh-jkmn", "ABCD-EFGH-JKMN"),
        (" ABCD EFGH JKMN ", "ABCD-EFGH-JKMN"),
        ("ABCDEFGHJKMN", "ABCD-EFGH-JKMN"),
        ("ABCD-EFGH-JKM0", None),
        ("ABCD-EFGH", None),
        ("", None),
    ],
)
def test_normalize_verification_code(typed, expected):
    assert rules.normalize_verification_code(typed) == expected


@pytest.mark.parametrize("kind", list(Kind))
def test_sample_contexts_are_renderable(kind):
    assert rules.check_context(kind, sample(kind)) == []


def _set(context: dict, path: str, value) -> dict:
    context = copy.deepcopy(context)
    *parents, last = path.split(".")
    target = context
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    elif value is KeyError:
        del target[last]
    else:
        target[last] = value
    return context


ORDER, RECORD, OPINION = Kind.RECTIFICATION_ORDER, Kind.INSPECTION_RECORD, Kind.REINSPECTION_OPINION
PNG = "data:image/png;base64,"


@pytest.mark.parametrize(
    ("kind", "path", "value", "problem"),
    [
        (ORDER, "number", KeyError, "number: required"),
        (ORDER, "number", "（连开）应急检记〔2026〕1号", "number: not a 责令限期整改指令书"),
        (ORDER, "issued_on", "2026/11/29", "issued_on: not a YYYY-MM-DD"),
        (ORDER, "authority.name", None, "authority.name: required"),
        (ORDER, "enterprise.name", " ", "enterprise.name: required"),
        (ORDER, "inspectors", [{"name": "张伟", "certificate_no": "1"}], "at least two"),
        (ORDER, "inspectors.1.certificate_no", "", "inspectors[1].certificate_no: required"),
        (ORDER, "findings", [], "at least one problem"),
        (ORDER, "findings.1.number", 3, "findings: number must run 1, 2, 3"),
        (ORDER, "findings.0.deadline", None, "findings[0].deadline: required"),
        (ORDER, "findings.0.legal_basis", "", "findings[0].legal_basis: required"),
        (ORDER, "findings.0.deadline", "2026-12", "findings[0].deadline: not a YYYY-MM-DD"),
        (ORDER, "enterprise.address", "x" * 4001, "enterprise.address: longer than 4000"),
        (ORDER, "enterprise.address", "a\x00b", "control characters"),
        (ORDER, "enterprise.address", 1.5, "unexpected float"),
        (ORDER, "signatures.responsible_person", "http://127.0.0.1/x.png", "data:image/png"),
        (ORDER, "signatures.responsible_person", PNG + "PGh0bWw+", "content is not image/png"),
        (ORDER, "signatures.responsible_person", PNG + "!!!", "invalid base64"),
        (ORDER, "signatures.inspectors.0.image", "data:text/html;base64,PGI+", "data:image/png"),
        (ORDER, "verification.code", "ABCD-EFGH-JKM0", "verification.code"),
        (ORDER, "verification.url", "javascript:alert(1)", "verification.url"),
        (ORDER, "verification.url", "https://evil.example/other", "verification.url"),
        (
            ORDER,
            "verification.url",
            'https://x.org/verify/ABCD-EFGH-JKMN"><img',
            "verification.url",
        ),
        (RECORD, "inspection.started_at", "2026-11-29", "started_at: not a YYYY-MM-DD HH:MM"),
        (RECORD, "inspection.place", None, "inspection.place: required"),
        (RECORD, "responsible_person.name", None, "responsible_person.name: required"),
        (RECORD, "items.0.result", "ok", "items[0].result: one of"),
        (RECORD, "items.0.position", 2, "items: position must ascend"),
        (RECORD, "items.0.position", "1", "items: position must ascend"),
        (OPINION, "order", KeyError, "order.number: required"),
        (
            OPINION,
            "order.number",
            "（连开）应急复查〔2026〕1号",
            "order.number: not a 责令限期整改",
        ),
        (OPINION, "order.issued_on", "2026-12-01", "after this opinion's issued_on"),
        (OPINION, "reviews", [], "at least one problem"),
        (OPINION, "reviews.0.verdict", "maybe", "reviews[0].verdict: one of"),
        (OPINION, "reviews.1.number", 1, "reviews: number must ascend"),
    ],
)
def test_check_context_problems(kind, path, value, problem):
    problems = rules.check_context(kind, _set(sample(kind), path, value))
    assert any(problem in p for p in problems), problems


def test_optional_values_may_be_null():
    context = sample(ORDER)
    for path in ("enterprise.address", "responsible_person.title", "findings.0.description"):
        context = _set(context, path, None)
    context["signatures"] = {"inspectors": [], "responsible_person": None, "refused_note": "拒签"}
    assert rules.check_context(ORDER, context) == []


def test_gaps_allowed_where_only_some_rows_appear():
    """Reviews cite the order's item numbers (only some may be re-checked); checklist positions
    may skip. Findings of an order must run 1, 2, 3: they are the numbers the opinion cites."""
    opinion = _set(sample(OPINION), "reviews.1.number", 5)
    assert rules.check_context(OPINION, opinion) == []
    record = _set(sample(RECORD), "items.2.position", 9)
    assert rules.check_context(RECORD, record) == []
    record = _set(record, "responsible_person.name", None)
    record["signatures"]["refused_note"] = "现场负责人拒绝签名"
    assert rules.check_context(RECORD, record) == []


def test_a_long_signature_image_is_not_a_long_text():
    """Images are checked as images (type, magic bytes, 2 MB), not against MAX_FIELD_CHARS."""
    context = sample(ORDER)
    assert len(context["signatures"]["responsible_person"]) < rules.MAX_FIELD_CHARS  # small PNG
    big = PNG + "iVBORw0KGgo" + "A" * 8000 + "="
    assert rules.check_context(ORDER, _set(context, "signatures.responsible_person", big)) == []
    huge = PNG + "A" * (3 * 1024 * 1024)
    problems = rules.check_context(ORDER, _set(context, "signatures.responsible_person", huge))
    assert any("larger than" in p for p in problems), problems


def test_many_long_fields_are_refused_in_total():
    context = sample(ORDER)
    finding = dict(context["findings"][0], description="隐" * rules.MAX_FIELD_CHARS)
    context["findings"] = [dict(finding, number=i + 1) for i in range(30)]
    problems = rules.check_context(ORDER, context)
    assert problems == [f"context: more than {rules.MAX_TOTAL_CHARS} characters of text in all"]
