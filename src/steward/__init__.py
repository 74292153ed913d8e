"""Steward: data-handling assurance for UK government.

The package holds the plain engines (``steward.ledger``,
``steward.discovery``), which import nothing from Django, and the Django
platform (``steward.settings`` and one app per bounded context).
"""

__version__ = "0.1.0"
