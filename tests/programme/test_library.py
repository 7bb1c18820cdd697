"""The library of good practice: consent per criterion verified at the top level, public files only when chosen,
withdrawal hides the example at once (audited), and the self-assessment links each criterion to its examples."""

from __future__ import annotations

from sqlalchemy import select

from labelapp.assessment.models import Evidence, EvidenceKind
from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from labelapp.programme.models import GoodExample
from tests.programme.conftest import THIS
from tests.support.queries import count_queries
from tests.support.web import csrf_token as token_in
from tests.support.web import login

MAPPING = "communities.mapping"


def csrf_token(client, url: str) -> str:
    return token_in(client.get(url).get_data(as_text=True))


def _file_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Evidence.id).where(Evidence.kind == EvidenceKind.FILE,
                                                           Evidence.criterion_id == MAPPING))


def _publish(client, criterion: str, files: list[int] = ()):
    token = csrf_token(client, "/my/examples")
    prefix = f"c-{criterion.replace('.', '-')}"
    return client.post(f"/my/examples/{criterion}/publish",
                       data={f"{prefix}-csrf_token": token, f"{prefix}-public_files": [str(f) for f in files]})


def test_only_top_level_criteria_are_offered_and_published(app, client, world):
    login(client, world["0784"])
    page = client.get("/my/examples").get_data(as_text=True)
    assert f"/my/examples/{MAPPING}/publish" in page
    # mapping and two initiatives criteria reached the top level (3); nothing else is offered
    assert page.count('/publish"') == 3
    refused = _publish(client, "communities.dialogue")
    assert refused.status_code == 409
    file_id = _file_id(app)
    assert client.get(f"/library/files/{file_id}").status_code == 404
    assert _publish(client, MAPPING, [file_id]).status_code == 302
    assert _publish(client, MAPPING).status_code == 409  # published already
    items = client.get("/api/v1/examples").get_json()["items"]
    assert [(i["municipality"]["name"], i["criterion"]["id"], i["level"]) for i in items] == [("Tallinn", MAPPING, 3)]
    assert items[0]["description"] == f"How Tallinn does {MAPPING}"
    assert [link["url"] for link in items[0]["links"]] == [f"https://example.org/{MAPPING}"]
    assert len(items[0]["files"]) == 1
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    download = client.get(f"/library/files/{file_id}")
    assert (download.status_code, download.get_data()[:5]) == (200, b"%PDF-")
    download.close()
    results = client.get("/api/v1/programme/results").get_json()
    assert next(y for y in results["years"] if y["year"] == THIS)["good_examples"]["value"] == 1


def test_another_municipality_cannot_publish_or_withdraw_it(app, client, world):
    login(client, world["0784"])
    _publish(client, MAPPING)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, world["0793"])
    assert _publish(client, MAPPING).status_code == 409  # Tartu's panel verified nothing at the top level
    token = csrf_token(client, "/my/examples")
    assert client.post(f"/my/examples/{MAPPING}/withdraw", data={"csrf_token": token}).status_code == 404
    assert client.get("/api/v1/examples").get_json()["total"] == 1


def test_withdrawing_hides_the_example_and_its_files_at_once_and_is_audited(app, client, world):
    login(client, world["0784"])
    file_id = _file_id(app)
    _publish(client, MAPPING, [file_id])
    shared = client.get("/api/v1/programme/results").get_json()["years"]
    assert next(y for y in shared if y["year"] == THIS)["good_examples"]["value"] == 1
    token = csrf_token(client, "/my/examples")
    assert client.post(f"/my/examples/{MAPPING}/withdraw", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/my/examples/{MAPPING}/withdraw", data={"csrf_token": token}).status_code == 409
    assert client.get("/api/v1/examples").get_json()["total"] == 0
    assert "example-" not in client.get("/library").get_data(as_text=True)
    assert "<entry>" not in client.get("/library/feed.atom").get_data(as_text=True)
    assert client.get(f"/library/files/{file_id}").status_code == 404
    shared = client.get("/api/v1/programme/results").get_json()["years"]
    assert next(y for y in shared if y["year"] == THIS)["good_examples"]["value"] == 0
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("good_example.%")).order_by(AuditEntry.id)))
        assert actions == ["good_example.publish", "good_example.withdraw"]
        assert db.session.scalar(select(GoodExample.state)).value == "withdrawn"
    # Consent may be given again.
    assert _publish(client, MAPPING).status_code == 302
    assert client.get("/api/v1/examples").get_json()["total"] == 1


def test_search_filters_feed_and_the_self_assessment_link(app, client, world):
    login(client, world["0784"])
    _publish(client, MAPPING)
    for query, total in (("area=communities", 1), ("area=strategy", 0), (f"criterion={MAPPING}", 1),
                         ("county=Harju maakond", 1), ("county=Tartu maakond", 0), ("type=city", 1),
                         ("type=rural", 0), ("q=tallinn", 1), ("q=nothing-like-it", 0)):
        assert (query, client.get(f"/api/v1/examples?{query}").get_json()["total"]) == (query, total)
        assert client.get(f"/library?{query}").status_code == 200
    feed = client.get("/library/feed.atom")
    assert feed.mimetype == "application/atom+xml" and feed.get_data(as_text=True).count("<entry>") == 1
    assert client.get("/api/v1/examples?type=town").status_code == 400
    # Saaremaa's self-assessment links communities.mapping to the published example.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, world["0714"])
    with app.app_context():
        from labelapp.assessment.models import Assessment
        from labelapp.municipalities.lookup import by_code

        assessment_id = db.session.scalar(select(Assessment.id).where(
            Assessment.municipality_id == by_code("0714", "EE").id))
    page = client.get(f"/assessments/{assessment_id}/areas/communities").get_data(as_text=True)
    assert f'href="/library?criterion={MAPPING}"' in page


def test_the_library_takes_the_same_number_of_queries_at_two_sizes(app, client, world):
    login(client, world["0784"])
    _publish(client, MAPPING)
    client.get("/library")
    with count_queries(app) as small:
        assert client.get("/library").get_data(as_text=True).count('class="example"') == 1
    for criterion in ("initiatives.support", "initiatives.examples"):
        assert _publish(client, criterion).status_code == 302
    with count_queries(app) as large:
        assert client.get("/library").get_data(as_text=True).count('class="example"') == 3
    assert len(small) == len(large)


def test_crawlers_may_read_the_results_and_the_library(client):
    with client.get("/robots.txt") as response:
        lines = set(response.get_data(as_text=True).splitlines())
    assert {"Allow: /programme", "Allow: /library", "Disallow: /programme/report", "Disallow: /my/"} <= lines
