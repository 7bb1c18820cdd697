"""Versioned criteria files: schema, loading and validation, publication, rounds, scoring."""
