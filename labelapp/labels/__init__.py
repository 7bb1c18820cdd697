"""Decisions and the labels they create: release, the label lifecycle table (expiry, reminders, review,
revocation) and appeals."""
