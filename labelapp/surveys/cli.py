import csv
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from labelapp.extensions import db
from labelapp.surveys import services
from labelapp.surveys.names import ROLES, SHAPES

survey_cli = AppGroup("survey", help="Resident-satisfaction survey waves.")
EXCLUSION_WORDS = {"unknown_municipality": "municipality not identified", "invalid_answer": "answer not on the scale",
                   "invalid_weight": "weight not usable", "invalid_share": "share not usable",
                   "invalid_n": "n not usable", "duplicate": "municipality repeated", "no_answer": "no answer",
                   "dont_know": "don't know", "zero_weight": "weight 0"}
EXPORT_COLUMNS = ["ehak_code", "municipality", "indicator", "value", "n", "n_effective", "ci_low", "ci_high", "flag"]


def _mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        header, _, role = pair.rpartition("=")
        if not header or role not in ROLES:
            raise click.BadParameter(f"{pair!r}: write HEADER=ROLE with ROLE one of {', '.join(ROLES)}",
                                     param_hint="--map")
        mapping[header] = role
    return mapping


def _print_report(report) -> None:
    layout = report.layout
    if layout is not None:
        found = ", ".join(f"{h} → {r}" for h, r in layout.roles.items())
        click.echo(f"{report.origin}: {report.rows} rows, {report.shape or '?'}; columns: {found}", err=True)
        if report.unmapped:
            click.echo(f"  not used: {', '.join(report.unmapped)}", err=True)
        rows = report.accounting
        excluded = ", ".join(f"{EXCLUSION_WORDS[k]} {n}" for k, n in rows["excluded"].items())
        click.echo(f"  {rows['read']} rows read, {rows['used']} used" + (f"; excluded: {excluded}" if excluded else ""),
                   err=True)
    for problem in report.warnings:
        click.echo(f"warning: {problem}", err=True)
    for problem in report.errors:
        click.echo(f"error: {problem}", err=True)
    if report.error_count > len(report.errors):
        click.echo(f"… and {report.error_count - len(report.errors)} more errors", err=True)


@survey_cli.command("import")
@click.argument("source")
@click.option("--wave", "year", type=int, required=True, help="Survey year, e.g. 2024.")
@click.option("--shape", type=click.Choice(SHAPES), help="Default: detected from the columns.")
@click.option("--dry-run", is_flag=True, help="Check and show the results; store nothing.")
@click.option("--description", default="", help="Where the data comes from (shown with the wave).")
@click.option("--map", "maps", multiple=True, help="Column mapping HEADER=ROLE, e.g. 'Q12=answer'.")
@click.option("--supersede", is_flag=True, help="Replace the year's current wave with this corrected file.")
@click.option("--profile", "profile_name", help="Read the columns as the saved mapping profile NAME says "
              "(default: the profile saved for exactly this file's headers, if any); --map overrides it.")
@click.option("--save-profile", "save_as", help="After the import, keep its columns as the mapping profile NAME.")
def import_command(source, year, shape, dry_run, description, maps, supersede, profile_name, save_as):
    """Import a survey file (CSV, XLSX, ODS) from PATH or an https:// URL; exit 1 on any error."""
    mapping = _mapping(maps)
    profile = None
    if profile_name:
        profile = services.profile_named(profile_name)
        if profile is None:
            names = ", ".join(repr(p.name) for p in services.profiles()) or "none"
            click.echo(f"Error: no mapping profile named {profile_name!r}; saved: {names}", err=True)
            raise SystemExit(1)
    try:
        if "://" in source:
            staged = services.stage_url(source)
        else:
            size = Path(source).stat().st_size
            with _bar(size, "Reading the file", size) as bar:
                staged = services.stage_path(Path(source), progress=bar.update)
    except (services.SurveyImportError, OSError) as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(1) from exc
    try:
        with _bar(staged.size, "Parsing", staged.size) as bar:
            table = services.parsed(staged, progress=bar.update).frame
        headers = services.file_headers(staged)
        if profile is None and not mapping:
            profile = services.profile_for(headers)
        if profile is not None:
            mapping = {**services.profile_mapping(profile, headers), **mapping}
            click.echo(f"mapping profile {profile.name!r} applied", err=True)
        with _bar(len(table) if table is not None else 0, "Checking rows", staged.size) as bar:
            progress = bar.update
            if dry_run:
                report = services.preview(staged, shape, mapping, progress)
                _print_report(report)
                if not report.ok:
                    raise SystemExit(1)
                _write_results(report.results)
                return
            wave, report = services.import_wave(staged, year, description, shape=shape, mapping=mapping,
                                                supersede=supersede, progress=progress)
            if save_as:
                services.save_profile(save_as, headers, report.layout.roles)
    except services.SurveyImportError as exc:
        db.session.rollback()
        if exc.report is not None:
            _print_report(exc.report)
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(1) from exc
    finally:
        services.discard(staged)
    db.session.commit()
    _print_report(report)
    click.echo(f"Imported wave {wave.year} (#{wave.id}): {wave.rows} rows, {len(wave.results)} results.")


PROGRESS_FROM_BYTES = 4 * 1024 * 1024  # smaller files are read in a moment: no progress bars


def _bar(length: int, label: str, size: int):
    """A progress bar on standard error when the file is over a few MB; otherwise one that shows nothing."""
    return click.progressbar(length=max(length, 1), label=label, file=sys.stderr, hidden=size <= PROGRESS_FROM_BYTES)


def _write_results(results) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(EXPORT_COLUMNS)
    for r in results:
        writer.writerow([r.code, r.name, r.indicator, r.value, r.n, r.n_effective, r.ci_low, r.ci_high, r.flag])


@survey_cli.command("export")
@click.option("--wave", "year", type=int, required=True)
def export_command(year):
    """Write the year's current wave as CSV to standard output."""
    wave = services.current_wave(year)
    if wave is None:
        click.echo(f"Error: no wave for {year}", err=True)
        raise SystemExit(1)
    writer = csv.writer(sys.stdout)
    writer.writerow(EXPORT_COLUMNS)
    for r in services.results_of(wave):
        writer.writerow([r.municipality.code, r.municipality.name, r.indicator, r.value, r.n, r.n_effective,
                         r.ci_low, r.ci_high, r.flag])
