"""The label lifecycle as a table: (state, action) -> new state. Nothing else decides a label's state."""

from __future__ import annotations

import enum


class LabelState(enum.StrEnum):
    @property
    def label(self) -> str:
        from labelapp.labels.wording import LABEL_STATES

        return str(LABEL_STATES[self])

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    UNDER_REVIEW = "under_review"
    REVOKED = "revoked"


class LabelAction(enum.StrEnum):
    NEAR_EXPIRY = "near_expiry"  # the first renewal reminder is due
    EXPIRE = "expire"  # the validity period is over
    PUT_UNDER_REVIEW = "put_under_review"  # by the coordinator, or by a survey wave below the threshold
    RESTORE = "restore"  # a review closed in the label's favour
    RESTORE_NEAR_EXPIRY = "restore_near_expiry"  # the same, when the label is already close to its expiry
    REVOKE = "revoke"


S, A = LabelState, LabelAction
TRANSITIONS: dict[tuple[LabelState, LabelAction], LabelState] = {
    (S.VALID, A.NEAR_EXPIRY): S.EXPIRING,
    **{(state, A.EXPIRE): S.EXPIRED for state in (S.VALID, S.EXPIRING, S.UNDER_REVIEW)},
    **{(state, A.PUT_UNDER_REVIEW): S.UNDER_REVIEW for state in (S.VALID, S.EXPIRING)},
    (S.UNDER_REVIEW, A.RESTORE): S.VALID,
    (S.UNDER_REVIEW, A.RESTORE_NEAR_EXPIRY): S.EXPIRING,
    **{(state, A.REVOKE): S.REVOKED for state in (S.VALID, S.EXPIRING, S.UNDER_REVIEW)},
}
# Actions whose reason is shown publicly in the registry and must therefore be given.
NEEDS_REASON = {A.REVOKE, A.RESTORE, A.RESTORE_NEAR_EXPIRY}
# States in which a label still stands (the registry shows it as held).
CURRENT = (S.VALID, S.EXPIRING, S.UNDER_REVIEW)


class LabelTransitionError(ValueError):
    def __init__(self, state: LabelState, action: LabelAction):
        self.state, self.action = state, action
        super().__init__(f"a label in state {state.value!r} cannot {action.value!r}")


def next_state(state: LabelState, action: LabelAction) -> LabelState:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise LabelTransitionError(state, action) from None


def allowed_actions(state: LabelState) -> list[LabelAction]:
    return [action for (current, action) in TRANSITIONS if current == state]
