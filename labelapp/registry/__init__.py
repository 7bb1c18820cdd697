"""The public registry: read-only pages about awarded labels (no login)."""
