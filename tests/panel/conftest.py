"""The panel tests' starting point: an application of Tallinn in review and four assessors."""

import pytest

from labelapp.applications.states import Action
from labelapp.auth.models import Role, TieKind
from labelapp.auth.services import find_user
from labelapp.auth.ties import add_tie
from labelapp.extensions import db
from labelapp.municipalities.lookup import by_code
from tests.support.factories import application_from, make_user


@pytest.fixture
def setup(app, users):
    """An application of Tallinn in review; four assessors, one living in Tallinn."""
    with app.test_request_context():
        application = application_from(find_user(users["staff"]),
                                       steps=(Action.SUBMIT, Action.START_SCREENING, Action.ACCEPT))
        assessors = [find_user(users["assessor"])] + [make_user(Role.ASSESSOR, commit=False) for _ in range(3)]
        add_tie(assessors[3], by_code("0784", "EE"), TieKind.LIVES_IN)
        db.session.commit()
        return {"application": application.id, "assessors": [a.email for a in assessors]}
