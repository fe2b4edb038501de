"""Small analyzers used by the core tests, registered from test code.

They are real analyzers (they read the text and find things), kept tiny so the
tests exercise the runner, not linguistics.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from copydesk import AnalysisContext, Analyzer, hookimpl


class NumberSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_value: float = Field(default=0, description="Ignore numbers below this.")


class NumbersAnalyzer(Analyzer[NumberSettings]):
    """Finds numbers written in digits."""

    name = "numbers"
    Settings = NumberSettings

    def analyze(self, ctx: AnalysisContext) -> None:
        count = 0
        for match in re.finditer(r"\d+(?:[.,]\d+)*", ctx.text):
            value = float(match.group().replace(",", ""))
            if value >= self.settings.min_value:
                ctx.add_finding("number", match.start(), match.end(), data={"value": value})
                count += 1
        ctx.set_metric("count", count)
        ctx.set_payload({"values": [f.data["value"] for f in ctx.new_findings]})


class BigNumbersAnalyzer(Analyzer[Any]):
    """Reads the numbers analyzer's findings through the shared model."""

    name = "big_numbers"
    requires = ("numbers",)

    def analyze(self, ctx: AnalysisContext) -> None:
        for finding in ctx.findings(analyzer="numbers", kind="number"):
            if finding.data["value"] >= 1000:
                ctx.add_finding("big_number", finding.start, finding.end)


class ExplodingAnalyzer(Analyzer[Any]):
    """Fails on any document that mentions an explosion, after adding a finding."""

    name = "exploding"

    def analyze(self, ctx: AnalysisContext) -> None:
        ctx.add_finding("partial", 0, 1)
        if "explosion" in ctx.text:
            msg = "boom"
            raise RuntimeError(msg)
        ctx.set_metric("survived", 1)


class AfterExplodingAnalyzer(Analyzer[Any]):
    name = "after_exploding"
    requires = ("exploding",)

    def analyze(self, ctx: AnalysisContext) -> None:
        ctx.set_metric("ran", 1)


class BrokenSetupAnalyzer(Analyzer[Any]):
    name = "broken_setup"

    def setup(self) -> None:
        msg = "lexicon missing"
        raise FileNotFoundError(msg)

    def analyze(self, ctx: AnalysisContext) -> None:  # pragma: no cover - never reached
        ctx.set_metric("ran", 1)


class CycleA(Analyzer[Any]):
    name = "cycle_a"
    requires = ("cycle_b",)


class CycleB(Analyzer[Any]):
    name = "cycle_b"
    requires = ("cycle_a",)


class NeedsMissing(Analyzer[Any]):
    name = "needs_missing"
    requires = ("not_installed",)


class AnalyzersPlugin:
    """A plugin object registering every test analyzer."""

    def __init__(self, *classes: type[Analyzer[Any]]) -> None:
        self.classes = classes or (
            NumbersAnalyzer,
            BigNumbersAnalyzer,
            ExplodingAnalyzer,
            AfterExplodingAnalyzer,
        )

    @hookimpl
    def register_analyzers(self, register: Any) -> None:
        for cls in self.classes:
            register(cls)
