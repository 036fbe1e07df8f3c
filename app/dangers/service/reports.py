"""Quarterly and annual statistics of the ledger, and their signed submission (16号令 Art.14:
quarterly before the 15th of the next quarter's first month, annual before 31 January)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import tenancy
from app.dangers import rules
from app.dangers.models import DangerReport, HiddenDanger
from app.dangers.service import common
from app.errors import Conflict, NotFound, Unprocessable
from app.messages import Msg


def period_bounds(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    """[first day, day after the last day) of the quarter (1–4) or year (None), local dates."""
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end


def _instant(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), rules.SHANGHAI)


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def figures(session: Session, year: int, quarter: int | None, enterprise_id=None) -> dict:
    """Found, closed (on time, late), open and overdue at the period's end, by severity and by
    source.

    "Found" and "closed" count what happened inside the period. "Open" counts the entries found
    before the period's end and neither closed nor cancelled before it, so a signed report does
    not depend on the day it is submitted; "overdue" those of them whose deadline had passed by
    then (the deadline as it stands: an extension granted later counts)."""
    start, end = period_bounds(year, quarter)
    lo, hi = _instant(start), _instant(end)
    d = HiddenDanger
    as_of = min(end, common.today() + dt.timedelta(days=1))  # the day after the last day
    found = and_(d.found_at >= lo, d.found_at < hi)
    closed = and_(d.closed_at >= lo, d.closed_at < hi)
    cancelled_before = and_(d.state == str(rules.State.CANCELLED), d.state_changed_at < hi)
    open_ = and_(
        d.found_at < hi,
        or_(d.closed_at.is_(None), d.closed_at >= hi),
        ~cancelled_before,
    )
    columns = {
        "found": _count(found),
        "closed": _count(closed),
        "closed_on_time": _count(and_(closed, d.closed_on_time.is_(True))),
        "closed_late": _count(and_(closed, d.closed_on_time.is_(False))),
        "open": _count(open_),
        "overdue": _count(and_(open_, d.deadline < as_of - dt.timedelta(days=1))),
    }
    for severity in rules.Severity:
        columns[f"found_{severity}"] = _count(and_(found, d.severity == str(severity)))
        columns[f"closed_{severity}"] = _count(and_(closed, d.severity == str(severity)))
        columns[f"open_{severity}"] = _count(and_(open_, d.severity == str(severity)))
    for source in rules.Source:
        columns[f"found_from_{source}"] = _count(and_(found, d.source == str(source)))
    stmt = select(*[c.label(name) for name, c in columns.items()])
    stmt = stmt.select_from(d)
    if enterprise_id is not None:
        stmt = stmt.where(d.enterprise_id == enterprise_id)
    row = session.execute(stmt).one()._mapping
    out = {name: int(row[name]) for name in columns}
    return {
        "year": year,
        "quarter": quarter,
        "period_start": start,
        "period_end": end - dt.timedelta(days=1),
        "totals": {
            k: out[k]
            for k in ("found", "closed", "closed_on_time", "closed_late", "open", "overdue")
        },
        "by_severity": {
            str(s): {k: out[f"{k}_{s}"] for k in ("found", "closed", "open")}
            for s in rules.Severity
        },
        "by_source": {str(s): out[f"found_from_{s}"] for s in rules.Source},
    }


def submit(session: Session, data: dict) -> DangerReport:
    scope = tenancy.current()
    year, quarter = data["year"], data.get("quarter")
    start, end = period_bounds(year, quarter)
    today = common.today()
    if today < end:
        raise Unprocessable(
            errors={
                "year": [
                    Msg(
                        "the period runs until %(last)s; sign it off after",
                        last=end - dt.timedelta(days=1),
                    )
                ]
            }
        )
    due_on = rules.statistics_due_on(year, quarter, common.timelines())
    report = DangerReport(
        authority_id=scope.authority_id,
        enterprise_id=scope.enterprise_id,
        year=year,
        quarter=quarter or 0,
        figures=_jsonable(figures(session, year, quarter, scope.enterprise_id)),
        principal_name=data["principal_name"],
        signed_by=scope.user_id,
        submitted_at=common.now(),
        due_on=due_on,
        on_time=today <= due_on,
    )
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError:
        raise Conflict("this period's statistics were already signed and submitted") from None
    return report


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def get(session: Session, report_id) -> DangerReport:
    report = session.get(DangerReport, report_id) if report_id else None
    if report is None:
        raise NotFound("no such report")
    return report


def list_stmt(args: dict):
    stmt = select(DangerReport)
    for key in ("enterprise_id", "year"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(DangerReport, key) == args[key])
    if "quarter" in args:
        stmt = stmt.where(DangerReport.quarter == (args["quarter"] or 0))
    return stmt
