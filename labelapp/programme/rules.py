"""Who may publish good practice and print the programme report."""

from __future__ import annotations

from typing import Any

from labelapp.auth.permissions import Rule, expose, is_coordinator, is_staff
from labelapp.programme.states import ExampleAction, allowed

can_publish_examples: Rule = is_staff
can_print_programme_report: Rule = is_coordinator


def can_withdraw_example(user: Any, example: Any, check_state: bool = True) -> bool:
    """The staff of the example's municipality, while it is published."""
    return (is_staff(user) and user.municipality_id == example.municipality_id
            and (not check_state or allowed(example.state, ExampleAction.WITHDRAW)))


expose(can_publish_examples=can_publish_examples, can_print_programme_report=can_print_programme_report,
       can_withdraw_example=can_withdraw_example)
