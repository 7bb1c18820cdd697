"""The automatic "survey below threshold" reason is kept as data and read in the reader's language and number
format: on pages, in each half of the bilingual e-mail, and for reasons stored as text before."""

import pytest
from sqlalchemy import select

from labelapp.auth.services import find_user
from labelapp.core.models import OutboxMessage
from labelapp.extensions import db
from labelapp.labels.models import Label, LabelState
from tests.support.factories import awarded_labels
from tests.surveys.files import write_text


@pytest.fixture
def weak_wave(app, users, runner, tmp_path):
    """Tallinn's label, then a 2026 wave where Tallinn has 38.05 % (threshold 50 %)."""
    with app.test_request_context():
        label = awarded_labels(["0784"], find_user(users["assessor"]), find_user(users["coordinator"]))[0]
        db.session.commit()
        ids = label.id, label.application_id
    path = write_text(tmp_path / "kov.csv", [["EHAK", "Osakaal", "n"], ["0784", "38.05", "600"]])
    result = runner.invoke(args=["survey", "import", str(path), "--wave", "2026"])
    assert result.exit_code == 0, result.output
    return ids


def test_the_reason_is_stored_as_data_with_its_estonian_wording(app, weak_wave):
    with app.app_context():
        label = db.session.get(Label, weak_wave[0])
        assert label.state == LabelState.UNDER_REVIEW
        assert label.state_reason_data == {"code": "survey_below_threshold", "year": 2026, "value": 38.05,
                                           "threshold": 50.0, "applies_to": "value"}
        assert label.state_reason == "2026. aasta uuring näitab 38,05 % (lävend 50 %)."


@pytest.mark.parametrize("lang,expected", [("et", "2026. aasta uuring näitab 38,05 % (lävend 50 %)."),
                                           ("en", "The 2026 survey shows 38.05 % (threshold 50 %).")])
def test_pages_word_the_reason_in_the_readers_language(client, login_as, weak_wave, lang, expected):
    client.set_cookie("lang", lang)
    assert expected in client.get("/registry/0784").get_data(as_text=True)
    login_as("coordinator")
    client.set_cookie("lang", lang)
    assert expected in client.get(f"/applications/{weak_wave[1]}").get_data(as_text=True)


def test_each_half_of_the_email_has_its_own_language_and_numbers(app, users, weak_wave):
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.to_address == users["staff"],
                                                                  OutboxMessage.body.contains("2026")))
    estonian, english = body.split("\n\n---\n\n")
    assert "2026. aasta uuring näitab 38,05 % (lävend 50 %)." in estonian and "38.05" not in estonian
    assert "The 2026 survey shows 38.05 % (threshold 50 %)." in english and "38,05" not in english


def test_the_lower_bound_rule_names_the_interval(app, client, weak_wave):
    with app.app_context():
        label = db.session.get(Label, weak_wave[0])
        label.state_reason_data = {**label.state_reason_data, "applies_to": "ci_lower", "value": 35.5}
        db.session.commit()
    client.set_cookie("lang", "en")
    assert "In the 2026 survey the lower bound of the 95% confidence interval is 35.5 % (threshold 50 %)." in \
        client.get("/registry/0784").get_data(as_text=True)


@pytest.mark.parametrize("stored", ["The 2024 survey shows 38.05 % (threshold 50 %).",
                                    "2024. aasta uuring näitab 38,05 % (lävend 50 %)."])
def test_reasons_stored_as_text_before_read_in_either_language(app, client, weak_wave, stored):
    with app.app_context():
        label = db.session.get(Label, weak_wave[0])
        label.state_reason, label.state_reason_data = stored, None
        db.session.commit()
    client.set_cookie("lang", "et")
    assert "2024. aasta uuring näitab 38,05 % (lävend 50 %)." in client.get("/registry/0784").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "The 2024 survey shows 38.05 % (threshold 50 %)." in client.get("/registry/0784").get_data(as_text=True)


def test_a_persons_reason_is_shown_as_written(app, client, weak_wave):
    with app.app_context():
        label = db.session.get(Label, weak_wave[0])
        label.state_reason, label.state_reason_data = "Põhimõtted tunnistati kehtetuks 1.5 aastat tagasi.", None
        db.session.commit()
    client.set_cookie("lang", "en")
    assert "Põhimõtted tunnistati kehtetuks 1.5 aastat tagasi." in client.get("/registry/0784").get_data(as_text=True)
