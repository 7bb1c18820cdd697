from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from labelapp.core.forms import Form


class DecisionForm(Form):
    outcome = RadioField(_l("Decision"), choices=[SelectChoice("award", _l("Award the label")),
                                                  SelectChoice("decline", _l("Decline"))],
                         validators=[DataRequired()])
    reasons = TextAreaField(_l("Reasons"), validators=[Optional(), Length(max=10000)],
                            description=_l("Required when declining or departing from the panel's recommendation. "
                                           "The municipality reads them in full."))


class RevokeForm(Form):
    reason = TextAreaField(_l("Reasons"), validators=[DataRequired(), Length(min=10, max=5000)],
                           description=_l("For revoking the label or closing its review; shown publicly in the "
                                          "registry."))


class AppealForm(Form):
    statement = TextAreaField(_l("Your appeal"), validators=[DataRequired(), Length(min=10, max=10000)],
                              description=_l("Explain why the decision should be reconsidered. You can appeal once."))
