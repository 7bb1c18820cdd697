"""The registry's search ignores accents and case, and every order and filter is served by an index."""

import datetime as dt
import re

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql

from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.labels.models import Label, LabelState
from labelapp.registry import queries
from tests.support.factories import awarded_labels


def names_on(client, query: str) -> list[str]:
    html = client.get(f"/registry?{query}").get_data(as_text=True)
    return re.findall(r'<a href="/registry/\d+">([^<]+)</a>', html.split("<tbody>")[1]) if "<tbody>" in html else []


def test_search_ignores_accents_and_case(app, client, users, labels):
    with app.test_request_context():
        awarded_labels(["0624"], find_user(users["assessor"]), find_user(users["coordinator"]))  # Pärnu linn
    assert names_on(client, "q=parnu") == ["Pärnu linn"]
    assert names_on(client, "q=P%C3%84RNU") == ["Pärnu linn"]
    assert names_on(client, "q=SAAREMAA") == ["Saaremaa vald"]
    assert names_on(client, "q=%25") == []  # a wildcard is searched for as itself


def test_sort_keys_follow_the_state_and_the_name(app, client, labels):
    # Tartu's label is revoked (conftest): the status order puts current holders first.
    assert names_on(client, "")[-1] == "Tartu linn"
    with app.app_context():
        ranks = dict(db.session.execute(select(Label.sort_name, Label.state_rank)).all())
    assert ranks == {"Tallinn": 0, "Saaremaa vald": 0, "Muhu vald": 0, "Tartu linn": 3}


PAGES = [queries.Filters(sort=sort) for sort in queries.SORTS] + [
    queries.Filters(state="revoked"), queries.Filters(county="Saare maakond"), queries.Filters(q="parnu"),
    queries.Filters(year="2026"), queries.Filters(level="basic")]


@pytest.mark.postgres_only
@pytest.mark.parametrize("filters", PAGES, ids=lambda f: "&".join(f"{k}={v}" for k, v in vars(f).items() if v))
def test_each_registry_order_and_filter_is_an_index_scan_postgresql(app, labels, filters):
    """With sequential scans priced out, the plan of a page reads the label table through an index; without a
    filter the page is the first rows of its order's own index, with no sort at all (migration 0025), and a
    filter is answered by its own index (then the few rows found are sorted)."""
    with app.app_context():
        statement = queries._filtered(select(Label.id), filters).limit(25)
        sql = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(text(f"EXPLAIN {sql}")))
        db.session.rollback()
    assert re.search(r"Index (Only )?Scan( Backward)? using ix_label_\w+ on label|Bitmap Index Scan on ix_label",
                     plan), plan
    if not any(v for k, v in vars(filters).items() if k != "sort"):  # an order alone: read from its own index
        assert re.search(rf"Index (Only )?Scan using ix_label_registry_{filters.sort} on label", plan), plan
        assert "Sort" not in plan, plan
    if filters.county:
        assert "ix_municipality_region" in plan, plan


@pytest.mark.postgres_only
@pytest.mark.parametrize("state", queries.STATE_ENDS, ids=lambda state: state.value)
def test_the_feeds_revocations_and_expiries_are_read_from_their_index_with_no_sort_postgresql(app, labels, state):
    """Each state's newest changes are the first rows of ix_label_state_changes (0026): not every revoked or
    expired label read and sorted, which is most of the table once cycles have expired."""
    with app.app_context():
        statement = queries.state_ends_statement(state, 50)
        sql = str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(text(f"EXPLAIN {sql}")))
        db.session.rollback()
    assert re.search(r"Index Scan using ix_label_state_changes on label", plan), plan
    assert "Sort" not in plan, plan


def test_the_feed_lists_the_newest_revocations_and_expiries_of_both_states_together(app, labels):
    """Read per state, merged: the same labels, in the same order, as one query over both states sorted."""
    with app.app_context():
        found = {label.sort_name: label for label in db.session.scalars(select(Label))}
        now = dt.datetime.now(dt.UTC)
        for name, state, days in (("Tallinn", LabelState.EXPIRED, -1), ("Saaremaa vald", LabelState.EXPIRED, -3),
                                  ("Muhu vald", LabelState.REVOKED, -2), ("Tartu linn", LabelState.REVOKED, -4)):
            found[name].state, found[name].state_changed_at = state, now + dt.timedelta(days=days)
        db.session.commit()
        merged = [label.id for label in queries.latest_state_ends(3)]
        expected = db.session.scalars(select(Label.id).where(Label.state.in_(queries.STATE_ENDS))
                                      .order_by(Label.state_changed_at.desc(), Label.id.desc()).limit(3)).all()
    assert merged == expected == [found[name].id for name in ("Tallinn", "Muhu vald", "Saaremaa vald")]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("filters", [queries.Filters(state="valid", year="2026"),
                                     queries.Filters(state="revoked", year="2026", county="Saare maakond",
                                                     sort="name"),
                                     queries.Filters(state="valid", q="parnu", sort="awarded")],
                         ids=lambda f: "&".join(f"{k}={v}" for k, v in vars(f).items() if v))
def test_a_status_filter_is_a_range_of_its_index_and_counted_from_it_sqlite(app, labels, filters):
    """A filter by status (with a year, county or search) reads the range of ix_label_registry_filter (0027)
    rather than every label of the county or the search's municipalities, and its count reads the index alone."""
    with app.app_context():
        page = queries._filtered(select(Label.id), filters).limit(25)
        count = select(db.func.count()).select_from(queries._filtered(select(Label.id), filters).order_by(None)
                                                    .subquery())
        plans = []
        for statement in (page, count):
            sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
            plans.append("\n".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))))
    assert "SEARCH label USING INDEX ix_label_registry_filter (state_rank=? AND state=?" in plans[0], plans[0]
    assert "SEARCH label USING COVERING INDEX ix_label_registry_filter (state_rank=? AND state=?" in plans[1], plans[1]
