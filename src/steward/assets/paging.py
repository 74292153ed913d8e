"""Pages of a long register without counting all of it.

Counting every asset that matches a filter costs a read of every match
(100,000 at government scale, on every page view). A person paging through
a list needs to know only whether there are more pages than they are near,
so the count stops at ``limit`` matches: a few pages beyond the one asked
for, never fewer than ``COUNT_CAP``. The page then says "more than N".
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

COUNT_CAP = 1000
# How many pages past the one asked for the count looks ahead.
LOOK_AHEAD = 10


def _page_number(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


class CappedPaginator(Paginator):
    """A paginator whose count reads at most ``limit + 1`` rows."""

    def __init__(self, object_list: Any, per_page: int, page: Any) -> None:
        super().__init__(object_list, per_page)
        self.limit = max(
            COUNT_CAP, (_page_number(page) + LOOK_AHEAD) * per_page
        )

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by()[: self.limit + 1].count()
        return int(found)

    @property
    def capped(self) -> bool:
        """Whether there are more than ``limit`` matches (the count is
        then ``limit + 1``, not the true number)."""
        return self.count > self.limit
