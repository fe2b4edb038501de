"""A time limit for one analyzer on one document.

An analyzer stuck in a loop must cost one failed record, not the run. The limit
uses ``SIGALRM`` (a real-time interval timer), which interrupts Python code
wherever it is, including ``time.sleep``; it is active only in the main thread of
a process on platforms that have it (the CLI, every worker process). Elsewhere
(a library call from another thread) there is no limit, as documented.
Long-running C code (a spaCy call) is interrupted when it returns to Python.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class AnalyzerTimeout(BaseException):
    """Raised inside an analyzer that ran past its time limit.

    A BaseException, so an analyzer's own ``except Exception`` cannot swallow it.
    """


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise AnalyzerTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`AnalyzerTimeout` in this block after ``seconds`` (0: no limit)."""
    if (
        seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
