"""Paging the portfolio: page numbers that read only the rows of the page, and keyset (cursor) pages whose cost
does not grow with depth."""

from __future__ import annotations

import base64
import binascii
import json
import operator
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.filters import INT_BOUND

from .selectors import PORTFOLIO_ORDER

if TYPE_CHECKING:
    from django.core.paginator import Page
    from django.db.models import QuerySet
    from rest_framework.request import Request


class KeysFirstPaginator(Paginator):
    """Reads the ids of a page first (on PostgreSQL an index-only scan, however deep the page; from the end of the
    order for a page nearer the end), then only that page's rows, in one query (the ids a subquery). `count` may be given when the caller knows it (the page's chart counts every row)."""

    def __init__(self, *args: Any, count: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # `count` is a cached_property: this is its cached value

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values_list("pk", flat=True)  # a subquery: one query for the page
        if bottom > self.count - top and self._total_order():
            # Nearer the end than the start: read back from the end (the same rows; half the index at most).
            ids = ids.reverse()[self.count - top : self.count - bottom]
        else:
            ids = ids[bottom:top]
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)

    def _total_order(self) -> bool:
        """Whether the rows' order ends with the id, so that no two rows tie and the order read backwards is the
        same order reversed."""
        order = getattr(self.object_list, "query", None) and self.object_list.query.order_by
        return bool(order) and str(order[-1]).lstrip("-") in ("id", "pk")


def _beyond(values: list[Any], backwards: bool) -> Q:
    """Rows after (before, backwards) the row with these PORTFOLIO_ORDER values. The leading `>=` on the first
    column gives the database an index range to start from instead of a filter over every row."""
    gt, ge = ("lt", "lte") if backwards else ("gt", "gte")
    terms = [
        Q(**dict(zip(PORTFOLIO_ORDER[:i], values[:i], strict=True)), **{f"{field}__{gt}": values[i]})
        for i, field in enumerate(PORTFOLIO_ORDER)
    ]
    return Q(**{f"{PORTFOLIO_ORDER[0]}__{ge}": values[0]}) & reduce(operator.or_, terms)


class PortfolioPagination(PageNumberPagination):
    """`?page=N` (with `count`), or keyset pages for clients that walk the whole portfolio: `?cursor=` (empty)
    for the first page, then the `next` and `previous` links (no `count`; a deep page costs what the first
    does). Cursor pages keep the portfolio order (partner, country, credential): no `sort` or `ordering`."""

    django_paginator_class = KeysFirstPaginator
    cursor_query_param = "cursor"
    cursor_query_description = (
        "Keyset paging: empty for the first page, then the cursor in `next` or `previous` (no `count` in the "
        "answer). Not with `page`, `sort` or `ordering`."
    )

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: Any = None) -> list[Any] | None:
        self.keyset = self.cursor_query_param in request.query_params
        if not self.keyset:
            return super().paginate_queryset(queryset, request, view)
        clashing = [p for p in (self.page_query_param, "sort", "ordering") if request.query_params.get(p)]
        if clashing:
            raise ValidationError({self.cursor_query_param: [f"Not with {', '.join(clashing)}."]})
        self.request = request
        backwards, key = self._decode(request.query_params[self.cursor_query_param])
        size = self.get_page_size(request) or 50
        order = [f"-{f}" for f in PORTFOLIO_ORDER] if backwards else list(PORTFOLIO_ORDER)
        rows = queryset.order_by(*order)
        if key is not None:
            rows = rows.filter(_beyond(key, backwards))
        found = list(rows[: size + 1])
        more, page = len(found) > size, found[:size]
        if backwards:
            page.reverse()
        self.next_key = self._key(page[-1]) if page and (more or backwards) else None
        self.previous_key = self._key(page[0]) if page and (more if backwards else key is not None) else None
        return page

    def get_paginated_response(self, data: Any) -> Response:
        if not self.keyset:
            return super().get_paginated_response(data)
        return Response(
            {"next": self._link(self.next_key, False), "previous": self._link(self.previous_key, True), "results": data}
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        out = super().get_paginated_response_schema(schema)
        out["required"] = ["results"]  # no count on cursor pages
        return out

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        cursor = {
            "name": self.cursor_query_param,
            "required": False,
            "in": "query",
            "description": self.cursor_query_description,
            "schema": {"type": "string"},
        }
        return [*super().get_schema_operation_parameters(view), cursor]

    @staticmethod
    def _key(row: Any) -> list[Any]:
        return [getattr(row, f) for f in PORTFOLIO_ORDER]

    def _link(self, key: list[Any] | None, backwards: bool) -> str | None:
        if key is None:
            return None
        cursor = base64.urlsafe_b64encode(json.dumps([int(backwards), *key]).encode()).decode()
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def _decode(self, raw: str) -> tuple[bool, list[Any] | None]:
        if not raw:
            return False, None
        try:
            backwards, *key = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")))
        except (ValueError, TypeError, RecursionError, binascii.Error):
            key = []
            backwards = None
        names_ok = len(key) == 4 and all(isinstance(v, str) and len(v) <= 200 and "\x00" not in v for v in key[:3])
        if backwards not in (0, 1) or not names_ok or type(key[3]) is not int or not 0 <= key[3] <= INT_BOUND**2:
            raise ValidationError({self.cursor_query_param: ["Invalid cursor: use the `next` or `previous` link."]})
        return bool(backwards), key
