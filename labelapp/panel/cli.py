"""flask panels …: reminders to assessors (for cron)."""

import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup

from labelapp.core import mail
from labelapp.core.cli import TODAY
from labelapp.extensions import db
from labelapp.panel import assignment

panels_cli = AppGroup("panels", help="Assessor panels.")


@panels_cli.command("remind")
@TODAY
def remind_command(today):
    """E-mail assessors whose review is due soon (for cron, daily; each member is reminded once)."""
    count = assignment.remind_due((today.date() if today else dt.date.today()),
                                  current_app.config["REVIEW_REMINDER_DAYS"])
    db.session.commit()
    mail.deliver_committed()
    click.echo(f"Reminded {count} assessor(s).")
