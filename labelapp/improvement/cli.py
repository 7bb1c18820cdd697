"""flask improvement …: reminders before improvement actions' dates (for cron)."""

import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup

from labelapp.core import mail
from labelapp.core.cli import TODAY
from labelapp.extensions import db
from labelapp.improvement import services

improvement_cli = AppGroup("improvement", help="Improvement plans.")


@improvement_cli.command("remind")
@TODAY
def remind_command(today):
    """E-mail the municipality about open actions due within IMPROVEMENT_REMINDER_DAYS, once per action."""
    count = services.remind(today.date() if today else dt.date.today(), current_app.config["IMPROVEMENT_REMINDER_DAYS"])
    db.session.commit()
    mail.deliver_committed()
    click.echo(f"Improvement actions: {count} reminder(s) sent.")
