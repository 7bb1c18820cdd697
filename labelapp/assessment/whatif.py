"""What-if: a municipality's scores and verdict under a newer criteria version (published or still a draft),
with its answers carried over and new criteria counted as unanswered — before any round opens under it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from labelapp.assessment import services as assessment_services
from labelapp.assessment.models import Assessment
from labelapp.criteria import scoring
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.surveys import services as survey_services

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile


@dataclass
class Scenario:
    label: str
    status: str
    criteria: CriteriaFile
    result: scoring.Result
    new_criteria: list[str]
    removed_criteria: list[str]


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


def latest_assessment(municipality_id: int) -> Assessment | None:
    return db.session.scalar(select(Assessment).where(Assessment.municipality_id == municipality_id)
                             .order_by(Assessment.id.desc()).limit(1))


def _figures(municipality_id: int, criteria: CriteriaFile) -> scoring.SurveyFigures | None:
    found = survey_services.latest_result(municipality_id, criteria.award_rules.survey.indicator)
    return scoring.SurveyFigures(found.value, found.ci_low, found.ci_high, found.n) if found else None


def scenarios(assessment: Assessment) -> tuple[Scenario, list[Scenario]]:
    """(the assessment under its own version, the same answers under each newer valid version)."""
    current = assessment_services.criteria_of(assessment)
    answers = {cid: a.level for cid, a in assessment_services.answers_of(assessment).items()}
    own_ids = {c.id for _a, c in current.criteria()}
    base = Scenario(assessment.criteria_version.version, "current", current,
                    scoring.evaluate(current, answers, _figures(assessment.municipality_id, current)), [], [])
    newer = []
    for info in criteria_services.list_versions(read_drafts=True):  # published: stored content; drafts: files
        if info.framework != current.framework or info.criteria is None or \
                _version_key(info.version) <= _version_key(current.version):
            continue
        criteria = info.criteria
        ids = {c.id for _a, c in criteria.criteria()}
        carried = {cid: level for cid, level in answers.items() if cid in ids}
        newer.append(Scenario(info.version, info.status.value, criteria,
                              scoring.evaluate(criteria, carried, _figures(assessment.municipality_id, criteria)),
                              sorted(ids - own_ids), sorted(own_ids - ids)))
    return base, newer
