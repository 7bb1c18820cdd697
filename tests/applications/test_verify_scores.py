"""flask applications verify-scores: every stored snapshot and panel-verified score recomputes from its inputs;
one changed behind the app's back is named and the command exits 1."""

import json

import pytest
from sqlalchemy import select, text

from labelapp.applications import services
from labelapp.applications.models import Application
from labelapp.applications.verification import verify_scores
from labelapp.assessment import services as assessment_services
from labelapp.auth.services import find_user
from labelapp.extensions import db
from labelapp.panel.models import PanelDecision
from tests.support.factories import filled_assessment, recommended_application


@pytest.fixture
def applications(app, users):
    """Tallinn's recommended application (snapshot and panel decision) and Tartu's draft (snapshot only)."""
    with app.test_request_context():
        recommended = recommended_application(find_user(users["staff"]), find_user(users["assessor"]))
        other = find_user(users["other_staff"])
        assessment = filled_assessment(other, recommended.assessment.round, level=1)
        assessment_services.submit(assessment, other)
        draft = services.create(assessment, other)
        db.session.commit()
        return {"Tallinn": recommended.id, "Tartu linn": draft.id}


def tamper(table: str, column: str, row_id: int, value: dict) -> None:
    """Write ``value`` into a JSON column with plain SQL, as someone with database access would."""
    placeholder = "CAST(:value AS JSON)" if db.engine.dialect.name == "postgresql" else ":value"
    db.session.execute(text(f"UPDATE {table} SET {column} = {placeholder} WHERE id = :id"),
                       {"value": json.dumps(value), "id": row_id})
    db.session.commit()


def test_a_clean_database_passes(runner, applications):
    result = runner.invoke(args=["applications", "verify-scores"])
    assert (result.exit_code, result.output) == (
        0, "The scores of 2 applications and 1 panel decision recompute exactly from their stored inputs.\n")


def test_an_empty_database_passes(runner, app):
    result = runner.invoke(args=["applications", "verify-scores"])
    assert (result.exit_code, result.output) == (
        0, "The scores of 0 applications and 0 panel decisions recompute exactly from their stored inputs.\n")


def test_a_tampered_snapshot_is_named(app, runner, applications):
    tartu = applications["Tartu linn"]
    with app.app_context():
        snapshot = db.session.get(Application, tartu).snapshot
        snapshot["result"]["self_score"] = 99.5
        tamper("application", "snapshot", tartu, snapshot)
    result = runner.invoke(args=["applications", "verify-scores"])
    assert result.exit_code == 1
    assert result.output == (
        f"Application {tartu} (Tartu linn): the stored scores differ from the recomputed ones at "
        "result.self_score (stored 99.5, recomputed 33.33).\n"
        "Scores of 1 of 2 applications and 0 of 1 panel decision differ from their stored inputs.\n")


def test_tampered_inputs_are_named(app, runner, applications):
    tallinn = applications["Tallinn"]
    with app.app_context():
        snapshot = db.session.get(Application, tallinn).snapshot
        snapshot["inputs"]["answers"]["strategy.principles"] = 3
        tamper("application", "snapshot", tallinn, snapshot)
    result = runner.invoke(args=["applications", "verify-scores"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Application {tallinn} (Tallinn): the stored scores differ from the "
                                    "recomputed ones at result.criteria[0].level (stored 2, recomputed 3), ")


def test_a_tampered_panel_decision_is_named(app, runner, applications):
    tallinn = applications["Tallinn"]
    with app.app_context():
        decision = db.session.scalar(select(PanelDecision))
        decision_id, verified = decision.id, decision.verified
        verified["level"] = "gold"
        tamper("panel_decision", "verified", decision_id, verified)
    result = runner.invoke(args=["applications", "verify-scores"])
    assert result.exit_code == 1
    assert result.output == (
        f"Application {tallinn} (Tallinn), panel decision {decision_id}: the stored scores differ from the "
        "recomputed ones at level (stored 'gold', recomputed 'label').\n"
        "Scores of 0 of 2 applications and 1 of 1 panel decision differ from their stored inputs.\n")


def test_a_snapshot_that_cannot_be_recomputed_is_named(app, runner, applications):
    tartu = applications["Tartu linn"]
    with app.app_context():
        tamper("application", "snapshot", tartu, {"result": {}})
    result = runner.invoke(args=["applications", "verify-scores"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Application {tartu} (Tartu linn): the stored scores cannot be recomputed "
                                    "(no inputs)")


def test_verification_streams_the_applications_in_batches(app, applications):
    with app.app_context():
        report = verify_scores(batch_size=1)
        assert (report.applications.count, report.decisions.count, report.mismatches) == (2, 1, [])
