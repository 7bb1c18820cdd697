"""The registry caches its orderings per worker process; any change to labels or municipalities, by whoever
makes it, shows on the next request (the database's change marker moves)."""

import json

from sqlalchemy import select, text

from labelapp.extensions import db
from labelapp.labels.models import Label
from labelapp.registry.models import RegistryChange
from tests.support.queries import count_queries


def names_on(client, query: str = "") -> list[str]:
    data = json.loads(client.get(f"/api/v1/labels?per_page=100{query}").get_data(as_text=True))
    return [item["municipality"]["name"] for item in data["items"]]


def change_behind_the_app(app, statement: str) -> None:
    """As another worker process (or psql) would: a plain statement on its own connection."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text(statement))


def test_a_state_change_shows_at_once(app, client, labels):  # noqa: F811
    assert names_on(client, "&state=revoked") == ["Tartu linn"]
    with app.app_context():
        tallinn = db.session.scalar(select(Label.id).join(Label.municipality).where(text("municipality.code = '0784'")))
    change_behind_the_app(app, f"UPDATE label SET state = 'revoked' WHERE id = {tallinn}")
    assert sorted(names_on(client, "&state=revoked")) == ["Tallinn", "Tartu linn"]


def test_a_renamed_municipality_is_found_and_sorted_by_its_new_name(app, client, labels):  # noqa: F811
    before = names_on(client, "&sort=name")
    with app.app_context():
        label = db.session.scalar(select(Label).order_by(Label.id))
        old, municipality_id = label.municipality.name, label.municipality_id
    change_behind_the_app(app, f"UPDATE municipality SET name = 'Aaa linn' WHERE id = {municipality_id}")
    after = names_on(client, "&sort=name")
    assert old in before and old not in after and after[0] == "Aaa linn"
    assert names_on(client, "&q=Aaa") == ["Aaa linn"]


def test_the_marker_moves_with_every_change_and_warm_pages_cost_few_queries(app, client, labels):  # noqa: F811
    with app.app_context():
        start = db.session.scalar(select(RegistryChange.counter))
    client.get("/registry")
    with count_queries(app) as warm:
        client.get("/registry")
    assert len(warm) <= 3  # the marker (and, were the page not cached whole, its labels)
    change_behind_the_app(app, "UPDATE label SET level = level")
    with app.app_context():
        assert db.session.scalar(select(RegistryChange.counter)) > start


def test_anonymous_lists_are_served_whole_from_the_cache_and_others_are_not(app, client, users, login_as,
                                                                            labels):  # noqa: F811
    client.get("/registry")
    with count_queries(app) as cached:
        html = client.get("/registry").get_data(as_text=True)
    assert len(cached) == 1 and "Tallinn" in html  # only the change marker
    login_as("staff")
    html = client.get("/registry").get_data(as_text=True)
    assert 'action="/logout"' in html  # rendered for this user, not the anonymous copy
    with count_queries(app) as personal:
        client.get("/registry")
    assert len(personal) > 1
