"""Recomputing every stored score from its stored inputs: each application's snapshot, and (through a signal
that later steps answer) every record scored from an application's inputs, such as the panel-verified scores."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from blinker import Namespace
from sqlalchemy import select

from labelapp.applications.models import Application
from labelapp.applications.services import compute_snapshot, score
from labelapp.criteria import services as criteria_services
from labelapp.criteria.models import CriteriaVersion
from labelapp.extensions import db

if TYPE_CHECKING:
    from labelapp.criteria.schema import CriteriaFile

BATCH = 500
# Sent with each batch of applications and ``criteria`` (application -> its CriteriaFile); a receiver returns a
# Checked of the decisions it keeps that were scored from those applications' inputs (the panel's verified
# scores), so that this package never imports the later steps.
scores_verification_requested = Namespace().signal("scores-verification-requested")


@dataclass(frozen=True)
class Mismatch:
    application_id: int
    municipality: str
    record: str  # "" for the application's own snapshot, else what else was scored, e.g. "panel decision 4"
    where: str  # the first path that differs, or why it cannot be recomputed
    stored: Any = None
    recomputed: Any = None
    more: int = 0  # further differing paths
    broken: bool = False  # the stored record could not be recomputed at all


@dataclass
class Checked:
    count: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    def add(self, other: Checked) -> None:
        self.count += other.count
        self.mismatches.extend(other.mismatches)


@dataclass
class Report:
    applications: Checked = field(default_factory=Checked)
    decisions: Checked = field(default_factory=Checked)  # what later steps scored: the panels' decisions

    @property
    def mismatches(self) -> list[Mismatch]:
        return sorted(self.applications.mismatches + self.decisions.mismatches,
                      key=lambda m: (m.application_id, m.record))


def differences(stored: Any, recomputed: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(path, stored, recomputed) wherever the two JSON values differ, in the recomputed value's order. Equal
    means equal in Python: 1 == 1.0, and floats must match exactly."""
    if isinstance(stored, dict) and isinstance(recomputed, dict):
        for key in [*recomputed, *(k for k in stored if k not in recomputed)]:
            yield from differences(stored.get(key), recomputed.get(key), f"{path}.{key}" if path else str(key))
    elif isinstance(stored, list) and isinstance(recomputed, list) and len(stored) == len(recomputed):
        for index, (a, b) in enumerate(zip(stored, recomputed, strict=True)):
            yield from differences(a, b, f"{path}[{index}]")
    elif stored != recomputed or isinstance(stored, bool) != isinstance(recomputed, bool):  # True == 1
        yield path or "(whole record)", stored, recomputed


def compare(application: Application, record: str, stored: Any, recompute: Callable[[], Any]) -> Mismatch | None:
    """A Mismatch when ``stored`` is not what ``recompute()`` gives (or it cannot be recomputed), else None."""
    try:
        recomputed = recompute()
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        reason = f"no {exc.args[0]}" if isinstance(exc, KeyError) else str(exc)
        return Mismatch(application.id, application.municipality.name, record, reason, broken=True)
    found = list(differences(stored, recomputed))
    if not found:
        return None
    where, before, after = found[0]
    return Mismatch(application.id, application.municipality.name, record, where, before, after, len(found) - 1)


def _snapshot_mismatch(application: Application, criteria: CriteriaFile) -> Mismatch | None:
    snapshot = application.snapshot

    def recompute() -> dict:
        if not isinstance(snapshot, dict):
            raise ValueError("not a JSON object")
        inputs = snapshot["inputs"]
        return compute_snapshot(criteria, inputs["answers"], inputs["survey"])

    return compare(application, "", snapshot, recompute)


def rescore(criteria: CriteriaFile, levels: dict[str, int | None], application: Application) -> dict:
    """The scoring engine on ``levels`` with the survey inputs of the application's snapshot (as the panel's
    verified score is computed)."""
    return score(criteria, levels, application.snapshot["inputs"]["survey"])


def verify_scores(batch_size: int = BATCH) -> Report:
    """Recompute every application's snapshot from its stored inputs under its criteria version, and every
    record that later steps scored from them, streaming the applications ``batch_size`` at a time."""
    versions = {stored.id: stored for stored in db.session.scalars(select(CriteriaVersion))}

    def criteria(application: Application) -> CriteriaFile:
        return criteria_services.load(versions[application.criteria_version_id])

    report = Report()
    query = (select(Application).options(db.joinedload(Application.municipality)).order_by(Application.id)
             .execution_options(yield_per=batch_size))
    for batch in db.session.scalars(query).partitions():
        for application in batch:
            report.applications.count += 1
            mismatch = _snapshot_mismatch(application, criteria(application))
            if mismatch:
                report.applications.mismatches.append(mismatch)
        for _receiver, checked in scores_verification_requested.send(batch, criteria=criteria):
            if checked is not None:
                report.decisions.add(checked)
    return report
