"""Interface words for label states (kept apart so that states.py stays free of Flask)."""

from flask_babel import lazy_gettext as _l

from labelapp.labels.states import LabelState

LABEL_STATES = {
    LabelState.VALID: _l("valid"), LabelState.EXPIRING: _l("expiring soon"), LabelState.EXPIRED: _l("expired"),
    LabelState.UNDER_REVIEW: _l("under review"), LabelState.REVOKED: _l("revoked"),
}
