"""Reads for the public registry. Each function issues a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import g
from flask_babel import gettext
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import false, func, or_, select

from labelapp.applications import revisions
from labelapp.applications.models import Application
from labelapp.core.inputs import InvalidParameter
from labelapp.criteria.models import CriteriaVersion
from labelapp.extensions import db
from labelapp.labels.models import Label, LabelState
from labelapp.municipalities.models import Municipality, searchable
from labelapp.panel.models import PanelDecision
from labelapp.registry.models import RegistryChange
from labelapp.surveys.models import SurveyResult, SurveyWave

# Every order is an index scan with LIMIT (migration 0024): the label keeps its municipality's name
# (sort_name) and its state's place (state_rank: valid, expiring, under review, revoked, expired — current
# holders first), both kept by database triggers.
SORTS = {
    "status": (Label.state_rank, Label.sort_name),
    "name": (Label.sort_name, Label.awarded_on.desc()),
    "awarded": (Label.awarded_on.desc(), Label.sort_name),
    "valid_until": (Label.valid_until.desc(), Label.sort_name),
}
STATE_RANK = {LabelState.VALID: 0, LabelState.EXPIRING: 1, LabelState.UNDER_REVIEW: 2, LabelState.REVOKED: 3,
              LabelState.EXPIRED: 4}
PAGE_SIZE = 25
MAX_TEXT_FILTER = 100


@dataclass
class Filters:
    q: str = ""
    county: str = ""
    state: str = ""
    year: str = ""
    level: str = ""
    sort: str = "status"

    @classmethod
    def from_args(cls, args) -> Filters:
        values = {name: (args.get(name) or "").strip()[:100] for name in ("q", "county", "state", "year", "level",
                                                                         "sort")}
        if values["sort"] not in SORTS:
            values["sort"] = "status"
        if values["state"] not in {s.value for s in LabelState}:
            values["state"] = ""
        if not (values["year"].isascii() and values["year"].isdigit()):
            values["year"] = ""
        return cls(**values)

    @classmethod
    def checked(cls, args) -> Filters:
        """For the API: the same filters, but a value that would be ignored or cut is a 400 naming it."""
        for name in (*vars(cls()), "page", "per_page"):
            if len(args.getlist(name)) > 1:
                raise InvalidParameter(name, gettext("give it at most once"))
        for name in ("year", "page", "per_page"):
            if args.get(name) == "":
                raise InvalidParameter(name, gettext("a whole number is expected"))
        for name in ("q", "county", "level"):
            if len(args.get(name, "")) > MAX_TEXT_FILTER:
                raise InvalidParameter(name, gettext("at most %(count)d characters", count=MAX_TEXT_FILTER))
        choices = {"state": [s.value for s in LabelState], "sort": list(SORTS)}
        for name, allowed in choices.items():
            if name in args and args[name] not in allowed:
                raise InvalidParameter(name, gettext("one of %(values)s is expected", values=", ".join(allowed)))
        return cls.from_args(args)

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v and not (k == "sort" and v == "status")}

    def key(self) -> tuple:
        return tuple(sorted(vars(self).items()))


def labels_query(filters: Filters):
    """The labels matching ``filters`` in their order, with municipality and criteria version loaded."""
    return _filtered(select(Label).join(Municipality).options(db.contains_eager(Label.municipality),
                                                              db.joinedload(Label.criteria_version)), filters)


def _filtered(query, filters: Filters):
    """Filters on the municipality are answered from the small municipality table (by the search column and
    the county index); those on the label by its own indexes."""
    places = select(Municipality.id)
    if filters.q:
        # The search column (kept by the model) finds "Pärnu" for "parnu"; the name itself, for a name changed
        # behind the app.
        places = places.where(or_(Municipality.search_name.contains(searchable(filters.q), autoescape=True),
                                  Municipality.name.icontains(filters.q, autoescape=True)))
    if filters.county:
        places = places.where(Municipality.region == filters.county)
    if filters.q or filters.county:
        query = query.where(Label.municipality_id.in_(places))
    if filters.state:
        state = LabelState(filters.state)
        query = query.where(Label.state_rank == STATE_RANK[state], Label.state == state)
    if filters.year:
        year = int(filters.year)
        if not 1 <= year <= 9999:
            return query.where(false())
        query = query.where(Label.awarded_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if filters.level:
        query = query.where(Label.level == filters.level)
    return query.order_by(*SORTS[filters.sort], Label.id)


# --- counts and filter values, per change marker ----------------------------------------------------------
# A page is one LIMIT query over an index; its count (which the pagination shows) and the filter values offered
# are kept per worker process, keyed by the database and the registry change marker, which triggers move on
# every change to the registry's tables: one small query per request tells whether they still hold.
MAX_CACHED_COUNTS = 64
_counts: OrderedDict[tuple, int] = OrderedDict()
_facets: dict[tuple, dict[str, list]] = {}
_lock = threading.Lock()


def registry_version() -> tuple | None:
    """(database, change counter), read once per request; None if the marker row is missing (then no cache)."""
    if "registry_version" not in g:
        # Plain SQL on the session's connection: this runs on every registry request, and the ORM's statement
        # compilation would cost more than the query.
        # A constant statement (registry_change is RegistryChange's table), so nothing is ever formatted into it.
        counter = db.session.connection().exec_driver_sql("SELECT counter FROM registry_change WHERE id = 1").scalar()
        g.registry_version = None if counter is None else (db.engine.url.render_as_string(), counter)
    return g.registry_version


def count_of(filters: Filters) -> int:
    version = registry_version()
    key = (version, filters.key())
    with _lock:
        if version is not None and key in _counts:
            _counts.move_to_end(key)
            return _counts[key]
    found = db.session.scalar(select(func.count()).select_from(
        _filtered(select(Label.id), filters).order_by(None).subquery()))
    if version is not None:
        with _lock:
            _counts[key] = found
            while len(_counts) > MAX_CACHED_COUNTS:
                _counts.popitem(last=False)
    return found


class LabelPage(Pagination):
    """One page of the registry: its labels by an ordered LIMIT query, the count kept per change marker."""

    def _query_items(self) -> list[Label]:
        return list(db.session.scalars(
            _filtered(select(Label), self._query_args["filters"])
            .options(db.joinedload(Label.municipality), db.joinedload(Label.criteria_version))
            .limit(self.per_page).offset(self._query_offset)))

    def _query_count(self) -> int:
        return count_of(self._query_args["filters"])


def labels_page(filters: Filters, page: int | None = None, per_page: int | None = None) -> LabelPage:
    return LabelPage(page=page, per_page=per_page or PAGE_SIZE, max_per_page=None, error_out=False,
                     filters=filters)


@dataclass(frozen=True, slots=True)
class ListedPlace:
    code: str
    name: str
    region: str


@dataclass(frozen=True, slots=True)
class ListedVersion:
    version: str


@dataclass(frozen=True, slots=True)
class ListedLabel:
    """A row of the registry page: what its table shows, read as plain columns (no ORM objects, no JSON)."""

    municipality: ListedPlace
    criteria_version: ListedVersion
    state: LabelState
    level: str | None
    awarded_on: dt.date
    valid_until: dt.date


class ListedPage(LabelPage):
    """The registry page's list: the same labels in the same order as LabelPage, only the columns it shows."""

    def _query_items(self) -> list[ListedLabel]:
        rows = db.session.execute(
            _filtered(select(Municipality.code, Municipality.name, Municipality.region, CriteriaVersion.version,
                             Label.state, Label.level, Label.awarded_on, Label.valid_until)
                      .join(Municipality, Label.municipality_id == Municipality.id)
                      .join(CriteriaVersion, Label.criteria_version_id == CriteriaVersion.id),
                      self._query_args["filters"])
            .limit(self.per_page).offset(self._query_offset))
        return [ListedLabel(ListedPlace(code, name, region), ListedVersion(version), state, level, awarded, until)
                for code, name, region, version, state, level, awarded, until in rows]


