"""An improvement action's status as a table: (status, step) -> new status. Nothing else decides it."""

from __future__ import annotations

import enum


class ActionStatus(enum.StrEnum):
    @property
    def label(self) -> str:
        from labelapp.improvement.wording import STATUS_WORDS

        return str(STATUS_WORDS[self])

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class ActionStep(enum.StrEnum):
    @property
    def label(self) -> str:
        from labelapp.improvement.wording import STEP_WORDS

        return str(STEP_WORDS[self])

    START = "start"
    COMPLETE = "complete"
    DROP = "drop"
    REOPEN = "reopen"


S, A = ActionStatus, ActionStep
TRANSITIONS: dict[tuple[ActionStatus, ActionStep], ActionStatus] = {
    (S.PLANNED, A.START): S.IN_PROGRESS,
    **{(status, A.COMPLETE): S.DONE for status in (S.PLANNED, S.IN_PROGRESS)},
    **{(status, A.DROP): S.DROPPED for status in (S.PLANNED, S.IN_PROGRESS)},
    **{(status, A.REOPEN): S.IN_PROGRESS for status in (S.DONE, S.DROPPED)},
}
# Statuses of an action still to be carried out: its text and date may change, and it is reminded of.
OPEN = (S.PLANNED, S.IN_PROGRESS)


class ActionTransitionError(ValueError):
    def __init__(self, status: ActionStatus, step: ActionStep):
        self.status, self.step = status, step
        super().__init__(f"an action in status {status.value!r} cannot {step.value!r}")


def next_status(status: ActionStatus, step: ActionStep) -> ActionStatus:
    try:
        return TRANSITIONS[(status, step)]
    except KeyError:
        raise ActionTransitionError(status, step) from None


def allowed_steps(status: ActionStatus) -> list[ActionStep]:
    return [step for (current, step) in TRANSITIONS if current == status]
