"""Whole responses of public registry lists, cached per worker process for anonymous visitors.

Only views whose content comes from labels, municipalities and (immutable) criteria versions use this: the
cache key holds the registry change marker that database triggers move on every change to those tables, so a
change shows on the next request in every worker. Responses that changed the session, hold a form token or
are not 200 are never stored, nor are any for logged-in users or with a message waiting to be shown; security
headers are added afresh to every response. A streamed response (the CSV) is sent as it is made and kept once
it has been sent whole, if it fits: the cache holds at most MAX_BYTES of bodies.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from flask import Response, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user

from labelapp.core.frontcache import kept_when_sent
from labelapp.registry import queries

MAX_PAGES = 256
MAX_BYTES = 64 * 1024 * 1024
_pages: OrderedDict[tuple, tuple[int, list[tuple[str, str]], bytes]] = OrderedDict()
_lock = threading.Lock()


# Public read-only pages that the front cache (core/frontcache.py) may answer for anonymous visitors.
FRONT_PREFIXES = ("/registry", "/badge/", "/verify/", "/api/v1/labels", "/api/v1/municipalities/")


def marker_reader(engine) -> Callable[[], int | None]:
    """Reads the registry change marker in one round trip: a plain statement on a pooled connection put in
    autocommit mode for it (no BEGIN; returned idle, so the pool's reset sends no ROLLBACK either)."""
    postgres = engine.dialect.name == "postgresql"

    def read() -> int | None:
        connection = engine.raw_connection()
        try:
            if postgres:
                connection.dbapi_connection.autocommit = True
            cursor = connection.cursor()
            # A constant statement (registry_change is RegistryChange's table); nothing is formatted into it.
            cursor.execute("SELECT counter FROM registry_change WHERE id = 1")
            row = cursor.fetchone()
            cursor.close()
            if postgres:
                connection.dbapi_connection.autocommit = False
        except Exception:
            connection.invalidate()  # never back to the pool in autocommit mode
            raise
        finally:
            connection.close()
        return None if row is None else row[0]

    return read


def anonymous_page(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.method != "GET" or current_user.is_authenticated or "_flashes" in session:
            return view(*args, **kwargs)
        version = queries.registry_version()
        if version is None:
            return view(*args, **kwargs)
        key = (version, request.url, str(get_locale()))
        with _lock:
            stored = _pages.get(key)
            if stored is not None:
                _pages.move_to_end(key)
        if stored is not None:
            status, headers, body = stored
            return Response(body, status=status, headers=headers).make_conditional(request)
        modified_before = session.modified
        response = make_response(view(*args, **kwargs))
        if response.status_code != 200 or session.modified != modified_before or response.direct_passthrough:
            return response
        if response.is_streamed:
            headers = list(response.headers.items())
            response.response = kept_when_sent(response.response, MAX_BYTES,
                                               lambda body: _store(key, headers, body))
        elif b"csrf_token" not in response.get_data():
            _store(key, list(response.headers.items()), response.get_data())
        return response

    return wrapper


def _store(key: tuple, headers: list[tuple[str, str]], body: bytes) -> None:
    if len(body) > MAX_BYTES:
        return
    headers = [(name, value) for name, value in headers if name.lower() != "date"]  # made afresh when sent
    with _lock:
        _pages[key] = (200, headers, body)
        while len(_pages) > MAX_PAGES or sum(len(stored[2]) for stored in _pages.values()) > MAX_BYTES:
            _pages.popitem(last=False)




def conditional(response: Response, last_modified=None, max_age: int = 60) -> Response:
    """A strong ETag of the body (and Last-Modified when known), publicly cacheable for ``max_age`` seconds; an
    unchanged answer is not sent again (304)."""
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response.make_conditional(request)
