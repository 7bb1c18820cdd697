"""Calibration analytics from decided applications: assessor leniency, agreement per round, self-assessment
inflation per municipality.

Everything is summed by the database (four queries, whatever the number of applications): the per-criterion
levels in the reviews' and decisions' JSON are unnested with ``json_each`` (SQLite and PostgreSQL both have it
with the columns ``key`` and ``value``), joined on (application, criterion) with the latest decision's panel
level, and grouped. For Krippendorff's alpha the database sums each round's coincidence matrix (a few dozen
rows), from which ``calibration.alpha_from_coincidences`` computes alpha; no review is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import JSON, Float, String, and_, case, cast, column, func, select, true

from labelapp.applications.models import Application
from labelapp.assessment.models import Answer, Assessment
from labelapp.auth.models import User
from labelapp.criteria.models import Round
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from labelapp.panel.calibration import alpha_from_coincidences
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


def _levels(model, name: str):
    """(application_id, criterion_id, level, owner columns…) of each criterion in ``model.levels``."""
    each = func.json_each(model.levels).table_valued(column("key", String), column("value", JSON), name=name)
    return each, each.c.key, each.c.value["level"].as_integer()


def _panel_levels():
    """The latest decision's panel level per (application, criterion), with the application's round."""
    latest = select(func.max(PanelDecision.id)).group_by(PanelDecision.application_id)
    each, key, level = _levels(PanelDecision, "decided")
    return (select(PanelDecision.application_id.label("application_id"), key.label("criterion_id"),
                   level.label("level"), Assessment.round_id.label("round_id"))
            .select_from(PanelDecision).join(each, true())
            .join(Application, Application.id == PanelDecision.application_id)
            .join(Assessment, Assessment.id == Application.assessment_id)
            .where(PanelDecision.id.in_(latest), level.is_not(None))).cte("panel_levels")


def _review_levels(panel):
    """Each submitted review's level per criterion beside the panel level of the same criterion."""
    each, key, level = _levels(Review, "reviewed")
    return (select(Review.application_id.label("application_id"), Review.user_id.label("user_id"),
                   key.label("criterion_id"), level.label("level"), panel.c.level.label("panel"),
                   panel.c.round_id.label("round_id"))
            .select_from(Review).join(each, true())
            .join(panel, and_(panel.c.application_id == Review.application_id, panel.c.criterion_id == key))
            .where(Review.submitted_at.is_not(None), level.is_not(None))).cte("review_levels")


def _offsets(rows) -> list[Offset]:
    return [Offset(label, round(float(mean), 2), count) for label, mean, count in rows]


def calibration() -> Calibration:
    panel = _panel_levels()
    reviews = _review_levels(panel)
    offset = func.avg(cast(reviews.c.level - reviews.c.panel, Float))
    assessors = db.session.execute(
        select(User.name, offset, func.count()).join(reviews, reviews.c.user_id == User.id)
        .group_by(User.id, User.name).order_by(User.name, User.id)).all()

    inflation = func.avg(cast(Answer.level - panel.c.level, Float))
    municipalities = db.session.execute(
        select(Municipality.name, inflation, func.count())
        .select_from(panel).join(Application, Application.id == panel.c.application_id)
        .join(Answer, and_(Answer.assessment_id == Application.assessment_id,
                           Answer.criterion_id == panel.c.criterion_id))
        .join(Municipality, Municipality.id == Application.municipality_id)
        .where(Answer.level.is_not(None))
        .group_by(Municipality.id, Municipality.name).order_by(inflation.desc(), Municipality.name)).all()

    return Calibration(assessors=_offsets(assessors), rounds=_rounds(panel, reviews),
                       municipalities=_offsets(municipalities))


def _rounds(panel, reviews) -> list[RoundAgreement]:
    """Per round with decided applications: how many, and alpha from the coincidence matrix the database sums."""
    unit = (reviews.c.round_id, reviews.c.application_id, reviews.c.criterion_id)
    counts = select(*unit, reviews.c.level, func.count().label("n")).group_by(*unit, reviews.c.level).cte("n_uc")
    sizes = (select(*unit, func.count().label("m")).group_by(*unit).having(func.count() >= 2)).cte("m_u")
    other = counts.alias("n_uk")
    same_unit = [getattr(other.c, name) == getattr(counts.c, name)
                 for name in ("round_id", "application_id", "criterion_id")]
    in_unit = [getattr(sizes.c, name) == getattr(counts.c, name)
               for name in ("round_id", "application_id", "criterion_id")]
    pairs = case((counts.c.level == other.c.level, counts.c.n * (counts.c.n - 1)), else_=counts.c.n * other.c.n)
    weight = func.sum(cast(pairs, Float) / (sizes.c.m - 1))
    matrices: dict[int, dict[tuple[int, int], float]] = {}
    for round_id, c, k, total in db.session.execute(
            select(counts.c.round_id, counts.c.level, other.c.level, weight)
            .select_from(counts).join(other, and_(*same_unit)).join(sizes, and_(*in_unit))
            .group_by(counts.c.round_id, counts.c.level, other.c.level)):
        if total:
            matrices.setdefault(round_id, {})[(c, k)] = float(total)
    decided = db.session.execute(
        select(Round.id, Round.title, func.count(func.distinct(panel.c.application_id)))
        .join(panel, panel.c.round_id == Round.id).group_by(Round.id, Round.title).order_by(Round.id)).all()
    return [RoundAgreement(title, _rounded(alpha_from_coincidences(matrices.get(round_id, {}))), applications)
            for round_id, title, applications in decided]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
