"""Who may read the audit log and the outbox, and who is shown the panels below the minimum size."""

from labelapp.auth.permissions import expose, is_coordinator

can_read_audit_log = is_coordinator
can_manage_outbox = is_coordinator
sees_short_panels = is_coordinator  # they complete the panels

expose(can_read_audit_log=can_read_audit_log, can_manage_outbox=can_manage_outbox)
