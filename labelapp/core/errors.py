class DomainError(ValueError):
    """A request that the rules do not allow; the message is written for the person who made it."""

    status = 422  # the HTTP status of the page that shows the message again


class TooLarge(DomainError):
    """An upload over its size limit: refused with 413 Content Too Large, and nothing of it kept."""

    status = 413


REASON_MIN_LENGTH = 10  # characters: reasons are read in full by the municipality or the public


def has_reason(text: str | None, minimum: int = REASON_MIN_LENGTH) -> bool:
    """Whether ``text`` gives a reason of at least ``minimum`` characters (blank space does not count)."""
    return len((text or "").strip()) >= minimum


class StaleState(Exception):  # noqa: N818  (named for what the person meets, like DomainError)
    """A step that the object's current state no longer allows: a page left open, a double submit, a crafted
    request. Answered with 409 and a page (or RFC 9457 JSON) saying what the state is now; nothing changes.

    Not a DomainError on purpose: it is never shown on a form field, and the form helpers let it through.
    """

    status = 409

    def __init__(self, message: str, back_url: str | None = None, back_label: str | None = None):
        super().__init__(message)
        self.back_url, self.back_label = back_url, back_label
