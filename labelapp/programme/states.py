"""A published example's lifecycle as a table: (state, action) -> new state. Nothing else decides it."""

from __future__ import annotations

import enum


class ExampleState(enum.StrEnum):
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class ExampleAction(enum.StrEnum):
    PUBLISH = "publish"
    WITHDRAW = "withdraw"


S, A = ExampleState, ExampleAction
# ``None``: not published yet. Consent withdrawn may be given again.
TRANSITIONS: dict[tuple[ExampleState | None, ExampleAction], ExampleState] = {
    (None, A.PUBLISH): S.PUBLISHED,
    (S.WITHDRAWN, A.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, A.WITHDRAW): S.WITHDRAWN,
}


def allowed(state: ExampleState | None, action: ExampleAction) -> bool:
    return (state, action) in TRANSITIONS