def listed_page(filters: Filters, page: int | None = None) -> ListedPage:
    return ListedPage(page=page, per_page=PAGE_SIZE, max_per_page=None, error_out=False, filters=filters)


def facets() -> dict[str, list]:
    """Values offered by the filters (counties, years and levels that occur)."""
    version = registry_version()
    if version is not None and version in _facets:
        return _facets[version]
    found = _query_facets()
    if version is not None:
        with _lock:
            _facets.clear()  # only the newest version is ever asked for again
            _facets[version] = found
    return found


def _query_facets() -> dict[str, list]:
    """Counties from the municipality table; the years between the first and the latest award (two index
    lookups); the levels that occur by a loose index scan (one index lookup per distinct level), never a
    DISTINCT over every label."""
    counties = db.session.scalars(select(Municipality.region).distinct().order_by(Municipality.region))
    first, last = db.session.execute(select(func.min(Label.awarded_on), func.max(Label.awarded_on))).one()
    years = list(range(last.year, first.year - 1, -1)) if first and last else []
    step = select(select(func.min(Label.level)).scalar_subquery().label("level")).cte("levels", recursive=True)
    following = select(func.min(Label.level)).where(Label.level > step.c.level).scalar_subquery()
    step = step.union_all(select(following).where(step.c.level.is_not(None)))
    levels = db.session.scalars(select(step.c.level).where(step.c.level.is_not(None)).order_by(step.c.level))
    return {"counties": list(counties), "years": years, "levels": list(levels)}


