"""16 writers for 15 seconds against gunicorn with several workers on SQLite: no "database is locked"."""

import os
import random
import threading
import time

import pytest
from sqlalchemy import select

from labelapp.assessment import services as assessment_services
from labelapp.auth.models import Role
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from tests.concurrency.helpers import AreaForm, logged_in
from tests.support.factories import make_user, open_round
from tests.support.servers import GunicornServer

WRITERS = 16
SECONDS = float(os.environ.get("LABELAPP_WRITERS_SECONDS", "15"))


@pytest.fixture(scope="session", params=["sqlite"])
def backend(request):
    """SQLite is the backend with one writer at a time; PostgreSQL has row locks."""
    return request.param


@pytest.fixture
def writers(app):
    with app.app_context():
        round_ = open_round()
        codes = db.session.scalars(select(Municipality.code).order_by(Municipality.code).limit(WRITERS)).all()
        people = []
        for code in codes:
            user = make_user(Role.STAFF, code)
            assessment = assessment_services.start(user.municipality, round_, user)
            db.session.commit()
            area = assessment_services.criteria_of(assessment).areas[0].id
            people.append((user.email, f"/assessments/{assessment.id}/areas/{area}"))
        return people


def test_sixteen_writers_for_fifteen_seconds_never_see_a_locked_database(app, database_url, instance_path, writers,
                                                                       runner):
    server = GunicornServer(database_url, instance_path, workers=4).wait_ready()
    try:
        sessions = [(logged_in(server.url, email), server.url + url) for email, url in writers]
        results: list[tuple[int, str]] = []
        lock = threading.Lock()
        deadline = time.monotonic() + SECONDS

        def write(number: int) -> None:
            session, url = sessions[number]
            rng = random.Random(number)  # noqa: S311  (reproducible test data, not secrets)
            while time.monotonic() < deadline:
                form = AreaForm(session, url)
                response = form.post(form.random_answers(rng, f"writer {number}"))
                with lock:
                    results.append((response.status_code, response.text[:200] if response.status_code != 302 else ""))

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        log = server.output()
    finally:
        server.stop()
    failures = [r for r in results if r[0] != 302]
    print(f"{len(results)} saves by {WRITERS} writers in {SECONDS:.0f} s; failures: {len(failures)}")
    assert "database is locked" not in log
    assert failures == []
    assert len(results) >= WRITERS * 3  # every writer saved repeatedly
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output  # concurrent saves kept one unbroken audit chain
