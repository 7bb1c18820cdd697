"""Where the label step answers lower steps' signals: a new survey wave, screening, forming a new panel."""

from __future__ import annotations

from labelapp.applications.screening import screening_checks_requested
from labelapp.labels import appeals, lifecycle
from labelapp.panel.assignment import conflicts_requested
from labelapp.surveys.services import wave_imported


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    wave_imported.connect(_on_wave_imported)
    conflicts_requested.connect(_appeal_conflicts)
    screening_checks_requested.connect(_revocation_check)


def _on_wave_imported(sender, wave) -> None:
    lifecycle.review_after_survey(wave.id)


def _appeal_conflicts(application):
    return appeals.earlier_assessors(application)


def _revocation_check(application):
    return lifecycle.revocation_check(application)
