"""Typed readers for settings that come from the environment.

Each raises ``ImproperlyConfigured`` naming the variable when its value
cannot be read, so that a bad deployment fails at start-up, not later.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of true/false/yes/no/1/0, not {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}"
        ) from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def env_duration(name: str, default: timedelta) -> timedelta:
    """A whole number with a unit: ``90s``, ``30m``, ``6h`` or ``1d``."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    match = _DURATION.match(raw.lower())
    if match is None:
        raise ImproperlyConfigured(
            f"{name} must be a whole number and a unit (s, m, h or d), "
            f"like 30m or 1d, not {raw!r}"
        )
    return timedelta(**{_UNITS[match[2]]: int(match[1])})
