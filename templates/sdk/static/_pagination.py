"""Lazy iteration over paged list operations: one request per page, only when iteration reaches it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")
P = TypeVar("P")


class PageInfo(NamedTuple, Generic[T]):
    """What a page says about itself; None where the page model does not say it."""

    items: Sequence[T]
    page_number: int | None
    page_size: int | None
    total: int | None


def is_last_page(info: PageInfo[T], requested_size: int | None) -> bool:
    """An empty page, a page that reaches the reported total, or a short page ends the walk."""
    if not info.items:
        return True
    if info.total is not None and info.page_number is not None and info.page_size:
        if info.page_number * info.page_size >= info.total:
            return True
    size = requested_size or info.page_size
    return size is not None and len(info.items) < size


def is_repeated(info: PageInfo[T], previous: PageInfo[T] | None) -> bool:
    """A page that is the page before (a server that ignores the page asked for, or a mock that serves one
    example): the walk ends there, rather than going round that page for ever. A page that numbers itself
    is the one before when its number is; one that does not, when its items are."""
    if previous is None:
        return False
    if info.page_number is not None:
        return info.page_number == previous.page_number
    return list(info.items) == list(previous.items)


class SyncPager(Generic[P, T]):
    """Iterates every item across pages; `pages()` yields the page models themselves."""

    def __init__(
        self, fetch: Callable[[int], P], read: Callable[[P], PageInfo[T]], *, start: int, page_size: int | None
    ) -> None:
        self._fetch = fetch
        self._read = read
        self._start = start
        self._page_size = page_size

    def pages(self) -> Iterator[P]:
        """Each page in turn, fetched when the previous one has been consumed."""
        number, previous = self._start, None
        while True:
            page = self._fetch(number)
            info = self._read(page)
            if is_repeated(info, previous):
                return
            yield page
            if is_last_page(info, self._page_size):
                return
            number, previous = number + 1, info

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from self._read(page).items


class AsyncPager(Generic[P, T]):
    """Iterates every item across pages with `async for`; `pages()` yields the page models."""

    def __init__(
        self,
        fetch: Callable[[int], Awaitable[P]],
        read: Callable[[P], PageInfo[T]],
        *,
        start: int,
        page_size: int | None,
    ) -> None:
        self._fetch = fetch
        self._read = read
        self._start = start
        self._page_size = page_size

    async def pages(self) -> AsyncIterator[P]:
        """Each page in turn, fetched when the previous one has been consumed."""
        number, previous = self._start, None
        while True:
            page = await self._fetch(number)
            info = self._read(page)
            if is_repeated(info, previous):
                return
            yield page
            if is_last_page(info, self._page_size):
                return
            number, previous = number + 1, info

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in self._read(page).items:
                yield item
