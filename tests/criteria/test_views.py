"""The coordinator's criteria page: versions from the database, files on disk read only when asked to."""

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
