"""Demo improvement plans: actions in every status on the points the demo decisions made, over two cycles of
Pärnu (whose renewal self-assessment shows the first cycle's actions), two plans published (demo only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from labelapp.extensions import db
from labelapp.improvement import queries, services
from labelapp.improvement.models import ImprovementAction, ImprovementPoint
from labelapp.improvement.states import ActionStep
from labelapp.labels.models import Label
from labelapp.municipalities.lookup import by_code

# (code, cycle: 0 the first label, -1 the latest; [(criterion id, what, who, days from today, steps)], publish)
PLANS = [
    ("0624", 0, [
        ("strategy.responsible", "Kinnitame kaasamise eest vastutava nõuniku ametijuhendi.", "Linnasekretär", -400,
         [ActionStep.COMPLETE]),
        ("strategy.planning", "Lisame kaasamiskava eelarvestrateegia lisana.", "Arendusosakond", -300,
         [ActionStep.START, ActionStep.COMPLETE]),
        ("strategy.resources", "Koolitame kõik osakonnajuhatajad kaasamise teemal.", "Personalijuht", -250,
         [ActionStep.DROP]),
    ], False),
    ("0624", -1, [
        ("strategy.responsible", "Loome linnaosades kaasamise kontaktisikute võrgustiku.", "Kaasamisnõunik", 10,
         [ActionStep.START]),
        ("strategy.planning", "Avaldame kaasamiskava täitmise aruande linna veebis.", "Arendusosakond", 45, []),
        ("strategy.resources", "Planeerime kaasamisele eraldi eelarverea.", "Finantsjuht", 120, []),
        ("strategy.principles", "Vaatame kaasamise põhimõtted üle koos kogukondadega.", "Kaasamisnõunik", 200,
         [ActionStep.COMPLETE]),
    ], True),
    ("0184", -1, [
        ("strategy.planning", "Koostame valla kaasamiskava aastateks 2027–2030.", "Vallasekretär", 60,
         [ActionStep.START]),
        ("strategy.resources", "Leiame kaasamise koordineerimiseks poole koormusega töötaja.", "Vallavanem", 150, []),
    ], False),
    ("0478", -1, [
        ("strategy.principles", "Kinnitame kaasamise põhimõtted volikogus.", "Volikogu esimees", 30,
         [ActionStep.COMPLETE]),
    ], True),
]


def seed_plans(today: dt.date | None = None) -> bool:
    """Add the demo actions unless actions exist; returns whether it did."""
    if db.session.scalar(select(ImprovementAction.id).limit(1)) is not None:
        return False
    today = today or dt.date.today()
    for code, cycle, actions, publish in PLANS:
        municipality = by_code(code, "EE")
        labels = db.session.scalars(select(Label).where(Label.municipality_id == municipality.id)
                                    .order_by(Label.awarded_on, Label.id)).all()
        if not labels:
            continue
        application_id = labels[cycle].application_id
        for criterion_id, what, who, days, steps in actions:
            point = db.session.scalar(select(ImprovementPoint).where(
                ImprovementPoint.application_id == application_id, ImprovementPoint.criterion_id == criterion_id))
            if point is None:
                continue
            due = today + dt.timedelta(days=days)
            action = services.add_action(point, what, who, due, today=min(due, today))
            for step in steps:
                services.change_status(action, step, action.version)
        if publish and not queries.is_published(municipality.id):
            services.set_published(municipality.id, True)
    db.session.flush()
    return True
