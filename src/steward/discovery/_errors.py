"""The exceptions ``steward.discovery`` raises.

Every exception derives from ``DiscoveryError``::

    DiscoveryError
    ├── ScanConfigError          a bad option, rule, path or database URL
    └── ReadError                one file, member or table could not be read;
        │                        the scan records it and goes on
        ├── UnreadableError      missing, unreadable or unsupported
        ├── EncryptedError       password-protected
        ├── CorruptError         not what its name or magic says it is
        └── LimitExceededError   refused to protect memory and time
            ├── FileTooLargeError
            ├── ZipBombError     size, compression ratio or nesting
            └── TimeLimitError
"""

from __future__ import annotations


class DiscoveryError(Exception):
    """The base of every error raised by ``steward.discovery``."""


class ScanConfigError(DiscoveryError):
    """A scan was asked for with options that cannot work."""


class ReadError(DiscoveryError):
    """A source could not be read; the report names it with ``kind``."""

    kind = "unreadable"

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments do not survive pickling by default, and
        # errors cross process boundaries when the scan runs on a cluster.
        return (_rebuild, (type(self), self.message, self.path))


def _rebuild(cls: type[ReadError], message: str, path: str) -> ReadError:
    return cls(message, path=path)


class UnreadableError(ReadError):
    """Missing, not readable by this user, or of an unsupported kind."""

    kind = "unreadable"


class EncryptedError(ReadError):
    """The content is encrypted and no password was given."""

    kind = "encrypted"


class CorruptError(ReadError):
    """The bytes do not parse as the format the file claims."""

    kind = "corrupt"


class LimitExceededError(ReadError):
    """Reading further would pass a configured resource limit."""

    kind = "limit"


class FileTooLargeError(LimitExceededError):
    """The file is larger than ``Limits.max_file_bytes``."""

    kind = "too-large"


class ZipBombError(LimitExceededError):
    """An archive would expand too far, too steeply or too deep."""

    kind = "zip-bomb"


class TimeLimitError(LimitExceededError):
    """The file took longer than ``Limits.seconds_per_file``."""

    kind = "time-limit"


def reason(error: BaseException) -> str:
    """What to say about a library's error: its type only. Messages from
    parsers quote the bytes they choked on, which may be personal data."""
    return type(error).__name__
