"""A result cache for a read-mostly graph: serialized answers keyed by query and version.

Keys include the store's version, so an update makes every older entry unreachable (and
:meth:`ResultCache.clear` frees them). Bounded by the bytes of the bodies it holds. Two
layers share it: the query pipeline keeps :class:`~xsrv_kg.query.results.Written` answers
under what a query means, and the server's front keeps whole responses under the request's
bytes (:mod:`xsrv_kg.server.front`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Protocol


class Entry(Protocol):
    """What the cache holds: anything with a body, whose length the budget counts."""

    @property
    def body(self) -> bytes: ...


class ResultCache:
    """Least-recently-used, thread-safe, at most ``max_bytes`` of result bodies."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: Hashable) -> Any:
        if not self.enabled:
            return None
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Entry) -> None:
        size = len(value.body)
        if not self.enabled or size > self.max_bytes // 4:
            return  # one huge answer must not flush everything else
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
