"""One way to page every API list: `?page=&page_size=` in, `{items, count, page, page_size, next}` out.

Declare the operation's 200 answer as a list of the item schema and decorate it with `@paginated`; the view
returns the whole (lazy) queryset or list and the page is cut here. The OpenAPI document names the answer
`Paged<ItemSchema>`:

    @router.get("/members", response={200: list[MemberSummaryOut], **ERRORS})
    @paginated
    def member_list(request, filters: Query[MemberFilterIn]): ...

A view whose list length is already known returns a `core.pagination.Counted`: the count is taken from it and
the queryset is only sliced.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase, paginate

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Far beyond any last page; a larger number answers 422 API-VALIDATION, one within it past the end an empty page.
MAX_PAGE = 2**31 - 1


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="1 for the first page")
        page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page")

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="Items on all pages")
        page: int
        page_size: int
        next: int | None = Field(..., description="The next page's number; null on the last page")

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> dict[str, Any]:
        start = (pagination.page - 1) * pagination.page_size
        count = self._items_count(queryset)
        return {
            # Past the last page: no slice at all (an offset beyond the database's integers would fail).
            "items": queryset[start : start + pagination.page_size] if start < count else [],
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "next": pagination.page + 1 if start + pagination.page_size < count else None,
        }


paginated = paginate(PagePagination)
