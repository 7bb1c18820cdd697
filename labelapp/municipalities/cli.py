from pathlib import Path

import click
from flask.cli import AppGroup

from labelapp.extensions import db
from labelapp.municipalities import services

municipalities_cli = AppGroup("municipalities", help="Reference list of municipalities.")


@municipalities_cli.command("load")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(file: Path | None) -> None:
    """Load or update municipalities from FILE (default: the bundled Estonian list)."""
    try:
        result = services.load(file or services.DEFAULT_FILE)
    except services.MunicipalityFileError as exc:
        db.session.rollback()
        click.echo(f"Error: {exc.path}", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1) from exc
    db.session.commit()
    click.echo(
        f"Municipalities: {len(result.added)} added, {len(result.updated)} updated, "
        f"{result.unchanged} unchanged."
    )
