"""Helpers for redirects that must stay on this site."""

import re
from urllib.parse import urlsplit

from flask import request, url_for

# C0 and C1 controls and DEL: a newline in a Location header is a 500 (or, elsewhere, a header injection).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe_next(default_endpoint: str = "pages.home", value: str | None = None) -> str:
    """A local path from ``next`` (form or query), or the default page; never another site."""
    target = value if value is not None else (request.form.get("next") or request.args.get("next") or "")
    if _is_local_path(target):
        return target
    return url_for(default_endpoint)


def _is_local_path(target: str) -> bool:
    if not target.startswith("/") or target.startswith("//") or "\\" in target or _CONTROL.search(target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
