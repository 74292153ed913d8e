"""Detectors, one module per family of identifiers.

Importing this package registers every built-in detector. See ``_base`` for
the interface a new identifier type implements.
"""

from steward.discovery.detectors import (  # noqa: F401  (registration)
    contact,
    dates,
    financial,
    government,
    names,
    places,
    vehicles,
)
from steward.discovery.detectors._base import (
    Detector,
    Verdict,
    register,
    registered,
    unregister,
)

__all__ = ["Detector", "Verdict", "register", "registered", "unregister"]
