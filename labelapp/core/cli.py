from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext, ngettext

from labelapp.core import anchors, audit, backup, keys, mail, uploads
from labelapp.extensions import db

mail_cli = AppGroup("mail", help="The e-mail outbox.")
audit_cli = AppGroup("audit", help="The append-only audit log.")
backup_cli = AppGroup("backup", help="Back up and restore the database and the evidence files.")
maintenance_cli = AppGroup("maintenance", help="Housekeeping of the instance folder.")
keys_cli = AppGroup("keys", help="The instance's signing key (credentials, status lists, audit anchors).")
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
    """Recompute the audit log's keyed hash chain and check it against the anchors file; exit 1 naming each row
    that was changed, added or removed. Progress goes to standard error on large logs."""
    report = audit.verify_chain(progress=lambda n: click.echo(gettext("… %(n)d rows checked", n=n), err=True)
                                if n % 100_000 == 0 else None)
    checked_anchors, anchor_problems = anchors.check()
    problems = sorted(report.problems + anchor_problems,
                      key=lambda p: (p.entry_id is None, p.entry_id or 0, p.line or 0))
    path = anchors.anchors_path()
    for problem in problems:
        if problem.entry_id is None:
            click.echo(gettext("%(file)s line %(line)d: %(problem)s", file=path, line=problem.line,
                               problem=problem.problem), err=True)
        elif problem.line is None:
            click.echo(gettext("audit row %(id)d: %(problem)s", id=problem.entry_id, problem=problem.problem),
                       err=True)
        else:
            click.echo(gettext("audit row %(id)d: %(problem)s (anchor on line %(line)d of %(file)s)",
                               id=problem.entry_id, problem=problem.problem, line=problem.line, file=path),
                       err=True)
    if problems:
        click.echo(gettext("The audit log is NOT intact: %(n)d problem(s) in %(rows)d rows and %(anchors)d "
                           "anchors.", n=len(problems), rows=report.checked, anchors=checked_anchors), err=True)
        first = next((p.entry_id for p in problems if p.entry_id is not None), None)
        if first is not None:
            click.echo(gettext("The first row where the chain or an anchor disagrees: audit row %(id)d.",
                               id=first), err=True)
        raise SystemExit(1)
    click.echo(gettext("The audit log is intact: %(rows)d rows, hash chain unbroken, %(anchors)d anchors in "
                       "%(file)s agree.", rows=report.checked, anchors=checked_anchors, file=path))
    click.echo(gettext("Newest row's hash: %(hash)s", hash=report.newest or gettext("(empty log)")))


@audit_cli.command("anchor")
def anchor_command():
    """Sign the newest audit row's hash into the anchors file (run daily from cron; keep copies elsewhere)."""
    report = audit.verify_chain()
    if report.problems:
        click.echo(gettext("Refused: the audit log is NOT intact (%(n)d problem(s)); run `flask audit verify`.",
                           n=len(report.problems)), err=True)
        raise SystemExit(1)
    statement = anchors.anchor()
    if statement is None:
        click.echo(gettext("The audit log is empty; nothing to anchor."))
        return
    click.echo(gettext("Anchored audit row %(id)d (%(count)d rows, hash %(hash)s) in %(file)s.",
                       id=statement["id"], count=statement["count"], hash=statement["entry_hash"],
                       file=anchors.anchors_path()))


@backup_cli.command("create")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
def backup_create_command(destination: Path):
    """Back up the database (online, consistent) and the evidence files into a new folder DESTINATION."""
    try:
        summary = backup.create(destination)
    except backup.BackupError as exc:
        click.echo(gettext("Backup failed: %(error)s", error=exc), err=True)
        raise SystemExit(1) from exc
    click.echo(gettext("Backed up %(summary)s to %(path)s.", summary=summary.describe(), path=destination))


@backup_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
def backup_restore_command(source: Path):
    """Restore the backup in folder SOURCE into this (empty) instance, checked against its manifest first."""
    try:
        summary = backup.restore(source)
    except backup.BackupError as exc:
        click.echo(gettext("Restore failed: %(error)s", error=exc), err=True)
        raise SystemExit(1) from exc
    click.echo(gettext("Restored %(summary)s; the database and file hashes and the row counts match the backup.",
                       summary=summary.describe()))


@maintenance_cli.command("sweep")
def sweep_command():
    """Remove files older than a day that nothing refers to: evidence files without a database row, unfinished
    uploads (.part) and abandoned survey imports (for cron; safe to run often)."""
    removed = uploads.sweep()
    for path in removed:
        click.echo(gettext("removed %(path)s", path=path))
    click.echo(ngettext("Removed %(num)d orphan file.", "Removed %(num)d orphan files.", len(removed)))


@keys_cli.command("rotate")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def rotate_command(yes: bool):
    """Make a new signing key current. The old key's public half stays published in the DID document (so what it
    signed still verifies) and its private half is destroyed. Back up the instance folder afterwards."""
    if not yes:
        click.confirm(gettext("Rotate the signing key? New credentials, status lists and audit anchors will be "
                              "signed with a new key; the old one can no longer sign."), abort=True)
    old, new = keys.rotate_signing_key()
    keys.signing_key_rotated.send()
    audit.record("keys.rotate", "signing_key", None, before={"public_key": _fingerprint(old)},
                 after={"public_key": _fingerprint(new)})
    db.session.commit()
    click.echo(gettext("The signing key was rotated: %(new)s is current; %(old)s is retired and stays listed in "
                       "the DID document.", new=_fingerprint(new), old=_fingerprint(old)))


def _fingerprint(key) -> str:
    """A key as people compare it: the hex of its 32 raw bytes."""
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
