"""Interface words for application statuses and actions (kept apart so that states.py stays free of Flask)."""

from flask_babel import lazy_gettext as _l

from labelapp.applications.states import Action, ApplicationStatus

STATUS_LABELS = {
    ApplicationStatus.DRAFT: _l("draft"), ApplicationStatus.SUBMITTED: _l("submitted"),
    ApplicationStatus.SCREENING: _l("screening"), ApplicationStatus.IN_REVIEW: _l("in review"),
    ApplicationStatus.CLARIFICATION: _l("clarification requested"),
    ApplicationStatus.RECOMMENDED: _l("panel recommended"), ApplicationStatus.AWARDED: _l("awarded"),
    ApplicationStatus.DECLINED: _l("declined"), ApplicationStatus.WITHDRAWN: _l("withdrawn"),
    ApplicationStatus.APPEALED: _l("appealed"),
}
ACTION_LABELS = {
    Action.SUBMIT: _l("Submit the application"), Action.START_SCREENING: _l("Start screening"),
    Action.ACCEPT: _l("Accept: eligible for panel review"), Action.REJECT: _l("Reject as not eligible"),
    Action.REQUEST_CLARIFICATION: _l("Ask for clarification"), Action.ANSWER_CLARIFICATION: _l("Send the answer"),
    Action.RECOMMEND: _l("Record the panel's recommendation"), Action.AWARD: _l("Award the label"),
    Action.DECLINE: _l("Decline"), Action.WITHDRAW: _l("Withdraw the application"),
    Action.APPEAL: _l("Appeal the decision"), Action.TO_NEW_PANEL: _l("Send to a new panel"),
}
