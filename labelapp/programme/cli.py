import click
from flask.cli import AppGroup

from labelapp.programme import loader

programme_cli = AppGroup("programme", help="The programme file: results as data.")


@programme_cli.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=loader.Path))
def validate_command(path) -> None:
    """Check the programme file (default: programme.yaml in the criteria folder) against every criteria version;
    exit 1 on any problem, naming its place in the file."""
    path = path or loader.programme_path()
    try:
        checked = loader.load_checked(path)
    except loader.ProgrammeFileError as exc:
        click.echo(f"FAIL {exc.path}", err=True)
        for where, what in exc.problems:
            click.echo(f"  {where}: {what}", err=True)
        raise SystemExit(1) from exc
    for warning in checked.warnings:
        click.echo(f"WARN {warning}", err=True)
    click.echo(f"OK   {path} ({len(checked.data.indicators)} indicators, years "
               f"{checked.data.years[0]}–{checked.data.years[-1]})")
