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
