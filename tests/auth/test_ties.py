from labelapp.auth.models import TieKind
from labelapp.auth.services import find_user
from labelapp.municipalities.lookup import by_code
from tests.support.web import submit


def municipality_id(app, code) -> str:
    with app.app_context():
        return str(by_code(code, "EE").id)


def test_assessor_records_and_removes_a_tie(app, client, login_as, users):
    login_as("assessor")
    response = submit(client, "/account/ties", {"municipality": municipality_id(app, "0793"), "kind": "lives_in",
                                                "note": "Home town"})
    assert response.status_code == 302
    with app.app_context():
        ties = find_user(users["assessor"]).ties
        assert [(t.municipality.code, t.kind, t.note) for t in ties] == [("0793", TieKind.LIVES_IN, "Home town")]
        tie_id = ties[0].id
    assert submit(client, f"/account/ties/{tie_id}/delete", form_page="/account/ties").status_code == 302
    with app.app_context():
        assert find_user(users["assessor"]).ties == []


def test_same_tie_twice_is_refused_on_the_field(app, client, login_as):
    login_as("assessor")
    data = {"municipality": municipality_id(app, "0793"), "kind": "advised"}
    submit(client, "/account/ties", data)
    response = submit(client, "/account/ties", data)
    assert response.status_code == 422
    assert 'id="municipality-error"' in response.get_data(as_text=True)


def test_assessor_cannot_remove_someone_elses_tie(app, client, login_as, users):
    from labelapp.auth.models import Role
    from tests.support.factories import make_user

    with app.app_context():
        from labelapp.auth.ties import add_tie
        from labelapp.extensions import db

        other = make_user(Role.ASSESSOR)
        tie = add_tie(other, by_code("0784", "EE"), TieKind.WORKS_FOR)
        db.session.commit()
        tie_id = tie.id
    login_as("assessor")
    assert submit(client, f"/account/ties/{tie_id}/delete", form_page="/account/ties").status_code == 404
