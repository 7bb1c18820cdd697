"""Interface words for action statuses and steps (kept apart so that states.py stays free of Flask)."""

from flask_babel import lazy_gettext as _l

from labelapp.improvement.states import ActionStatus, ActionStep

STATUS_WORDS = {ActionStatus.PLANNED: _l("planned"), ActionStatus.IN_PROGRESS: _l("in progress"),
                ActionStatus.DONE: _l("done"), ActionStatus.DROPPED: _l("dropped")}
STEP_WORDS = {ActionStep.START: _l("Start"), ActionStep.COMPLETE: _l("Mark as done"),
              ActionStep.DROP: _l("Drop"), ActionStep.REOPEN: _l("Take up again")}
