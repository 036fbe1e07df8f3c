"""Notifications are a user's own in the database too: raw SQL under a user's scope sees that
user's rows only, whatever the ORM would have filtered."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import tenancy
from app.extensions import db
from app.tenancy import Scope
from tests import danger_worlds

pytestmark = pytest.mark.postgres


def test_raw_sql_sees_only_the_users_own_notifications(app, world):
    a = world.a
    with app.app_context():
        mine = danger_worlds.make_notification(a.authority_id, a.users["regulator"])
        theirs = danger_worlds.make_notification(a.authority_id, a.users["inspector"])
        scope = Scope(user_id=a.users["regulator"], authority_id=a.authority_id)
        with tenancy.using(scope):
            rows = set(db.session.execute(sa.text("SELECT id FROM notifications")).scalars())
            updated = db.session.execute(
                sa.text("UPDATE notifications SET read_at = now() WHERE id = :i"),
                {"i": str(theirs)},
            ).rowcount
            db.session.rollback()
        system = Scope(authority_id=a.authority_id, system=True)
        with tenancy.using(system):
            everyone = set(db.session.execute(sa.text("SELECT id FROM notifications")).scalars())
            db.session.rollback()
    assert mine in rows and theirs not in rows and updated == 0
    assert {mine, theirs} <= everyone
