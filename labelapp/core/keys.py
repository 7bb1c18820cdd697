"""Keys kept in the instance folder, outside the database: what someone with only database access does not have.

Each is created (0600) on first use. Backups copy them with the evidence files (see ``backup.KEPT``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app

# Signs label credentials and the audit log's anchors.
SIGNING_KEY_FILE = "credential_ed25519.pem"
# Keys the audit log's hash chain (HMAC-SHA256), so that a hash recomputed without it does not verify.
CHAIN_KEY_FILE = "audit-chain.key"
# Encrypts secrets the app must read back (TOTP shared secrets), so that a database copy or backup of the
# database alone does not hold them in the clear.
SECRETS_KEY_FILE = "secrets.fernet.key"
# A Fernet token begins with its version byte 0x80, base64-encoded.
SEALED_PREFIX = "gAAAAA"


def _path(name: str) -> Path:
    return Path(current_app.instance_path) / name


def _create_once(path: Path, content: bytes) -> None:
    """Write ``content`` to a new file readable only by its owner; a concurrent first use keeps one winner."""
    if path.exists():
        return
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    try:
        os.link(partial, path)  # fails if another process created it first; never a half-written key
    except FileExistsError:
        pass
    finally:
        partial.unlink()


def signing_key() -> Ed25519PrivateKey:
    """The instance's Ed25519 key."""
    path = _path(SIGNING_KEY_FILE)
    _create_once(path, Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def chain_key() -> bytes:
    """The secret that keys the audit log's hash chain (32 random bytes, stored as hex)."""
    path = _path(CHAIN_KEY_FILE)
    _create_once(path, secrets.token_hex(32).encode())
    return bytes.fromhex(path.read_text().strip())


def secrets_key() -> Fernet:
    """The instance's Fernet key (AES-128-CBC with HMAC-SHA256) for secrets kept in the database."""
    path = _path(SECRETS_KEY_FILE)
    _create_once(path, Fernet.generate_key())
    return Fernet(path.read_bytes().strip())


def seal(plain: str) -> str:
    """Encrypt ``plain`` with the instance's secrets key (a different text each time)."""
    return secrets_key().encrypt(plain.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """Decrypt what ``seal`` made; raises cryptography's InvalidToken for anything else or another key."""
    return secrets_key().decrypt(sealed.encode("ascii")).decode()
