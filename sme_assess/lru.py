"""A bounded, thread-safe map of the most recently used entries, kept per worker process: what
the results page, the advisor dashboard, the report download and the CSRF check keep between
requests."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, ValuesView
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most `max_entries` entries; a look-up or a store makes an entry the most recent, and a
    store beyond the bound drops the least recent."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            self._trim()

    def setdefault(self, key: K, value: V) -> V:
        """The entry of `key`, stored as `value` if there was none."""
        with self._lock:
            kept = self._data.setdefault(key, value)
            self._data.move_to_end(key)
            self._trim()
            return kept

    def discard(self, key: K) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def values(self) -> ValuesView[V]:
        return self._data.values()

    def __len__(self) -> int:
        return len(self._data)

    def _trim(self) -> None:
        while len(self._data) > self.max_entries:
            self._data.popitem(last=False)
