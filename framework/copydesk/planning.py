"""Planning a run: which analyzers, in what order, needing what from spaCy.

Everything here happens before any text is read or any model is loaded, so a
misspelled analyzer name, a missing dependency or a cycle fails at once with a
message that says how to fix it, instead of after a long parse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from copydesk.analyzer import Analyzer, Capability, Contracts, required_analyzers
from copydesk.errors import SelectionError
from copydesk.plugins import AnalyzerEntry, PluginHost


@dataclass(frozen=True)
class Plan:
    """The ordered analyzers of a run and the spaCy capabilities they need."""

    entries: tuple[AnalyzerEntry, ...]
    needs: frozenset[Capability]
    added_dependencies: tuple[str, ...] = ()
    requires: dict[str, tuple[str, ...]] = field(default_factory=dict)
    contracts: Contracts = field(default_factory=Contracts)

    @property
    def names(self) -> list[str]:
        return [e.cls.name for e in self.entries]


def plan_run(
    host: PluginHost,
    selected: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    *,
    with_deps: bool = False,
) -> Plan:
    """Select analyzers and order them so each runs after those it ``requires``."""
    available = host.analyzers()
    excluded = set(exclude)
    for name in excluded:
        if name not in available:
            raise SelectionError(_unknown(name, host, "--exclude"))
    if selected is None:
        names = [n for n in available if n not in excluded]
    else:
        names = []
        for name in selected:
            if name not in available:
                raise SelectionError(_unknown(name, host, "--analyzers"))
            if name not in excluded and name not in names:
                names.append(name)
    if not names:
        msg = "no analyzers selected" + (
            f" (installed: {', '.join(sorted(available))})" if available else " (none installed)"
        )
        raise SelectionError(msg)

    contracts = Contracts.of([entry.cls for entry in available.values()])
    requires: dict[str, tuple[str, ...]] = {}

    def deps(name: str) -> tuple[str, ...]:
        if name not in requires:
            try:
                requires[name] = required_analyzers(available[name].cls, contracts.payloads)
            except LookupError as exc:
                raise SelectionError(str(exc)) from None
        return requires[name]

    added: list[str] = []
    chosen = set(names)
    queue = list(names)
    while queue:
        name = queue.pop()
        for dep in deps(name):
            if dep in chosen:
                continue
            if dep not in available:
                owner = available[name].plugin.producer
                msg = f"{name} ({owner}) requires analyzer {dep!r}, which is not installed"
                raise SelectionError(msg)
            if dep in excluded or not with_deps:
                why = "is excluded" if dep in excluded else "is not selected"
                msg = (
                    f"{name} requires analyzer {dep!r}, which {why}; "
                    f"select it too (--analyzers {name},{dep}) or pass --with-deps"
                )
                raise SelectionError(msg)
            chosen.add(dep)
            added.append(dep)
            queue.append(dep)

    host.check_conflicts(chosen)
    ordered = _topological(sorted(chosen, key=_stable_key(names)), deps)
    entries = tuple(available[n] for n in ordered)
    needs: frozenset[Capability] = frozenset().union(*(analyzer_needs(e.cls) for e in entries))
    return Plan(
        entries=entries,
        needs=needs,
        added_dependencies=tuple(added),
        requires={n: deps(n) for n in ordered},
        contracts=Contracts.of([e.cls for e in entries]),
    )


def _stable_key(names: list[str]) -> Any:
    order = {n: i for i, n in enumerate(names)}
    return lambda n: (order.get(n, -1), n)


def _topological(names: list[str], deps: Callable[[str], tuple[str, ...]]) -> list[str]:
    """Depth-first order; a cycle is reported with its path."""
    done: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = [*path[path.index(name) :], name]
            msg = "analyzer dependency cycle: " + " -> ".join(cycle)
            raise SelectionError(msg)
        state[name] = "visiting"
        for dep in deps(name):
            visit(dep, [*path, name])
        state[name] = "done"
        done.append(name)

    for name in names:
        visit(name, [])
    return done


def _unknown(name: str, host: PluginHost, option: str) -> str:
    import difflib

    available = host.analyzers()
    close = difflib.get_close_matches(name, list(available), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    known = ", ".join(sorted(available)) or "none"
    blocked = sorted(p.name for p in host.plugins if p.status == "blocked")
    blocked_note = f"; blocked plugins: {', '.join(blocked)}" if blocked else ""
    return f"{option}: unknown analyzer {name!r}{hint} (installed: {known}{blocked_note})"


def analyzer_needs(cls: type[Analyzer[Any]]) -> frozenset[Capability]:
    """An analyzer's declared needs, accepting plain strings for convenience."""
    needs = set()
    for need in cls.needs:
        try:
            needs.add(Capability(need))
        except ValueError:
            known = ", ".join(c.value for c in Capability)
            msg = f"analyzer {cls.name!r} declares an unknown need {need!r} (known: {known})"
            raise SelectionError(msg) from None
    return frozenset(needs)
