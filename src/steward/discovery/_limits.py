"""Resource limits that keep a scan bounded in memory and time."""

from __future__ import annotations

import time
from dataclasses import dataclass

from steward.discovery._errors import TimeLimitError

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds applied to every source.

    ``max_file_bytes`` caps a file read whole (plain text, JSON, office
    documents, PDF; CSV and Parquet are read in parts and only capped by
    ``max_table_bytes``). ``max_expanded_bytes`` caps what one archive may
    expand to in total, ``max_ratio`` the compression ratio of any member
    and ``max_depth`` how deep archives may nest (zip bombs).
    """

    max_file_bytes: int = 256 * MIB
    max_table_bytes: int = 64 * 1024 * MIB
    max_expanded_bytes: int = 512 * MIB
    max_ratio: float = 200.0
    max_depth: int = 3
    seconds_per_file: float = 300.0


class Deadline:
    """Raises ``TimeLimitError`` once a source has taken too long."""

    __slots__ = ("path", "seconds", "until")

    def __init__(self, seconds: float, path: str) -> None:
        self.path = path
        self.seconds = seconds
        self.until = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.until:
            raise TimeLimitError(
                f"{self.path}: stopped after {self.seconds:g} s, the time "
                "limit per file; raise it with Limits(seconds_per_file=...)",
                path=self.path,
            )
