"""Calibration is summed by the database: the page's figures equal those computed from every review in Python,
with the same few statements at any number of decided applications."""

import datetime as dt
import random
from collections import defaultdict
from statistics import mean

import pytest
from sqlalchemy import select

from labelapp.applications import services as applications
from labelapp.applications.models import Application
from labelapp.applications.states import Action
from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import Answer
from labelapp.auth.models import Role, User
from labelapp.extensions import db
from labelapp.panel import analytics, assignment, reviews
from labelapp.panel.calibration import krippendorff_alpha
from labelapp.panel.models import PanelDecision, Review
from tests.support.factories import filled_assessment, make_user, open_round
from tests.support.queries import count_queries

CODES = ["0141", "0198", "0245", "0296", "0304", "0321"]


def decided(code: str, round_, assessors: list[User], rng: random.Random) -> None:
    """An application whose three assessors and panel give levels drawn from ``rng``."""
    staff = make_user(Role.STAFF, code, commit=False)
    assessment = filled_assessment(staff, round_, level=rng.randint(1, 3))
    assessment_services.submit(assessment, staff)
    application = applications.create(assessment, staff)
    applications.change_status(application, Action.SUBMIT)
    applications.change_status(application, Action.START_SCREENING)
    assignment.assign(application, assessors, assessors[0], dt.date.today() + dt.timedelta(days=30))
    applications.change_status(application, Action.ACCEPT)
    criteria = assessment_services.criteria_of(assessment)
    ids = [criterion.id for _area, criterion in criteria.criteria()]
    for member in assessors:
        reviews.save(application, member, {cid: (rng.randint(0, 3), "") for cid in ids}, "award", "Seen",
                     criteria, submit=True)
    reviews.consolidate(application, assessors[0], {cid: (rng.randint(0, 3), "Discussed.") for cid in ids},
                        "award", "The panel agrees.", criteria)
    db.session.commit()


def expected() -> analytics.Calibration:
    """The figures from every review, decision and answer, computed in Python."""
    decisions = {d.application_id: d for d in db.session.scalars(select(PanelDecision).order_by(PanelDecision.id))}
    panel = {(aid, cid): v["level"] for aid, d in decisions.items() for cid, v in d.levels.items()}
    applications_ = {a.id: a for a in db.session.scalars(select(Application).where(Application.id.in_(decisions)))}
    by_assessor, units, by_place = defaultdict(list), defaultdict(lambda: defaultdict(list)), defaultdict(list)
    for review in db.session.scalars(select(Review).where(Review.submitted_at.is_not(None))):
        for cid, value in review.levels.items():
            if value["level"] is not None and (review.application_id, cid) in panel:
                by_assessor[review.user.name].append(value["level"] - panel[(review.application_id, cid)])
                round_ = applications_[review.application_id].assessment.round
                units[(round_.id, round_.title)][(review.application_id, cid)].append(value["level"])
    for application in applications_.values():
        for answer in db.session.scalars(select(Answer).where(Answer.assessment_id == application.assessment_id)):
            if answer.level is not None and (application.id, answer.criterion_id) in panel:
                by_place[application.municipality.name].append(answer.level - panel[(application.id,
                                                                                      answer.criterion_id)])
    per_round = defaultdict(int)
    for application in applications_.values():
        per_round[(application.assessment.round.id, application.assessment.round.title)] += 1
    offsets = {name: analytics.Offset(name, round(mean(d), 2), len(d)) for name, d in by_assessor.items()}
    places = {name: analytics.Offset(name, round(mean(d), 2), len(d)) for name, d in by_place.items()}
    return analytics.Calibration(
        assessors=[offsets[name] for name in sorted(offsets)],
        rounds=[analytics.RoundAgreement(title, round(krippendorff_alpha(list(units[(rid, title)].values())), 3),
                                         per_round[(rid, title)]) for rid, title in sorted(per_round)],
        municipalities=sorted(places.values(), key=lambda o: (-o.mean, o.label)))


@pytest.fixture
def panel_world(app, users):
    with app.test_request_context():
        assessors = [make_user(Role.ASSESSOR, commit=False) for _ in range(3)]
        db.session.commit()
        return {"round": open_round(title="Calibration round").id, "assessors": [a.id for a in assessors]}


def decide_more(app, panel_world, codes, seed):
    from labelapp.criteria.models import Round

    rng = random.Random(seed)  # noqa: S311  # reproducible test levels, nothing secret
    with app.test_request_context():
        round_ = db.session.get(Round, panel_world["round"])
        assessors = [db.session.get(User, i) for i in panel_world["assessors"]]
        for code in codes:
            decided(code, round_, assessors, rng)


def test_calibration_summed_in_sql_equals_the_figures_from_every_review(app, panel_world):
    decide_more(app, panel_world, CODES, seed=19)
    with app.test_request_context():
        found = analytics.calibration()
        assert found == expected()
        assert len(found.assessors) == 3 and found.rounds[0].applications == len(CODES)
        assert found.rounds[0].alpha is not None


def test_calibration_page_statements_are_few_and_do_not_grow(app, client, login_as, panel_world):
    decide_more(app, panel_world, CODES[:2], seed=1)
    login_as("coordinator")
    with count_queries(app) as few:
        assert client.get("/applications/calibration").status_code == 200
    decide_more(app, panel_world, CODES[2:], seed=2)
    with count_queries(app) as many:
        html = client.get("/applications/calibration").get_data(as_text=True)
    assert len(many) == len(few) <= 12
    assert "Calibration round" in html
