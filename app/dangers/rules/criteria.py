"""Citing a criterion for a major hidden danger (重大事故隐患判定标准).

Today's data holds the 20 criteria of 安监总管三〔2017〕121号 for chemical and hazchem units. A
criterion names the sector it applies to, so the criteria of other sectors (fireworks, coal; the
"51 sectors" compilation, FACTS §3.3) are rows to add, not code to change.
"""

from __future__ import annotations

from app.messages import Msg, Term

from .enums import Severity
from .reference import Criterion, major_criteria

FIELD = "criterion_code"


def criterion_errors(severity: Severity, code: str | None, sector: str) -> dict[str, list[str]]:
    """Field → messages for a cited criterion; {} when none is cited or the citation holds.

    Citing is optional even for a major one (most sectors have no list here yet), but a cited
    criterion must exist, belong to the enterprise's sector, and sit on a major entry: meeting a
    criterion is what makes a hidden danger major, so "general" with a criterion contradicts
    itself.
    """
    if code is None or code == "":
        return {}
    criterion = major_criteria().get(code)
    if criterion is None:
        return {FIELD: [Msg("unknown criterion %(code)s", code=repr(code))]}
    messages = []
    if Severity(severity) != Severity.MAJOR:
        messages.append(Msg("only a major hidden danger cites a major-hidden-danger criterion"))
    if criterion.sector != sector:
        messages.append(
            Msg(
                "%(code)s applies only to enterprises of sector %(sector)s",
                code=code,
                sector=Term("sectors", criterion.sector),
            )
        )
    return {FIELD: messages} if messages else {}


def criteria_for_sector(sector: str) -> tuple[Criterion, ...]:
    """The criteria an enterprise of `sector` may cite (empty for sectors without a list)."""
    return tuple(c for c in major_criteria().values() if c.sector == sector)
