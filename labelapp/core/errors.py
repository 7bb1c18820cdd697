class DomainError(ValueError):
    """A request that the rules do not allow; the message is written for the person who made it."""

    status = 422  # the HTTP status of the page that shows the message again


class TooLarge(DomainError):
    """An upload over its size limit: refused with 413 Content Too Large, and nothing of it kept."""

    status = 413
