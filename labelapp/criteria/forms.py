from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length


class PublishForm(FlaskForm):
    framework = HiddenField(validators=[DataRequired()])
    version = HiddenField(validators=[DataRequired()])


class OpenRoundForm(FlaskForm):
    criteria_version = SelectField(_l("Criteria version"), choices=[], validators=[DataRequired()])
    title = StringField(_l("Name of the round"), validators=[DataRequired(), Length(max=200)],
                        description=_l("For example: Label round 2026"))
    closes_on = DateField(_l("Applications close on"), validators=[DataRequired()],
                          description=_l("Date as YYYY-MM-DD."))
