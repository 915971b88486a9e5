"""One page of a longer list, with its links: lists, the review queue, the quality report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    num_pages: int
    count: int
    start_index: int
    end_index: int
    previous_url: str
    next_url: str

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def cut_page(selected: list[T], asked: int, per_page: int, url_of: Callable[[int], str]) -> Page[T]:
    """Page `asked` (clamped to the last) of `selected`; url_of(n) is page n's address."""
    count = len(selected)
    num_pages = max(1, -(-count // per_page))
    number = min(max(asked, 1), num_pages)
    start = (number - 1) * per_page
    page_items = selected[start : start + per_page]
    return Page(
        items=page_items,
        number=number,
        num_pages=num_pages,
        count=count,
        start_index=start + 1 if page_items else 0,
        end_index=start + len(page_items),
        previous_url=url_of(number - 1) if number > 1 else "",
        next_url=url_of(number + 1) if number < num_pages else "",
    )
