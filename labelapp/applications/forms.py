from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from labelapp.core.forms import Form


class ReasonForm(Form):
    reason = TextAreaField(_l("Reasons"), validators=[Optional(), Length(max=5000)],
                           description=_l("The municipality reads these reasons in full."))
