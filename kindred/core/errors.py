"""Domain errors: services raise these; views show the message next to the form."""


class DomainError(Exception):
    """A rule of the programme was broken; `message` is safe to show to the person."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
