import re

import pytest

from tests.support.factories import open_round
from tests.support.web import csrf_token


@pytest.fixture
def evidence_url(app, client, login_as):
    with app.test_request_context():
        open_round()
    login_as("staff")
    response = client.post("/assessments/start", data={"csrf_token": csrf_token(
        client.get("/assessments/start").get_data(as_text=True))})
    assessment_id = re.search(r"/assessments/(\d+)", response.headers["Location"]).group(1)
    return f"/assessments/{assessment_id}/criteria/strategy.principles/evidence"
