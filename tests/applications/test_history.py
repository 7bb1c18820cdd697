"""The application's history speaks in words, never in event codes."""

from labelapp.auth.services import find_user
from tests.support.factories import recommended_application
from tests.support.web import login


def test_history_uses_words(app, client, users):
    with app.test_request_context():
        application_id = recommended_application(find_user(users["staff"]), find_user(users["assessor"])).id
    login(client, users["coordinator"])
    history = client.get(f"/applications/{application_id}").get_data(as_text=True).split('<h2>Ajalugu</h2>')[-1]
    for code in ("application.create", "application.submit", "panel.assign", "application.recommend"):
        assert code not in history
    for words in ("Taotlus koostati", "Taotlus esitati", "Hindamiskomisjon moodustati või seda muudeti",
                  "Hindamiskomisjon andis oma soovituse"):
        assert words in history
