"""Starting Django from the command line."""

from __future__ import annotations

import os
import secrets

from steward import paths


def ensure_secret_key() -> None:
    """Create var/secret_key once, with a random value, unless the key is
    given in the environment. Settings read it from there."""
    if os.environ.get("STEWARD_SECRET_KEY"):
        return
    key_file = paths.var_dir() / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)


def setup(*, create_key: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    if create_key:
        ensure_secret_key()
    import django

    django.setup()
