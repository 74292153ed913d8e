"""Imports every command module so that each registers on ``app``."""

# Each line adds one command group; keep them sorted.
from steward.cli import (
    actions,  # noqa: F401
    check,  # noqa: F401
    controls,  # noqa: F401
    demo,  # noqa: F401
    ledger,  # noqa: F401
    ledger_platform,  # noqa: F401
    run,  # noqa: F401
    scan,  # noqa: F401
    user,  # noqa: F401
    worker,  # noqa: F401
)
