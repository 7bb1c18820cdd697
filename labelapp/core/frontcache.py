"""A response cache in front of the whole app (a WSGI layer), for anonymous GETs of public read-only pages.

A request is answered here, without Flask, sessions, login or the database session, when it is a GET or HEAD
with no cookie (an anonymous visitor in the default language), its path starts with one of the registered
prefixes, and a response for the same host, path and query string, and for ``Accept`` and ``Accept-Encoding``,
was stored under the current change marker. The marker (a counter that database triggers move on every change
to what those pages show) is read by one plain statement on a connection of its own (autocommit, so no
BEGIN/ROLLBACK round trips) at most once per ``interval`` seconds per process: a change shows within that
interval. Everything else, and every miss, goes to the app; only a 200 without ``Set-Cookie``, not marked
private or no-store, without a form token and within the size limit is kept. Conditional requests (ETag,
Last-Modified) are answered with 304 from the stored headers; any other hit is sent as stored, with no
response object made. A streamed body (the CSV) is passed on as it
is made and kept once sent whole.

A host outside TRUSTED_HOSTS never gets a 200 from the app, so it never finds a stored answer either.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from werkzeug.wrappers import Request, Response

# A request with one of these is answered through werkzeug (304, ranges); any other hit as stored, directly.
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
               "HTTP_IF_RANGE", "HTTP_RANGE")
MAX_ENTRIES = 1024
MAX_BYTES = 64 * 1024 * 1024


def kept_when_sent(chunks: Iterable[bytes], limit: int, keep: Callable[[bytes], None]):
    """Pass a response body's chunks on as they come; once all are sent, and if they came to at most ``limit``
    bytes, hand the whole body to ``keep``. The body is closed in any case (WSGI)."""
    kept: list[bytes] | None = []
    size = 0
    try:
        for chunk in chunks:
            size += len(chunk)
            if kept is not None and size <= limit:
                kept.append(chunk)
            else:
                kept = None
            yield chunk
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    if kept is not None:
        keep(b"".join(kept))


class FrontCache:
    def __init__(self, app: Callable, read_marker: Callable[[], object | None], prefixes: Iterable[str],
                 interval: float = 2.0, clock: Callable[[], float] = time.monotonic):
        self.app, self.read_marker, self.prefixes = app, read_marker, tuple(prefixes)
        self.interval, self.clock = interval, clock
        self._marker: object | None = None
        self._read_at = float("-inf")
        self._entries: OrderedDict[tuple, tuple[str, list[tuple[str, str]], bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def marker(self) -> object | None:
        """The change marker, read at most once per interval; None (no caching) if it cannot be read."""
        now = self.clock()
        if now - self._read_at >= self.interval:
            try:
                value = self.read_marker()
            except Exception:  # noqa: BLE001  # the app will answer (and report) a database that is down
                value = None
            with self._lock:
                if value != self._marker:  # what was stored under the old marker is never asked for again
                    self._entries.clear()
                    self._size = 0
                self._marker, self._read_at = value, now
        return self._marker

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0
            self._read_at = float("-inf")

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        path = environ.get("PATH_INFO", "")
        if method not in ("GET", "HEAD") or environ.get("HTTP_COOKIE") or not path.startswith(self.prefixes):
            return self.app(environ, start_response)
        marker = self.marker()
        if marker is None:
            return self.app(environ, start_response)
        # The day is part of the key: whether a label is valid now also depends on the date.
        key = (marker, time.gmtime()[:3], environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST", ""),
               environ.get("SCRIPT_NAME", ""), path, environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT", ""),
               environ.get("HTTP_ACCEPT_ENCODING", ""))
        with self._lock:
            stored = self._entries.get(key)
            if stored is not None:
                self._entries.move_to_end(key)
        if stored is not None:
            status, headers, body = stored
            if method == "GET" and not any(name in environ for name in CONDITIONAL):
                start_response(status, headers)  # as stored: its Content-Length is the body's
                return [body]
            response = Response(body, status=status, headers=headers)
            return response.make_conditional(Request(environ))(environ, start_response)
        return self._fill(key, environ, start_response)

    def _fill(self, key: tuple, environ, start_response):
        seen: dict = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, list(headers)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        body = self.app(environ, capture)
        if environ["REQUEST_METHOD"] != "GET" or not self._storable(seen):
            return body
        return self._kept_when_sent(key, seen, body)

    @staticmethod
    def _storable(seen: dict) -> bool:
        if not seen.get("status", "").startswith("200"):
            return False
        names = {name.lower(): value for name, value in seen["headers"]}
        cache_control = names.get("cache-control", "").lower()
        return "set-cookie" not in names and "no-store" not in cache_control and "private" not in cache_control

    def _kept_when_sent(self, key: tuple, seen: dict, body):
        return kept_when_sent(body, MAX_BYTES, lambda whole: self._store(key, seen, whole))

    def _store(self, key: tuple, seen: dict, whole: bytes) -> None:
        if b"csrf_token" in whole:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._size -= len(previous[2])
            # The Date of the first answer is not kept: the server (or werkzeug for a 304) gives each its own.
            headers = [(name, value) for name, value in seen["headers"]
                       if name.lower() not in ("content-length", "date")]
            self._entries[key] = (seen["status"], [*headers, ("Content-Length", str(len(whole)))], whole)
            self._size += len(whole)
            while self._entries and (len(self._entries) > MAX_ENTRIES or self._size > MAX_BYTES):
                _key, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped[2])
