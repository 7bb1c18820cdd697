"""The application lifecycle as a table: (status, action) -> new status. Nothing else decides transitions."""

from __future__ import annotations

import enum


class ApplicationStatus(enum.StrEnum):
    @property
    def label(self) -> str:
        from labelapp.applications.wording import STATUS_LABELS

        return str(STATUS_LABELS[self])

    DRAFT = "draft"
    SUBMITTED = "submitted"
    SCREENING = "screening"
    IN_REVIEW = "in_review"
    CLARIFICATION = "clarification_requested"
    RECOMMENDED = "panel_recommended"
    AWARDED = "awarded"
    DECLINED = "declined"
    APPEALED = "appealed"
    WITHDRAWN = "withdrawn"


class Action(enum.StrEnum):
    SUBMIT = "submit"
    START_SCREENING = "start_screening"
    ACCEPT = "accept"  # screening passed: the panel reviews it
    REJECT = "reject"  # screening failed, with reasons
    REQUEST_CLARIFICATION = "request_clarification"
    ANSWER_CLARIFICATION = "answer_clarification"
    RECOMMEND = "recommend"
    AWARD = "award"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    APPEAL = "appeal"  # a declined municipality, once, within the appeal period
    TO_NEW_PANEL = "to_new_panel"  # the coordinator sends an appeal to a panel without the earlier assessors


S, A = ApplicationStatus, Action
TRANSITIONS: dict[tuple[ApplicationStatus, Action], ApplicationStatus] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.START_SCREENING): S.SCREENING,
    (S.SCREENING, A.ACCEPT): S.IN_REVIEW,
    (S.SCREENING, A.REJECT): S.DECLINED,
    (S.IN_REVIEW, A.REQUEST_CLARIFICATION): S.CLARIFICATION,
    (S.CLARIFICATION, A.ANSWER_CLARIFICATION): S.IN_REVIEW,
    (S.IN_REVIEW, A.RECOMMEND): S.RECOMMENDED,
    (S.RECOMMENDED, A.AWARD): S.AWARDED,
    (S.RECOMMENDED, A.DECLINE): S.DECLINED,
    (S.DECLINED, A.APPEAL): S.APPEALED,
    (S.APPEALED, A.TO_NEW_PANEL): S.SCREENING,
    (S.APPEALED, A.AWARD): S.AWARDED,  # re-decided on appeal, with reasons
    (S.APPEALED, A.DECLINE): S.DECLINED,
    **{(status, A.WITHDRAW): S.WITHDRAWN for status in (S.DRAFT, S.SUBMITTED, S.SCREENING, S.IN_REVIEW,
                                                       S.CLARIFICATION)},
}
# Actions whose reason is shown to the municipality and must therefore be given.
NEEDS_REASON = {A.REJECT, A.REQUEST_CLARIFICATION, A.DECLINE, A.APPEAL}


class TransitionError(ValueError):
    def __init__(self, status: ApplicationStatus, action: Action):
        self.status, self.action = status, action
        super().__init__(f"an application in status {status.value!r} cannot {action.value!r}")


def next_status(status: ApplicationStatus, action: Action) -> ApplicationStatus:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionError(status, action) from None


def allowed_actions(status: ApplicationStatus) -> list[Action]:
    return [action for (current, action) in TRANSITIONS if current == status]
