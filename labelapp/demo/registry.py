"""Demo registry: labels in every state across two cycles, made through the real services (demo only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from labelapp.applications import services
from labelapp.applications.states import Action
from labelapp.assessment import services as assessment_services
from labelapp.auth import services as accounts
from labelapp.auth.models import Role, User
from labelapp.criteria import services as criteria_services
from labelapp.extensions import db
from labelapp.labels import decisions, lifecycle
from labelapp.labels.models import Label
from labelapp.municipalities.lookup import by_code
from labelapp.panel import assignment, reviews

# (code, days ago awarded, cycle) — the second cycle of Pärnu renews its first label.
CYCLES = [
    [("0624", 1000), ("0184", 900), ("0478", 700), ("0919", 300), ("0663", 100)],
    [("0624", 200)],
]
REVIEW_COMMENT = ("Demo: süsteemne tase on saavutatud; järgmine samm on tulemusi mõõta ja kogukondadega koos "
                  "parandada.")


def _staff(code: str, password: str) -> User:
    email = f"demo.{code}@demo.kaasav.ee"
    return accounts.find_user(email) or accounts.create_user(
        email, f"Demo {code}", Role.STAFF, by_code(code, "EE"), password=password)


def recommend(assessment, staff: User, panel: list[User], level: int = 2, recommendation: str = "award",
              reason: str = "The panel agrees with the municipality."):
    """Take a submitted self-assessment through application, screening, a panel (``panel``, the first chairs; as
    many as the criteria's minimum panel size asks for), their reviews and consolidation, with ``level`` for
    every criterion."""
    application = services.create(assessment, staff)
    for action in (Action.SUBMIT, Action.START_SCREENING):
        services.change_status(application, action)
    assignment.assign(application, panel, panel[0], dt.date.today() + dt.timedelta(days=30))
    services.change_status(application, Action.ACCEPT)
    criteria = assessment_services.criteria_of(assessment)
    levels = {c.id: (level, "") for _a, c in criteria.criteria()}
    commented = {cid: (lvl, REVIEW_COMMENT) for cid, (lvl, _r) in levels.items()}  # the improvement points' text
    for member in panel:
        reviews.save(application, member, commented, recommendation, "Reviewed", criteria, submit=True)
    reviews.consolidate(application, panel[0], levels, recommendation, reason, criteria)
    return application


def _award(staff: User, round_, panel: list[User], coordinator: User, awarded: dt.date, carry_from=None) -> Label:
    assessment = assessment_services.start(staff.municipality, round_, staff, carry_from=carry_from)
    criteria = assessment_services.criteria_of(assessment)
    for area in criteria.areas:
        assessment_services.save_area(assessment, area, {c.id: (2, "") for c in area.criteria},
                                      assessment.version, staff)
    for _area, criterion in criteria.criteria():
        if not any(e.criterion_id == criterion.id for e in assessment.evidence):
            assessment_services.add_link(assessment, criterion.id, "Demo", "https://www.example.org/demo", staff)
    assessment_services.submit(assessment, staff)
    application = recommend(assessment, staff, panel, reason="Demo: the panel agrees.")
    decisions.decide(application, coordinator, "award", "")
    decisions.release_all(awarded)
    return db.session.scalar(select(Label).where(Label.application_id == application.id))


def seed_registry(password: str, framework: str, version: str) -> bool:
    """Create the demo labels unless labels exist; returns whether it did. Leaves no round open."""
    if db.session.scalar(select(Label.id).limit(1)) is not None:
        return False
    today = dt.date.today()
    panel = [accounts.find_user("hindaja3@demo.kaasav.ee"), accounts.find_user("hindaja1@demo.kaasav.ee")]
    coordinator = accounts.find_user("koordinaator@demo.kaasav.ee")
    stored = criteria_services.published(framework, version) or criteria_services.publish(framework, version)
    made: dict[str, Label] = {}
    for number, cycle in enumerate(CYCLES, start=1):
        round_ = criteria_services.open_round(stored, f"Demovoor {number}", today + dt.timedelta(days=1))
        for code, days_ago in cycle:
            staff = _staff(code, password)
            previous = made.get(code)
            made[code] = _award(staff, round_, panel, coordinator, today - dt.timedelta(days=days_ago),
                                carry_from=previous.application.assessment if previous else None)
        criteria_services.close_round(round_)
    lifecycle.tick(today)
    lifecycle.put_under_review(made["0663"], "Demo: the new survey wave is below the threshold.")
    lifecycle.revoke(made["0919"], "Demo: the engagement principles were repealed.")
    db.session.flush()
    return True
