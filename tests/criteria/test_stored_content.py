"""A published version's content lives in the database: a file changed or deleted on disk afterwards changes no
page, score or export, breaks none, and no page shows where the service keeps its files."""

import pytest

from labelapp.auth.models import Role
from labelapp.auth.services import find_user
from labelapp.criteria import services
from labelapp.extensions import db
from tests.support.factories import awarded_labels, make_user
from tests.support.web import login

PUBLISHED_FILE = ("kaasav-omavalitsus", "2025.1.yaml")
AREA_TITLE = "Kaasamise strateegiline juhtimine"


def change_on_disk(criteria_dir, how: str) -> None:
    path = criteria_dir.joinpath(*PUBLISHED_FILE)
    if how == "deleted":
        path.unlink()
    elif how == "broken":
        path.write_text("areas: [\n", encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8").replace(AREA_TITLE, "Muudetud pealkiri"), encoding="utf-8")


@pytest.fixture
def labelled(app, users):
    """Tallinn (0784) holds a label under the published 2025.1; returns its assessment's id."""
    with app.test_request_context():
        (label,) = awarded_labels(["0784"], make_user(Role.ASSESSOR), find_user(users["coordinator"]))
        return label.application.assessment_id


@pytest.mark.parametrize("how", ["modified", "deleted", "broken"])
def test_pages_use_the_published_content_after_its_file_changed(app, client, users, labelled, criteria_dir,
                                                                 instance_path, how):
    change_on_disk(criteria_dir, how)
    pages = {None: ["/registry/0784"],
             "staff": [f"/assessments/{labelled}", f"/assessments/{labelled}/areas/strategy",
                       f"/assessments/{labelled}/what-if"],
             "coordinator": ["/admin/criteria/", "/admin/criteria/files", f"/assessments/{labelled}",
                             f"/assessments/{labelled}/what-if"]}
    seen = {}
    for who, urls in pages.items():
        visitor = app.test_client()
        if who:
            login(visitor, users[who])
        for url in urls:
            response = visitor.get(url)
            html = response.get_data(as_text=True)
            seen[(who, url)] = (response.status_code, str(criteria_dir.parent) in html, str(instance_path) in html,
                                ".yaml" in html)
            if url.startswith(("/registry", "/assessments")):
                assert AREA_TITLE in html and "Muudetud pealkiri" not in html, url
    assert seen == {key: (200, False, False, False) for key in seen}


def test_load_uses_the_stored_content_not_the_changed_file(app, labelled, criteria_dir):
    change_on_disk(criteria_dir, "modified")
    services._parsed.clear()
    with app.app_context():
        stored = services.published("kaasav-omavalitsus", "2025.1")
        assert services.load(stored).area("strategy").title.et == AREA_TITLE


def test_scores_under_a_published_version_do_not_follow_its_file(app, users, labelled, criteria_dir):
    from labelapp.assessment import services as assessment_services
    from labelapp.assessment.models import Assessment
    from labelapp.criteria import scoring

    path = criteria_dir.joinpath(*PUBLISHED_FILE)
    with app.app_context():
        assessment = db.session.get(Assessment, labelled)
        answers = {cid: a.level for cid, a in assessment_services.answers_of(assessment).items()}
        before = scoring.evaluate(assessment_services.criteria_of(assessment), answers, None)
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 20", "weight: 90", 1), encoding="utf-8")
    with app.app_context():
        assessment = db.session.get(Assessment, labelled)
        after = scoring.evaluate(assessment_services.criteria_of(assessment), answers, None)
    assert after == before


def test_what_if_uses_the_stored_content_of_a_newer_published_version(app, users, labelled, criteria_dir):
    from labelapp.assessment import whatif
    from labelapp.assessment.models import Assessment

    with app.test_request_context():
        services.publish("kaasav-omavalitsus", "2026.1")
        db.session.commit()
    newer = criteria_dir / "kaasav-omavalitsus" / "2026.1.yaml"
    newer.write_text(newer.read_text(encoding="utf-8").replace(AREA_TITLE, "Muudetud pealkiri"), encoding="utf-8")
    with app.test_request_context():
        _base, scenarios = whatif.scenarios(db.session.get(Assessment, labelled))
        assert [(s.label, s.status, s.criteria.area("strategy").title.et) for s in scenarios] == \
            [("2026.1", "published", AREA_TITLE)]
