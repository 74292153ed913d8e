"""API pagination with both ends bounded."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Far beyond any register's size, and inside every database's integers.
MAX_OFFSET = 1_000_000_000


class Pages(LimitOffsetPagination):
    """ninja's limit/offset pages, refusing an offset no register could
    reach (a huge one once overflowed SQLite)."""

    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE,
            ge=1,
            le=settings.NINJA_PAGINATION_MAX_LIMIT,
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
