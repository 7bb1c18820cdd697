"""The dashboard says what is next for each role, with deadlines and counts, and reads with a fixed number of
queries whatever the amount of data."""

import datetime as dt

from labelapp.applications.states import Action
from labelapp.auth.models import Role
from labelapp.auth.services import find_user
from labelapp.core.models import OutboxMessage, OutboxStatus
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.panel import assignment, clarification
from tests.support.factories import application_from, make_user, open_round
from tests.support.queries import count_queries

SCREENED = (Action.SUBMIT, Action.START_SCREENING)
MORE = [("0714", "0296"), ("0198", "0141"), ("0245", "0304")]


def in_review(staff, chair, second, round_=None):
    application = application_from(staff, steps=SCREENED, round_=round_)
    assignment.assign(application, [chair, second], chair, dt.date.today() + dt.timedelta(days=10))
    from labelapp.applications import services as applications
    applications.change_status(application, Action.ACCEPT)
    for member in application.panel:
        member.deadline = dt.date.today() - dt.timedelta(days=1)  # the review is overdue
    db.session.commit()
    return application


def test_staff_see_progress_status_question_and_next_step(app, client, login_as, users):
    with app.test_request_context():
        staff, assessor = find_user(users["staff"]), find_user(users["assessor"])
        application = in_review(staff, assessor, make_user(Role.ASSESSOR, commit=False))
        clarification.ask(application, assessor, "Palun lisage volikogu otsus.")
        db.session.commit()
        application_id = application.id
    login_as("staff")
    client.set_cookie("lang", "en")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "20 of 20 criteria answered" in html
    assert "Palun lisage volikogu otsus." in html and "waiting for your answer" in html
    assert "Next: you answer the panel" in html
    assert f'href="/applications/{application_id}"' in html


def test_staff_without_an_assessment_are_offered_the_start(app, client, login_as):
    with app.test_request_context():
        open_round()
    login_as("staff")
    client.set_cookie("lang", "en")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Not started." in html and 'href="/assessments/start"' in html


def test_assessor_sees_due_dates_and_the_chair_consolidations_waiting(app, client, login_as, users):
    with app.test_request_context():
        staff, assessor = find_user(users["staff"]), find_user(users["assessor"])
        second = make_user(Role.ASSESSOR, commit=False)
        application = in_review(staff, assessor, second)
        application_id, second_id = application.id, second.id
    login_as("assessor")
    client.set_cookie("lang", "en")
    html = client.get("/dashboard").get_data(as_text=True)
    assert f'href="/applications/{application_id}/review"' in html
    assert "overdue" in html and "not started" in html and "(you chair)" in html
    assert f'href="/applications/{application_id}/consolidate"' not in html
    with app.test_request_context():
        from labelapp.applications.models import Application
        from labelapp.assessment import services as assessment_services
        from labelapp.panel import reviews

        application = db.session.get(Application, application_id)
        assessor = find_user(users["assessor"])
        criteria = assessment_services.criteria_of(application.assessment)
        levels = dict.fromkeys((c.id for _a, c in criteria.criteria()), (2, ""))
        for member in (assessor, db.session.get(type(assessor), second_id)):
            reviews.save(application, member, levels, "award", "Hea", criteria, submit=True)
        db.session.commit()
    html = client.get("/dashboard").get_data(as_text=True)
    assert f'href="/applications/{application_id}/consolidate"' in html


def coordinator_queries(app, client, codes, users) -> tuple[int, str]:
    with app.test_request_context():
        round_ = criteria_services.current_round() or open_round()
        assessor = find_user(users["assessor"])
        for reviewed, submitted in codes:
            staff = make_user(Role.STAFF, reviewed, commit=False)
            in_review(staff, assessor, make_user(Role.ASSESSOR, commit=False), round_=round_)
            application_from(make_user(Role.STAFF, submitted, commit=False), steps=(Action.SUBMIT,), round_=round_)
            db.session.add(OutboxMessage(to_address="x@example.org", subject="S", body="B",
                                         status=OutboxStatus.FAILED))
        db.session.commit()
    with count_queries(app) as statements:
        html = client.get("/dashboard").get_data(as_text=True)
    return len(statements), html


def test_coordinator_work_queue_counts_each_stage_with_statements_that_do_not_grow(app, client, login_as, users):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    few, html = coordinator_queries(app, client, [("0784", "0793")], users)
    assert 'href="/applications/?status=submitted">Applications to screen</a></th><td>1</td>' in html
    assert '<a href="/admin/outbox?status=failed">E-mails that failed</a></th><td>1</td>' in html
    assert "Reviews overdue</a></th><td>2</td>" in html
    many, html = coordinator_queries(app, client, [(a, b) for a, b in MORE], users)
    assert "Applications to screen</a></th><td>4</td>" in html
    assert "Reviews overdue</a></th><td>8</td>" in html
    assert few == many


def test_a_staged_survey_import_is_counted_and_linked_to_its_preview(app, client, login_as):
    import io

    from labelapp.surveys import services as survey_services

    with app.test_request_context():
        staged = survey_services.stage_upload(io.BytesIO(b"ehak_code,value\n0784,0.7\n"), "laine.csv")
    login_as("coordinator")
    client.set_cookie("lang", "en")
    html = client.get("/dashboard").get_data(as_text=True)
    assert (f'<a href="/admin/surveys/import/{staged.token}">Survey imports staged, not finished</a></th>'
            f'<td>1</td>') in html


def test_work_queue_stages_list_their_applications(app, client, login_as, users):
    """Each count of the coordinator's queue opens the applications at that stage, not a general list."""
    login_as("coordinator")
    client.set_cookie("lang", "en")
    with app.test_request_context():
        overdue = in_review(make_user(Role.STAFF, "0784", commit=False), find_user(users["assessor"]),
                            make_user(Role.ASSESSOR, commit=False))
        name = overdue.municipality.name
    html = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/work/reviews-overdue"' in html  # a stage with work links to its list
    listed = client.get("/work/reviews-overdue").get_data(as_text=True)
    assert "<h1>Reviews overdue</h1>" in listed and name in listed and "1 application" in listed
    for stage in ("panels-to-form", "consolidations"):
        page = client.get(f"/work/{stage}").get_data(as_text=True)
        assert name not in page and "Nothing is waiting at this stage." in page
    assert client.get("/work/nowhere").status_code == 404
