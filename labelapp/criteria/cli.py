from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import inspect

from labelapp.core.errors import DomainError
from labelapp.criteria import services
from labelapp.criteria.diff import diff
from labelapp.criteria.loader import CriteriaFileError, discover, read
from labelapp.extensions import db

criteria_cli = AppGroup("criteria", help="Versioned criteria files.")


def _echo_problems(path: Path, problems: list[tuple[str, str]]) -> None:
    click.echo(f"FAIL {path}", err=True)
    for where, what in problems:
        click.echo(f"  {where}: {what}", err=True)


@criteria_cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check criteria files (default: every file in the criteria folder); exit 1 on any problem."""
    files = list(paths) or discover(services.criteria_dir())
    if not files:
        click.echo(f"No criteria files in {services.criteria_dir()}", err=True)
        raise SystemExit(1)
    # Validation works before the database exists; the published-content check needs it.
    check_published = inspect(db.engine).has_table("criteria_version")
    if not check_published:
        click.echo("note: database not migrated yet; not checking files against published versions", err=True)
    failed = 0
    for path in files:
        try:
            loaded = read(path)
        except CriteriaFileError as exc:
            _echo_problems(path, exc.problems)
            failed += 1
            continue
        problem = check_published and services.integrity_problem(path, loaded.sha256, loaded.data.framework,
                                                                 loaded.data.version)
        if problem:
            _echo_problems(path, [("(content)", problem)])
            failed += 1
            continue
        data = loaded.data
        click.echo(f"OK   {path} ({data.framework} {data.version}: {len(data.areas)} areas, "
                   f"{len(data.criteria())} criteria)")
    if failed:
        raise SystemExit(1)


@criteria_cli.command("list")
def list_command() -> None:
    """Every criteria version with its status."""
    for info in services.list_versions():
        flag = " MODIFIED AFTER PUBLISHING" if info.modified else (" INVALID" if info.problems else "")
        where = info.path or "(file missing)"
        click.echo(f"{info.framework:<24} {info.version:<10} {info.status.value:<10} "
                   f"{info.criteria_count:>3} criteria  {where}{flag}")


def _resolve(spec: str) -> Path:
    path = Path(spec)
    if path.is_file():
        return path
    matches = [p for p in discover(services.criteria_dir()) if p.stem == spec or f"{p.parent.name}/{p.stem}" == spec]
    if len(matches) != 1:
        raise click.BadParameter(f"{spec!r} is neither a file nor one version in {services.criteria_dir()}")
    return matches[0]


@criteria_cli.command("diff")
@click.argument("old")
@click.argument("new")
def diff_command(old: str, new: str) -> None:
    """What changed from OLD to NEW (file paths, or versions such as 2025.1)."""
    try:
        before, after = read(_resolve(old)), read(_resolve(new))
    except CriteriaFileError as exc:
        _echo_problems(exc.path, exc.problems)
        raise SystemExit(1) from exc
    sections = diff(before.data, after.data)
    titles = {"added": "Added criteria", "removed": "Removed criteria", "changed": "Changed criteria",
              "areas": "Changed areas", "rules": "Changed award rules"}
    click.echo(f"{before.data.framework}: {before.data.version} → {after.data.version}")
    for key, title in titles.items():
        click.echo(f"\n{title} ({len(sections[key])}):")
        for line in sections[key] or ["(none)"]:
            click.echo(f"  {line}")


@criteria_cli.command("publish")
@click.argument("framework")
@click.argument("version")
def publish_command(framework: str, version: str) -> None:
    """Publish FRAMEWORK VERSION: its content can never change afterwards."""
    try:
        stored = services.publish(framework, version)
    except CriteriaFileError as exc:
        db.session.rollback()
        _echo_problems(exc.path, exc.problems)
        raise SystemExit(1) from exc
    except DomainError as exc:
        db.session.rollback()
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(1) from exc
    db.session.commit()
    click.echo(f"Published {stored.framework} {stored.version} (sha256 {stored.content_hash}).")
