"""Quarterly and annual statistics, and the principal's signed submission."""

from __future__ import annotations

import datetime as dt

from app.dangers.service.reports import period_bounds
from tests.dangers.helpers import Api, today


def _previous_quarter(day: dt.date) -> tuple[int, int]:
    q = (day.month - 1) // 3 + 1
    return (day.year, q - 1) if q > 1 else (day.year - 1, 4)


def test_statistics_and_signed_submission(app, client, world):
    admin = Api(app, client, world.a.usernames["enterprise_admin"])
    regulator = Api(app, client, world.a.usernames["regulator"])
    year, quarter = _previous_quarter(today())
    start, end = period_bounds(year, quarter)
    found = dt.datetime.combine(start + dt.timedelta(days=5), dt.time(9, 0), dt.UTC).isoformat()
    admin.create(found_at=found, severity="major")
    general = admin.create(found_at=found, source="staff_report").json
    # Closed today, after the period: at the period's end it was still open (and overdue).
    admin.step(general["id"], "start_rectification")
    admin.upload(general["id"])
    admin.step(general["id"], "submit_for_acceptance")
    assert admin.step(general["id"], "accept").json["state"] == "closed"
    url = f"/api/v1/hidden-danger-statistics?year={year}&quarter={quarter}"
    s = client.get(url, headers=admin.headers).json
    assert s["period_start"] == start.isoformat()
    assert s["period_end"] == (end - dt.timedelta(days=1)).isoformat()
    assert s["totals"] == {
        "found": 2,
        "closed": 0,
        "closed_on_time": 0,
        "closed_late": 0,
        "open": 2,
        "overdue": 2,
    }
    assert s["by_severity"]["major"] == {"found": 1, "closed": 0, "open": 1}
    assert s["by_source"]["self_inspection"] == 1 and s["by_source"]["staff_report"] == 1
    # The authority's view covers its enterprises; another authority's enterprise is not there.
    wide = client.get(url, headers=regulator.headers).json
    assert wide["totals"]["found"] >= 2
    other = client.get(f"{url}&enterprise_id={world.b.enterprise1}", headers=regulator.headers)
    assert other.status_code == 200 and set(other.json["totals"].values()) == {0}
    # The running quarter cannot be signed off yet.
    q_now = (today().month - 1) // 3 + 1
    r = client.post(
        "/api/v1/hidden-danger-reports",
        headers=admin.headers,
        json={"year": today().year, "quarter": q_now, "principal_name": "李四", "confirm": True},
    )
    assert r.status_code == 422
    r = client.post(
        "/api/v1/hidden-danger-reports",
        headers=admin.headers,
        json={"year": year, "quarter": quarter, "principal_name": "李四", "confirm": False},
    )
    assert r.status_code == 422 and "confirm" in r.json["errors"]
    r = client.post(
        "/api/v1/hidden-danger-reports",
        headers=admin.headers,
        json={"year": year, "quarter": quarter, "principal_name": "李四", "confirm": True},
    )
    assert r.status_code == 201, r.json
    report = r.json
    due = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 15)
    assert report["due_on"] == due.isoformat() and report["on_time"] == (today() <= due)
    assert report["figures"]["totals"]["found"] == 2 and report["quarter"] == quarter
    again = client.post(
        "/api/v1/hidden-danger-reports",
        headers=admin.headers,
        json={"year": year, "quarter": quarter, "principal_name": "李四", "confirm": True},
    )
    assert again.status_code == 409
    listed = client.get(
        f"/api/v1/hidden-danger-reports?year={year}", headers=regulator.headers
    ).json["items"]
    assert report["id"] in [x["id"] for x in listed]
    other_staff = Api(app, client, world.a.usernames["other_staff"])
    assert (
        client.get(
            f"/api/v1/hidden-danger-reports/{report['id']}", headers=other_staff.headers
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/hidden-danger-reports",
            headers=regulator.headers,
            json={"year": year, "quarter": quarter, "principal_name": "x", "confirm": True},
        ).status_code
        == 403
    )


def test_annual_statistics_period():
    assert period_bounds(2025, None) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    assert period_bounds(2025, 4) == (dt.date(2025, 10, 1), dt.date(2026, 1, 1))
    assert period_bounds(2025, 1) == (dt.date(2025, 1, 1), dt.date(2025, 4, 1))
