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
