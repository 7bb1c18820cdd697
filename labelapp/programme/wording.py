"""Words for the programme's codes, in the page's language."""

from flask_babel import lazy_gettext as _l

TYPE_LABELS = {"city": _l("City (linn)"), "rural": _l("Rural municipality (vald)")}
