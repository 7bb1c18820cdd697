import datetime as dt
import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from labelapp.core import mail
from labelapp.extensions import db
from labelapp.review import decisions, panel

panels_cli = AppGroup("panels", help="Assessor panels.")
labels_cli = AppGroup("labels", help="Awarded labels.")
TODAY = click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
                     help="Act as if today were this date (tests, catching up).")


@panels_cli.command("remind")
@TODAY
def remind_command(today):
    """E-mail assessors whose review is due soon (for cron, daily; each member is reminded once)."""
    count = panel.remind_due((today.date() if today else dt.date.today()), current_app.config["REVIEW_REMINDER_DAYS"])
    db.session.commit()
    mail.deliver_committed()
    click.echo(f"Reminded {count} assessor(s).")


@labels_cli.command("tick")
@TODAY
def tick_command(today):
    """Move labels by date (expiring soon, expired) and send renewal reminders; safe to run twice."""
    result = decisions.tick(today.date() if today else dt.date.today())
    db.session.commit()
    mail.deliver_committed()
    click.echo(f"Labels: {result.expiring} now expiring soon, {result.expired} expired; "
               f"{result.reminders} reminder(s) sent.")


@labels_cli.command("verify-credential")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public-key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Issuer public key (PEM); default: this instance's key.")
def verify_credential_command(file: Path, key_file: Path | None):
    """Check a label credential offline: exit 0 if the signature holds and the label is valid, 1 otherwise."""
    from cryptography.hazmat.primitives import serialization

    from labelapp.registry import credentials

    key = serialization.load_pem_public_key(key_file.read_bytes()) if key_file else credentials.public_key()
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        click.echo(f"INVALID: {file} is not JSON ({exc})", err=True)
        raise SystemExit(1) from exc
    ok, status = credentials.verify(document, key)
    if not ok:
        click.echo(f"INVALID: {status}", err=True)
        raise SystemExit(1)
    click.echo(f"Signature valid. Label status when issued: {status}.")
    if status not in ("valid", "expiring"):
        raise SystemExit(1)
