"""100 randomised races of two people saving the same assessment page: no update is ever lost."""

import random
import threading

import pytest
from sqlalchemy import select

from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import Answer, Assessment
from labelapp.auth.models import Role
from labelapp.extensions import db
from tests.concurrency.helpers import AreaForm, logged_in
from tests.support.factories import make_user, open_round
from tests.support.servers import GunicornServer

RACES = 100


@pytest.fixture
def shared_assessment(app):
    with app.app_context():
        round_ = open_round()
        first, second = make_user(Role.STAFF, "0784"), make_user(Role.STAFF, "0784")
        assessment = assessment_services.start(first.municipality, round_, first)
        db.session.commit()
        area = assessment_services.criteria_of(assessment).areas[0].id
        return first.email, second.email, assessment.id, f"/assessments/{assessment.id}/areas/{area}"


def saved(app, assessment_id: int) -> tuple[int, dict[str, tuple[int, str]]]:
    with app.app_context():
        version = db.session.scalar(select(Assessment.version).where(Assessment.id == assessment_id))
        answers = db.session.execute(select(Answer.criterion_id, Answer.level, Answer.comment)
                                     .where(Answer.assessment_id == assessment_id)).all()
        return version, {criterion: (level, comment) for criterion, level, comment in answers}


def as_saved(answers: dict[str, str]) -> dict[str, tuple[int, str]]:
    return {name.removeprefix("level-").replace("--", "."): (int(value), answers["comment-" + name[6:]])
            for name, value in answers.items() if name.startswith("level-")}


def test_two_people_saving_at_once_one_wins_the_other_is_told(app, database_url, instance_path, shared_assessment):
    first, second, assessment_id, url = shared_assessment
    server = GunicornServer(database_url, instance_path, workers=4).wait_ready()
    try:
        people = [logged_in(server.url, first), logged_in(server.url, second)]
        rng = random.Random(20261123)  # noqa: S311  (reproducible test data, not secrets)
        outcomes = []
        for race in range(RACES):
            version_before, _ = saved(app, assessment_id)
            forms = [AreaForm(person, server.url + url) for person in people]  # both read the same version
            answers = [form.random_answers(rng, f"race {race} person {n}") for n, form in enumerate(forms)]
            barrier, responses = threading.Barrier(2), [None, None]
            delays = [rng.random() * 0.01, rng.random() * 0.01]

            def send(n: int, forms=forms, answers=answers, barrier=barrier, responses=responses, delays=delays):
                barrier.wait()
                threading.Event().wait(delays[n])
                responses[n] = forms[n].post(answers[n])

            threads = [threading.Thread(target=send, args=(n,)) for n in (0, 1)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            statuses = sorted(r.status_code for r in responses)
            version_after, stored = saved(app, assessment_id)
            winner = next(n for n in (0, 1) if responses[n].status_code == 302) if 302 in statuses else None
            outcomes.append((statuses, version_after - version_before,
                             winner is not None and stored == as_saved(answers[winner])))
    finally:
        server.stop()
    # Every race: exactly one save (version + 1) holding exactly the winner's answers; the other got 409.
    assert [o for o in outcomes if o != ([302, 409], 1, True)] == []
