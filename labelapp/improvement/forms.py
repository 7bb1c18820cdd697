from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from labelapp.core.forms import Form
from labelapp.improvement.states import ActionStep
from labelapp.improvement.wording import STEP_WORDS

INT_MAX = 2**31 - 1


class ActionForm(Form):
    what = TextAreaField(_l("What will be done"), validators=[DataRequired(), Length(max=2000)])
    who = StringField(_l("Who is responsible"), validators=[DataRequired(), Length(max=200)],
                      description=_l("A person, a post or a department."))
    due_on = DateField(_l("By when"), validators=[DataRequired(message=_l("Give a date as YYYY-MM-DD."))],
                       description=_l("Date as YYYY-MM-DD. You are reminded by e-mail before it."))


class EditActionForm(ActionForm):
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired(), NumberRange(0, INT_MAX - 1)])


class StepForm(Form):
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired(), NumberRange(0, INT_MAX - 1)])
    step = RadioField(choices=[SelectChoice(step.value, STEP_WORDS[step]) for step in ActionStep],
                      validators=[DataRequired()])


class PublicationForm(Form):
    publish = RadioField(_l("Publish the plan's progress"), choices=[SelectChoice("yes", _l("Publish")),
                                                                     SelectChoice("no", _l("Do not publish"))],
                         validators=[DataRequired()])
