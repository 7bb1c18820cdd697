"""A small but complete world for the authorisation matrix: two municipalities, an application under review
with a panel, a conflicted and an unassigned assessor, a label, a survey wave and a staged survey import."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from werkzeug.datastructures import FileStorage

from labelapp.applications import services as review_services
from labelapp.applications.states import Action
from labelapp.assessment import services as assessment_services
from labelapp.auth import ties
from labelapp.auth.models import Role, TieKind
from labelapp.extensions import db
from labelapp.improvement import services as plan
from labelapp.improvement.models import ImprovementPoint
from labelapp.municipalities.lookup import by_code
from labelapp.panel import assignment as panel
from labelapp.surveys import services as survey_services
from tests.support.factories import awarded_labels, filled_assessment, make_user, open_round

ACTORS = ["anonymous", "staff_a", "staff_b", "assessor", "unassigned", "conflicted", "chair", "coordinator"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SURVEY = b"EHAK;Omavalitsus;Osakaal;n\n0784;Tallinn;62,5;800\n0793;Tartu linn;55;400\n"
# Requests that end the session go last, so that the actor's other requests are made logged in.
LAST = {("/logout", "POST")}


@dataclass
class World:
    emails: dict[str, str]
    values: dict[str, object]  # URL rule argument -> value
    per_rule: dict[str, dict[str, object]]  # values that differ for one rule

    def url(self, rule: str, **changes) -> str:
        """The rule's URL with the world's values (or ``changes``)."""
        values = {**self.values, **self.per_rule.get(rule, {}), **changes}
        return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule)


def build(app) -> World:
    """Everything through the real services. Needs nothing pushed; pushes its own request context."""
    with app.test_request_context():
        round_ = open_round()
        people = {
            "staff_a": make_user(Role.STAFF, "0784"),
            "staff_b": make_user(Role.STAFF, "0793"),
            "assessor": make_user(Role.ASSESSOR),
            "unassigned": make_user(Role.ASSESSOR),
            "conflicted": make_user(Role.ASSESSOR),
            "chair": make_user(Role.ASSESSOR),
            "coordinator": make_user(Role.COORDINATOR),
        }
        tallinn = by_code("0784", "EE")
        tie = ties.add_tie(people["conflicted"], tallinn, TieKind.WORKS_FOR, "Works for the city")
        assessment = filled_assessment(people["staff_a"], round_, level=2)
        criteria = assessment_services.criteria_of(assessment)
        area = criteria.areas[0]
        criterion = area.criteria[0]
        evidence = assessment_services.add_file(assessment, criterion.id, "Decision",
                                                FileStorage(io.BytesIO(PDF), "otsus.pdf"), people["staff_a"])
        assessment_services.submit(assessment, people["staff_a"])
        application = review_services.create(assessment, people["staff_a"])
        for action in (Action.SUBMIT, Action.START_SCREENING):
            review_services.change_status(application, action)
        panel.assign(application, [people["assessor"], people["chair"]], people["chair"],
                     dt.date.today() + dt.timedelta(days=20))
        review_services.change_status(application, Action.ACCEPT)
        point = ImprovementPoint(municipality_id=tallinn.id, application_id=application.id,
                                 criterion_id=criterion.id, verified_level=1, top_level=3, comment="To improve")
        db.session.add(point)
        db.session.flush()
        action = plan.add_action(point, "Name a person", "Secretary", dt.date.today() + dt.timedelta(days=40))
        db.session.commit()
        label = awarded_labels(["0624"], make_user(Role.ASSESSOR), people["coordinator"])[0]
        wave_staged = survey_services.stage_upload(io.BytesIO(SURVEY), "kov.csv")
        wave, report = survey_services.import_wave(wave_staged, 2025, "kov.csv")
        profile = survey_services.save_profile("Matrix", survey_services.file_headers(wave_staged),
                                               report.layout.roles)
        tokens = {}
        # One staged import each, so no step consumes another's.
        for step in ("confirm", "discard", "mapping", "profile"):
            staged = survey_services.stage_upload(io.BytesIO(SURVEY.replace(b"62,5", f"6{len(tokens)}".encode())),
                                                  f"{step}.csv")
            staged.options = {"year": 2026, "description": "", "shape": None, "supersede": False, "mapping": {}}
            staged.save_options()
            tokens[f"/admin/surveys/import/<token>/{step}"] = {"token": staged.token}
        db.session.commit()
        return World(
            emails={key: user.email for key, user in people.items()},
            values={
                "assessment_id": assessment.id, "area_id": area.id, "criterion_id": criterion.id,
                "evidence_id": evidence.id, "application_id": application.id, "action": "submit",
                "label_id": label.id, "public_id": label.public_id, "version_id": round_.criteria_version_id,
                "round_id": round_.id, "wave_id": wave.id, "token": staged.token, "code": "0784",
                "user_id": people["staff_b"].id, "tie_id": tie.id, "filename": "css/app.css",
                "point_id": point.id, "action_id": action.id, "profile_id": profile.id, "stage": "consolidations",
            },
            per_rule=tokens,
        )
