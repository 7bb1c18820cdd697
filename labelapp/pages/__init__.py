"""Pages that gather the others: home, the dashboard, the audit log and the outbox."""