def municipality_page(code: str):
    """The municipality, its labels (newest first), the latest panel-verified area scores, survey history.

    Only what the page shows is read: of each label's application what finds its published answers (never the
    score snapshot), of the panel decision only the verified scores."""
    place = db.session.scalar(select(Municipality).where(Municipality.code == code))
    if place is None:
        return None
    labels = db.session.scalars(select(Label).where(Label.municipality_id == place.id)
                                .options(db.joinedload(Label.criteria_version),
                                         db.joinedload(Label.application).load_only(
                                             Application.id, Application.assessment_id, Application.status,
                                             Application.publish_details))
                                .order_by(Label.awarded_on.desc(), Label.id.desc())).all()
    verified, answers = None, None
    if labels:
        if labels[0].application.publish_details:  # as the panel judged them, never the live assessment
            answers = revisions.answers(labels[0].application)
        verified = db.session.scalar(select(PanelDecision.verified)
                                     .where(PanelDecision.application_id == labels[0].application_id)
                                     .order_by(PanelDecision.id.desc()).limit(1))
    survey = db.session.execute(
        select(SurveyWave.year, SurveyResult.value, SurveyResult.ci_low, SurveyResult.ci_high, SurveyResult.n,
               SurveyResult.flag, SurveyResult.subgroups, SurveyWave.min_sample)
        .join(SurveyWave).where(SurveyResult.municipality_id == place.id, SurveyWave.superseded_by_id.is_(None))
        .order_by(SurveyWave.year)).all()
    return place, labels, verified, survey, answers


def label_by_public_id(public_id: str) -> Label | None:
    return db.session.scalar(select(Label).where(Label.public_id == public_id)
                             .options(db.joinedload(Label.municipality), db.joinedload(Label.criteria_version)))


def count_labels() -> int:
    return db.session.scalar(select(func.count()).select_from(Label))


def latest_awards(limit: int) -> list[Label]:
    return db.session.scalars(select(Label).options(db.joinedload(Label.municipality),
                                                    db.joinedload(Label.criteria_version))
                              .order_by(Label.awarded_on.desc(), Label.id.desc()).limit(limit)).all()


STATE_ENDS = (LabelState.REVOKED, LabelState.EXPIRED)


def state_ends_statement(state: LabelState, limit: int):
    """The ``limit`` labels that most recently came to ``state``: the first rows of ix_label_state_changes."""
    return (select(Label).options(db.joinedload(Label.municipality), db.joinedload(Label.criteria_version))
            .where(Label.state == state).order_by(Label.state_changed_at.desc(), Label.id.desc()).limit(limit))


def latest_state_ends(limit: int) -> list[Label]:
    """The labels most recently revoked or expired (by when their state changed, then newest id first).

    One index scan per state (a single ``state IN (…)`` would read every revoked and expired label, most of the
    table once cycles have expired, and sort them all); the newest ``limit`` of the two short lists are the
    newest ``limit`` of all."""
    found = [label for state in STATE_ENDS for label in db.session.scalars(state_ends_statement(state, limit))]
    return sorted(found, key=lambda label: (label.state_changed_at, label.id), reverse=True)[:limit]


def last_change():
    """When a label or municipality last changed (the registry's Last-Modified), from the change marker."""
    changed = db.session.scalar(select(RegistryChange.changed_at).where(RegistryChange.id == 1))
    return changed or db.session.scalar(select(func.max(Label.state_changed_at)))
