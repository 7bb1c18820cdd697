"""flask labels verify-credential: the registry's credential checked offline, as a verifier would."""

import json
from pathlib import Path

import click
from cryptography.hazmat.primitives import serialization

from labelapp.labels.cli import labels_cli
from labelapp.registry import credentials


@labels_cli.command("verify-credential")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public-key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Issuer public key (PEM); default: this instance's key.")
def verify_credential_command(file: Path, key_file: Path | None):
    """Check a label credential offline: exit 0 if the signature holds and the label is valid, 1 otherwise."""
    key = serialization.load_pem_public_key(key_file.read_bytes()) if key_file else credentials.public_key()
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        click.echo(f"INVALID: {file} is not JSON ({exc})", err=True)
        raise SystemExit(1) from exc
    ok, status = credentials.verify(document, key)
    if not ok:
        click.echo(f"INVALID: {status}", err=True)
        raise SystemExit(1)
    click.echo(f"Signature valid. Label status when issued: {status}.")
    if status not in ("valid", "expiring"):
        raise SystemExit(1)
