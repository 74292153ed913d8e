"""The public API of steward.discovery is what __all__ names, no more."""

from __future__ import annotations

import subprocess
import sys

import steward.discovery as discovery


def test_exported_names_are_pinned() -> None:
    """Adding or removing a public name is a deliberate change here."""
    assert sorted(discovery.__all__) == sorted([
        "FORMATS", "CorruptError", "Detector", "DiscoveryError",
        "EncryptedError", "EntityTotal", "FileTooLargeError", "Finding",
        "LimitExceededError", "Limits", "Location", "Match", "Problem",
        "Progress", "ReadError", "Report", "Rule", "ScanConfigError",
        "TimeLimitError", "UnreadableError", "Verdict", "ZipBombError",
        "mask", "parse_rules", "register", "registered", "render",
        "scan_paths", "scan_text", "tripped", "unregister",
    ])
    for name in discovery.__all__:
        assert hasattr(discovery, name), name


def test_error_hierarchy() -> None:
    """Every error derives from DiscoveryError; read errors carry a kind."""
    assert issubclass(discovery.ZipBombError, discovery.LimitExceededError)
    assert issubclass(discovery.LimitExceededError, discovery.ReadError)
    assert issubclass(discovery.ReadError, discovery.DiscoveryError)
    assert issubclass(discovery.ScanConfigError, discovery.DiscoveryError)
    assert discovery.EncryptedError("x").kind == "encrypted"


def test_no_django_import() -> None:
    """Importing the library loads no Django module."""
    code = ("import sys, steward.discovery, steward.cli.scan; "
            "print(any(m.startswith('django') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "False"


def test_every_entity_has_a_detector() -> None:
    """The entity names of the issue are all registered."""
    assert {d.entity for d in discovery.registered()} == {
        "UK_NINO", "UK_NHS", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD",
        "IBAN_CODE", "IP_ADDRESS", "PERSON", "UK_POSTCODE",
        "UK_BANK_ACCOUNT", "UK_PASSPORT", "UK_DRIVING_LICENCE", "UK_UTR",
        "UK_VEHICLE_REGISTRATION", "DATE_OF_BIRTH",
    }
