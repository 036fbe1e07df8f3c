"""The register's pure rules: deadlines, the filing workflow, monitoring gaps."""

import datetime as dt

import pytest

from app.hazards.rules.register import (
    FilingAction,
    FilingStatus,
    IllegalTransition,
    Reevaluation,
    add_years,
    filing_due_on,
    filing_overdue,
    monitoring_gaps,
    next_filing_status,
    reevaluation_due_on,
    reevaluation_status,
)

D = dt.date


@pytest.mark.parametrize(
    "last, change, today, expected",
    [
        (None, False, D(2026, 1, 1), Reevaluation.MISSING),
        (D(2023, 6, 1), False, D(2026, 5, 31), Reevaluation.DUE_SOON),
        (D(2023, 6, 1), False, D(2026, 6, 1), Reevaluation.OVERDUE),  # the due day itself
        (D(2023, 6, 1), False, D(2026, 3, 3), Reevaluation.DUE_SOON),  # 90 days before
        (D(2023, 6, 1), False, D(2026, 3, 2), Reevaluation.CURRENT),  # 91 days before
        (D(2025, 6, 1), True, D(2025, 6, 2), Reevaluation.OVERDUE),  # changed since evaluation
    ],
)
def test_reevaluation_status(last, change, today, expected):
    assert reevaluation_status(last, change, today, warning_days=90) == expected


def test_three_years_and_fifteen_days():
    assert reevaluation_due_on(D(2024, 2, 29)) == D(2027, 2, 28)
    assert add_years(D(2023, 6, 1), 3) == D(2026, 6, 1)
    assert filing_due_on(D(2026, 1, 31)) == D(2026, 2, 15)
    assert reevaluation_due_on(None) is None and filing_due_on(None) is None


@pytest.mark.parametrize(
    "status, due, today, overdue",
    [
        (FilingStatus.DRAFT, D(2026, 2, 15), D(2026, 2, 15), False),
        (FilingStatus.DRAFT, D(2026, 2, 15), D(2026, 2, 16), True),
        (FilingStatus.RETURNED, D(2026, 2, 15), D(2026, 3, 1), True),
        (FilingStatus.SUBMITTED, D(2026, 2, 15), D(2026, 3, 1), False),
        (FilingStatus.FILED, D(2026, 2, 15), D(2026, 3, 1), False),
        (FilingStatus.DRAFT, None, D(2026, 3, 1), False),
    ],
)
def test_filing_overdue(status, due, today, overdue):
    assert filing_overdue(status, due, today) is overdue


def test_filing_workflow():
    s = next_filing_status(FilingStatus.DRAFT, FilingAction.SUBMIT)
    assert s == FilingStatus.SUBMITTED
    assert next_filing_status(s, FilingAction.RETURN) == FilingStatus.RETURNED
    assert next_filing_status(FilingStatus.RETURNED, FilingAction.SUBMIT) == FilingStatus.SUBMITTED
    assert next_filing_status(s, FilingAction.FILE) == FilingStatus.FILED
    with pytest.raises(IllegalTransition) as info:
        next_filing_status(FilingStatus.FILED, FilingAction.RETURN)
    assert info.value.allowed == []
    with pytest.raises(IllegalTransition) as info:
        next_filing_status(FilingStatus.DRAFT, FilingAction.FILE)
    assert info.value.allowed == ["submit"]


@pytest.mark.parametrize(
    "level, facts, gaps",
    [
        (1, {}, ["continuous_monitoring", "gas_detection", "emergency_shutdown"]),
        (2, {"continuous_monitoring": True, "gas_detection": True}, ["emergency_shutdown"]),
        (
            2,
            dict.fromkeys(("continuous_monitoring", "gas_detection", "emergency_shutdown"), True),
            [],
        ),
        (3, {}, []),
        (None, {}, []),
    ],
)
def test_monitoring_gaps(level, facts, gaps):
    assert monitoring_gaps(level, facts) == gaps
