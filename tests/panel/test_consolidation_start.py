"""The chair starts from the panel's median level per criterion, and sees each assessor's recommendation and
general comment."""

import re

import pytest

from labelapp.panel.reviews import lower_median
from tests.support.panel import form_panel, review_data
from tests.support.web import login


@pytest.mark.parametrize("levels,median", [([], None), ([2], 2), ([1, 3], 1), ([3, 1, 2], 2), ([0, 3, 3, 1], 1),
                                           ([2, 2, 3, 3], 2)])
def test_lower_median(levels, median):
    assert lower_median(levels) == median


def test_consolidation_starts_from_the_lower_median_and_shows_each_recommendation(app, client, login_as, setup):
    login_as("coordinator")
    a, b, c = setup["assessors"][:3]
    form_panel(app, client, setup, [a, b], a)
    url = f"/applications/{setup['application']}/review"
    for email, level, comment in ((a, "3", "Tugev praktika"), (b, "1", "Nõrk tagasiside")):
        assessor = app.test_client()
        login(assessor, email)
        assessor.set_cookie("lang", "en")
        data = review_data(assessor, url, level, "note", "submit")
        data["comment"] = comment
        data["recommendation"] = "award" if level == "3" else "decline"
        assert assessor.post(url, data=data).status_code == 302
    page = assessor.get(f"/applications/{setup['application']}/consolidate")
    assert page.status_code == 403  # b is not the chair
    chair = app.test_client()
    login(chair, a)
    chair.set_cookie("lang", "en")
    html = chair.get(f"/applications/{setup['application']}/consolidate").get_data(as_text=True)
    checked = re.findall(r'<input[^>]*checked[^>]*name="(level-[^"]+)"[^>]*value="(\d)"|'
                         r'<option selected value="(\d)"', html)
    selects = re.findall(r'<select[^>]*name="(level-[^"]+)"[^>]*>(.*?)</select>', html, re.S)
    assert selects or checked
    for _name, options in selects:
        assert re.search(r'<option selected value="1">', options), options[:300]  # lower of 1 and 3
    assert "Tugev praktika" in html and "Nõrk tagasiside" in html
    assert "Award the label" in html and "Decline" in html
