"""Independent reviews (hidden from other assessors until one's own is submitted) and the chair's consolidation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.services import change_status, score
from labelapp.applications.states import Action
from labelapp.auth.models import User
from labelapp.core import audit
from labelapp.core.errors import DomainError, has_reason
from labelapp.core.types import utcnow
from labelapp.extensions import db
from labelapp.panel import size
from labelapp.panel.models import PanelDecision, Review
from labelapp.panel.rules import UNDER_REVIEW, sees_all_reviews

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile

RECOMMENDATIONS = ("award", "decline", "unsure")
SPREAD_THRESHOLD = 2  # levels this far apart (max − min) are flagged as disagreement


class ReviewError(DomainError):
    pass


def panel_decision(application: Application) -> PanelDecision | None:
    """The latest consolidation (an appeal heard by a new panel adds one)."""
    return db.session.scalar(select(PanelDecision).where(PanelDecision.application_id == application.id)
                             .order_by(PanelDecision.id.desc()).limit(1))


def member(application: Application, user: User):
    return next((m for m in application.panel if m.user_id == user.id), None)


def own_review(application: Application, user: User) -> Review | None:
    return db.session.scalar(select(Review).where(Review.application_id == application.id,
                                                  Review.user_id == user.id))


def save(application: Application, user: User, levels: dict[str, tuple[int | None, str]], recommendation: str,
         comment: str, criteria: CriteriaFile, submit: bool = False) -> Review:
    """Save (and optionally submit) the assessor's review. A submitted review no longer changes.

    Raises ReviewError if the user is not on the panel, the application is not under review, the review was
    already submitted, or a submission lacks a level for some criterion or the recommendation.
    """
    if member(application, user) is None:
        raise ReviewError(_("Only the application's panel members review it."))
    if application.status not in UNDER_REVIEW:
        raise ReviewError(_("The application is not under review."))
    review = own_review(application, user)
    if review is None:
        review = Review(application_id=application.id, user_id=user.id, revision=application.revision)
        db.session.add(review)
    if review.submitted:
        raise ReviewError(_("Your review is submitted and can no longer be changed."))
    review.levels = {cid: {"level": level, "comment": (text or "").strip()} for cid, (level, text) in levels.items()}
    review.recommendation = recommendation if recommendation in RECOMMENDATIONS else ""
    review.comment, review.revision, review.updated_at = comment.strip(), application.revision, utcnow()
    if submit:
        missing = [c for _a, c in criteria.criteria() if review.levels.get(c.id, {}).get("level") is None]
        if missing:  # named, so that the assessor finds them without counting
            language = str(get_locale())
            raise ReviewError(ngettext("To submit, give a level for this criterion: %(criteria)s.",
                                       "To submit, give a level for these %(num)d criteria: %(criteria)s.",
                                       len(missing), criteria="; ".join(c.title.get(language) for c in missing)))
        if not review.recommendation:
            raise ReviewError(_("To submit, choose your recommendation."))
        review.submitted_at = utcnow()
    db.session.flush()
    audit.record("review.submit" if submit else "review.save", "review", review.id,
                 after={"application": application.id, "revision": review.revision,
                        "recommendation": review.recommendation,
                        "levels": {cid: v["level"] for cid, v in review.levels.items()}})
    return review


def visible_reviews(application: Application, user: User) -> list[Review]:
    """Other assessors' reviews stay hidden until the user has submitted their own; coordinators see all."""
    reviews = db.session.scalars(select(Review).where(Review.application_id == application.id)
                                 .options(db.joinedload(Review.user)).order_by(Review.id)).all()
    if sees_all_reviews(user):
        return [r for r in reviews if r.submitted]
    panel = {m.user_id for m in application.panel}  # after an appeal, the earlier panel's reviews are history
    reviews = [r for r in reviews if r.user_id in panel]
    mine = next((r for r in reviews if r.user_id == user.id), None)
    if mine is None or not mine.submitted:
        return [mine] if mine else []
    return [r for r in reviews if r.submitted]


@dataclass
class Spread:
    levels: list[int]
    low: int | None
    high: int | None

    @property
    def flagged(self) -> bool:
        return self.low is not None and self.high - self.low >= SPREAD_THRESHOLD


def spreads(reviews: list[Review], criteria: CriteriaFile) -> dict[str, Spread]:
    out = {}
    for _area, criterion in criteria.criteria():
        levels = [r.levels.get(criterion.id, {}).get("level") for r in reviews if r.submitted]
        levels = [level for level in levels if level is not None]
        out[criterion.id] = Spread(levels, min(levels, default=None), max(levels, default=None))
    return out


def lower_median(levels: list[int]) -> int | None:
    """The middle level; with an even count, the lower of the two middle ones (None for no levels)."""
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2] if ordered else None


def median_levels(reviews: list[Review], criteria: CriteriaFile) -> dict[str, int | None]:
    """Where the chair starts: per criterion, the lower median of the submitted reviews' levels."""
    return {cid: lower_median(spread.levels) for cid, spread in spreads(reviews, criteria).items()}


def consolidate(application: Application, chair: User, levels: dict[str, tuple[int, str]], recommendation: str,
                reasons: str, criteria: CriteriaFile) -> PanelDecision:
    """The chair records the panel level per criterion (with a reason where reviews disagree) and the
    recommendation; the verified score is the scoring engine on the panel levels. Moves the application to
    'panel recommended'.

    Raises ReviewError when the user is not the chair, the panel is below its criteria's minimum size, a review
    is missing, or a level, the recommendation or a needed reason is missing."""
    seat = member(application, chair)
    if seat is None or not seat.is_chair:
        raise ReviewError(_("Only the panel's chair consolidates."))
    need = size.minimum(application)
    if len(application.panel) < need:
        raise ReviewError(ngettext("The panel has %(num)d assessor, below the minimum of %(minimum)d that the "
                                   "criteria set. The coordinator completes the panel before it consolidates.",
                                   "The panel has %(num)d assessors, below the minimum of %(minimum)d that the "
                                   "criteria set. The coordinator completes the panel before it consolidates.",
                                   len(application.panel), minimum=need))
    reviews = visible_reviews(application, chair)
    waiting = [m.user.name for m in application.panel if not any(r.user_id == m.user_id for r in reviews)]
    if waiting:
        raise ReviewError(_("Waiting for the reviews of: %(names)s", names=", ".join(waiting)))
    gaps = [c.id for _a, c in criteria.criteria() if levels.get(c.id, (None, ""))[0] is None]
    if gaps or recommendation not in ("award", "decline") or not has_reason(reasons):
        raise ReviewError(_("Give a panel level for every criterion, a recommendation and its reasons "
                            "(at least 10 characters)."))
    flagged = spreads(reviews, criteria)
    unexplained = [cid for cid, spread in flagged.items() if spread.flagged and not levels[cid][1].strip()]
    if unexplained:
        language = str(get_locale())
        raise ReviewError(_("Explain the panel level where the reviews disagree: %(titles)s",
                            titles=", ".join(criteria.criterion(cid).title.get(language) for cid in unexplained)))
    verified = score(criteria, {cid: level for cid, (level, _r) in levels.items()},
                     application.snapshot["inputs"]["survey"])
    decision = PanelDecision(application_id=application.id, recommendation=recommendation, reasons=reasons.strip(),
                             levels={cid: {"level": level, "reason": reason.strip()}
                                     for cid, (level, reason) in levels.items()},
                             verified=verified, decided_by_id=chair.id)
    db.session.add(decision)
    db.session.flush()
    change_status(application, Action.RECOMMEND, reasons)
    return decision
