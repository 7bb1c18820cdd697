from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import AppGroup
from sqlalchemy import inspect

from labelapp.core.errors import DomainError
from labelapp.criteria import services
from labelapp.criteria.diff import diff
from labelapp.criteria.loader import CriteriaFileError, discover, read
from labelapp.extensions import db

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile

criteria_cli = AppGroup("criteria", help="Versioned criteria files.")


def _echo_problems(path: Path, problems: list[tuple[str, str]]) -> None:
    click.echo(f"FAIL {path}", err=True)
    for where, what in problems:
        click.echo(f"  {where}: {what}", err=True)


def _database_ready() -> bool:
    # Validation and diff work before the database exists; comparing with published versions needs it.
    return inspect(db.engine).has_table("criteria_version")


def _warn_published(stored, state: services.FileState, path: Path | str) -> None:
    if state == services.FileState.MODIFIED:
        what = f"its file {path} differs from the content published"
    else:
        what = f"its file {path} is missing"
    click.echo(f"WARN {stored.label} is published and {what}; the service uses the published content. "
               "Restore the file, or save the change under a new version number and publish that.", err=True)


@criteria_cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check criteria files (default: every file in the criteria folder); exit 1 if a draft file has problems.
    A published version's file that differs from what was published, or is missing, is a warning."""
    files = list(paths) or discover(services.criteria_dir())
    if not files:
        click.echo(f"No criteria files in {services.criteria_dir()}", err=True)
        raise SystemExit(1)
    check_published = _database_ready()
    if not check_published:
        click.echo("note: database not migrated yet; not checking files against published versions", err=True)
    failed = 0
    for path in files:
        stored = services.published(path.parent.name, path.stem) if check_published else None
        if stored is not None:
            state = services.file_state(stored, path)
            if state == services.FileState.UNCHANGED:
                click.echo(f"OK   {path} ({stored.label}: published, unchanged)")
            else:
                _warn_published(stored, state, path)
            continue
        try:
            loaded = read(path)
        except CriteriaFileError as exc:
            _echo_problems(path, exc.problems)
            failed += 1
            continue
        data = loaded.data
        click.echo(f"OK   {path} ({data.framework} {data.version}: {len(data.areas)} areas, "
                   f"{len(data.criteria())} criteria)")
    if check_published and not paths:
        for info in services.list_versions(compare_files=True):
            if info.file_state == services.FileState.MISSING:
                _warn_published(info.stored, info.file_state, services.criteria_dir() / info.stored.file_path)
    if failed:
        raise SystemExit(1)


FILE_FLAGS = {services.FileState.MODIFIED: "  WARNING: file modified since publication (the published content is used)",
              services.FileState.MISSING: "  WARNING: file missing (the published content is used)"}


@criteria_cli.command("list")
def list_command() -> None:
    """Every criteria version with its status; published versions' files are compared with what was published."""
    for info in services.list_versions(read_drafts=True, compare_files=True):
        flag = FILE_FLAGS.get(info.file_state) or (" INVALID" if info.problems else "")
        where = info.path or "(file missing)"
        click.echo(f"{info.framework:<24} {info.version:<10} {info.status.value:<10} "
                   f"{info.criteria_count:>3} criteria  {where}{flag}")


def _resolve(spec: str, check_published: bool) -> tuple[CriteriaFile, str]:
    """The content ``spec`` names (a file, or a version such as 2025.1 or kaasav-omavalitsus/2025.1) and where it
    came from: a published version's stored content (warning if its file differs), else the file."""
    path: Path | None = Path(spec)
    if path.is_file():
        key = (path.parent.name, path.stem)
    else:
        known = {(p.parent.name, p.stem): p for p in discover(services.criteria_dir())}
        if check_published:
            for info in services.list_versions():
                known.setdefault((info.framework, info.version), None)
        matches = [key for key in known if spec in (key[1], f"{key[0]}/{key[1]}")]
        if len(matches) != 1:
            raise click.BadParameter(f"{spec!r} is neither a file nor one version in {services.criteria_dir()}")
        key, path = matches[0], known[matches[0]]
    stored = services.published(*key) if check_published else None
    if stored is None:
        return read(path).data, "file"
    state = services.file_state(stored, path)
    if state != services.FileState.UNCHANGED:
        _warn_published(stored, state, path or services.criteria_dir() / stored.file_path)
    return services.load(stored), "published"


@criteria_cli.command("diff")
@click.argument("old")
@click.argument("new")
def diff_command(old: str, new: str) -> None:
    """What changed from OLD to NEW (file paths, or versions such as 2025.1). A published version is compared
    as it was published, with a warning if its file on disk differs."""
    check_published = _database_ready()
    try:
        (before, before_source), (after, after_source) = _resolve(old, check_published), _resolve(new,
                                                                                                  check_published)
    except CriteriaFileError as exc:
        _echo_problems(exc.path, exc.problems)
        raise SystemExit(1) from exc
    sections = diff(before, after)
    titles = {"added": "Added criteria", "removed": "Removed criteria", "changed": "Changed criteria",
              "areas": "Changed areas", "rules": "Changed award rules"}
    click.echo(f"{before.framework}: {before.version} ({before_source}) → {after.version} ({after_source})")
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
