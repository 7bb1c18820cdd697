"""Reads for the library of good practice: a fixed number of queries per page, whatever the data size."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from labelapp.applications.models import Application
from labelapp.core.inputs import InvalidParameter
from labelapp.criteria import services as criteria_services
from labelapp.criteria.models import CriteriaVersion
from labelapp.extensions import db
from labelapp.municipalities.models import Municipality
from labelapp.programme.models import GoodExample, GoodExampleFile
from labelapp.programme.results import MAX_TEXT, TYPES, check_once
from labelapp.programme.states import ExampleState

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile

PAGE_SIZE = 20


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    area: str = ""
    criterion: str = ""
    county: str = ""
    type: str = ""

    @classmethod
    def checked(cls, args: Mapping, strict: bool = False) -> LibraryFilters:
        """As ``results.Filters.checked``: ``strict`` for the API, where ``page`` and ``per_page`` are read too."""
        check_once(args, ("q", "area", "criterion", "county", "type", "page", "per_page"))
        if strict:
            for name in ("page", "per_page"):
                if args.get(name) == "":
                    raise InvalidParameter(name, gettext("a whole number is expected"))
        values = {}
        for name in ("q", "area", "criterion", "county", "type"):
            value = args.get(name) or ""
            if len(value) > MAX_TEXT:
                raise InvalidParameter(name, gettext("at most %(count)d characters", count=MAX_TEXT))
            values[name] = value.strip()
        kind = args.get("type", "")
        if (kind or (strict and "type" in args)) and kind not in TYPES:
            raise InvalidParameter("type", gettext("one of %(values)s is expected", values=", ".join(TYPES)))
        return cls(**values)

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


def published_query(filters: LibraryFilters):
    query = (select(GoodExample).join(Municipality, Municipality.id == GoodExample.municipality_id)
             .where(GoodExample.state == ExampleState.PUBLISHED))
    if filters.q:
        pattern = "%" + filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(func.lower(GoodExample.description).like(pattern, escape="\\"),
                                func.lower(Municipality.name).like(pattern, escape="\\")))
    if filters.area:
        query = query.where(GoodExample.area_id == filters.area)
    if filters.criterion:
        query = query.where(GoodExample.criterion_id == filters.criterion)
    if filters.county:
        query = query.where(Municipality.region == filters.county)
    if filters.type:
        query = query.where(Municipality.kind.in_(TYPES[filters.type]))
    return query.options(selectinload(GoodExample.municipality), selectinload(GoodExample.files),
                         selectinload(GoodExample.application).load_only(Application.criteria_version_id))


def examples_page(filters: LibraryFilters, page: int, per_page: int = PAGE_SIZE) -> Pagination:
    query = published_query(filters).order_by(GoodExample.published_at.desc(), GoodExample.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


def latest_examples(limit: int) -> list[GoodExample]:
    return list(db.session.scalars(published_query(LibraryFilters())
                                   .order_by(GoodExample.published_at.desc(), GoodExample.id.desc()).limit(limit)))


def versions() -> dict[int, CriteriaFile]:
    """Every published criteria version by id (one query; the contents are parsed once per process)."""
    return {v.id: criteria_services.load(v) for v in db.session.scalars(
        select(CriteriaVersion).order_by(CriteriaVersion.id))}


def newest(found: dict[int, CriteriaFile]) -> CriteriaFile | None:
    return found[max(found)] if found else None


def counts_by_criterion(criterion_ids: list[str]) -> dict[str, int]:
    """How many published examples each criterion has (one query)."""
    return dict(db.session.execute(
        select(GoodExample.criterion_id, func.count()).where(GoodExample.state == ExampleState.PUBLISHED,
                                                            GoodExample.criterion_id.in_(criterion_ids))
        .group_by(GoodExample.criterion_id)).all())


def public_file(evidence_id: int) -> GoodExampleFile | None:
    """The file if some published example made it public."""
    return db.session.scalar(
        select(GoodExampleFile).join(GoodExample, GoodExample.id == GoodExampleFile.example_id)
        .where(GoodExampleFile.evidence_id == evidence_id, GoodExample.state == ExampleState.PUBLISHED).limit(1))


def counties() -> list[str]:
    return list(db.session.scalars(select(Municipality.region).distinct().order_by(Municipality.region)))


def own_published(municipality_id: int) -> list[GoodExample]:
    """The municipality's published examples, from any of its applications."""
    return list(db.session.scalars(
        select(GoodExample).where(GoodExample.municipality_id == municipality_id,
                                  GoodExample.state == ExampleState.PUBLISHED)
        .options(selectinload(GoodExample.application).load_only(Application.criteria_version_id))
        .order_by(GoodExample.published_at.desc())))


def own_example(municipality_id: int, criterion_id: str) -> GoodExample | None:
    """The municipality's example of the criterion: a published one first, else the latest."""
    return db.session.scalar(
        select(GoodExample).where(GoodExample.municipality_id == municipality_id,
                                  GoodExample.criterion_id == criterion_id)
        .order_by((GoodExample.state == ExampleState.PUBLISHED).desc(), GoodExample.id.desc()).limit(1))
