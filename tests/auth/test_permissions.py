import pytest
from flask import Flask

from labelapp.auth.permissions import access, public, rule_for_endpoint
from labelapp.auth.services import find_user


def undeclared_endpoints(app: Flask) -> list[str]:
    return sorted(
        {rule.endpoint for rule in app.url_map.iter_rules() if rule_for_endpoint(app, rule.endpoint) is None}
    )


def test_every_route_declares_an_access_rule(app):
    assert undeclared_endpoints(app) == []


def test_route_without_rule_is_found_and_refused(app):
    @app.route("/forgotten")
    def forgotten():
        return "secret"

    assert undeclared_endpoints(app) == ["forgotten"]
    assert app.test_client().get("/forgotten").status_code == 403


def test_route_with_rule_is_served(app):
    @app.route("/declared")
    @access(public)
    def declared():
        return "open"

    assert undeclared_endpoints(app) == []
    assert app.test_client().get("/declared").get_data(as_text=True) == "open"


# Expected status per role for GET pages; 302 for anonymous means "sent to log in".
PAGES = [
    ("/", 200, 200, 200, 200),
    ("/registry", 200, 200, 200, 200),
    ("/login", 200, 302, 302, 302),
    ("/password/forgot", 200, 200, 200, 200),
    ("/dashboard", 302, 200, 200, 200),
    ("/account", 302, 200, 200, 200),
    ("/account/ties", 302, 403, 200, 403),
    ("/admin/users/", 302, 403, 403, 200),
    ("/admin/users/invite", 302, 403, 403, 200),
    ("/admin/audit", 302, 403, 403, 200),
    ("/admin/outbox", 302, 403, 403, 200),
    ("/admin/criteria/", 302, 403, 403, 200),
    ("/assessments/", 302, 200, 403, 200),
    ("/assessments/start", 302, 302, 403, 403),  # staff are sent back to the list while no round is open
    ("/admin/surveys/", 302, 403, 403, 200),
    ("/admin/surveys/import", 302, 403, 403, 200),
    ("/admin/surveys/municipalities/0784", 302, 403, 403, 200),
    ("/survey", 302, 200, 403, 403),
    ("/applications/", 302, 200, 200, 200),
    ("/applications/decisions", 302, 403, 403, 200),
    ("/api/v1/labels", 200, 200, 200, 200),
    ("/api/v1/openapi.json", 200, 200, 200, 200),
    ("/registry/0784", 200, 200, 200, 200),
    ("/applications/calibration", 302, 403, 403, 200),
]
ROLES = [None, "staff", "assessor", "coordinator"]


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)), ids=[str(r) for r in ROLES])
@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
def test_page_access_by_role(client, login_as, page, role_index, role):
    login_as(role)
    response = client.get(page[0])
    assert response.status_code == page[1 + role_index]
    if role is None and response.status_code == 302 and page[0] != "/login":
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role,expected", [("staff", 403), ("assessor", 403), ("coordinator", 200)])
def test_user_edit_page_is_coordinator_only(app, client, login_as, users, role, expected):
    with app.app_context():
        target = find_user(users["staff"]).id
    login_as(role)
    assert client.get(f"/admin/users/{target}").status_code == expected
