"""Replay after the state moved on: every unsafe request, sent by every kind of user to a world whose application
is decided and whose label is revoked, is answered without a server error and changes nothing that was judged.
The steps that no longer fit answer 409 with a page that says what the state is now."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from labelapp.applications.models import Application, ApplicationRevision
from labelapp.applications.rules import APPLICATION_ACTIONS
from labelapp.applications.states import ApplicationStatus
from labelapp.assessment import services as assessment_services
from labelapp.auth.models import Role
from labelapp.auth.services import find_user
from labelapp.core.models import AuditEntry
from labelapp.extensions import db
from labelapp.labels import decisions, lifecycle
from labelapp.labels.models import Label, LabelState
from labelapp.panel import reviews
from labelapp.panel.models import PanelDecision, PanelMember, Review
from tests.authz.test_matrix import app_routes
from tests.authz.world import ACTORS, LAST, build
from tests.support.web import csrf_token, login

ROLE_OF = {"staff_a": Role.STAFF, "coordinator": Role.COORDINATOR}  # whose application steps are tried as stale
# (actor, method, rule) -> the step no longer fits: 409, nothing changes.
STALE = {
    ("staff_a", "POST", "/applications/<int:application_id>/<action>"),
    ("coordinator", "POST", "/applications/<int:application_id>/<action>"),
    ("coordinator", "GET", "/applications/<int:application_id>/panel"),
    ("coordinator", "POST", "/applications/<int:application_id>/panel"),
    ("assessor", "POST", "/applications/<int:application_id>/conflict"),
    ("chair", "POST", "/applications/<int:application_id>/conflict"),
    ("assessor", "POST", "/applications/<int:application_id>/review"),
    ("chair", "POST", "/applications/<int:application_id>/review"),
    ("chair", "GET", "/applications/<int:application_id>/consolidate"),
    ("chair", "POST", "/applications/<int:application_id>/consolidate"),
    ("assessor", "POST", "/applications/<int:application_id>/clarification"),
    ("chair", "POST", "/applications/<int:application_id>/clarification"),
    ("staff_a", "POST", "/applications/<int:application_id>/clarification/answer"),
    ("coordinator", "POST", "/applications/<int:application_id>/decision"),
    ("coordinator", "POST", "/applications/decisions"),
    ("coordinator", "POST", "/applications/labels/<int:label_id>/revoke"),
    ("coordinator", "POST", "/applications/labels/<int:label_id>/end-review"),
    ("staff_a", "POST", "/applications/<int:application_id>/appeal"),
    ("coordinator", "POST", "/assessments/<int:assessment_id>/reopen"),
    ("coordinator", "POST", "/admin/users/ties/<int:tie_id>/confirm"),  # no removal of the tie is waiting
    ("coordinator", "POST", "/admin/users/ties/<int:tie_id>/refuse"),
    ("staff_a", "POST", "/assessments/<int:assessment_id>/areas/<area_id>"),
    ("staff_a", "POST", "/assessments/<int:assessment_id>/criteria/<criterion_id>/evidence"),
    ("staff_a", "POST", "/assessments/<int:assessment_id>/evidence/<int:evidence_id>/delete"),
    ("staff_a", "POST", "/assessments/<int:assessment_id>/submit"),
}


def decide_and_revoke(app, world) -> None:
    """The panel reviews and recommends, the coordinator awards, and the world's label is revoked."""
    with app.test_request_context():
        application = db.session.get(Application, world.values["application_id"])
        criteria = assessment_services.criteria_of(application.assessment)
        levels = {c.id: (2, "") for _a, c in criteria.criteria()}
        chair = find_user(world.emails["chair"])
        for who in ("assessor", "chair"):
            reviews.save(application, find_user(world.emails[who]), levels, "award", "Fine", criteria, submit=True)
        reviews.consolidate(application, chair, levels, "award", "The panel agrees with the municipality.", criteria)
        decisions.decide(application, find_user(world.emails["coordinator"]), "award", "")
        decisions.release_all(dt.date.today())
        lifecycle.revoke(db.session.get(Label, world.values["label_id"]), "Revoked for the replay test.")
        db.session.commit()


def audit_rows() -> dict[int, str]:
    return {row.id: repr(row) for row in db.session.execute(AuditEntry.__table__.select()).all()}


def judged(application_id: int) -> dict:
    """What a decision rests on: the application, its revisions, panel, reviews and consolidation."""
    def rows(model, column):
        return sorted(map(repr, db.session.execute(select(model.__table__).where(column == application_id)).all()))
    return {"application": rows(Application, Application.id),
            "revisions": rows(ApplicationRevision, ApplicationRevision.application_id),
            "panel": rows(PanelMember, PanelMember.application_id), "reviews": rows(Review, Review.application_id),
            "consolidation": rows(PanelDecision, PanelDecision.application_id)}


@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anonymous"])
def test_replay_after_the_state_moved_on(app, client, actor):
    world = build(app)
    decide_and_revoke(app, world)
    with app.app_context():
        assert db.session.get(Application, world.values["application_id"]).status == ApplicationStatus.AWARDED
        assert db.session.get(Label, world.values["label_id"]).state == LabelState.REVOKED
        before = judged(world.values["application_id"])
        audit_before = audit_rows()
    assert login(client, world.emails[actor]).status_code == 302
    token = csrf_token(client.get("/dashboard").get_data(as_text=True))
    fields = {"csrf_token": token, "reason": "Replayed after the state moved on.", "outcome": "award",
              "reasons": "Replayed after the state moved on.", "question": "Replayed after the state moved on?",
              "answer": "Replayed.", "statement": "Replayed after the state moved on.", "recommendation": "award",
              "status": "awarded", "level": "3"}
    errors, stale = [], {}
    requests = [(method, rule) for rule, method in sorted(app_routes(app))
                if (rule, method) not in LAST and (method != "GET" or (actor, method, rule) in STALE)]
    for method, rule in requests:
        actions = [a.value for a, role in APPLICATION_ACTIONS.items() if role == ROLE_OF.get(actor, role)] \
            if "<action>" in rule else [None]
        for action in actions:
            url = world.url(rule, **({"action": action} if action else {}))
            response = client.open(url, method=method, data=fields if method != "GET" else None)
            if response.status_code >= 500:
                errors.append(f"{method} {url}: {response.status_code}")
            if (actor, method, rule) in STALE:
                stale.setdefault((method, rule), set()).add(response.status_code)
                page = response.get_data(as_text=True)
                assert response.status_code != 409 or "Nothing was changed" in page or "Midagi ei muudetud" in page
            response.close()
    assert errors == []
    assert {key: codes for key, codes in stale.items() if codes != {409}} == {}
    assert len(stale) == len({s for s in STALE if s[0] == actor})
    with app.app_context():
        assert judged(world.values["application_id"]) == before
        assert {key: row for key, row in audit_rows().items() if key in audit_before} == audit_before
