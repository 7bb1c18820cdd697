"""flask applications …: checks over every application."""

import click
from flask.cli import AppGroup
from flask_babel import gettext, ngettext

from labelapp.applications import verification

applications_cli = AppGroup("applications", help="Applications for the label.")


def describe(mismatch: verification.Mismatch) -> str:
    who = gettext("Application %(id)d (%(municipality)s)", id=mismatch.application_id,
                  municipality=mismatch.municipality)
    if mismatch.record:
        who = f"{who}, {mismatch.record}"
    if mismatch.broken:
        return gettext("%(who)s: the stored scores cannot be recomputed (%(reason)s).", who=who,
                       reason=mismatch.where)
    if not mismatch.more:
        return gettext("%(who)s: the stored scores differ from the recomputed ones at %(where)s (stored "
                       "%(stored)s, recomputed %(recomputed)s).", who=who, where=mismatch.where,
                       stored=repr(mismatch.stored), recomputed=repr(mismatch.recomputed))
    return ngettext("%(who)s: the stored scores differ from the recomputed ones at %(where)s (stored %(stored)s, "
                    "recomputed %(recomputed)s), and in %(num)d more place.",
                    "%(who)s: the stored scores differ from the recomputed ones at %(where)s (stored %(stored)s, "
                    "recomputed %(recomputed)s), and in %(num)d more places.", mismatch.more, who=who,
                    where=mismatch.where, stored=repr(mismatch.stored), recomputed=repr(mismatch.recomputed))


@applications_cli.command("verify-scores")
def verify_scores_command():
    """Recompute every application's score snapshot, and every panel-verified score, from the stored inputs
    under the application's criteria version; exit 1 naming each application whose stored scores differ."""
    report = verification.verify_scores()
    applications = ngettext("%(num)d application", "%(num)d applications", report.applications.count)
    decisions = ngettext("%(num)d panel decision", "%(num)d panel decisions", report.decisions.count)
    for mismatch in report.mismatches:
        click.echo(describe(mismatch), err=True)
    if report.mismatches:
        click.echo(gettext("Scores of %(bad)d of %(applications)s and %(bad_decisions)d of %(decisions)s differ "
                           "from their stored inputs.", bad=len(report.applications.mismatches),
                           applications=applications, bad_decisions=len(report.decisions.mismatches),
                           decisions=decisions), err=True)
        raise SystemExit(1)
    click.echo(gettext("The scores of %(applications)s and %(decisions)s recompute exactly from their stored "
                       "inputs.", applications=applications, decisions=decisions))
