"""Limit/offset pagination for the API's lists, with a hard ceiling on the page size."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500


class Pagination(LimitOffsetPagination):
    """`limit` (1–500, default NINJA_PAGINATION_PER_PAGE) and `offset`; the response has `count`."""

    class Input(Schema):
        # Over-large pages are refused (422) rather than silently cut, so that a client asking
        # for 1000 rows learns the ceiling instead of believing it got them all.
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
