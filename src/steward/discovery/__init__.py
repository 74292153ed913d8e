"""Finding UK personal data in files, archives and databases.

A plain library: nothing here imports Django. The public API is what
``__all__`` names; modules starting with ``_`` are private.

    >>> from steward.discovery import scan_text
    >>> [m.entity for m in scan_text("NI number QQ 12 34 56 C")]
    []
    >>> [m.entity for m in scan_text("NI number AB 12 34 56 C")]
    ['UK_NINO']

``scan_paths`` scans files, directories and SQLAlchemy URLs into a
``Report`` that holds counts, keyed-hash distinct counts and masked samples,
never a raw value. A new identifier type is one ``Detector`` subclass and
one ``register`` call (see ``steward.discovery.detectors``).

Errors are drawn in ``steward.discovery._errors``::

    DiscoveryError
    ├── ScanConfigError
    └── ReadError
        ├── UnreadableError
        ├── EncryptedError
        ├── CorruptError
        └── LimitExceededError
            ├── FileTooLargeError
            ├── ZipBombError
            └── TimeLimitError
"""

from steward.discovery._engine import scan_text
from steward.discovery._errors import (
    CorruptError,
    DiscoveryError,
    EncryptedError,
    FileTooLargeError,
    LimitExceededError,
    ReadError,
    ScanConfigError,
    TimeLimitError,
    UnreadableError,
    ZipBombError,
)
from steward.discovery._gate import Rule, parse_rules, tripped
from steward.discovery._limits import Limits
from steward.discovery._masking import mask
from steward.discovery._match import Match
from steward.discovery._scan import Progress, scan_paths
from steward.discovery.detectors import (
    Detector,
    Verdict,
    register,
    registered,
    unregister,
)
from steward.discovery.formats import FORMATS, render
from steward.discovery.report import (
    EntityTotal,
    Finding,
    Location,
    Problem,
    Report,
)

__all__ = [
    "FORMATS",
    "CorruptError",
    "Detector",
    "DiscoveryError",
    "EncryptedError",
    "EntityTotal",
    "FileTooLargeError",
    "Finding",
    "LimitExceededError",
    "Limits",
    "Location",
    "Match",
    "Problem",
    "Progress",
    "ReadError",
    "Report",
    "Rule",
    "ScanConfigError",
    "TimeLimitError",
    "UnreadableError",
    "Verdict",
    "ZipBombError",
    "mask",
    "parse_rules",
    "register",
    "registered",
    "render",
    "scan_paths",
    "scan_text",
    "tripped",
    "unregister",
]
