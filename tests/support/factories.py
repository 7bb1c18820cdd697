"""Factories that build rows through the real services (never raw inserts)."""

from __future__ import annotations

import itertools

from flask import current_app
from sqlalchemy import select

from labelapp.auth import second_factor, services
from labelapp.auth.models import Role, User
from labelapp.extensions import db
from labelapp.municipalities.lookup import by_code

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(role: Role | str = Role.STAFF, municipality: str | None = None, *, email: str | None = None,
              name: str | None = None, password: str | None = PASSWORD, commit: bool = True) -> User:
    """Create a user; staff default to Tallinn (0784). Needs an app context."""
    role = Role(role)
    if role == Role.STAFF and municipality is None:
        municipality = "0784"
    number = next(_counter)
    user = services.create_user(
        email or f"{role.value}{number}@example.org",
        name or f"{role.value.title()} {number}",
        role,
        by_code(municipality, "EE") if municipality else None,
        password=password,
    )
    if role.value in current_app.config["SECOND_FACTOR_ROLES"]:
        second_factor.enrol_new(user)
    if commit:
        db.session.commit()
    return user


def second_factor_code(app, email: str) -> str:
    """A current TOTP code for ``email``'s authenticator, with the account's replay guard cleared so that a test
    can log the same person in twice within one 30-second step (the guard has its own tests)."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.totp_last_step = None
        db.session.commit()
        return second_factor.code_at(second_factor.secret_of(user), second_factor.current_step())


def open_round(version: str = "2025.1", title: str = "Test round"):
    """Publish a shipped criteria version (if needed) and open a round under it. Needs an app context."""
    import datetime as dt

    from labelapp.criteria import services as criteria_services

    stored = criteria_services.published("kaasav-omavalitsus", version) or \
        criteria_services.publish("kaasav-omavalitsus", version)
    round_ = criteria_services.open_round(stored, title, dt.date.today() + dt.timedelta(days=30))
    db.session.commit()
    return round_


def filled_assessment(user: User, round_, level: int = 1, with_evidence: bool = True):
    """Start and answer every criterion at ``level`` (adding a link where evidence is required)."""
    from labelapp.assessment import services as assessment_services

    assessment = assessment_services.start(user.municipality, round_, user)
    criteria = assessment_services.criteria_of(assessment)
    for area in criteria.areas:
        assessment_services.save_area(assessment, area, {c.id: (level, f"About {c.title.en}") for c in area.criteria},
                                      assessment.version, user)
    if with_evidence:
        for _area, criterion in criteria.criteria():
            if level >= criterion.evidence_from_level:
                assessment_services.add_link(assessment, criterion.id, "Proof", "https://example.org/proof", user)
    db.session.commit()
    return assessment


def application_from(staff: User, level: int = 2, steps=(), round_=None):
    """An application of the staff member's municipality, from a new self-assessment answered at ``level`` and
    submitted (in ``round_`` or a newly opened round), taken through ``steps`` (application actions). Needs a
    request context."""
    from labelapp.applications import services as applications
    from labelapp.assessment import services as assessment_services

    assessment = filled_assessment(staff, round_ or open_round(), level=level)
    assessment_services.submit(assessment, staff)
    application = applications.create(assessment, staff)
    for action in steps:
        applications.change_status(application, action)
    return application


def recommended_application(staff: User, assessor: User, level: int = 2, recommendation: str = "award",
                            assessment=None, second: User | None = None):
    """An application taken through screening, a two-member panel chaired by ``assessor`` (with ``second``, or a
    new assessor) and consolidation, from a new assessment in a newly opened round or from ``assessment``, which
    must be submitted. Needs a request context."""
    import datetime as dt

    from labelapp.applications import services as applications
    from labelapp.applications.states import Action
    from labelapp.assessment import services as assessment_services
    from labelapp.panel import assignment, reviews

    if assessment is None:
        assessment = filled_assessment(staff, open_round(), level=level)
        assessment_services.submit(assessment, staff)
    second = second or make_user(Role.ASSESSOR, commit=False)
    application = applications.create(assessment, staff)
    applications.change_status(application, Action.SUBMIT)
    applications.change_status(application, Action.START_SCREENING)
    assignment.assign(application, [assessor, second], assessor, dt.date.today() + dt.timedelta(days=30))
    applications.change_status(application, Action.ACCEPT)
    criteria = assessment_services.criteria_of(assessment)
    panel_levels = dict.fromkeys((criterion.id for _area, criterion in criteria.criteria()), (level, ""))
    for member in (second, assessor):
        reviews.save(application, member, panel_levels, recommendation, "Reviewed", criteria, submit=True)
    reviews.consolidate(application, assessor, panel_levels, recommendation,
                        "The panel agrees with the municipality.", criteria)
    db.session.commit()
    return application


def awarded_labels(codes: list[str], assessor: User, coordinator: User, today=None) -> list:
    """Labels for the given municipalities, each through a real application, panel and released decision.
    Opens a round if none is open. Needs a request context."""
    import datetime as dt

    from labelapp.assessment import services as assessment_services
    from labelapp.criteria import services as criteria_services
    from labelapp.labels import decisions
    from labelapp.labels.models import Label
    from labelapp.municipalities.lookup import by_code

    round_ = criteria_services.current_round() or open_round()
    second = make_user(Role.ASSESSOR, commit=False)
    for code in codes:
        staff = make_user(Role.STAFF, code, commit=False)
        assessment = filled_assessment(staff, round_, level=2)
        assessment_services.submit(assessment, staff)
        application = recommended_application(staff, assessor, assessment=assessment, second=second)
        decisions.decide(application, coordinator, "award", "")
    decisions.release_all(today or dt.date.today())
    db.session.commit()
    ids = [by_code(code, "EE").id for code in codes]
    return [db.session.scalar(select(Label).where(Label.municipality_id == i)) for i in ids]
