"""The applications list is paginated, filtered and sorted in SQL, with a constant number of statements."""

import pytest

from labelapp.auth.models import Role
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from tests.support.factories import application_from, make_user, open_round
from tests.support.queries import count_queries

CODES = ["0784", "0793", "0714", "0478", "0624"]  # Tallinn, Tartu linn, Saaremaa vald, Muhu vald, Pärnu linn


@pytest.fixture
def config_overrides():
    return {"APPLICATIONS_PAGE_SIZE": 2}


def make_applications(app, codes) -> None:
    with app.test_request_context():
        round_ = criteria_services.current_round() or open_round()
        for code in codes:
            application_from(make_user(Role.STAFF, code, commit=False), round_=round_)
        db.session.commit()


def statements_of(app, client, url) -> tuple[int, str]:
    with count_queries(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_the_list_is_paginated_with_statements_that_do_not_grow(app, client, login_as):
    make_applications(app, CODES[:3])
    login_as("coordinator")
    few, first = statements_of(app, client, "/applications/?sort=municipality")
    make_applications(app, CODES[3:])
    many, page_one = statements_of(app, client, "/applications/?sort=municipality")
    assert few == many
    assert page_one.count('href="/applications/') - page_one.count('href="/applications/?') >= 2
    assert "Muhu vald" in page_one and "Pärnu linn" in page_one  # by name: Muhu, Pärnu, Saaremaa, Tallinn, Tartu
    assert "Tallinn" not in page_one.split("<tbody>")[1].split("</tbody>")[0]
    _count, page_three = statements_of(app, client, "/applications/?sort=municipality&page=3")
    assert "Tartu linn" in page_three.split("<tbody>")[1]
    assert "Leitud 5 taotlust" in page_one or "5 applications found" in page_one
