"""sme_assess.lru.BoundedCache: the most recently used entries, at most `max_entries`."""

from __future__ import annotations

from sme_assess.lru import BoundedCache


def test_a_store_beyond_the_bound_drops_the_least_recently_used() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)  # drops "b"
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c"), len(cache)) == (1, 3, 2)
    cache.put("a", 10)  # replaces, no growth
    assert (cache.get("a"), len(cache)) == (10, 2)


def test_setdefault_keeps_the_first_value_and_clear_empties() -> None:
    cache: BoundedCache[str, str] = BoundedCache(3)
    assert cache.setdefault("k", "first") == "first"
    assert cache.setdefault("k", "second") == "first"
    assert list(cache.values()) == ["first"]
    cache.clear()
    assert len(cache) == 0 and cache.get("k") is None
