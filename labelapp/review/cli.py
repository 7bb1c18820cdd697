import datetime as dt

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
