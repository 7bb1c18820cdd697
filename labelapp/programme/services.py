"""Publishing a verified criterion in the library of good practice, and withdrawing that consent.

Each change goes through the transition table in states.py and writes one audit row; nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext
from sqlalchemy import select

from labelapp.applications import revisions
from labelapp.applications.models import Application
from labelapp.assessment.models import EvidenceKind
from labelapp.core import audit
from labelapp.core.errors import StaleState
from labelapp.core.types import utcnow
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.labels.models import Decision
from labelapp.municipalities.models import Municipality
from labelapp.panel.reviews import panel_decision
from labelapp.programme.models import GoodExample, GoodExampleFile
from labelapp.programme.states import ExampleAction, ExampleState, allowed

if TYPE_CHECKING:
    from labelapp.criteria.schema import Area, Criterion


@dataclass(frozen=True)
class Candidate:
    """A criterion the panel verified at its top level in the municipality's latest decided application."""

    area: Area
    criterion: Criterion
    level: int
    comment: str
    links: list  # FrozenEvidence of kind link
    files: list  # FrozenEvidence of kind file
    example: GoodExample | None


def latest_decided(municipality: Municipality) -> Application | None:
    """The municipality's application with the latest released decision (award or decline)."""
    return db.session.scalar(
        select(Application).join(Decision, Decision.application_id == Application.id)
        .where(Application.municipality_id == municipality.id, Decision.released_at.is_not(None))
        .order_by(Decision.released_at.desc(), Decision.id.desc()).limit(1))


def candidates(municipality: Municipality) -> tuple[Application | None, list[Candidate]]:
    """What the municipality may publish: the top-level criteria of its latest decided application."""
    application = latest_decided(municipality)
    if application is None:
        return None, []
    consolidation = panel_decision(application)
    if consolidation is None:
        return application, []
    criteria = criteria_services.load(application.criteria_version)
    contents = revisions.contents(application)
    examples = {e.criterion_id: e for e in db.session.scalars(
        select(GoodExample).where(GoodExample.application_id == application.id))}
    found = []
    for area, criterion in criteria.criteria():
        level = (consolidation.levels.get(criterion.id) or {}).get("level")
        if level is None or level < criterion.max_level:
            continue
        answer = contents.answers.get(criterion.id)
        evidence = contents.evidence.get(criterion.id, [])
        found.append(Candidate(area, criterion, level, answer.comment if answer else "",
                               [e for e in evidence if e.kind == EvidenceKind.LINK and e.url],
                               [e for e in evidence if e.kind == EvidenceKind.FILE], examples.get(criterion.id)))
    return application, found


def _stale(message: str) -> StaleState:
    from flask import url_for

    return StaleState(message, url_for("programme.my_examples"), gettext("Good practice you publish"))


def publish(municipality: Municipality, criterion_id: str, public_file_ids: set[int], user) -> GoodExample:
    """Publish (again) one verified top-level criterion with the comment and public links of the revision the
    panel judged, and the uploaded files in ``public_file_ids``. Raises StaleState when the criterion is not (or
    no longer) one the municipality may publish, or is published already."""
    application, found = candidates(municipality)
    candidate = next((c for c in found if c.criterion.id == criterion_id), None)
    if application is None or candidate is None:
        raise _stale(gettext("This criterion cannot be published: the panel did not verify it at the top level "
                             "in your latest decided application."))
    example = candidate.example
    if not allowed(example.state if example else None, ExampleAction.PUBLISH):
        raise _stale(gettext("This example is published already."))
    unknown = public_file_ids - {f.id for f in candidate.files}
    if unknown:
        raise _stale(gettext("A file chosen is not evidence for this criterion."))
    before = {"state": example.state.value} if example else None
    if example is None:
        example = GoodExample(municipality_id=municipality.id, application_id=application.id,
                              criterion_id=criterion_id, area_id=candidate.area.id)
        db.session.add(example)
    example.level = candidate.level
    example.description = candidate.comment
    example.links = [{"title": e.title, "url": e.url} for e in candidate.links]
    example.files = [GoodExampleFile(evidence_id=f.id, title=f.title) for f in candidate.files
                     if f.id in public_file_ids]
    example.state = ExampleState.PUBLISHED
    example.published_at, example.published_by_id = utcnow(), user.id
    example.withdrawn_at = example.withdrawn_by_id = None
    db.session.flush()
    audit.record("good_example.publish", "good_example", example.id, before=before,
                 after={"state": example.state.value, "criterion_id": criterion_id,
                        "application_id": application.id, "public_files": sorted(public_file_ids)})
    return example


def withdraw(example: GoodExample, user) -> None:
    """Withdraw consent: the example leaves the library, its feed and its JSON at once. Raises StaleState when it
    is not published."""
    if not allowed(example.state, ExampleAction.WITHDRAW):
        raise _stale(gettext("This example is not published."))
    example.state = ExampleState.WITHDRAWN
    example.withdrawn_at, example.withdrawn_by_id = utcnow(), user.id
    db.session.flush()
    audit.record("good_example.withdraw", "good_example", example.id, before={"state": "published"},
                 after={"state": example.state.value, "criterion_id": example.criterion_id})
