"""Who may manage criteria versions and rounds."""

from labelapp.auth.permissions import expose, is_coordinator

can_manage_criteria = is_coordinator

expose(can_manage_criteria=can_manage_criteria)
