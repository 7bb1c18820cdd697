"""The programme's results: each indicator per year, from panel-verified levels, with self-assessed figures apart.

For a year, each municipality counts once: on the panel-verified levels of its latest application decided by the
end of that year (the current year: by today), or, if none was decided yet, on its latest submitted
self-assessment — counted apart, as not verified. A fixed number of queries, whatever the amount of data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext
from sqlalchemy import and_, func, select

from labelapp.applications.models import Application
from labelapp.assessment.models import Answer, Assessment, AssessmentStatus
from labelapp.core.inputs import InvalidParameter
from labelapp.criteria import services as criteria_services
from labelapp.criteria.models import CriteriaVersion
from labelapp.extensions import db
from labelapp.labels.models import Decision, Label
from labelapp.municipalities.models import Municipality
from labelapp.panel.models import PanelDecision
from labelapp.programme.models import GoodExample
from labelapp.programme.states import ExampleState

if TYPE_CHECKING:
    from labelapp.programme.schema import Indicator, ProgrammeFile

# Municipality types by the list's ``kind``: a town is a city, a parish (vald) is rural.
TYPES = {"city": ("linn",), "rural": ("vald",)}
MAX_TEXT = 100


@dataclass(frozen=True)
class Filters:
    county: str = ""
    type: str = ""

    @classmethod
    def checked(cls, args: Mapping, strict: bool = False) -> Filters:
        """The filters of a page (an empty choice means all) or, ``strict``, of the API (where an empty or repeated
        value is a 400 naming it, never ignored)."""
        check_once(args, ("county", "type"))
        county = args.get("county") or ""
        if len(county) > MAX_TEXT:
            raise InvalidParameter("county", gettext("at most %(count)d characters", count=MAX_TEXT))
        kind = args.get("type", "")
        if (kind or (strict and "type" in args)) and kind not in TYPES:
            raise InvalidParameter("type", gettext("one of %(values)s is expected", values=", ".join(TYPES)))
        return cls(county.strip(), kind)

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in (("county", self.county), ("type", self.type)) if v}

    def apply(self, query):
        if self.county:
            query = query.where(Municipality.region == self.county)
        if self.type:
            query = query.where(Municipality.kind.in_(TYPES[self.type]))
        return query


def check_once(args: Mapping, names) -> None:
    for name in names:
        if len(args.getlist(name)) > 1:
            raise InvalidParameter(name, gettext("give it at most once"))


def level_of(criterion_id: str, levels: Mapping[str, int | None], ids: set[str], aliases: Mapping[str, str]):
    """The level of ``criterion_id`` in a version with criteria ``ids``: its own, else the one it was renamed to."""
    if criterion_id in ids:
        return levels.get(criterion_id)
    renamed = aliases.get(criterion_id)
    return levels.get(renamed) if renamed in ids else None


def meets(indicator: Indicator, levels: Mapping[str, int | None], ids: set[str], aliases: Mapping[str, str]) -> bool:
    def ok(condition) -> bool:
        level = level_of(condition.criterion, levels, ids, aliases)
        return level is not None and level >= condition.min_level

    return all(ok(c) for c in indicator.all) and (not indicator.any or any(ok(c) for c in indicator.any))


@dataclass
class Year:
    year: int
    complete: bool  # the year has ended
    started: bool  # the year has begun (a later year has no figures yet)
    verified: dict[str, int] = field(default_factory=dict)
    self_assessed: dict[str, int] = field(default_factory=dict)
    municipalities_verified: int = 0
    municipalities_self_assessed: int = 0
    labels_awarded: int = 0
    labels_target: int | None = None
    good_examples: int = 0
    good_examples_target: int | None = None


@dataclass
class Results:
    programme: ProgrammeFile
    filters: Filters
    as_of: dt.date
    years: list[Year]
    counties: list[str]


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# Computed results by (programme, filters, day, fingerprint of the data they read), per app and worker: the
# figures read every decided application, so a repeated request costs one small query instead. Bounded.
CACHE_SIZE = 64


def fingerprint() -> tuple:
    """One query that changes whenever anything the figures read changes: a decision released, a consolidation,
    a self-assessment submitted or reopened, a label, an example published or withdrawn."""
    def biggest(column, *where):
        return select(func.coalesce(func.max(column), 0)).where(*where).scalar_subquery()

    def how_many(column, *where):
        return select(func.count(column)).where(*where).scalar_subquery()

    return tuple(db.session.execute(select(
        biggest(Decision.id, Decision.released_at.is_not(None)),
        how_many(Decision.id, Decision.released_at.is_not(None)),
        biggest(PanelDecision.id),
        biggest(Assessment.id, Assessment.status == AssessmentStatus.SUBMITTED),
        select(func.max(Assessment.submitted_at)).scalar_subquery(),
        how_many(Assessment.id, Assessment.status == AssessmentStatus.SUBMITTED),
        biggest(Label.id), biggest(CriteriaVersion.id),
        biggest(GoodExample.id), how_many(GoodExample.id, GoodExample.state == ExampleState.PUBLISHED),
        select(func.max(GoodExample.withdrawn_at)).scalar_subquery(),
        select(func.max(GoodExample.published_at)).scalar_subquery(),
    )).one())


def compute(programme: ProgrammeFile, filters: Filters, today: dt.date | None = None) -> Results:
    today = today or dt.date.today()
    cache = current_app.extensions.setdefault("programme_results", {})
    key = (id(programme), filters, today, fingerprint())
    if key not in cache:
        if len(cache) >= CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[key] = _compute(programme, filters, today)
    return cache[key]


def _compute(programme: ProgrammeFile, filters: Filters, today: dt.date) -> Results:
    places = select(Municipality.id)
    places = filters.apply(places).scalar_subquery()
    versions = {v.id: criteria_services.load(v) for v in db.session.scalars(select(CriteriaVersion))}
    ids = {vid: {c.id for _a, c in data.criteria()} for vid, data in versions.items()}
    aliases = programme.aliases()

    # Decided applications: (municipality, date decided, decision id, application, criteria version).
    decided = db.session.execute(
        select(Application.municipality_id, Decision.released_at, Decision.outcome, Label.awarded_on, Decision.id,
               Application.id, Application.criteria_version_id)
        .join(Decision, Decision.application_id == Application.id)
        .outerjoin(Label, and_(Label.application_id == Application.id, Decision.outcome == "award"))
        .where(Decision.released_at.is_not(None), Application.municipality_id.in_(places))).all()
    # The latest consolidation of every decided application: panel levels by criterion.
    latest_panel = (select(func.max(PanelDecision.id)).join(Decision, Decision.application_id
                                                            == PanelDecision.application_id)
                    .join(Application, Application.id == PanelDecision.application_id)
                    .where(Decision.released_at.is_not(None), Application.municipality_id.in_(places))
                    .group_by(PanelDecision.application_id))
    panel_levels = {app_id: {cid: (v or {}).get("level") for cid, v in (levels or {}).items()}
                    for app_id, levels in db.session.execute(
                        select(PanelDecision.application_id, PanelDecision.levels)
                        .where(PanelDecision.id.in_(latest_panel)))}
    submitted = db.session.execute(
        select(Assessment.id, Assessment.municipality_id, Assessment.submitted_at, Assessment.criteria_version_id)
        .where(Assessment.status == AssessmentStatus.SUBMITTED, Assessment.submitted_at.is_not(None),
               Assessment.municipality_id.in_(places))).all()
    answers: dict[int, dict[str, int | None]] = {}
    for assessment_id, criterion_id, level in db.session.execute(
            select(Answer.assessment_id, Answer.criterion_id, Answer.level).join(Assessment)
            .where(Assessment.status == AssessmentStatus.SUBMITTED, Assessment.submitted_at.is_not(None),
                   Assessment.municipality_id.in_(places))):
        answers.setdefault(assessment_id, {})[criterion_id] = level
    first_labels = [awarded for (awarded,) in db.session.execute(
        select(func.min(Label.awarded_on)).where(Label.municipality_id.in_(places))
        .group_by(Label.municipality_id))]
    published = [_aware(at).date() for (at,) in db.session.execute(
        select(GoodExample.published_at).where(GoodExample.state == ExampleState.PUBLISHED,
                                               GoodExample.municipality_id.in_(places)))]
    counties = list(db.session.scalars(select(Municipality.region).distinct().order_by(Municipality.region)))

    decisions = [(municipality, (awarded if outcome == "award" and awarded else _aware(released).date()),
                  decision_id, app_id, version_id)
                 for municipality, released, outcome, awarded, decision_id, app_id, version_id in decided]
    years = []
    for year in programme.years:
        cutoff = min(dt.date(year, 12, 31), today)
        figures = Year(year, complete=dt.date(year, 12, 31) < today, started=dt.date(year, 1, 1) <= today,
                       labels_target=programme.targets.labels_awarded.get(year),
                       good_examples_target=programme.targets.good_examples.get(year))
        figures.verified = {i.id: 0 for i in programme.indicators}
        figures.self_assessed = {i.id: 0 for i in programme.indicators}
        if figures.started:
            _count_year(figures, programme, cutoff, decisions, panel_levels, submitted, answers, ids, aliases)
            figures.labels_awarded = sum(1 for awarded in first_labels if awarded <= cutoff)
            figures.good_examples = sum(1 for day in published if day <= cutoff)
        years.append(figures)
    return Results(programme, filters, today, years, counties)


def _count_year(figures: Year, programme: ProgrammeFile, cutoff: dt.date, decisions, panel_levels, submitted,
                answers, ids, aliases) -> None:
    latest: dict[int, tuple] = {}
    for municipality, day, decision_id, app_id, version_id in decisions:
        if day <= cutoff and (municipality not in latest or (day, decision_id) > latest[municipality][:2]):
            latest[municipality] = (day, decision_id, app_id, version_id)
    for _day, _decision, app_id, version_id in latest.values():
        levels = panel_levels.get(app_id, {})
        figures.municipalities_verified += 1
        for indicator in programme.indicators:
            figures.verified[indicator.id] += meets(indicator, levels, ids.get(version_id, set()), aliases)
    own: dict[int, tuple] = {}
    for assessment_id, municipality, submitted_at, version_id in submitted:
        moment = (_aware(submitted_at), assessment_id)
        if municipality in latest or moment[0].date() > cutoff:
            continue
        if municipality not in own or moment > own[municipality][:2]:
            own[municipality] = (*moment, version_id)
    for _at, assessment_id, version_id in own.values():
        figures.municipalities_self_assessed += 1
        for indicator in programme.indicators:
            figures.self_assessed[indicator.id] += meets(indicator, answers.get(assessment_id, {}),
                                                         ids.get(version_id, set()), aliases)
