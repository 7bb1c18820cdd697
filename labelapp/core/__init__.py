"""Shared pieces that import no feature: column types, errors, audit log, outbox, uploads, security headers,
backups."""
