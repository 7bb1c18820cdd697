"""Helpers for redirects that must stay on this site."""

from urllib.parse import urlsplit

from flask import request, url_for


def safe_next(default_endpoint: str = "pages.home", value: str | None = None) -> str:
    """A local path from ``next`` (form or query), or the default page; never another site."""
    target = value if value is not None else (request.form.get("next") or request.args.get("next") or "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc \
            and "\\" not in target:
        return target
    return url_for(default_endpoint)
