"""A small programme world, made through the real services: four municipalities, each in a known state.

Panel levels (criteria 2025.1 unless said; every criterion not named is at level 1):
- Tallinn (Harju, city): awarded on 1 June of last year; communities.mapping 3 (the top level), communities.dialogue
  2, cocreation.formats 2, cocreation.regularity 2, strategy.principles 2, decisions.early 2, services.cocreated 2,
  services.feedback 2, initiatives.support and initiatives.examples 3. It rated itself 3 everywhere.
- Tartu linn (Tartu, city): declined today; communities.representatives 2.
- Saaremaa vald (Saare, rural): a submitted self-assessment at level 2 everywhere, no decided application.
- Harku vald (Harju, rural): criteria 2026.1 (no services.feedback: renamed to services.quality), every criterion
  at 2; awarded on 1 January this year.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import yaml
from werkzeug.datastructures import FileStorage

from labelapp.applications import services as applications
from labelapp.applications.states import Action
from labelapp.assessment import services as assessment_services
from labelapp.auth.models import Role
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.labels import decisions
from labelapp.panel import assignment, reviews
from tests.support.factories import make_user, open_round

SHIPPED = Path(__file__).resolve().parents[2] / "criteria" / "programme.yaml"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date.today()
LAST, THIS = TODAY.year - 1, TODAY.year
TALLINN = {"communities.mapping": 3, "communities.dialogue": 2, "cocreation.formats": 2, "cocreation.regularity": 2,
           "strategy.principles": 2, "decisions.early": 2, "services.cocreated": 2, "services.feedback": 2,
           "initiatives.support": 3, "initiatives.examples": 3}


@pytest.fixture
def programme_file(instance_path) -> Path:
    """The shipped programme file with years around today (the shipped years are fixed)."""
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["years"] = [LAST - 1, LAST, THIS, THIS + 1]
    data["targets"] = {"labels_awarded": {LAST: 1, THIS: 3, THIS + 1: 5}, "good_examples": {THIS: 2}}
    path = Path(instance_path) / "programme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def config_overrides(programme_file) -> dict:
    return {"PROGRAMME_FILE": str(programme_file)}


def _round(version: str):
    current = criteria_services.current_round()
    if current is not None:
        criteria_services.close_round(current)
    return open_round(version, f"Round {version}")


def submitted(staff, version: str, levels: dict[str, int], default: int, with_file: bool = False):
    assessment = assessment_services.start(staff.municipality, _round(version), staff)
    criteria = assessment_services.criteria_of(assessment)
    for area in criteria.areas:
        assessment_services.save_area(
            assessment, area, {c.id: (levels.get(c.id, default), f"How {staff.municipality.name} does {c.id}")
                               for c in area.criteria}, assessment.version, staff)
    for _area, criterion in criteria.criteria():
        assessment_services.add_link(assessment, criterion.id, f"Proof of {criterion.id}",
                                     f"https://example.org/{criterion.id}", staff)
    if with_file:
        assessment_services.add_file(assessment, "communities.mapping", "Community map",
                                     FileStorage(io.BytesIO(PDF), "kaart.pdf"), staff)
    assessment_services.submit(assessment, staff)
    return assessment


def decided(staff, assessment, panel, coordinator, levels: dict[str, int], default: int, outcome: str,
            on: dt.date):
    application = applications.create(assessment, staff)
    for action in (Action.SUBMIT, Action.START_SCREENING):
        applications.change_status(application, action)
    assignment.assign(application, panel, panel[0], TODAY + dt.timedelta(days=30))
    applications.change_status(application, Action.ACCEPT)
    criteria = assessment_services.criteria_of(assessment)
    chosen = {c.id: (levels.get(c.id, default), "") for _a, c in criteria.criteria()}
    for member in panel:
        reviews.save(application, member, chosen, outcome, "Reviewed", criteria, submit=True)
    reviews.consolidate(application, panel[0], chosen, outcome, "The panel's reasons.", criteria)
    decisions.decide(application, coordinator, outcome, "The coordinator's reasons." if outcome == "decline" else "")
    decisions.release_all(on)
    return application


@pytest.fixture
def world(app):
    with app.test_request_context():
        panel = [make_user(Role.ASSESSOR, commit=False), make_user(Role.ASSESSOR, commit=False)]
        coordinator = make_user(Role.COORDINATOR, commit=False)
        staff = {code: make_user(Role.STAFF, code, commit=False) for code in ("0784", "0793", "0714", "0198")}
        tallinn = submitted(staff["0784"], "2025.1", {}, 3, with_file=True)
        decided(staff["0784"], tallinn, panel, coordinator, TALLINN, 1, "award", dt.date(LAST, 6, 1))
        tartu = submitted(staff["0793"], "2025.1", {}, 1)
        decided(staff["0793"], tartu, panel, coordinator, {"communities.representatives": 2}, 1, "decline", TODAY)
        submitted(staff["0714"], "2025.1", {}, 2)
        harku = submitted(staff["0198"], "2026.1", {}, 2)
        decided(staff["0198"], harku, panel, coordinator, {}, 2, "award", dt.date(THIS, 1, 1))
        db.session.commit()
        return {key: user.email for key, user in staff.items()} | {"coordinator": coordinator.email}
