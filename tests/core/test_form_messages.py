"""WTForms' own messages are in the page's language: "'3' is not a valid choice" was English on Estonian pages
(WTForms' Estonian catalogue marks it fuzzy); this app's catalogue supplies it."""

import pytest
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from labelapp.core.forms import Form


class Sample(Form):
    class Meta:
        csrf = False

    members = SelectMultipleField("Members", choices=[SelectChoice("1", "One"), SelectChoice("2", "Two")])
    level = RadioField("Level", choices=[SelectChoice("0", "0"), SelectChoice("1", "1")])
    name = StringField("Name", validators=[DataRequired()])


def errors(app, language: str) -> dict:
    with app.test_request_context("/", method="POST", data={"members": "3", "level": "7"},
                                  headers={"Cookie": f"lang={language}"}):
        form = Sample()
        assert not form.validate()
        return form.errors


@pytest.mark.parametrize("language,expected", [
    ("et", {"members": ["„3” ei ole sellel väljal lubatud valik."], "level": ["Pole korrektne valik"],
            "name": ["Kohustuslik väli."]}),
    ("en", {"members": ["'3' is not a valid choice for this field."], "level": ["Not a valid choice."],
            "name": ["This field is required."]}),
])
def test_form_errors_are_in_the_page_language(app, language, expected):
    assert errors(app, language) == expected
