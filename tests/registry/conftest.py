"""Labels of four municipalities made through real applications; Tartu's is revoked."""

import pytest

from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.labels import lifecycle
from tests.support.factories import awarded_labels

CODES = ["0784", "0793", "0714", "0478"]  # Tallinn, Tartu linn, Saaremaa vald, Muhu vald


@pytest.fixture
def labels(app, users):
    with app.test_request_context():
        made = awarded_labels(CODES, find_user(users["assessor"]), find_user(users["coordinator"]))
        lifecycle.revoke(made[1], "Principles were repealed by the council.")  # Tartu linn
        db.session.commit()
        return {label.municipality.code: label.public_id for label in made}
