"""Notes beside each criterion of a self-assessment, from later steps (the improvement plan shows what the
previous cycle said) that this package does not import: they register a builder here in ``create_app``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from labelapp.assessment.models import Assessment


@dataclass(frozen=True)
class CriterionNote:
    template: str  # included beside a criterion with ``note`` = the builder's value for that criterion
    build: Callable[[Assessment], dict[str, Any]]  # assessment -> {criterion id: note}


_NOTES: dict[str, CriterionNote] = {}


def register(template: str, build: Callable[[Assessment], dict[str, Any]]) -> None:
    """Show ``template`` beside every criterion for which ``build(assessment)`` has a note (idempotent)."""
    _NOTES[template] = CriterionNote(template, build)


def notes_for(assessment: Assessment) -> list[tuple[str, dict[str, Any]]]:
    """(template, {criterion id: note}) for each registered note that has something to say."""
    found = [(note.template, note.build(assessment)) for note in _NOTES.values()]
    return [(template, notes) for template, notes in found if notes]
