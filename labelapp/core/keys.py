"""Keys kept in the instance folder, outside the database: what someone with only database access does not have.

Each is created (0600) on first use. Backups copy them with the evidence files (see ``backup.KEPT``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from blinker import Namespace
from flask import current_app

if TYPE_CHECKING:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

# Signs label credentials and the audit log's anchors.
SIGNING_KEY_FILE = "credential_ed25519.pem"
# The public halves of signing keys that were rotated out, oldest first (PEM blocks one after another): what
# they signed still verifies, and nothing can sign with them any more (their private halves are destroyed).
RETIRED_KEYS_FILE = "credential_ed25519.retired.pem"
# Keys the audit log's hash chain (HMAC-SHA256), so that a hash recomputed without it does not verify.
CHAIN_KEY_FILE = "audit-chain.key"
# Encrypts secrets the app must read back (TOTP shared secrets), so that a database copy or backup of the
# database alone does not hold them in the clear.
SECRETS_KEY_FILE = "secrets.fernet.key"
END_PUBLIC = "-----END PUBLIC KEY-----"
# Sent after a rotation, in the command's transaction: whatever keeps signed answers (the registry's caches)
# must drop them.
signing_key_rotated = Namespace().signal("signing-key-rotated")
# A Fernet token begins with its version byte 0x80, base64-encoded.
SEALED_PREFIX = "gAAAAA"


_loaded_keys: dict[Path, tuple[tuple, Ed25519PrivateKey]] = {}


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
    """The instance's Ed25519 key, read again only when its file was replaced (``flask keys rotate``, which may
    run in another process)."""
    from cryptography.hazmat.primitives import serialization  # cryptography only where keys are used
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = _path(SIGNING_KEY_FILE)
    if not path.exists():
        _create_once(path, Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    stat = path.stat()
    stamp = (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)
    loaded = _loaded_keys.get(path)
    if loaded is None or loaded[0] != stamp:
        loaded = (stamp, serialization.load_pem_private_key(path.read_bytes(), password=None))
        _loaded_keys[path] = loaded
    return loaded[1]


def retired_public_keys() -> list[Ed25519PublicKey]:
    """The public keys of earlier signing keys, oldest first."""
    from cryptography.hazmat.primitives import serialization

    path = _path(RETIRED_KEYS_FILE)
    if not path.exists():
        return []
    text = path.read_text(encoding="ascii")
    blocks = [block + END_PUBLIC for block in text.split(END_PUBLIC) if block.strip()]
    return [serialization.load_pem_public_key(block.strip().encode("ascii")) for block in blocks]


def rotate_signing_key() -> tuple[Ed25519PublicKey, Ed25519PublicKey]:
    """Make a new signing key current; the old one's public half joins the retired keys. (old, new) public keys.

    The retired list is appended before the new key replaces the old one (atomically), so a crash in between
    leaves the old key current and listed twice, never a key that signed something and is listed nowhere."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    old = signing_key().public_key()
    retired = _path(RETIRED_KEYS_FILE)
    known = {_raw(key) for key in retired_public_keys()}
    if _raw(old) not in known:
        fd = os.open(retired, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        with os.fdopen(fd, "ab") as handle:
            handle.write(old.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
            handle.flush()
            os.fsync(handle.fileno())
    new = Ed25519PrivateKey.generate()
    partial = _path(f".{SIGNING_KEY_FILE}.{secrets.token_hex(4)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(new.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, _path(SIGNING_KEY_FILE))
    return old, new.public_key()


def _raw(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def chain_key() -> bytes:
    """The secret that keys the audit log's hash chain (32 random bytes, stored as hex)."""
    path = _path(CHAIN_KEY_FILE)
    _create_once(path, secrets.token_hex(32).encode())
    return bytes.fromhex(path.read_text().strip())


def secrets_key() -> Fernet:
    """The instance's Fernet key (AES-128-CBC with HMAC-SHA256) for secrets kept in the database."""
    from cryptography.fernet import Fernet

    path = _path(SECRETS_KEY_FILE)
    _create_once(path, Fernet.generate_key())
    return Fernet(path.read_bytes().strip())


def seal(plain: str) -> str:
    """Encrypt ``plain`` with the instance's secrets key (a different text each time)."""
    return secrets_key().encrypt(plain.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """Decrypt what ``seal`` made; raises cryptography's InvalidToken for anything else or another key."""
    return secrets_key().decrypt(sealed.encode("ascii")).decode()
