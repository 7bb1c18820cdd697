from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from labelapp.core.forms import Form


class PublishForm(Form):
    """Consent to publish one criterion; the uploaded files to show are chosen one by one (links are public)."""

    public_files = SelectMultipleField(_l("Uploaded files to make public"), coerce=int, choices=[],
                                       widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class WithdrawForm(Form):
    pass
