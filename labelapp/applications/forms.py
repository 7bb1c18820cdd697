from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reasons"), validators=[Optional(), Length(max=5000)],
                           description=_l("The municipality reads these reasons in full."))
