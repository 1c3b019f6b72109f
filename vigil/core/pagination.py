"""Paginating lists the same way on every page."""

from __future__ import annotations

from django.core.paginator import Paginator

DEFAULT_PER_PAGE = 50


def paginate(request, queryset, *, per_page: int = DEFAULT_PER_PAGE):
    """The page of `queryset` named by ?page= (the first page for a bad value, the last for
    one past the end)."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def sort_param(request, allowed: dict[str, str], default: str) -> tuple[str, str]:
    """(key as given, ORDER BY field) for ?sort=key or -key, restricted to `allowed`."""
    raw = request.GET.get("sort", default)
    key = raw.lstrip("-")
    if key not in allowed:
        raw, key = default, default.lstrip("-")
    field = allowed[key]
    return raw, ("-" + field if raw.startswith("-") else field)
