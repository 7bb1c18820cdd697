import pytest

from labelapp.applications.states import (
    TRANSITIONS,
    Action,
    ApplicationStatus,
    TransitionError,
    allowed_actions,
    next_status,
)


def test_the_main_path_is_allowed():
    status = ApplicationStatus.DRAFT
    for action in (Action.SUBMIT, Action.START_SCREENING, Action.ACCEPT, Action.REQUEST_CLARIFICATION,
                   Action.ANSWER_CLARIFICATION, Action.RECOMMEND, Action.AWARD):
        status = next_status(status, action)
    assert status == ApplicationStatus.AWARDED


@pytest.mark.parametrize("status", list(ApplicationStatus))
@pytest.mark.parametrize("action", list(Action))
def test_every_pair_not_in_the_table_raises(status, action):
    if (status, action) in TRANSITIONS:
        assert next_status(status, action) == TRANSITIONS[(status, action)]
    else:
        with pytest.raises(TransitionError):
            next_status(status, action)


def test_final_states_allow_nothing_and_a_decline_only_an_appeal():
    for status in (ApplicationStatus.AWARDED, ApplicationStatus.WITHDRAWN):
        assert allowed_actions(status) == []
    assert allowed_actions(ApplicationStatus.DECLINED) == [Action.APPEAL]
