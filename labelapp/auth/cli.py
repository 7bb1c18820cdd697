import click
from flask import current_app
from flask.cli import AppGroup

from labelapp.auth import services
from labelapp.auth.models import Role
from labelapp.core import mail
from labelapp.extensions import db
from labelapp.municipalities.lookup import by_code

users_cli = AppGroup("users", help="Accounts and roles.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--municipality", "municipality_code", help="Municipality code (EHAK); required for staff.")
@click.option("--name", default="", help="Full name (default: the part of the e-mail before @).")
@click.option("--invite", is_flag=True, help="E-mail an invitation instead of setting a password now.")
@click.option("--password", help="Password to set (asked for when neither this nor --invite is given).")
def create_command(email, role, municipality_code, name, invite, password):
    """Create an account, with a password or by e-mailed invitation."""
    municipality = None
    if municipality_code:
        municipality = by_code(municipality_code, current_app.config["DEFAULT_COUNTRY"])
        if municipality is None:
            raise click.BadParameter(
                f"no municipality with code {municipality_code!r}; run 'flask municipalities load' first "
                "or check the code", param_hint="--municipality")
    name = name or email.split("@")[0]
    try:
        if invite:
            user = services.invite_user(email, name, Role(role), municipality)
        else:
            if password is None:
                password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            user = services.create_user(email, name, Role(role), municipality, password=password)
    except services.AccountError as exc:
        db.session.rollback()
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(1) from exc
    db.session.commit()
    mail.deliver_committed()
    where = f" of {municipality.name}" if municipality else ""
    click.echo(f"Created {user.role.value}{where}: {user.email}" + (" (invitation sent)" if invite else ""))
