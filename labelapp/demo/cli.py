"""flask demo …: demo data for trying the service locally (refused in production)."""

import click
from flask import current_app
from flask.cli import AppGroup

from labelapp import demo
from labelapp.config import is_production

demo_cli = AppGroup("demo", help="Demo data (refused in production).")


@demo_cli.command("seed")
def seed_command():
    """Create the demo accounts (idempotent) and print their logins."""
    if is_production(current_app):
        click.echo("Refused: demo data is never created with the production configuration.", err=True)
        raise SystemExit(1)
    created = demo.seed()
    click.echo(f"Demo data ready ({created} new accounts). Demo logins, password for all: {demo.PASSWORD}")
    for email, role, where, key in demo.logins():
        click.echo(f"  {role:<12} {email:<32} {where or ('authenticator key ' + key if key else '')}")
    click.echo("Coordinators and assessors also need a code from an authenticator app: add the key above to one,\n"
               "or print the current code with: .venv/bin/flask --app labelapp demo code EMAIL")


@demo_cli.command("code")
@click.argument("email")
def code_command(email: str):
    """Print the current second-factor code of a demo account (refused in production)."""
    if is_production(current_app):
        click.echo("Refused: demo accounts do not exist in production.", err=True)
        raise SystemExit(1)
    code = demo.current_code(email.strip().lower())
    if code is None:
        click.echo(f"{email} is not a demo account with a second factor.", err=True)
        raise SystemExit(1)
    click.echo(code)
