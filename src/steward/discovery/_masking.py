"""Masking: the only form in which a found value leaves a worker.

A masked value keeps its separators and at most a few of its letters and
digits, so that a reader can tell "a NINO starting QQ 12" from another
without learning the number: ``QQ 12 34 56 C`` becomes ``QQ 12 ** ** C``.
At least half of the letters and digits (rounded down), and never fewer than
four, are always hidden.
"""

from __future__ import annotations

MASK = "*"


def mask(value: str, keep: tuple[int, int]) -> str:
    """``value`` with all but ``keep`` (head, tail) letters and digits
    replaced by ``*``, within the bound ``allowed`` sets."""
    positions = [i for i, char in enumerate(value) if char.isalnum()]
    budget = min(keep[0] + keep[1], allowed(len(positions)))
    head = min(keep[0], budget)
    tail = min(keep[1], budget - head)
    visible = set(positions[:head])
    if tail:
        visible.update(positions[-tail:])
    return "".join(
        char if i in visible or not char.isalnum() else MASK
        for i, char in enumerate(value)
    )


def allowed(length: int) -> int:
    """How many of ``length`` letters and digits may stay visible."""
    return max(0, length - max(4, length // 2))


def visible_count(masked: str) -> int:
    """How many letters and digits a masked value still shows."""
    return sum(1 for char in masked if char.isalnum())
