from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from labelapp.core import audit, backup, mail

mail_cli = AppGroup("mail", help="The e-mail outbox.")
audit_cli = AppGroup("audit", help="The append-only audit log.")
backup_cli = AppGroup("backup", help="Back up and restore the database and the evidence files.")
TODAY = click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
                     help="Act as if today were this date (tests, catching up).")


@mail_cli.command("send-pending")
def send_pending_command():
    """Send outbox messages that are due (for cron; safe to run often)."""
    if not current_app.config.get("SMTP_HOST"):
        click.echo("SMTP_HOST is not configured; messages stay in the outbox.", err=True)
        raise SystemExit(1)
    sent, failed = mail.send_pending()
    click.echo(f"Sent {sent}, failed {failed} (failed ones are retried later).")
    if failed:
        raise SystemExit(2)


@audit_cli.command("verify")
def verify_command():
    """Recompute the audit log's hash chain; exit 1 naming each row that was changed or removed."""
    report = audit.verify_chain()
    for problem in report.problems:
        click.echo(f"audit row {problem.entry_id}: {problem.problem}", err=True)
    if report.problems:
        click.echo(f"The audit log is NOT intact: {len(report.problems)} problem(s) in {report.checked} rows.",
                   err=True)
        raise SystemExit(1)
    click.echo(f"The audit log is intact: {report.checked} rows, hash chain unbroken.")
    # Kept outside the database (e.g. in the cron log), this also shows later that no newest rows were cut off.
    click.echo(f"Newest row's hash: {report.newest or '(empty log)'}")


@backup_cli.command("create")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
def backup_create_command(destination: Path):
    """Back up the database (online, consistent) and the evidence files into a new folder DESTINATION."""
    try:
        summary = backup.create(destination)
    except backup.BackupError as exc:
        click.echo(f"Backup failed: {exc}", err=True)
        raise SystemExit(1) from exc
    click.echo(f"Backed up {summary.describe()} to {destination}.")


@backup_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
def backup_restore_command(source: Path):
    """Restore the backup in folder SOURCE into this (empty) instance and check it against its manifest."""
    try:
        summary = backup.restore(source)
    except backup.BackupError as exc:
        click.echo(f"Restore failed: {exc}", err=True)
        raise SystemExit(1) from exc
    click.echo(f"Restored {summary.describe()}; row counts and file hashes match the backup.")
