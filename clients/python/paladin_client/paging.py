"""Walking paged calls (docs/protocol.md §14.1): History, Search, ListSessions, ListRuns,
ListPaladins and ListBattalions return one page and a `next_page_token`; these helpers feed the
token back until the last page.

    from paladin_client.paging import pages, items
    for page in pages(conn.garrison.list_sessions, limit=100):
        ...
    every_run = items(conn.battalion.list_runs, "runs", battalion="review")
    whole = history(conn.garrison, "s1")      # the whole session, oldest first
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Callable, Iterator, List, Optional

from .status import PaladinError, StatusCode


def pages(call: Callable[..., Any], request: Any = None, *, max_pages: Optional[int] = None,
          **fields: Any) -> Iterator[Any]:
    """Yields each response of a paged `call`, from `request`'s page (or the request built from
    `fields`) to the last page, or `max_pages` pages. The request is copied, not changed."""
    token = request.page_token if request is not None else fields.pop("page_token", "")
    seen = set()
    count = 0
    while max_pages is None or count < max_pages:
        response = _call_page(call, request, token, fields)
        count += 1
        yield response
        token = response.next_page_token
        if not token:
            return
        _check_new(token, seen)


def items(call: Callable[..., Any], field: str, request: Any = None, **fields: Any) -> List[Any]:
    """Every item (the repeated `field` of each response) over every page, in page order."""
    return [item for page in pages(call, request, **fields) for item in getattr(page, field)]


def history(garrison: Any, session_id: str, **kwargs: Any) -> List[Any]:
    """A session's visible entries from the page named by `page_token` (default the newest)
    back to the oldest, oldest first: History pages go from newest to oldest, so they are joined
    in reverse."""
    collected = [list(page.entries) for page in pages(garrison.history, session_id=session_id, **kwargs)]
    return [entry for page in reversed(collected) for entry in page]


async def apages(call: Callable[..., Any], request: Any = None, *, max_pages: Optional[int] = None,
                 **fields: Any) -> AsyncIterator[Any]:
    """`pages` for the asyncio client's calls."""
    token = request.page_token if request is not None else fields.pop("page_token", "")
    seen = set()
    count = 0
    while max_pages is None or count < max_pages:
        response = await _call_page(call, request, token, fields)
        count += 1
        yield response
        token = response.next_page_token
        if not token:
            return
        _check_new(token, seen)


def _call_page(call: Callable[..., Any], request: Any, token: str, fields: dict) -> Any:
    """Calls `call` for the page at `token`: with a copy of `request` carrying the token, or with
    `fields` and the token. Returns what `call` returns (a response, or an awaitable of one)."""
    if request is None:
        return call(page_token=token, **fields)
    current = type(request)()
    current.CopyFrom(request)
    current.page_token = token
    return call(current)


def _check_new(token: str, seen: set) -> None:
    """A server that repeats a token would make the walk endless: stop it with DATA_LOSS."""
    if token in seen:
        raise PaladinError(StatusCode.DATA_LOSS, f"the server repeated page token {token[:64]}", local=True)
    seen.add(token)
