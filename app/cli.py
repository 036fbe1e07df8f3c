"""Operator commands: `flask audit verify`, `flask demo load`,
`flask accounts create-platform-admin`, `flask inspections verify-draw`, `flask spec`."""

from __future__ import annotations

import json
import sys
import uuid

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app import tenancy
from app.accounts import passwords
from app.accounts.models import User
from app.accounts.rules import Role, password_errors
from app.audit import service as audit
from app.db import commit
from app.demo import world
from app.extensions import db
from app.inspections.rules import draw as drawing
from app.spec import spec_yaml
from app.tenancy import Scope
from app.tenants.models import Authority

audit_cli = AppGroup("audit", help="Audit trail tools.")
accounts_cli = AppGroup("accounts", help="Account tools.")
demo_cli = AppGroup("demo", help="The demo world.")
inspections_cli = AppGroup("inspections", help="Inspection tools.")


@audit_cli.command("verify")
@click.option("--chain", help="one chain (an authority id, or 'platform'); default: all")
def verify_command(chain: str | None):
    """Recompute the hash chains; print the first bad entry of each broken one. Exit 1 if any."""
    key = current_app.config["AUDIT_CHECKPOINT_KEY"]
    with tenancy.using(Scope(platform=True, system=True)):
        authority_ids = [str(a) for a in db.session.scalars(select(Authority.id))]
        db.session.rollback()
    chains = [chain] if chain else ["platform", *authority_ids]
    broken = 0
    for name in chains:
        scope = (
            Scope(platform=True, system=True)
            if name == "platform"
            else Scope(authority_id=_uuid(name), system=True)
        )
        with tenancy.using(scope):
            verdict = audit.verify(db.session, name, key)
            db.session.rollback()
        if verdict.ok and verdict.events == 0 and name != "platform":
            # An authority's creation is always its first event: an empty chain was truncated.
            broken += 1
            click.echo(f"{name}: BROKEN at seq 1: the chain is empty", err=True)
        elif verdict.ok:
            click.echo(f"{name}: ok ({verdict.events} events)")
        else:
            broken += 1
            click.echo(f"{name}: BROKEN at seq {verdict.first_bad_seq}: {verdict.reason}", err=True)
    sys.exit(1 if broken else 0)


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an authority id: {value}") from exc


@accounts_cli.command("create-platform-admin")
@click.argument("username")
@click.password_option()
def create_platform_admin(username: str, password: str):
    """Create a platform operator account."""
    problems = password_errors(password, username)
    if problems:
        raise click.ClickException("password: " + "; ".join(problems))
    with tenancy.using(Scope(platform=True, system=True)):
        db.session.add(
            User(
                username=username,
                display_name=username,
                role=Role.PLATFORM_ADMIN.value,
                password_hash=passwords.hash_password(password),
            )
        )
        commit(db.session)
    click.echo(f"created platform admin {username}")


@demo_cli.command("load")
def demo_load():
    """Build the demo world (refuses to run twice)."""
    created = world.build(db.session)
    click.echo(created)


@inspections_cli.command("verify-draw", with_appcontext=False)
@click.argument("path", type=click.File("r", encoding="utf-8"))
def verify_draw_command(path):
    """Re-derive a published draw (anjian-draw-v1) from its snapshot and seed.

    PATH is a JSON file with "snapshot", "seed", "result" and "commitment": exactly what
    GET /api/v1/public/authorities/<id>/inspection-draws/<id> returns. Exit status 0 when the
    draw verifies, 1 otherwise (each discrepancy printed)."""
    try:
        published = json.load(path)
        snapshot, seed, result = published["snapshot"], published["seed"], published["result"]
    except (ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(f"not a published draw: {exc}") from None
    if not seed or not result:
        raise click.ClickException("the draw is not executed yet: no seed or result to check")
    problems = drawing.verify_draw(snapshot, seed, result, published.get("commitment"))
    for problem in problems:
        click.echo(f"MISMATCH {problem}")
    if problems:
        sys.exit(1)
    strata = len(snapshot.get("strata", []))
    click.echo(
        f"verified: {drawing.ALGORITHM}, {len(result['selections'])} drawn in {strata} strata, "
        f"{len(result['assignments'])} teams"
    )


@click.command("spec")
def spec_command():
    """Print the OpenAPI document as YAML (what openapi.yaml must contain)."""
    click.echo(spec_yaml(current_app), nl=False)


def register(app) -> None:
    app.cli.add_command(audit_cli)
    app.cli.add_command(accounts_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(inspections_cli)
    app.cli.add_command(spec_command)
