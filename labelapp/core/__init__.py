"""Shared pieces: column types, audit log, outbox, security headers, base pages."""
