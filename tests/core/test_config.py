import os
import stat

import pytest

from labelapp import create_app
from labelapp.config import ConfigError


def test_first_run_writes_a_random_secret_key_into_the_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("LABELAPP_INSTANCE_PATH", str(tmp_path))
    first = create_app()
    key_file = tmp_path / "secret_key"
    assert first.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert create_app().config["SECRET_KEY"] == first.config["SECRET_KEY"]
    other = tmp_path / "other"
    monkeypatch.setenv("LABELAPP_INSTANCE_PATH", str(other))
    assert create_app().config["SECRET_KEY"] != first.config["SECRET_KEY"]


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text('SMTP_HOST = "from-file"\nMAIL_FROM = "file@example.org"\n')
    monkeypatch.setenv("LABELAPP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SMTP_HOST", "from-env")
    monkeypatch.setenv("SMTP_PORT", "2525")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db.example.org/labelapp")
    app = create_app()
    assert app.config["SMTP_HOST"] == "from-env"
    assert app.config["SMTP_PORT"] == 2525
    assert app.config["MAIL_FROM"] == "file@example.org"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example.org/labelapp"


def test_default_database_is_sqlite_in_instance_with_wal_and_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LABELAPP_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'labelapp.sqlite3'}"
    from sqlalchemy import text

    from labelapp.extensions import db

    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 15000
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


PRODUCTION = {"LABELAPP_ENV": "production", "SECRET_KEY": "k", "PUBLIC_BASE_URL": "https://label.example.ee"}


def test_production_sets_secure_cookies(tmp_path):
    app = create_app({**PRODUCTION, "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_refuses_debug(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError):
        create_app({**PRODUCTION, "INSTANCE_PATH": str(tmp_path)})


@pytest.mark.parametrize("base", [None, "", "http://label.example.ee", "label.example.ee", "https://"])
def test_production_refuses_to_start_without_an_https_public_base_url(tmp_path, base):
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        create_app({**PRODUCTION, "PUBLIC_BASE_URL": base, "INSTANCE_PATH": str(tmp_path)})


def test_production_trusts_only_the_public_host_by_default(tmp_path):
    app = create_app({**PRODUCTION, "PUBLIC_BASE_URL": "https://label.example.ee/", "INSTANCE_PATH": str(tmp_path)})
    assert (app.config["PUBLIC_BASE_URL"], app.config["TRUSTED_HOSTS"]) == \
        ("https://label.example.ee", ["label.example.ee"])


def test_development_defaults_to_a_local_address_and_local_hosts(tmp_path, monkeypatch):
    for variable in ("PUBLIC_BASE_URL", "TRUSTED_HOSTS", "PROXY_FIX_X_FOR", "LABELAPP_ENV"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LABELAPP_INSTANCE_PATH", str(tmp_path))
    app = create_app()
    assert (app.config["PUBLIC_BASE_URL"], app.config["TRUSTED_HOSTS"], app.config["PROXY_FIX_X_FOR"]) == \
        ("http://127.0.0.1:5000", ["127.0.0.1", "localhost"], 0)


def test_trusted_hosts_and_proxy_hops_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LABELAPP_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://label.example.ee")
    monkeypatch.setenv("TRUSTED_HOSTS", "label.example.ee, www.label.example.ee")
    monkeypatch.setenv("PROXY_FIX_X_FOR", "1")
    app = create_app()
    assert (app.config["TRUSTED_HOSTS"], app.config["PROXY_FIX_X_FOR"]) == \
        (["label.example.ee", "www.label.example.ee"], 1)


def test_demo_seed_is_refused_in_production(app, runner):
    app.config["LABELAPP_ENV"] = "production"
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 1
    assert "Refused" in result.output


def test_demo_seed_is_idempotent_and_prints_logins(app, runner):
    first = runner.invoke(args=["demo", "seed"])
    second = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == second.exit_code == 0
    assert "7 new accounts" in first.output and "0 new accounts" in second.output
    for email in ("koordinaator@demo.kaasav.ee", "hindaja1@demo.kaasav.ee", "tallinn@demo.kaasav.ee"):
        assert email in second.output
    assert "demo-parool-2026" in second.output


def test_demo_registry_has_labels_in_every_state_across_two_cycles(app, runner):
    from sqlalchemy import select

    from labelapp.extensions import db
    from labelapp.labels.models import Label, LabelState

    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        labels = db.session.scalars(select(Label)).all()
        assert {label.state for label in labels} == set(LabelState)
        renewed = [label for label in labels if label.previous_label_id is not None]
        assert len(renewed) == 1 and renewed[0].state == LabelState.VALID
