"""Who may see, edit, reopen a self-assessment and read its evidence."""

from __future__ import annotations

from typing import Any

from blinker import Namespace

from labelapp.assessment.models import AssessmentStatus
from labelapp.assessment.services import reopen_refusal
from labelapp.auth.models import Role
from labelapp.auth.permissions import can_see_municipality, expose, is_assessor, is_coordinator, is_staff

works_on_assessments = is_staff | is_coordinator
# The municipality's staff start their self-assessment in the open round.
can_start_assessment = is_staff
# Evidence files are read by the assessment's people and by the assessors of its application.
reads_evidence = is_staff | is_coordinator | is_assessor

# Sent with the assessment and ``user``; a receiver returns True when a later step lets the user read the
# assessment's evidence (the panel of the application made from it), so that this package never imports it.
evidence_access_requested = Namespace().signal("evidence-access-requested")


def can_view_assessment(user: Any, assessment: Any) -> bool:
    return can_see_municipality(user, assessment.municipality_id)


def can_edit_assessment(user: Any, assessment: Any, check_state: bool = True) -> bool:
    """Only the municipality's own staff edit, and only a draft."""
    return (user.is_authenticated and user.role == Role.STAFF and user.municipality_id == assessment.municipality_id
            and (not check_state or assessment.status == AssessmentStatus.DRAFT))


def can_read_evidence(user: Any, assessment: Any) -> bool:
    """Whoever may see the assessment, and whomever a later step admits (the panel of its application)."""
    if can_view_assessment(user, assessment):
        return True
    return user.is_authenticated and any(allowed for _receiver, allowed in
                                         evidence_access_requested.send(assessment, user=user))


def lists_own_municipality_only(user: Any) -> bool:
    """Staff list only their own municipality's assessments."""
    return user.is_authenticated and user.role == Role.STAFF


def can_reopen_assessment(user: Any, assessment: Any, check_state: bool = True) -> bool:
    """The coordinator reopens a submitted assessment, unless an application made from it is submitted: from
    then on it changes only through the panel's questions, and after a decision never."""
    return user.is_authenticated and user.role == Role.COORDINATOR and (not check_state or (
        assessment.status == AssessmentStatus.SUBMITTED and reopen_refusal(assessment) is None))


expose(works_on_assessments=works_on_assessments, can_start_assessment=can_start_assessment)
