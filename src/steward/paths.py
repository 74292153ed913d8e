"""Where Steward keeps its files: read before Django starts."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def base_dir() -> Path:
    """The checkout (or STEWARD_HOME): holds node_modules/ for assets."""
    return Path(os.environ.get("STEWARD_HOME", PACKAGE_DIR.parent.parent))


def var_dir() -> Path:
    """Data: the SQLite database, the secret key, mail, static files."""
    return Path(os.environ.get("STEWARD_VAR", base_dir() / "var"))
