"""A tablet's offline queue replayed: 1,000 writes (910 distinct, 90 duplicated), shuffled, sent
until everything has landed. Each write is stored once; a duplicate gets the first answer."""

from __future__ import annotations

import datetime as dt
import random
import uuid

import sqlalchemy as sa

from tests import inspection_worlds as iw
from tests import services
from tests.inspections import helpers

DISTINCT, PHOTOS, DUPLICATES = 910, 30, 90
MAX_PASSES = 6


def _writes(task_id, item_ids, inspection_id, findings):
    deadline = (helpers.today() + dt.timedelta(days=30)).isoformat()
    writes = [
        (
            "POST",
            "/inspections",
            {
                "id": inspection_id,
                "task_id": str(task_id),
                "started_at": dt.datetime.now(dt.UTC).isoformat(),
                "responsible_person": "李四",
            },
        )
    ]
    writes += [
        ("PUT", f"/inspections/{inspection_id}/items/{i}", {"result": "compliant"})
        for i in item_ids
    ]
    writes += [
        (
            "POST",
            f"/inspections/{inspection_id}/findings",
            {
                "id": str(uuid.uuid4()),
                "title": f"问题{n}",
                "category": "unsafe_condition",
                "severity": "general",
                "deadline": deadline,
            },
        )
        for n in range(findings)
    ]
    writes += [
        ("UPLOAD", inspection_id, {"id": str(uuid.uuid4()), "kind": "photo"}) for _ in range(PHOTOS)
    ]
    # Each queued write keeps its own Idempotency-Key, retries included.
    return [(method, path, body, str(uuid.uuid4())) for method, path, body in writes]


def test_a_shuffled_queue_with_duplicates_is_stored_once(app, client, world, owner_engine, capsys):
    a = world.a
    team = [a.users["inspector"], None]
    with app.app_context():
        team[1] = iw.second_inspector(a.authority_id)
        task_id = iw.make_task(a.authority_id, a.enterprise1, team)
    api = helpers.Api(app, client, a.usernames["inspector"])
    task = api.get(f"/inspection-tasks/{task_id}").json
    items = api.get(f"/inspection-checklists/{task['checklist_id']}").json["items"]
    inspection_id = str(uuid.uuid4())
    findings = DISTINCT - 1 - len(items) - PHOTOS
    distinct = _writes(task_id, [i["id"] for i in items], inspection_id, findings)
    rng = random.Random(20261129)
    queue = distinct + rng.sample(distinct, DUPLICATES)
    rng.shuffle(queue)
    assert len(queue) == 1000

    first_answer: dict[str, tuple] = {}
    statuses: dict[int, int] = {}
    pending, passes = queue, 0
    while pending and passes < MAX_PASSES:
        passes += 1
        retry = []
        for method, path, body, key in pending:
            if method == "UPLOAD":
                r = api.upload(path, dict(body), key=key)
            elif method == "PUT":
                r = api.put(path, body, key=key)
            else:
                r = api.post(path, body, key=key)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            if r.status_code == 404:  # its inspection has not arrived yet: the tablet retries
                retry.append((method, path, body, key))
                continue
            assert r.status_code in (200, 201), (method, path, r.json)
            answer = (r.status_code, r.json)
            # A duplicate delivery of a write gets exactly the first answer.
            assert first_answer.setdefault(key, answer) == answer
        pending = retry
    assert not pending, f"{len(pending)} writes never landed"

    with owner_engine.connect() as conn:
        iid = services.sql_uuid(owner_engine, inspection_id)
        count = lambda table: conn.execute(  # noqa: E731
            sa.text(f"SELECT count(*) FROM {table} WHERE inspection_id = :i"), {"i": iid}
        ).scalar_one()
        inspections = conn.execute(
            sa.text("SELECT count(*) FROM inspections WHERE id = :i"), {"i": iid}
        ).scalar_one()
        numbers = (
            conn.execute(
                sa.text("SELECT number FROM inspection_findings WHERE inspection_id = :i"),
                {"i": iid},
            )
            .scalars()
            .all()
        )
        stored = (inspections, count("inspection_findings"), count("inspection_files"))
        results = count("inspection_item_results")
    assert stored == (1, findings, PHOTOS)
    assert results == len(items)
    assert sorted(numbers) == list(range(1, findings + 1))  # numbered without gap or repeat
    with capsys.disabled():
        print(
            f"\nsync replay: {len(queue)} writes ({DUPLICATES} duplicates, shuffled) in "
            f"{passes} passes, statuses {dict(sorted(statuses.items()))}; stored once: "
            f"1 inspection, {findings} findings, {PHOTOS} photos, {results} item results"
        )
