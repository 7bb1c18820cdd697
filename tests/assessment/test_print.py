"""The printable self-assessment (for the municipal council): every criterion's level, comment and evidence."""

import re

from labelapp.auth.services import find_user
from tests.support.factories import filled_assessment, open_round
from tests.support.web import login


def test_printable_view_lists_every_criterion_with_level_comment_and_evidence(app, client, users):
    with app.test_request_context():
        assessment = filled_assessment(find_user(users["staff"]), open_round("2025.1"), level=2)
        assessment_id = assessment.id
        from labelapp.assessment import services

        criteria = services.criteria_of(assessment)
        titles = [c.title.get("et") for _a, c in criteria.criteria()]
    login(client, users["staff"])
    assert f'href="/assessments/{assessment_id}/print"' in client.get(f"/assessments/{assessment_id}/review") \
        .get_data(as_text=True)
    assert f'href="/assessments/{assessment_id}/print"' in client.get(f"/assessments/{assessment_id}") \
        .get_data(as_text=True)
    response = client.get(f"/assessments/{assessment_id}/print")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(re.findall(r"<h3>", html)) == len(titles) == 20
    assert all(title in html for title in titles)
    assert "About Engagement principles" in html and "https://example.org/proof" in html
    assert '<form method="post"' not in html.split("<main")[1]  # a page to read, nothing to change


def test_printable_view_is_private_to_the_municipality_and_the_coordinator(app, client, users):
    with app.test_request_context():
        assessment_id = filled_assessment(find_user(users["staff"]), open_round("2025.1")).id
    login(client, users["other_staff"])
    assert client.get(f"/assessments/{assessment_id}/print").status_code == 404


def test_print_stylesheet_hides_the_menus_and_keeps_each_criterion_together(app, client):
    with client.get("/static/css/app.css") as response:
        css = response.get_data(as_text=True)
    print_rules = css[css.index("@media print"):]
    assert ".site-header" in print_rules and ".print-criterion { break-inside: avoid; }" in print_rules
