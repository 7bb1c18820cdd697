"""The coordinator's criteria page: versions from the database, files on disk read only when asked to."""

import re

from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from tests.support.web import submit

MODIFIED = "The file on disk has been changed since publication."
MISSING = "The file is no longer on disk."


def break_draft(criteria_dir):
    path = criteria_dir / "kaasav-omavalitsus" / "2026.1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 20", "weight: -20", 1), encoding="utf-8")


def test_page_reads_no_file_until_the_coordinator_checks_them(runner, client, login_as, criteria_dir):
    runner.invoke(args=["criteria", "publish", "kaasav-omavalitsus", "2025.1"])
    published_file = criteria_dir / "kaasav-omavalitsus" / "2025.1.yaml"
    published_file.write_text(published_file.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    break_draft(criteria_dir)
    login_as("coordinator")
    client.get("/language/en")
    listed = client.get("/admin/criteria/").get_data(as_text=True)
    assert "Inclusive municipality label criteria 2025" in listed and "2026.1" in listed
    assert "Not checked yet." in listed and "Check files on disk" in listed
    assert MODIFIED not in listed and "areas[0].weight" not in listed
    checked = client.get("/admin/criteria/files").get_data(as_text=True)
    assert MODIFIED in checked and "areas[0].weight" in checked and "Not checked yet." not in checked
    published_file.unlink()
    assert MISSING in client.get("/admin/criteria/files").get_data(as_text=True)


def test_unchanged_published_file_is_reported_as_matching(runner, client, login_as):
    runner.invoke(args=["criteria", "publish", "kaasav-omavalitsus", "2025.1"])
    login_as("coordinator")
    client.get("/language/en")
    assert "The file on disk matches the published content." in client.get("/admin/criteria/files").get_data(
        as_text=True)


def test_refused_publication_names_the_problems_but_no_server_path(client, login_as, criteria_dir, instance_path):
    break_draft(criteria_dir)
    login_as("coordinator")
    response = submit(client, "/admin/criteria/publish", {"framework": "kaasav-omavalitsus", "version": "2026.1"},
                      form_page="/admin/criteria/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "areas[0].weight" in html
    assert (str(criteria_dir.parent) in html, str(instance_path) in html, ".yaml" in html) == (False, False, False)


def test_publishing_a_missing_file_is_refused_without_a_server_path(client, login_as, criteria_dir):
    login_as("coordinator")
    response = submit(client, "/admin/criteria/publish", {"framework": "kaasav-omavalitsus", "version": "2099.1"},
                      form_page="/admin/criteria/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "2099.1" in html and str(criteria_dir.parent) not in html


def outside_copy(criteria_dir, tmp_path):
    """A criteria file outside the criteria folder, reached from it by ../ (framework ../outside/crit)."""
    target = tmp_path / "outside" / "crit"
    target.mkdir(parents=True)
    text = (criteria_dir / "kaasav-omavalitsus" / "2026.1.yaml").read_text(encoding="utf-8")
    (target / "2026.1.yaml").write_text(text.replace("weight: 20", "weight: -20", 1), encoding="utf-8")
    return "../outside/crit"


def test_publishing_a_path_outside_the_criteria_folder_opens_nothing(app, client, login_as, criteria_dir, tmp_path):
    framework = outside_copy(criteria_dir, tmp_path)
    login_as("coordinator")
    client.set_cookie("lang", "en")
    response = submit(client, "/admin/criteria/publish", {"framework": framework, "version": "2026.1"},
                      form_page="/admin/criteria/", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Choose a criteria version from the list" in html
    assert ("areas[0].weight" in html, str(tmp_path) in html, "outside" in html) == (False, False, False)


def test_publishing_only_finds_files_listed_in_the_criteria_folder(app, criteria_dir, tmp_path):
    from labelapp.criteria import services

    outside_copy(criteria_dir, tmp_path)
    with app.app_context():
        for framework, version in [("../outside/crit", "2026.1"), ("kaasav-omavalitsus", "../2026.1"),
                                   ("kaasav-omavalitsus/../kaasav-omavalitsus", "2026.1"), ("x" * 10**6, "1")]:
            try:
                services.find_file(framework, version)
            except services.CriteriaError as exc:
                assert "There is no criteria file" in str(exc) and str(tmp_path) not in str(exc)
            else:
                raise AssertionError(f"{framework[:50]} {version} was found")


def test_a_megabyte_framework_value_is_refused_without_an_error_page(client, login_as):
    login_as("coordinator")
    client.set_cookie("lang", "en")
    response = submit(client, "/admin/criteria/publish", {"framework": "x" * 10**6, "version": "2026.1"},
                      form_page="/admin/criteria/", follow_redirects=True)
    assert response.status_code == 200
    assert "Choose a criteria version from the list" in response.get_data(as_text=True)


def test_date_fields_are_text_with_the_format_their_hint_names(app, client, login_as):
    with app.test_request_context():
        criteria_services.publish("kaasav-omavalitsus", "2025.1")
        db.session.commit()
    login_as("coordinator")
    html = client.get("/admin/criteria/").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="round-closes_on"[^>]*>', html).group(0)
    assert 'type="text"' in field and 'pattern="\\d{4}-\\d{2}-\\d{2}"' in field
    assert 'aria-describedby="round-closes_on-hint"' in field
    assert '<p class="hint" id="round-closes_on-hint">Kuupäev kujul AAAA-KK-PP.</p>' in html
    version = re.search(r'<select[^>]*id="round-criteria_version"[^>]*><option value="(\d+)"', html).group(1)
    refused = submit(client, "/admin/criteria/rounds", {"round-criteria_version": version, "round-title": "Round",
                                                         "round-closes_on": "31.05.2030"},
                     form_page="/admin/criteria/")
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Kirjutage kuupäev kujul AAAA-KK-PP, näiteks 2026-05-31." in body, body[body.find("error-summary"):][:800]
