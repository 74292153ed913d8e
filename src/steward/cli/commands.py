"""Imports every command module so that each registers on ``app``."""

# Each line adds one command group; keep them sorted.
from steward.cli import check  # noqa: F401
from steward.cli import demo  # noqa: F401
from steward.cli import ledger  # noqa: F401
from steward.cli import run  # noqa: F401
from steward.cli import scan  # noqa: F401
from steward.cli import user  # noqa: F401
from steward.cli import worker  # noqa: F401
