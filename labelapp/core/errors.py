class DomainError(ValueError):
    """A request that the rules do not allow; the message is written for the person who made it."""
