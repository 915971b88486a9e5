"""Where kept values live: a bounded dict per layer in this process, and its counts.

A layer starts over when full (the values are cheap to make again, and pages bound the memory
that way). Its counts (hits, misses, bytes kept) are what `make bench` reports for it.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import sys
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from .switch import enabled

T = TypeVar("T")


class Layer:
    """One kind of kept value. `saves` and `miss` say, in a line each, what it saves and
    what a miss costs (the README's table of caches is made from them)."""

    registry: dict[str, Layer] = {}

    def __init__(self, name: str, *, size: int, saves: str, miss: str) -> None:
        self.name, self.size, self.saves, self.miss = name, size, saves, miss
        self._values: dict[Hashable, object] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        Layer.registry[name] = self

    @property
    def on(self) -> bool:
        return enabled(self.name)

    def get(
        self, key: Hashable, compute: Callable[[], T], *, keep: Callable[[T], bool] | None = None
    ) -> T:
        """compute()'s value under key (a keys.derive() key, or a tuple of versions); a value
        `keep` refuses (one that may still change under the same key) is not kept."""
        if not self.on:
            return compute()
        try:
            value = self._values[key]
        except KeyError:
            pass
        else:
            self.hits += 1
            return value  # type: ignore[return-value]
        self.misses += 1
        value = compute()
        if keep is not None and not keep(value):
            return value
        with self._lock:
            if len(self._values) >= self.size:
                self._values.clear()
            self._values[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
        self.hits = self.misses = 0

    def stats(self) -> dict:
        kept = list(self._values.values())
        return {
            "layer": self.name,
            "on": self.on,
            "hits": self.hits,
            "misses": self.misses,
            "entries": len(kept),
            "bytes": sum(sys.getsizeof(v) for v in kept),
        }


class _Memo(Layer):
    """A memo's layer: functools.lru_cache holds the values (its C lookup is what a function
    asked 50,000 times a page needs), the switch decides per call whether it is asked."""

    def __init__(self, function: Callable, name: str, *, size: int, saves: str, miss: str):
        super().__init__(name, size=size, saves=saves, miss=miss)
        self.kept = functools.lru_cache(maxsize=size)(function)

    def clear(self) -> None:
        self.kept.cache_clear()

    def stats(self) -> dict:
        info = self.kept.cache_info()
        return {
            "layer": self.name,
            "on": self.on,
            "hits": info.hits,
            "misses": info.misses,
            "entries": info.currsize,
            "bytes": 0,  # the values are small strings and tuples; lru_cache does not show them
        }


def memo(layer: str, *, size: int, saves: str, miss: str):
    """A decorator: a pure function of hashable, immutable arguments, remembered in `layer`
    (the arguments are the versions: the same arguments are the same inputs)."""

    def wrap(function: Callable[..., T]) -> Callable[..., T]:
        kept = _Memo(function, layer, size=size, saves=saves, miss=miss)
        remembered = kept.kept

        @functools.wraps(function)
        def call(*args):
            return remembered(*args) if enabled(layer) else function(*args)

        def current() -> Callable[..., T]:
            """The function to call in a loop: the remembered one while the layer is on."""
            return remembered if enabled(layer) else function

        call.layer = kept  # type: ignore[attr-defined]
        call.current = current  # type: ignore[attr-defined]
        return call

    return wrap


def write_stats() -> None:
    """Each layer's counts, into $DASHBOARD_CACHE_STATS_DIR/<pid>.json when it is set (`make
    bench` sets it, and reads them when its dashboard's workers have stopped)."""
    folder = os.environ.get("DASHBOARD_CACHE_STATS_DIR")
    if folder:
        stats = [layer.stats() for layer in Layer.registry.values()]
        (Path(folder) / f"{os.getpid()}.json").write_text(json.dumps(stats))


atexit.register(write_stats)


def clear_all() -> None:
    """Forget every kept value in this process (tests; a worker's restart does the same)."""
    for layer in Layer.registry.values():
        layer.clear()
