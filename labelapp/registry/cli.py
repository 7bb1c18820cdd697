"""flask labels verify-credential: a label credential checked as any verifier would — the proof offline, with
the issuer's DID document, then the Bitstring Status Lists it names."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from sqlalchemy import select

from labelapp.extensions import db
from labelapp.labels.cli import labels_cli
from labelapp.labels.models import Label
from labelapp.labels.states import LabelState
from labelapp.registry import issuer, proofs, statuslist

FETCH_TIMEOUT_SECONDS = 10


def _read_secured(text: str, resolve) -> dict:
    """The credential in a file, its proof checked: a VC-JWT or JSON with a Data Integrity proof."""
    text = text.strip()
    if text.startswith("eyJ"):
        return proofs.verify_jwt(text, resolve)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise proofs.ProofError(f"neither JSON nor a VC-JWT ({exc})") from exc
    if not isinstance(document, dict):
        raise proofs.ProofError("not a credential")
    return proofs.verify_proof(document, resolve)


def _status_list(url: str, given: dict[str, str], resolve) -> dict:
    if url in given:
        text = given[url]
    else:
        import requests  # only this command fetches over the network

        try:
            answer = requests.get(url, timeout=FETCH_TIMEOUT_SECONDS, headers={"Accept": "application/vc+ld+json"})
            answer.raise_for_status()
        except requests.RequestException as exc:
            raise proofs.ProofError(f"the status list {url} could not be fetched ({exc})") from exc
        text = answer.text
    document = _read_secured(text, resolve)
    if document.get("id") != url or "BitstringStatusListCredential" not in document.get("type", []):
        raise proofs.ProofError(f"{url} did not give its BitstringStatusListCredential")
    return document


def _describe(purpose: str, index: int, list_document: dict) -> str:
    """Words for a set bit: with the label's date when this registry issued the list."""
    label = None
    if list_document.get("issuer") == issuer.did():
        label = db.session.scalar(select(Label).where(Label.status_index == index))
    if label is None:
        return f"{'revoked' if purpose == 'revocation' else 'suspended'} " \
               f"(status list of {list_document.get('validFrom', 'unknown date')})"
    if label.state == LabelState.EXPIRED:
        return f"expired on {label.valid_until.isoformat()}"
    if label.state == LabelState.UNDER_REVIEW:
        return f"suspended (under review since {label.state_changed_at.date().isoformat()})"
    return f"{label.state.value} on {label.state_changed_at.date().isoformat()}"


def check_status(document: dict, given: dict[str, str], resolve) -> list[str]:
    """What the credential's status entries say is wrong with it (empty: nothing). Raises ProofError when a list
    cannot be had or is not genuine."""
    entries = document.get("credentialStatus") or []
    problems = []
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            raise proofs.ProofError("a credentialStatus entry is not a BitstringStatusListEntry")
        purpose, url = entry.get("statusPurpose"), entry.get("statusListCredential")
        listed = _status_list(str(url), given, resolve)
        subject = listed.get("credentialSubject") or {}
        if subject.get("statusPurpose") != purpose:
            raise proofs.ProofError(f"the status list {url} is not for {purpose}")
        try:
            index = int(entry.get("statusListIndex"))
            if statuslist.is_set(subject.get("encodedList", ""), index):
                problems.append(_describe(purpose, index, listed))
        except (TypeError, ValueError) as exc:
            raise proofs.ProofError(f"the status list {url} cannot be read ({exc})") from exc
    return problems


@labels_cli.command("verify-credential")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--status-list", "status_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A status list credential saved earlier (JSON or VC-JWT); otherwise each is fetched.")
@click.option("--did-document", "did_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The issuer's DID document (did.json); default: this instance's.")
@click.option("--public-key", "key_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Check with this Ed25519 public key (PEM) instead of a DID document.")
def verify_credential_command(file: Path, status_files: tuple[Path, ...], did_file: Path | None,
                              key_file: Path | None):
    """Check a label credential (JSON with a Data Integrity proof, or a VC-JWT): exit 0 if its proof holds, it is
    within its validity period and no status list marks it; 1 otherwise."""
    from cryptography.hazmat.primitives import serialization

    try:
        if key_file:
            resolve = issuer.single_key_resolver(serialization.load_pem_public_key(key_file.read_bytes()))
        else:
            did_document = json.loads(did_file.read_text(encoding="utf-8")) if did_file else issuer.did_document()
            resolve = issuer.resolver(did_document)
        document = _read_secured(file.read_text(encoding="utf-8"), resolve)
        click.echo("Signature valid.")
        given = {}
        for path in status_files:
            listed = _read_secured(path.read_text(encoding="utf-8"), resolve)
            given[listed.get("id")] = path.read_text(encoding="utf-8")
        problems = check_status(document, given, resolve)
    except (proofs.ProofError, UnicodeDecodeError, ValueError) as exc:
        click.echo(f"INVALID: {exc}", err=True)
        raise SystemExit(1) from exc
    until = document.get("validUntil")
    if until and until < dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"):
        problems.append(f"validity ended {until}")
    if problems:
        click.echo(f"NOT VALID: {'; '.join(problems)}.", err=True)
        raise SystemExit(1)
    click.echo("Status: valid (not revoked, not suspended).")
