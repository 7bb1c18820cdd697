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

# What the application's history says for each audited event; later steps add their own (``HISTORY_WORDS.update``
# in their views module). An event without words is shown as "another change", never as its code.
HISTORY_WORDS = {
    "application.create": _l("The application was prepared"),
    "application.publication": _l("The choice to publish the self-assessment changed"),
    "application.submit": _l("The application was submitted"),
    "application.start_screening": _l("Screening started"),
    "application.accept": _l("Accepted for the panel's review"),
    "application.reject": _l("Rejected as not eligible"),
    "application.request_clarification": _l("The panel asked for clarification"),
    "application.answer_clarification": _l("The municipality answered the panel's question"),
    "application.recommend": _l("The panel recorded its recommendation"),
    "application.award": _l("The label was awarded"),
    "application.decline": _l("The application was declined"),
    "application.withdraw": _l("The application was withdrawn"),
    "application.appeal": _l("The decision was appealed"),
    "application.to_new_panel": _l("The appeal was sent to a new panel"),
}


def history_words(action: str) -> str:
    return str(HISTORY_WORDS.get(action, _l("Another change")))
