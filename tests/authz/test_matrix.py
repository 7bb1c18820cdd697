"""The authorisation matrix (tests/authz/matrix.txt) holds for every URL rule, method and kind of user.

Each actor gets a fresh world (tests/authz/world.py) and makes every request in the file: all GETs first (which
must not change a single row), then every POST with a valid CSRF token, an otherwise empty form and fields that a
form must never take from the request (status, score, role, municipality_id, ...). Outcomes: ``ok`` (answered:
a page, a redirect, a validation error or a refused state change), ``login`` (sent to the login page), ``403``
(refused) and ``404`` (the object's existence is not disclosed).

Routes changed? Run ``LABELAPP_WRITE_AUTHZ_MATRIX=1 pytest tests/authz -k sqlite`` to write what the app does
into the file, then read the diff line by line before committing it: the file is the specification.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from labelapp import create_app
from labelapp.auth.models import User
from labelapp.extensions import db
from tests.authz.world import ACTORS, LAST, build
from tests.support.web import csrf_token, login

MATRIX = Path(__file__).with_name("matrix.txt")
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
MISSING = {name: 999_999 for name in ("assessment_id", "evidence_id", "application_id", "label_id", "version_id",
                                      "round_id", "wave_id", "user_id", "tie_id", "point_id", "action_id",
                                      "profile_id")} | {
    "public_id": "no-such-label", "token": "0" * 32, "code": "9999", "area_id": "nowhere", "criterion_id": "no.such"}
WRITE = os.environ.get("LABELAPP_WRITE_AUTHZ_MATRIX") == "1"


# What each actor may know exists (beyond public things); a 403 about anything else would disclose it.
APPLICATION = {"application_id", "action"}
KNOWS = {
    "staff_a": APPLICATION | {"assessment_id", "evidence_id", "area_id", "criterion_id", "code", "point_id",
                              "action_id"},
    "assessor": APPLICATION, "chair": APPLICATION, "conflicted": {"tie_id"},
    "coordinator": set(MISSING) | {"action", "filename"},
}


def read_matrix() -> dict[tuple[str, str], dict[str, str]]:
    rows = {}
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rule, method, *outcomes = line.split()
        assert len(outcomes) == len(ACTORS), f"{MATRIX.name}: {line!r} needs one outcome per actor: {ACTORS}"
        rows[(rule, method)] = dict(zip(ACTORS, outcomes, strict=True))
    return rows


def app_routes(app) -> set[tuple[str, str]]:
    return {(rule.rule, method) for rule in app.url_map.iter_rules() for method in rule.methods - SKIPPED_METHODS}


def test_every_route_and_method_is_in_the_matrix():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    routes, listed = app_routes(app), set(read_matrix())
    assert sorted(routes - listed) == [], f"routes missing from {MATRIX}"
    assert sorted(listed - routes) == [], f"{MATRIX} lists routes the app does not have"


def outcome(response) -> str:
    if response.status_code in (301, 302, 303) and urlsplit(response.location).path == "/login":
        return "login"
    if response.status_code in (401, 403, 404, 405):
        return str(response.status_code)
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    return "ok"


def snapshot() -> dict[str, list]:
    """Every row of every table, in a stable order."""
    return {table.name: sorted(map(repr, db.session.execute(table.select()).all()))
            for table in db.metadata.sorted_tables}


def who_belongs_where() -> list:
    return db.session.execute(select(User.email, User.role, User.municipality_id, User.active)
                              .order_by(User.email)).all()


@pytest.mark.parametrize("actor", ACTORS)
def test_authorisation_matrix(app, client, actor):
    world = build(app)
    matrix = read_matrix()
    if actor != "anonymous":
        assert login(client, world.emails[actor]).status_code == 302
    token = csrf_token(client.get("/login" if actor == "anonymous" else "/dashboard").get_data(as_text=True))
    with app.app_context():
        before, people = snapshot(), who_belongs_where()
        other_municipality = db.session.scalar(select(User.municipality_id).where(
            User.email == world.emails["staff_b"]))
    forbidden_fields = {"status": "awarded", "score": "100", "role": "coordinator", "active": "y",
                        "municipality_id": str(other_municipality), "is_chair": "y", "user_id": "1"}

    order = sorted(app_routes(app), key=lambda key: (key[1] != "GET", key in LAST, key))
    observed: dict[tuple[str, str], str] = {}
    checked_gets = False
    leaks: list[str] = []
    knows = KNOWS.get(actor, set())
    for rule, method in order:
        if method != "GET" and not checked_gets:
            with app.app_context():
                assert snapshot() == before, "a GET request changed the database"
            checked_gets = True
        url = world.url(rule)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.open(url, method=method, data={"csrf_token": token, **forbidden_fields})
        observed[(rule, method)] = outcome(response)
        response.close()
        if observed[(rule, method)] == "403" and not set(re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", rule)) <= knows:
            # A refusal must not tell an object that exists from one that does not (else: 404 for both).
            missing = client.open(world.url(rule, **MISSING), method=method,
                                  data={"csrf_token": token} if method != "GET" else None)
            leaks.extend([f"{method} {rule}: 403 for a real object, {missing.status_code} for a missing one"]
                         if outcome(missing) != "403" else [])
            missing.close()

    with app.app_context():
        assert who_belongs_where() == people, "a request changed a role, a municipality or an account's state"
    assert leaks == []
    if WRITE:
        write_column(actor, observed)
        return
    expected = {key: row[actor] for key, row in matrix.items()}
    wrong = [f"{method} {rule}: expected {expected.get((rule, method), 'a row in the matrix')}, got {got}"
             for (rule, method), got in sorted(observed.items()) if expected.get((rule, method)) != got]
    assert wrong == [], f"{actor}:\n" + "\n".join(wrong)


def write_column(actor: str, observed: dict[tuple[str, str], str]) -> None:
    """Maintainers' helper (LABELAPP_WRITE_AUTHZ_MATRIX=1): put this actor's observed outcomes into the file."""
    rows = read_matrix() if MATRIX.exists() and MATRIX.read_text().strip() else {}
    for key, got in observed.items():
        rows.setdefault(key, dict.fromkeys(ACTORS, "?"))[actor] = got
    header = [line for line in MATRIX.read_text(encoding="utf-8").splitlines() if line.startswith("#")] \
        if MATRIX.exists() else []
    width = max(len(rule) for rule, _ in rows) + 2
    lines = header + [f"{rule:<{width}}{method:<6}" + " ".join(f"{rows[(rule, method)][a]:<11}" for a in ACTORS)
                      .rstrip() for rule, method in sorted(rows)]
    MATRIX.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("actor", ["anonymous", "coordinator"])
def test_every_unsafe_request_without_a_csrf_token_is_refused(app, client, actor):
    world = build(app)
    if actor != "anonymous":
        login(client, world.emails[actor])
    with app.app_context():
        before = snapshot()
    unsafe = sorted(key for key in app_routes(app) if key[1] not in ("GET", "HEAD", "OPTIONS"))
    statuses = {f"{method} {rule}": client.open(world.url(rule), method=method, data={"status": "x"}).status_code
                for rule, method in unsafe}
    assert len(statuses) > 40
    assert {key: status for key, status in statuses.items() if status != 400} == {}
    with app.app_context():
        after = snapshot()
    # Nothing changed, not even the audit log: refusals go to the security log, which anyone may not fill.
    assert after == before
