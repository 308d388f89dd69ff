"""Domain errors raised by services; views and the API turn them into messages and status codes.

Services write their messages with `lazy_gettext` so they are extracted and shown translated.
"""


class DomainError(Exception):
    """A business rule refused the request; `message` is safe to show to the user."""

    status_code = 400
    code = "invalid"

    def __init__(self, message, **details):
        # `message` may be a lazy_gettext string: translated when it is shown.
        super().__init__(str(message))
        self.message = message
        self.details = details


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class IllegalTransition(Conflict):
    code = "illegal_transition"
