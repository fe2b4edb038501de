"""Misbehaving plugins for the fault-injection tests: each breaks in one way.

Loaded by name through COPYDESK test plugins (``make_plugin_host(plugins=[...])``)
or, for subprocess tests, by the ``faulty_plugin`` module path on PYTHONPATH
with ``COPYDESK_TEST_FAULT`` naming the fault. Every analyzer is called
``faulty`` so the tests can check it failed alone.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from copydesk import AnalysisContext, Analyzer, Finding, hookimpl


class _Base(Analyzer[Any]):
    name = "faulty"

    def analyze(self, ctx: AnalysisContext) -> None:
        ctx.set_metric("ran", 1)
        self.misbehave(ctx)

    def misbehave(self, ctx: AnalysisContext) -> None:
        raise NotImplementedError


class Raises(_Base):
    def misbehave(self, ctx: AnalysisContext) -> None:
        raise RuntimeError("broken on purpose")


class Exits(_Base):
    def misbehave(self, ctx: AnalysisContext) -> None:
        sys.exit(3)


class Hangs(_Base):
    def misbehave(self, ctx: AnalysisContext) -> None:
        while True:
            time.sleep(0.01)


class Prints(_Base):
    def misbehave(self, ctx: AnalysisContext) -> None:
        print("debug output from a plugin")


class Unserializable(_Base):
    def misbehave(self, ctx: AnalysisContext) -> None:
        ctx.set_payload({"thing": object()})


class BadOffsets(_Base):
    def misbehave(self, ctx: AnalysisContext) -> None:
        bad = Finding.model_construct(
            analyzer="faulty", kind="x", start=5, end=2, text="nope", data={}
        )
        ctx._findings.append(bad)  # bypassing add_finding, as a careless plugin might


class NanMetric(_Base):
    def misbehave(self, ctx: AnalysisContext) -> None:
        ctx._metrics["faulty.score"] = float("nan")


class Mutates(_Base):
    """Tries to change the text and an earlier analyzer's results."""

    def misbehave(self, ctx: AnalysisContext) -> None:
        ctx.document.text = "changed"
        ctx.document.meta["outlet"] = "changed"
        for finding in ctx.findings():
            finding.data["changed"] = True
        ctx.set_metric("tried", 1)


class Allocates(_Base):
    def misbehave(self, ctx: AnalysisContext) -> None:
        _ = bytearray(10**15)  # far past any machine: MemoryError at once


class Threads(_Base):
    """Leaves a non-daemon thread running: the CLI must still exit."""

    def misbehave(self, ctx: AnalysisContext) -> None:
        threading.Thread(target=time.sleep, args=(3600,), daemon=False).start()


class CrashesWorker(_Base):
    """Kills its own process the first time, as a segfault in a C extension would."""

    def misbehave(self, ctx: AnalysisContext) -> None:
        if "crash" in ctx.text:
            os._exit(70)


class CrashesWorkerLate(CrashesWorker):
    """Crashes like :class:`CrashesWorker`, a second after it started: time enough for
    the tasks submitted after it to reach the same worker and wait there beside it."""

    def misbehave(self, ctx: AnalysisContext) -> None:
        if "crash" in ctx.text:
            time.sleep(1.0)
        super().misbehave(ctx)


class Slow(_Base):
    """Takes a while per document, so a run can be interrupted in the middle."""

    def misbehave(self, ctx: AnalysisContext) -> None:
        # A test that interrupts the run waits for this file: the run is then under
        # way, however long start-up took on a loaded machine.
        started = os.environ.get("COPYDESK_TEST_STARTED")
        if started:
            Path(started).touch()
        time.sleep(0.05)


FAULTS: dict[str, type[_Base]] = {
    "slow": Slow,
    "raise": Raises,
    "exit": Exits,
    "hang": Hangs,
    "print": Prints,
    "unserializable": Unserializable,
    "bad_offsets": BadOffsets,
    "nan_metric": NanMetric,
    "mutate": Mutates,
    "allocate": Allocates,
    "thread": Threads,
    "crash_worker": CrashesWorker,
    "crash_worker_late": CrashesWorkerLate,
}


class FaultPlugin:
    """A plugin object registering the analyzer for one fault."""

    def __init__(self, fault: str) -> None:
        self.fault = fault

    @hookimpl
    def register_analyzers(self, register: Any) -> None:
        register(FAULTS[self.fault])


@hookimpl
def register_analyzers(register: Any) -> None:
    """Entry for subprocess tests: the fault named by COPYDESK_TEST_FAULT."""
    register(FAULTS[os.environ.get("COPYDESK_TEST_FAULT", "raise")])
