from sqlalchemy import select

from labelapp.auth.models import Role
from labelapp.auth.services import find_user
from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from labelapp.municipalities.lookup import by_code
from tests.support.web import login, submit


def user_id(app, email) -> int:
    with app.app_context():
        return find_user(email).id


def test_coordinator_moves_staff_to_another_municipality(app, client, login_as, users):
    login_as("coordinator")
    with app.app_context():
        tartu = str(by_code("0793", "EE").id)
    response = submit(client, f"/admin/users/{user_id(app, users['staff'])}",
                      {"name": "Moved", "role": "staff", "municipality": tartu, "active": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert find_user(users["staff"]).municipality.code == "0793"


def test_role_change_ends_the_users_sessions(app, client, login_as, users):
    staff_client = app.test_client()
    login(staff_client, users["staff"])
    login_as("coordinator")
    submit(client, f"/admin/users/{user_id(app, users['staff'])}",
           {"name": "Now assessor", "role": "assessor", "municipality": "", "active": "y"})
    assert staff_client.get("/dashboard").status_code == 302


def test_assessor_with_municipality_is_refused_on_the_field(app, client, login_as, users):
    login_as("coordinator")
    with app.app_context():
        tartu = str(by_code("0793", "EE").id)
    response = submit(client, f"/admin/users/{user_id(app, users['assessor'])}",
                      {"name": "A", "role": "assessor", "municipality": tartu, "active": "y"})
    assert response.status_code == 422
    assert 'id="municipality-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert find_user(users["assessor"]).municipality is None


def test_coordinator_cannot_demote_themself(app, client, login_as, users):
    login_as("coordinator")
    response = submit(client, f"/admin/users/{user_id(app, users['coordinator'])}",
                      {"name": "Me", "role": "assessor", "municipality": "", "active": "y"})
    assert response.status_code == 422
    with app.app_context():
        assert find_user(users["coordinator"]).role == Role.COORDINATOR


def test_extra_form_fields_change_nothing(app, client, login_as, users):
    login_as("staff")
    submit(client, "/account", {"current": "x", "password": "y", "confirm": "y", "role": "coordinator",
                                "municipality_id": "1"})
    with app.app_context():
        staff = find_user(users["staff"])
        assert (staff.role, staff.municipality.code) == (Role.STAFF, "0784")


def test_users_list_filters_by_role(client, login_as, users):
    login_as("coordinator")
    html = client.get("/admin/users/?role=assessor").get_data(as_text=True)
    assert users["assessor"] in html and users["staff"] not in html


def test_users_list_query_count_is_constant(app, client, login_as):
    from tests.support.factories import make_user
    from tests.support.queries import count_queries

    login_as("coordinator")
    with count_queries(app) as few:
        client.get("/admin/users/")
    with app.app_context():
        for code in ("0141", "0198", "0245", "0296", "0304"):
            make_user(Role.STAFF, code)
    with count_queries(app) as many:
        client.get("/admin/users/")
    assert len(many) == len(few)


def test_cli_creates_staff_with_dropped_leading_zero(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "Mari@Muhu.ee", "--role", "staff",
                                 "--municipality", "478", "--password", "a long muhu passphrase"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        mari = find_user("mari@muhu.ee")
        assert (mari.role, mari.municipality.name) == (Role.STAFF, "Muhu vald")
        assert db.session.scalar(select(AuditEntry.actor_label).where(AuditEntry.action == "user.create")) \
            .startswith("cli:")


def test_cli_refuses_staff_without_municipality_and_unknown_code(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "a@b.ee", "--role", "staff", "--password",
                                 "a long enough one"])
    assert result.exit_code == 1
    assert "must belong to a municipality" in result.output or "peab kuuluma" in result.output
    result = runner.invoke(args=["users", "create", "--email", "a@b.ee", "--role", "staff",
                                 "--municipality", "9999", "--password", "a long enough one"])
    assert result.exit_code == 2
    assert "no municipality with code '9999'" in result.output
    with app.app_context():
        assert find_user("a@b.ee") is None


def test_cli_invite_prints_the_mail_without_smtp(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "new@hindajad.ee", "--role", "assessor", "--invite"])
    assert result.exit_code == 0, result.output
    assert "invitation sent" in result.output
