"""The demo seed fills improvement plans: actions in every status, two cycles of Pärnu, plans published."""

from sqlalchemy import select

from labelapp.extensions import db
from labelapp.improvement import queries
from labelapp.improvement.models import ImprovementAction
from labelapp.improvement.states import ActionStatus
from labelapp.municipalities.lookup import by_code


def test_demo_plans_show_every_status_and_carry_over(app, runner, client):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0  # idempotent
    with app.app_context():
        statuses = db.session.scalars(select(ImprovementAction.status)).all()
        assert set(statuses) == set(ActionStatus) and len(statuses) == 10
        parnu = by_code("0624", "EE")
        assert queries.is_published(parnu.id) and not queries.is_published(by_code("0184", "EE").id)
        plan = queries.plan_of(parnu.id)
        assert len(plan.points) == 20 and sum(plan.counts().values()) == 4
        assert plan.points[0].comment.startswith("Demo: süsteemne tase")
    page = client.get("/registry/0624").get_data(as_text=True)
    assert "Parendusplaan" in page and "Loome linnaosades kaasamise kontaktisikute võrgustiku." in page
    assert "Kaasamisnõunik" not in page
