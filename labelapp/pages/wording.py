"""Words for the audit log: what each recorded action and object type is called where a person reads it."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from labelapp.applications.wording import HISTORY_WORDS

AUDIT_ACTIONS = {
    **HISTORY_WORDS,
    "assessment.start": _l("Self-assessment started"),
    "assessment.save": _l("Self-assessment saved"),
    "assessment.submit": _l("Self-assessment submitted"),
    "assessment.reopen": _l("Self-assessment reopened"),
    "evidence.add": _l("Evidence added"),
    "evidence.remove": _l("Evidence removed"),
    "criteria.publish": _l("Criteria version published"),
    "criteria.retire": _l("Criteria version retired"),
    "round.open": _l("Round opened"),
    "round.close": _l("Round closed"),
    "survey.import": _l("Survey wave imported"),
    "panel.assign": _l("Panel formed"),
    "panel.conflict": _l("Conflict of interest declared"),
    "review.save": _l("Review saved"),
    "review.submit": _l("Review submitted"),
    "decision.record": _l("Decision recorded"),
    "decision.release": _l("Decision released"),
    "label.award": _l("Label awarded"),
    "label.valid": _l("Label valid again"),
    "label.expiring": _l("Label expiring soon"),
    "label.expired": _l("Label expired"),
    "label.under_review": _l("Label put under review"),
    "label.revoked": _l("Label revoked"),
    "tie.add": _l("Tie to a municipality added"),
    "tie.remove": _l("Tie to a municipality removed"),
    "tie.removal_requested": _l("Removal of a tie requested"),
    "tie.removal_refused": _l("Removal of a tie refused"),
    "municipalities.load": _l("Municipalities loaded"),
    "user.create": _l("Account created"),
    "user.update": _l("Account changed"),
    "user.invite": _l("Invitation sent"),
    "user.invite_resent": _l("Invitation sent again"),
    "user.logout": _l("Logged out"),
    "user.password_change": _l("Password changed"),
    "user.password_invite": _l("Password set from an invitation"),
    "user.password_reset": _l("Password reset"),
    "user.password_reset_requested": _l("Password reset requested"),
    "user.recovery_code_used": _l("Recovery code used"),
    "user.recovery_codes_replaced": _l("Recovery codes replaced"),
    "user.second_factor_on": _l("Second factor turned on"),
    "user.second_factor_off": _l("Second factor turned off"),
    "login.success": _l("Logged in"),
    "login.failure": _l("Login failed"),
    "login.throttled": _l("Login refused: too many attempts"),
    "login.password_ok": _l("Password accepted, second factor asked"),
    "login.second_factor_failure": _l("Second factor code wrong"),
    "login.second_factor_throttled": _l("Second factor refused: too many attempts"),
}

OBJECT_TYPES = {
    "application": _l("application"), "assessment": _l("self-assessment"), "assessor_tie": _l("assessor's tie"),
    "criteria_version": _l("criteria version"), "decision": _l("decision"), "evidence": _l("evidence"),
    "label": _l("label"), "municipality": _l("municipality"), "review": _l("review"), "round": _l("round"),
    "survey_wave": _l("survey wave"), "user": _l("account"), "appeal": _l("appeal"),
}


def action_words(action: str) -> str:
    """The action in words; one no step has named yet is "another change" (its code is shown beside it)."""
    return str(AUDIT_ACTIONS.get(action, _l("Another change")))


def object_type_words(object_type: str) -> str:
    return str(OBJECT_TYPES.get(object_type, _l("other")))


def actor_words(actor_label: str) -> str:
    """The audit log writes ``anonymous`` for requests without a login and ``cli:<user>`` for commands."""
    if actor_label == "anonymous":
        return _("not logged in")
    if actor_label.startswith("cli:"):
        return _("command line (%(user)s)", user=actor_label.removeprefix("cli:"))
    return actor_label
