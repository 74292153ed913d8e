"""Domain exceptions, mapped to HTTP responses in one place each for the
web pages (``steward.common.middleware``) and the API (``steward.api``).

    StewardError
    ├── NotFound        the record does not exist or is outside the
    │                   viewer's reach (404: its existence is not revealed)
    ├── Forbidden       the viewer can see it but their role may not do
    │                   this (403)
    └── Invalid         the input is wrong; ``errors`` maps each field to
                        what is wrong with it (400); nothing was changed
"""

from __future__ import annotations


class StewardError(Exception):
    pass


class NotFound(StewardError):
    def __init__(self, what: str = "record") -> None:
        super().__init__(f"No such {what}")
        self.what = what


class Forbidden(StewardError):
    def __init__(self, message: str = "Your role does not allow this") -> None:
        super().__init__(message)


class Invalid(StewardError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
