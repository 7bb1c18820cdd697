"""flask labels …: the label lifecycle by date (for cron)."""

import datetime as dt

import click
from flask.cli import AppGroup

from labelapp.core import mail
from labelapp.core.cli import TODAY
from labelapp.extensions import db
from labelapp.labels import lifecycle

labels_cli = AppGroup("labels", help="Awarded labels.")


@labels_cli.command("tick")
@TODAY
def tick_command(today):
    """Move labels by date (expiring soon, expired) and send renewal reminders; safe to run twice."""
    result = lifecycle.tick(today.date() if today else dt.date.today())
    db.session.commit()
    mail.deliver_committed()
    click.echo(f"Labels: {result.expiring} now expiring soon, {result.expired} expired; "
               f"{result.reminders} reminder(s) sent.")
