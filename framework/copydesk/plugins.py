"""Loading plugins and collecting what they register.

Discovery order (see docs/hooks.md):

1. copydesk's essential core plugin (readers and output formats); it cannot be blocked;
2. plugins passed in code (``make_plugin_host(plugins=[...])``), e.g. from tests;
3. entry points in the ``copydesk`` group: the built-in analyzers (distribution
   ``copydesk``) always, third-party ones unless autoloading is off
   (``disable_autoload=True`` or ``COPYDESK_DISABLE_PLUGIN_AUTOLOAD=1``);
   ``COPYDESK_PLUGINS=a,b`` loads only the named entry points;
4. blocked names (``-p no:NAME``, config ``disable_plugins``) are skipped before
   their module is imported, so a broken plugin can always be bypassed.

There is no module-level plugin manager: every CLI call and every Engine builds
its own host, so tests need no global resets.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any

import pluggy

from copydesk import hookspecs
from copydesk.errors import PluginError

if TYPE_CHECKING:
    from copydesk.analyzer import Analyzer
    from copydesk.executors import ExecutorType
    from copydesk.io.readers import Reader
    from copydesk.io.sinks import SinkType
    from copydesk.rendering import Renderer

ENTRY_POINT_GROUP = "copydesk"
CORE_DISTRIBUTION = "copydesk"
CORE_PLUGIN_NAME = "copydesk.core"


@dataclass
class PluginRecord:
    """What copydesk knows about one plugin: where it came from and how it loaded."""

    name: str
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False
    status: str = "ok"  # ok | error | blocked
    error: str | None = None
    hooks: list[str] = field(default_factory=list)
    analyzers: list[str] = field(default_factory=list)
    registered: bool = field(default=False, repr=False)

    def fail(self, message: str) -> None:
        """Record an error; a plugin can fail in one hook and still serve others."""
        self.status = "error"
        if self.error and message not in self.error:
            self.error = f"{self.error}; {message}"
        else:
            self.error = message

    @property
    def producer(self) -> str:
        """``distribution version``, stamped on every finding the plugin makes."""
        if self.distribution:
            return f"{self.distribution} {self.version or ''}".strip()
        return self.name

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "builtin": self.builtin,
            "status": self.status,
            "error": self.error,
            "hooks": self.hooks,
            "analyzers": self.analyzers,
        }


@dataclass(frozen=True)
class AnalyzerEntry:
    """A registered analyzer class and the plugin that supplied it."""

    cls: type[Analyzer[Any]]
    plugin: PluginRecord


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class PluginHost:
    """A pluggy manager plus copydesk's own record of each plugin.

    Registrations are collected lazily and by calling each plugin's hook
    implementation on its own, so one plugin that raises is marked as failed
    while the others' analyzers, readers and formats are still collected.
    """

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: list[PluginRecord] = []
        self._by_plugin_name: dict[str, PluginRecord] = {}
        self._analyzers: dict[str, AnalyzerEntry] | None = None
        self._registered: dict[str, Any] = {}
        self.conflicts: dict[str, list[PluginRecord]] = {}
        self.options: dict[str, Any] = {}
        self.code_plugins: list[object | tuple[str, object]] = []

    # -- loading ---------------------------------------------------------------------

    def add(self, plugin: object, record: PluginRecord) -> None:
        """Register a plugin object under ``record.name``; failures become data."""
        self.plugins.append(record)
        taken = self._by_plugin_name.get(record.name)
        if taken is not None and taken.registered:
            record.status = "error"
            record.error = f"plugin name {record.name!r} is already used by {taken.producer}"
            return
        try:
            self.pm.register(plugin, name=record.name)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the others
            record.status = "error"
            record.error = _one_line(exc)
            return
        record.registered = True
        record.hooks = sorted(hook.name for hook in self.pm.get_hookcallers(plugin) or [])
        self._by_plugin_name[record.name] = record
        self._analyzers = None
        self._registered = {}

    def load_entry_point(self, ep: EntryPoint) -> None:
        dist = ep.dist
        record = PluginRecord(
            name=ep.name,
            distribution=dist.metadata["Name"] if dist else None,
            version=dist.version if dist else None,
            builtin=bool(dist and dist.metadata["Name"] == CORE_DISTRIBUTION),
        )
        try:
            plugin = ep.load()
        except Exception as exc:  # noqa: BLE001 - report, keep loading the rest
            record.status = "error"
            record.error = f"failed to import {ep.value}: {_one_line(exc)}"
            self.plugins.append(record)
            return
        self.add(plugin, record)

    # -- calling hooks plugin by plugin ----------------------------------------------

    def call_each(
        self, hook_name: str, *, only: PluginRecord | None = None, **kwargs: Any
    ) -> list[tuple[PluginRecord, Any]]:
        """Call each registered plugin's implementation of a hook on its own.

        pluggy stops at the first exception; copydesk instead records it on that
        plugin (``status: error``) and goes on, so one broken plugin never takes
        the others' analyzers, readers, formats or commands with it. Returns the
        ``(plugin, result)`` pairs of the calls that succeeded, in registration order.
        ``only`` restricts the call to one plugin.
        """
        caller = getattr(self.pm.hook, hook_name)
        done: list[tuple[PluginRecord, Any]] = []
        for impl in caller.get_hookimpls():
            record = self._by_plugin_name.get(impl.plugin_name)
            if record is None or not record.registered or (only and record is not only):
                continue
            try:
                result = impl.function(*[kwargs[name] for name in impl.argnames])
            except Exception as exc:  # noqa: BLE001 - isolate the failing plugin
                record.fail(f"{hook_name} raised {_one_line(exc)}")
                continue
            done.append((record, result))
        return done

    def _impls_in_order(self, hook_name: str) -> list[tuple[PluginRecord, Any]]:
        """Each registered plugin's implementation of a hook, in copydesk's order.

        copydesk's order is registration order (the core, plugins passed in code,
        entry points by name), not pluggy's: ``tryfirst``/``trylast`` would let a
        plugin take a built-in name, and mean nothing on a registration hook, so
        such an implementation is refused with a message on its plugin.
        """
        by_plugin: dict[str, Any] = {
            impl.plugin_name: impl for impl in getattr(self.pm.hook, hook_name).get_hookimpls()
        }
        ordered: list[tuple[PluginRecord, Any]] = []
        for record in self.plugins:
            impl = by_plugin.get(record.name)
            if (
                impl is None
                or not record.registered
                or self._by_plugin_name.get(record.name) is not record
            ):
                continue
            options = [
                name
                for name in ("tryfirst", "trylast", "wrapper", "hookwrapper")
                if getattr(impl, name, False)
            ]
            if options:
                record.fail(
                    f"{hook_name}: {'/'.join(options)} means nothing on a registration hook "
                    "(copydesk calls plugins in its own order); remove it"
                )
                continue
            ordered.append((record, impl))
        return ordered

    def _collect(self, hook_name: str) -> list[tuple[PluginRecord, list[Any]]]:
        """What each plugin registers through a ``register`` callback hook.

        A plugin whose hook raises contributes nothing from that hook (no half
        registrations), and keeps whatever it registered through other hooks.
        """
        collected: list[tuple[PluginRecord, list[Any]]] = []
        for record, impl in self._impls_in_order(hook_name):
            items: list[Any] = []

            def register(*args: Any, _items: list[Any] = items) -> None:
                _items.append(args[0] if len(args) == 1 else args)

            try:
                impl.function(*[register for _ in impl.argnames])
            except Exception as exc:  # noqa: BLE001 - isolate the failing plugin
                record.fail(f"{hook_name} raised {_one_line(exc)}")
                continue
            collected.append((record, items))
        return collected

    def analyzers(self) -> dict[str, AnalyzerEntry]:
        """Every registered analyzer by name (duplicates are kept in ``conflicts``)."""
        if self._analyzers is not None:
            return self._analyzers
        from copydesk.analyzer import Analyzer

        found: dict[str, AnalyzerEntry] = {}
        self.conflicts = {}
        for record in self.plugins:
            record.analyzers.clear()
        for record, items in self._collect("register_analyzers"):
            accepted: list[tuple[str, type[Analyzer[Any]]]] = []
            for cls in items:
                if not (isinstance(cls, type) and issubclass(cls, Analyzer)):
                    what = "an instance" if isinstance(cls, Analyzer) else repr(cls)
                    record.fail(f"register_analyzers: register the Analyzer class, not {what}")
                    accepted = []
                    break
                name = getattr(cls, "name", None)
                if not isinstance(name, str) or not name:
                    record.fail(f"register_analyzers: {cls.__name__} has no 'name'")
                    accepted = []
                    break
                accepted.append((name, cls))
            for name, cls in accepted:
                record.analyzers.append(name)
                if name in found:
                    self.conflicts.setdefault(name, [found[name].plugin]).append(record)
                    continue
                found[name] = AnalyzerEntry(cls, record)
        self._analyzers = found
        return found

    def check_conflicts(self, names: Iterable[str]) -> None:
        """Refuse to run an analyzer name that two plugins registered."""
        self.analyzers()
        for name in names:
            if name in self.conflicts:
                who = " and ".join(f"{p.name} ({p.producer})" for p in self.conflicts[name])
                msg = f"analyzer {name!r} is registered by {who}; block one with -p no:PLUGIN"
                raise PluginError(msg)

    def readers(self) -> dict[str, Reader]:
        found: dict[str, Reader] = self._cached("register_readers", self._collect_named)
        return found

    def sinks(self) -> dict[str, SinkType]:
        """Output formats by name (``register_sinks``, or the old ``register_output_formats``)."""
        found: dict[str, SinkType] = self._cached("register_sinks", self._collect_sinks)
        return found

    def formats(self) -> dict[str, SinkType]:
        """Deprecated name of :meth:`sinks`."""
        return self.sinks()

    def executors(self) -> dict[str, ExecutorType]:
        found: dict[str, ExecutorType] = self._cached("register_executors", self._collect_named)
        return found

    def renderers(self) -> list[Renderer]:
        found: list[Renderer] = self._cached(
            "register_renderers",
            lambda hook: [item for _record, items in self._collect(hook) for item in items],
        )
        return found

    def aggregations(self) -> dict[str, Any]:
        """Report aggregations by name (``register_aggregations``); the first claim wins."""
        found: dict[str, Any] = self._cached("register_aggregations", self._collect_named)
        return found

    def _cached(self, hook_name: str, collect: Any) -> Any:
        if hook_name not in self._registered:
            self._registered[hook_name] = collect(hook_name)
        return self._registered[hook_name]

    def _collect_sinks(self, hook_name: str) -> dict[str, SinkType]:
        from copydesk.io.sinks import OutputFormat

        def upgrade(item: Any) -> Any:
            return item.as_sink_type() if isinstance(item, OutputFormat) else item

        return self._collect_named(hook_name, extra=["register_output_formats"], convert=upgrade)

    def _collect_named(
        self, hook_name: str, *, extra: Sequence[str] = (), convert: Any = None
    ) -> dict[str, Any]:
        """Registered items by name; the first plugin to claim a name keeps it."""
        found: dict[str, Any] = {}
        owner: dict[str, PluginRecord] = {}
        # Registration order: the core's built-ins claim their names before any third party.
        collected = [pair for hook in (hook_name, *extra) for pair in self._collect(hook)]
        for record, items in collected:
            for item in items:
                if convert is not None:
                    item = convert(item)
                if not isinstance(getattr(item, "name", None), str):
                    record.fail(f"{hook_name}: registered {item!r}, which has no name")
                    continue
                if item.name in found:
                    record.fail(
                        f"{hook_name}: {item.name!r} is already registered by "
                        f"{owner[item.name].name}; ignored"
                    )
                    continue
                found[item.name] = item
                owner[item.name] = record
        return found

    def lexicon_entries(self) -> dict[str, list[Any]]:
        """Lexicon entries contributed by plugins, by lexicon name."""
        entries: dict[str, list[Any]] = {}
        for _record, items in self._collect("register_lexicon_entries"):
            for lexicon, values in items:
                entries.setdefault(lexicon, []).extend(values)
        return entries

    def plugin_of(self, analyzer: str) -> PluginRecord | None:
        entry = self.analyzers().get(analyzer)
        return entry.plugin if entry else None


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def make_plugin_host(
    *,
    plugins: Sequence[object | tuple[str, object]] = (),
    disable_autoload: bool | None = None,
    blocked: Iterable[str] = (),
    only: Iterable[str] | None = None,
    load_entry_points: bool = True,
    builtin_entry_points: bool = True,
    essential: bool = True,
) -> PluginHost:
    """Build a plugin host.

    ``plugins`` registers objects directly (a module or an instance with
    ``@hookimpl`` methods, optionally as ``(name, object)``). ``blocked`` names
    entry points to skip before import. ``only`` (or ``COPYDESK_PLUGINS``)
    restricts entry points to those names. ``disable_autoload`` (or
    ``COPYDESK_DISABLE_PLUGIN_AUTOLOAD``) keeps third-party entry points out
    while still loading copydesk's built-in analyzers. ``builtin_entry_points``
    and ``essential`` exist for the CLI's command lookup, which only needs
    third-party plugins (copydesk's own add no commands) and must stay cheap.
    """
    host = PluginHost()
    # What it takes to build the same host again (in a worker: EngineSpec.build).
    host.options = {
        "disable_autoload": disable_autoload,
        "blocked": list(blocked),
        "only": list(only) if only is not None else None,
        "load_entry_points": load_entry_points,
        "builtin_entry_points": builtin_entry_points,
        "essential": essential,
    }
    host.code_plugins = list(plugins)
    if essential:
        from copydesk import core_plugin

        host.add(
            core_plugin,
            PluginRecord(CORE_PLUGIN_NAME, CORE_DISTRIBUTION, _core_version(), builtin=True),
        )
    for index, item in enumerate(plugins):
        name, obj = item if isinstance(item, tuple) else (_plugin_name(item, index), item)
        host.add(obj, PluginRecord(name=name))

    if not load_entry_points:
        return host
    if disable_autoload is None:
        disable_autoload = _env_flag("COPYDESK_DISABLE_PLUGIN_AUTOLOAD")
    from_env = only is None and os.environ.get("COPYDESK_PLUGINS") is not None
    if from_env:
        only = [n.strip() for n in os.environ["COPYDESK_PLUGINS"].split(",") if n.strip()]
    blocked_set = set(blocked)
    only_set = set(only) if only is not None else None
    entry_points_found = _entry_points()
    if only_set is not None:
        unknown = sorted(only_set - {ep.name for ep in entry_points_found})
        if unknown:
            where = "COPYDESK_PLUGINS" if from_env else "only"
            known = ", ".join(sorted({ep.name for ep in entry_points_found}))
            msg = f"{where} names no installed plugin {', '.join(unknown)} (installed: {known})"
            raise PluginError(msg)
    for ep in entry_points_found:
        is_builtin = bool(ep.dist and ep.dist.metadata["Name"] == CORE_DISTRIBUTION)
        if ep.name in blocked_set:
            host.plugins.append(
                PluginRecord(
                    ep.name,
                    ep.dist.metadata["Name"] if ep.dist else None,
                    ep.dist.version if ep.dist else None,
                    builtin=is_builtin,
                    status="blocked",
                )
            )
            continue
        if only_set is not None and ep.name not in only_set:
            continue
        if (disable_autoload and not is_builtin) or (is_builtin and not builtin_entry_points):
            continue
        host.load_entry_point(ep)
    return host


def _entry_points() -> list[EntryPoint]:
    seen: set[tuple[str, str]] = set()
    out = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        key = (ep.name, ep.value)
        if key in seen:  # the same distribution visible twice on sys.path
            continue
        seen.add(key)
        out.append(ep)
    return sorted(out, key=lambda ep: (not _is_core(ep), ep.name))


def _is_core(ep: EntryPoint) -> bool:
    return bool(ep.dist and ep.dist.metadata["Name"] == CORE_DISTRIBUTION)


def _plugin_name(obj: object, index: int) -> str:
    name = getattr(obj, "__name__", None) or type(obj).__name__
    return f"{name}" if index == 0 else f"{name}-{index}"


def _core_version() -> str:
    from copydesk import __version__

    return str(__version__)


def format_exception_brief(exc: BaseException) -> str:
    """One line: the exception and where in the analyzer it was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno})" if frames else ""
    return _one_line(exc) + where
