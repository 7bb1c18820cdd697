"""Who may read the audit log and the outbox."""

from labelapp.auth.permissions import expose, is_coordinator

can_read_audit_log = is_coordinator
can_manage_outbox = is_coordinator

expose(can_read_audit_log=can_read_audit_log, can_manage_outbox=can_manage_outbox)
