"""Calibration analytics from decided applications: assessor leniency, agreement per round, self-assessment
inflation per municipality. Three queries, whatever the number of applications."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import mean

from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.assessment.models import Answer, Assessment
from labelapp.extensions import db
from labelapp.panel.calibration import krippendorff_alpha
from labelapp.panel.models import PanelDecision, Review


@dataclass(frozen=True)
class Offset:
    label: str
    mean: float
    count: int


@dataclass(frozen=True)
class RoundAgreement:
    title: str
    alpha: float | None
    applications: int


@dataclass(frozen=True)
class Calibration:
    assessors: list[Offset]
    rounds: list[RoundAgreement]
    municipalities: list[Offset]


def calibration() -> Calibration:
    decisions = db.session.scalars(select(PanelDecision)).all()
    by_application = {d.application_id: d for d in decisions}
    applications = db.session.scalars(
        select(Application).where(Application.id.in_(by_application))
        .options(db.joinedload(Application.municipality),
                 db.joinedload(Application.assessment).joinedload(Assessment.round))).all()
    reviews = db.session.scalars(select(Review).where(Review.application_id.in_(by_application),
                                                      Review.submitted_at.is_not(None))
                                 .options(db.joinedload(Review.user))).all()
    answers = db.session.execute(select(Answer.assessment_id, Answer.criterion_id, Answer.level)
                                 .where(Answer.assessment_id.in_([a.assessment_id for a in applications]))).all()

    panel_level = {(aid, cid): v["level"] for aid, d in by_application.items() for cid, v in d.levels.items()}
    assessor_diffs: dict[str, list[int]] = defaultdict(list)
    units: dict[int, dict[tuple[int, str], list[int]]] = defaultdict(lambda: defaultdict(list))
    application_round = {a.id: a.assessment.round for a in applications}
    for review in reviews:
        for cid, value in review.levels.items():
            level, panel = value.get("level"), panel_level.get((review.application_id, cid))
            if level is None or panel is None:
                continue
            assessor_diffs[review.user.name].append(level - panel)
            units[application_round[review.application_id].id][(review.application_id, cid)].append(level)

    self_diffs: dict[str, list[int]] = defaultdict(list)
    application_of_assessment = {a.assessment_id: a for a in applications}
    for assessment_id, cid, level in answers:
        application = application_of_assessment[assessment_id]
        panel = panel_level.get((application.id, cid))
        if level is not None and panel is not None:
            self_diffs[application.municipality.name].append(level - panel)

    rounds = {a.assessment.round.id: a.assessment.round for a in applications}
    return Calibration(
        assessors=sorted((Offset(name, round(mean(d), 2), len(d)) for name, d in assessor_diffs.items()),
                         key=lambda o: o.label),
        rounds=[RoundAgreement(rounds[rid].title, _rounded(krippendorff_alpha(list(units[rid].values()))),
                               sum(1 for a in applications if a.assessment.round.id == rid))
                for rid in sorted(rounds)],
        municipalities=sorted((Offset(name, round(mean(d), 2), len(d)) for name, d in self_diffs.items()),
                              key=lambda o: -o.mean),
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
