"""Who may import and read the national resident survey."""

from labelapp.auth.permissions import expose, is_coordinator

can_import_surveys = is_coordinator

expose(can_import_surveys=can_import_surveys)
