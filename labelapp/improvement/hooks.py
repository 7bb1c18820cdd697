"""Where the improvement plan answers lower steps: a released decision makes points; the self-assessment shows
what the previous cycle said beside each criterion."""

from __future__ import annotations

from labelapp.assessment import notes
from labelapp.improvement import queries, services
from labelapp.labels.decisions import decision_released


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    decision_released.connect(_on_decision_released)
    notes.register("improvement/_carried_over.html", queries.carried_over)


def _on_decision_released(decision, label=None) -> None:
    services.points_from_decision(decision.application)
