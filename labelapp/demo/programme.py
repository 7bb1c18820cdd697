"""Demo programme: municipalities whose panel-verified levels differ, so that the results page has something to
count, and examples of good practice they published (demo only; made through the real services)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from labelapp.applications import services
from labelapp.applications.states import Action
from labelapp.assessment import services as assessment_services
from labelapp.auth import services as accounts
from labelapp.criteria import services as criteria_services
from labelapp.demo.registry import _staff
from labelapp.extensions import db
from labelapp.labels import decisions
from labelapp.panel import assignment, reviews
from labelapp.programme import services as programme
from labelapp.programme.models import GoodExample

# What each municipality wrote about the criteria it later published (its comment becomes the description).
COMMENTS = {
    "communities.mapping": "Koos külavanematega kaardistasime 2025. aastal kõik 42 küla- ja alevikukogukonda; kaart on "
                           "avalik ja seda uuendatakse igal kevadel kogukondade ümarlauas.",
    "communities.representatives": "Igal kogukonnal on valitud eestkõneleja; vallavalitsus kohtub nendega kord "
                                   "kvartalis ja nende kontaktid on valla kodulehel.",
    "cocreation.formats": "Linna koosloomelabor kutsub iga suurema muudatuse eel kokku elanikud, ettevõtjad ja "
                          "kogukonnad; 2025. aastal toimus 9 töötuba.",
    "cocreation.followup": "Iga töötoa järel avaldame kokkuvõtte, mis ettepanekutest sai, ja arutame tulemusi "
                           "järgmisel kohtumisel.",
    "initiatives.examples": "Kogukonnapäeval tutvustavad külaseltsid oma algatusi; parimad lood kogume valla lehte ja "
                            "jagame naabervaldadega.",
}
# (code, criteria levels different from ``default``, default level, outcome or None (self-assessment only),
#  days ago decided, criteria it publishes)
MUNICIPALITIES = [
    ("0247", {"communities.mapping": 3, "communities.representatives": 3, "communities.dialogue": 3}, 2, "award", 400,
     ["communities.mapping", "communities.representatives"]),
    ("0567", {"cocreation.formats": 3, "cocreation.followup": 3, "communities.mapping": 1, "communities.dialogue": 1},
     2, "award", 150, ["cocreation.formats", "cocreation.followup"]),
    ("0834", {"initiatives.examples": 3, "decisions.early": 1, "decisions.feedback": 1, "cocreation.formats": 1}, 1,
     "decline", 60, ["initiatives.examples"]),
    ("0441", {"communities.mapping": 3, "cocreation.formats": 3}, 2, None, 0, []),
]


def _assessment(staff, round_, levels: dict[str, int], default: int):
    assessment = assessment_services.start(staff.municipality, round_, staff)
    criteria = assessment_services.criteria_of(assessment)
    for area in criteria.areas:
        assessment_services.save_area(assessment, area, {c.id: (levels.get(c.id, default), COMMENTS.get(c.id, ""))
                                                         for c in area.criteria}, assessment.version, staff)
    for _area, criterion in criteria.criteria():
        assessment_services.add_link(assessment, criterion.id, "Valla kodulehe ülevaade",
                                     f"https://www.example.org/{staff.municipality.code}/{criterion.id}", staff)
    assessment_services.submit(assessment, staff)
    return assessment, criteria


def _decide(staff, assessment, criteria, levels, default, outcome, panel, coordinator, on: dt.date):
    application = services.create(assessment, staff)
    for action in (Action.SUBMIT, Action.START_SCREENING):
        services.change_status(application, action)
    assignment.assign(application, panel, panel[0], dt.date.today() + dt.timedelta(days=30))
    services.change_status(application, Action.ACCEPT)
    chosen = {c.id: (levels.get(c.id, default), "") for _a, c in criteria.criteria()}
    for member in panel:
        reviews.save(application, member, chosen, outcome, "Demo: reviewed.", criteria, submit=True)
    reviews.consolidate(application, panel[0], chosen, outcome, "Demo: the panel's reasons.", criteria)
    decisions.decide(application, coordinator, outcome,
                     "Demo: several areas are below the minimum." if outcome == "decline" else "")
    decisions.release_all(on)


def seed_programme(password: str, framework: str, version: str) -> bool:
    """Create the demo programme data unless examples exist; returns whether it did. Leaves no round open."""
    if db.session.scalar(select(GoodExample.id).limit(1)) is not None:
        return False
    today = dt.date.today()
    panel = [accounts.find_user("hindaja3@demo.kaasav.ee"), accounts.find_user("hindaja1@demo.kaasav.ee")]
    coordinator = accounts.find_user("koordinaator@demo.kaasav.ee")
    stored = criteria_services.published(framework, version) or criteria_services.publish(framework, version)
    round_ = criteria_services.open_round(stored, "Demovoor (programm)", today + dt.timedelta(days=1))
    for code, levels, default, outcome, days_ago, published in MUNICIPALITIES:
        staff = _staff(code, password)
        assessment, criteria = _assessment(staff, round_, levels, default)
        if outcome is None:
            continue
        _decide(staff, assessment, criteria, levels, default, outcome, panel, coordinator,
                today - dt.timedelta(days=days_ago))
        for criterion_id in published:
            programme.publish(staff.municipality, criterion_id, set(), staff)
    criteria_services.close_round(round_)
    db.session.flush()
    return True
