"""What a page computes from the store, kept until the store changes.

The graph is read-mostly: an overview or a validation report costs a dozen queries or a
second of pySHACL, and stays right until the store's version moves on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from .. import state

T = TypeVar("T")


class _PerVersion:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: int | None = None
        self.values: dict[Hashable, object] = {}


def per_store_version(name: str, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``'s value for ``key``, made once per store version of this app."""
    version = state.store().version
    memo = current_app.extensions.setdefault(f"xsrv.memo.{name}", _PerVersion())
    with memo.lock:
        if memo.version != version:
            memo.values.clear()  # the store changed: every older value is stale
            memo.version = version
        if key not in memo.values:
            memo.values[key] = build()
        return memo.values[key]  # type: ignore[return-value]
