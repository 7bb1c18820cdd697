"""Who may work on an improvement plan: the municipality's own staff, and only on open actions' texts."""

from __future__ import annotations

from typing import Any

from labelapp.auth.permissions import expose, is_staff
from labelapp.improvement.states import OPEN, ActionStep, allowed_steps

can_plan = is_staff  # each member of staff works on their own municipality's plan only (the views load it)


def owns(user: Any, thing: Any) -> bool:
    """``thing`` (a point or an action) belongs to the staff member's own municipality."""
    return is_staff(user) and user.municipality_id == thing.municipality_id


def can_edit_action(user: Any, action: Any, check_state: bool = True) -> bool:
    return owns(user, action) and (not check_state or action.status in OPEN)


def can_take_step(user: Any, action: Any, step: ActionStep, check_state: bool = True) -> bool:
    return owns(user, action) and (not check_state or step in allowed_steps(action.status))


expose(can_plan=can_plan, can_edit_action=can_edit_action, can_take_step=can_take_step)
