"""Secrets at rest: TOTP secrets encrypted with the instance's key, tokens stored only as hashes
(issue #15, finding 14; the outbox part is in tests/core/test_outbox_secrets.py)."""

import hashlib
import os
import re
import stat

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from labelapp import create_app
from labelapp.auth import second_factor
from labelapp.auth.models import AuthToken, User
from labelapp.core import keys
from labelapp.core.models import OutboxMessage
from labelapp.extensions import db
from tests.conftest import base_config
from tests.support.web import login, submit


def test_totp_secret_is_stored_encrypted_with_the_instance_key(app, users, instance_path):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == users["coordinator"]))
        stored, secret = user.totp_secret, second_factor.secret_of(user)
    assert stored.startswith(keys.SEALED_PREFIX) and secret not in stored
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    key_file = instance_path / keys.SECRETS_KEY_FILE
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert Fernet(key_file.read_bytes()).decrypt(stored.encode()).decode() == secret
    with pytest.raises(InvalidToken):
        Fernet(Fernet.generate_key()).decrypt(stored.encode())


def test_second_factor_login_works_with_the_encrypted_secret(client, users):
    assert login(client, users["assessor"]).status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_reset_and_invitation_tokens_are_stored_only_as_hashes(app, client, login_as):
    login_as("coordinator")
    submit(client, "/admin/users/invite", {"email": "new.person@example.org", "name": "New Person",
                                           "role": "assessor", "municipality": ""})
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body))
        raw = re.search(r"/invitation/([A-Za-z0-9_-]+)", body).group(1)
        stored = db.session.execute(select(AuthToken.__table__)).all()
    assert [row.token_hash for row in stored] == [hashlib.sha256(raw.encode()).hexdigest()]
    assert all(raw not in str(value) for row in stored for value in row)


USERS = sa.table("user_account", sa.column("id", sa.Integer), sa.column("email", sa.String),
                 sa.column("name", sa.String), sa.column("role", sa.String), sa.column("active", sa.Boolean),
                 sa.column("session_version", sa.Integer), sa.column("created_at", sa.DateTime),
                 sa.column("totp_secret", sa.String))


def test_migration_encrypts_the_secrets_already_stored_and_its_downgrade_decrypts_them(fresh_url, tmp_path):
    app = create_app(base_config(fresh_url, tmp_path / "instance"))
    plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with app.app_context():
        upgrade(revision="0015")
        db.session.execute(sa.insert(USERS).values(
            id=1, email="old@example.org", name="Old", role="coordinator", active=True, session_version=1,
            created_at=sa.func.now(), totp_secret=plain))
        db.session.commit()
        upgrade()
        stored = db.session.scalar(select(User.totp_secret))
        assert stored.startswith(keys.SEALED_PREFIX) and keys.unseal(stored) == plain
        assert second_factor.secret_of(db.session.get(User, 1)) == plain
        db.session.commit()
        downgrade(revision="0015")
        assert db.session.scalar(sa.select(USERS.c.totp_secret)) == plain
        db.session.commit()
        db.engine.dispose()
