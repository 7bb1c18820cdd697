"""Reads for the public registry. Each function issues a fixed number of queries, whatever the data size."""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass

from flask import g
from flask_babel import gettext
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, extract, func, select

from labelapp.applications import revisions
from labelapp.applications.models import Application
from labelapp.core.inputs import InvalidParameter
from labelapp.extensions import db
from labelapp.labels.models import Label, LabelState
from labelapp.municipalities.models import Municipality
from labelapp.panel.models import PanelDecision
from labelapp.registry.models import RegistryChange
from labelapp.surveys.models import SurveyResult, SurveyWave

# Current holders first.
STATE_ORDER = case({LabelState.VALID: 0, LabelState.EXPIRING: 1, LabelState.UNDER_REVIEW: 2,
                    LabelState.REVOKED: 3, LabelState.EXPIRED: 4}, value=Label.state)
SORTS = {
    "status": (STATE_ORDER, Municipality.name),
    "name": (Municipality.name, Label.awarded_on.desc()),
    "awarded": (Label.awarded_on.desc(), Municipality.name),
    "valid_until": (Label.valid_until.desc(), Municipality.name),
}
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
    if filters.q:
        query = query.where(Municipality.name.ilike(f"%{filters.q}%", escape="\\"))
    if filters.county:
        query = query.where(Municipality.region == filters.county)
    if filters.state:
        query = query.where(Label.state == LabelState(filters.state))
    if filters.year:
        query = query.where(extract("year", Label.awarded_on) == int(filters.year))
    if filters.level:
        query = query.where(Label.level == filters.level)
    return query.order_by(*SORTS[filters.sort], Label.id)


# --- cached orderings --------------------------------------------------------------------------------------
# Sorting 100,000 labels for every registry page costs far more than the page. Each worker process keeps the
# ordered label ids of recent filter combinations (and the filter values offered), keyed by the database and
# the registry change marker, which triggers move on every change to labels and municipalities: one small query
# per request tells whether the cache still holds. A page then loads only its own rows.
MAX_CACHED_ORDERS = 16
_orders: OrderedDict[tuple, array] = OrderedDict()
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


def ordered_ids(filters: Filters) -> array:
    version = registry_version()
    key = (version, filters.key())
    with _lock:
        if version is not None and key in _orders:
            _orders.move_to_end(key)
            return _orders[key]
    ids = array("q", db.session.scalars(_filtered(select(Label.id).join(Municipality), filters)))
    if version is not None:
        with _lock:
            _orders[key] = ids
            while len(_orders) > MAX_CACHED_ORDERS:
                _orders.popitem(last=False)
    return ids


class LabelPage(Pagination):
    """One page of the registry from the cached ordering: a query for the page's labels only."""

    def _ids(self) -> array:
        if "ids" not in self._query_args:
            self._query_args["ids"] = ordered_ids(self._query_args["filters"])
        return self._query_args["ids"]

    def _query_items(self) -> list[Label]:
        chunk = list(self._ids()[self._query_offset:self._query_offset + self.per_page])
        if not chunk:
            return []
        rows = db.session.scalars(select(Label).where(Label.id.in_(chunk)).options(
            db.joinedload(Label.municipality), db.joinedload(Label.criteria_version))).unique()
        by_id = {label.id: label for label in rows}
        return [by_id[i] for i in chunk if i in by_id]

    def _query_count(self) -> int:
        return len(self._ids())


def labels_page(filters: Filters, page: int | None = None, per_page: int | None = None) -> LabelPage:
    return LabelPage(page=page, per_page=per_page or PAGE_SIZE, max_per_page=None, error_out=False,
                     filters=filters)


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
    counties = db.session.scalars(select(Municipality.region).join(Label).distinct().order_by(Municipality.region))
    years = db.session.scalars(select(extract("year", Label.awarded_on)).distinct())
    levels = db.session.scalars(select(Label.level).where(Label.level.is_not(None)).distinct().order_by(Label.level))
    return {"counties": list(counties), "years": sorted({int(y) for y in years}, reverse=True), "levels": list(levels)}


def municipality_page(code: str):
    """The municipality, its labels (newest first), the latest panel-verified area scores, survey history.

    Only what the page shows is read: of each label's application its id and publishing choice (never the score
    snapshot), of the panel decision only the verified scores."""
    place = db.session.scalar(select(Municipality).where(Municipality.code == code))
    if place is None:
        return None
    labels = db.session.scalars(select(Label).where(Label.municipality_id == place.id)
                                .options(db.joinedload(Label.criteria_version),
                                         db.joinedload(Label.application).load_only(
                                             Application.id, Application.status, Application.publish_details))
                                .order_by(Label.awarded_on.desc(), Label.id.desc())).all()
    verified, answers = None, None
    if labels:
        if labels[0].application.publish_details:  # as the panel judged them, never the live assessment
            answers = revisions.contents(labels[0].application).answers
        verified = db.session.scalar(select(PanelDecision.verified)
                                     .where(PanelDecision.application_id == labels[0].application_id)
                                     .order_by(PanelDecision.id.desc()).limit(1))
    survey = db.session.execute(
        select(SurveyWave.year, SurveyResult.value, SurveyResult.ci_low, SurveyResult.ci_high, SurveyResult.n,
               SurveyResult.flag)
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


def latest_state_ends(limit: int) -> list[Label]:
    """The labels most recently revoked or expired (by when their state changed)."""
    return db.session.scalars(select(Label).options(db.joinedload(Label.municipality),
                                                    db.joinedload(Label.criteria_version))
                              .where(Label.state.in_([LabelState.REVOKED, LabelState.EXPIRED]))
                              .order_by(Label.state_changed_at.desc(), Label.id.desc()).limit(limit)).all()


def last_change():
    """When a label or municipality last changed (the registry's Last-Modified), from the change marker."""
    changed = db.session.scalar(select(RegistryChange.changed_at).where(RegistryChange.id == 1))
    return changed or db.session.scalar(select(func.max(Label.state_changed_at)))
