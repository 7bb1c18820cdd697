"""The municipality page reads only what it shows: no score snapshot, one small JSON of verified scores."""

from labelapp.auth.services import find_user
from tests.support.factories import awarded_labels
from tests.support.queries import count_queries


def test_municipality_page_reads_no_snapshot_and_few_statements(app, client, users, labels):
    with count_queries(app) as few:
        html = client.get("/registry/0784").get_data(as_text=True)
    assert 'role="img"' in html  # the area chart is drawn from the verified scores
    with app.test_request_context():
        awarded_labels(["0141", "0198", "0245"], find_user(users["assessor"]), find_user(users["coordinator"]))
    with count_queries(app) as many:
        assert client.get("/registry/0784").status_code == 200
    assert len(many) == len(few) <= 12
    assert not [s for s in many if "snapshot" in s]
    assert not [s for s in many if "panel_decision.levels" in s]


def test_published_answers_are_read_from_the_revision_alone(app, client, users, labels):
    """The answers a municipality publishes come from the revision's answers column, in one statement: never
    its evidence or the live self-assessment."""
    from sqlalchemy import update

    from labelapp.applications.models import Application
    from labelapp.extensions import db
    from labelapp.municipalities.models import Municipality

    with count_queries(app) as hidden:
        assert client.get("/registry/0784?v=1").status_code == 200
    with app.app_context():
        place = db.session.scalar(db.select(Municipality.id).where(Municipality.code == "0784"))
        db.session.execute(update(Application).where(Application.municipality_id == place)
                           .values(publish_details=True))
        db.session.commit()
    with count_queries(app) as shown:
        html = client.get("/registry/0784?v=2").get_data(as_text=True)
    assert "About Engagement principles" in html
    assert len(shown) == len(hidden) + 1
    assert [s for s in shown if "application_revision" in s] and not [s for s in shown if "evidence" in s]
    assert not [s for s in shown if "assessment_answer" in s or "FROM assessment " in s]
