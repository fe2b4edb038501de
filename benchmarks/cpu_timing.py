"""CPU-time helpers the timing scripts share.

Why CPU time: the machine is shared, and a neighbour's load moves wall-clock
numbers far more than the code under test does (see docs/runner.md, Performance).
"""

from __future__ import annotations

import time
import types
from collections.abc import Callable, MutableMapping
from typing import Any


def engine_cpu_clock() -> None:
    """Make the runner time its parse and analyzers in CPU seconds.

    The runner reads ``time.perf_counter`` through its module's ``time``; this
    swaps that one name for ``time.process_time``, nothing else in the process.
    """
    import copydesk.runner as runner

    runner.time = types.SimpleNamespace(perf_counter=time.process_time)  # type: ignore[attr-defined,assignment]


def timed(fn: Callable[..., Any], spent: MutableMapping[str, float], key: str) -> Any:
    """``fn`` wrapped so that the CPU seconds of every call are added to ``spent[key]``."""
    spent.setdefault(key, 0.0)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[key] += time.process_time() - started

    return wrapper
