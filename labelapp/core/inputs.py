"""Numbers and text from the URL, checked before any view sees them.

Ids in paths go through ``<int:...>``, which here matches only ASCII digits up to the largest INTEGER that
PostgreSQL stores (2^31-1), so a larger id is a 404 like any missing one instead of an OverflowError or
"integer out of range" in the database driver. Path segments
(``<name>``) never match control characters (PostgreSQL cannot compare text holding NUL). Query parameters
may not hold control characters, and the numeric ones (``page``, ``per_page``, ``year``) must be ASCII digits
within their range: anything else is a 400 that names the parameter (InvalidParameter; under /api/ the answer
is RFC 9457 problem details with ``invalid-params``).
"""

from flask import Flask, request
from flask_babel import gettext
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, UnicodeConverter

from labelapp.core.forms import INT_MAX, control_character

# Query parameters read as numbers anywhere in the app -> (smallest, largest) value accepted.
INTEGER_ARGS = {"page": (1, 1_000_000), "per_page": (1, 1000), "year": (1, 9999)}


class InvalidParameter(BadRequest):
    """400 for one query parameter whose value is not accepted; ``param`` and ``reason`` say which and why."""

    def __init__(self, name: str, reason: str):
        super().__init__(gettext("The parameter “%(name)s” is not valid: %(reason)s", name=name, reason=reason))
        self.param, self.reason = name, reason


class Id(IntegerConverter):
    """``<int:...>``: ASCII digits only (not ``²`` or other Unicode digits), at most 2^31-1."""

    # Up to 2^31-1 = 2147483647 in the pattern itself: a larger number matches no rule at all. (Checked only in
    # to_python, it would let a GET-only rule of the same path answer a POST with 405 instead of 404.)
    regex = (r"(?:[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}|2147[0-3][0-9]{5}"
             r"|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}|21474836[0-3][0-9]|214748364[0-7])")

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 0, max: int | None = None,  # noqa: A002
                 signed: bool = False):
        limit = INT_MAX if max is None or max > INT_MAX else max
        super().__init__(map, fixed_digits, min, limit, signed)


class Segment(UnicodeConverter):
    """``<name>`` / ``<string:name>``: one path segment without control characters."""

    def __init__(self, map, minlength: int = 1, maxlength: int | None = None, length: int | None = None):
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f-\x9f]")


def register_converters(app: Flask) -> None:
    """Before any blueprint: the rules are compiled with the converters present when they are added."""
    app.url_map.converters.update({"int": Id, "default": Segment, "string": Segment})


def register_query_checks(app: Flask) -> None:
    @app.before_request
    def _check_query():
        for name, values in request.args.lists():
            for value in (name, *values):
                if control_character(value):
                    raise InvalidParameter(name, gettext("control characters are not allowed"))
            if name in INTEGER_ARGS:
                low, high = INTEGER_ARGS[name]
                for value in values:
                    if value and not (len(value) <= 9 and value.isascii() and value.isdigit()
                                      and low <= int(value) <= high):
                        raise InvalidParameter(name, gettext("a whole number from %(low)d to %(high)d is expected",
                                                             low=low, high=high))


def refuse_unknown(allowed) -> None:
    """A 400 naming the first query parameter that is not in ``allowed`` (for the API, where a misspelt filter
    silently ignored would give a client the wrong data)."""
    for name in request.args:
        if name not in allowed:
            known = ", ".join(sorted(allowed))
            raise InvalidParameter(name, gettext("this parameter is not known here; known ones: %(names)s",
                                                 names=known) if known else
                                   gettext("this address takes no parameters"))
