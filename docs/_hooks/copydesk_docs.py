"""MkDocs build hook: pages generated from the code, so the docs cannot drift.

Registered in mkdocs.yml under ``hooks:``. A page asks for generated content
with a marker comment on a line of its own; each marker is replaced at build
time by what the code says now:

* ``<!-- copydesk:hook-reference -->``: every hook specification in
  ``copydesk.hookspecs``, with its signature and docstring, grouped by phase;
* ``<!-- copydesk:json-schema -->``: ``copydesk.model.json_schema()``;
* ``<!-- copydesk:analyzer-table -->``: the built-in analyzers, from their classes;
* ``<!-- copydesk:testing-reference -->``: the public helpers of ``copydesk.testing``.

The "Built-in analyzers" navigation section is filled with whatever pages exist
in ``docs/analyzers/``, so a page added or missing there never breaks the nav.
A marker that is unknown is an error, so a typo fails the strict build.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

MARKER = re.compile(r"^<!-- copydesk:([a-z-]+) -->$", re.MULTILINE)
ANALYZERS_SECTION = "Built-in analyzers"


# -- generators (plain functions, tested in tests/test_docs.py) ------------------------------


def rst_to_markdown(text: str) -> str:
    """Docstrings use reST literals (``x``) and roles (:class:`X`); show them as code."""
    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def hook_specs() -> list[tuple[str, str, Any]]:
    """``(phase, name, function)`` for every hook specification, in source order."""
    from copydesk import hookspecs

    source = inspect.getsource(hookspecs)
    phases = [(m.start(), m.group(1)) for m in re.finditer(r"^# -- ([a-z ]+) -+$", source, re.M)]
    found = []
    for name, func in vars(hookspecs).items():
        if not inspect.isfunction(func) or not hasattr(func, "copydesk_spec"):
            continue
        at = source.index(f"\ndef {name}(")
        phase = next((p for start, p in reversed(phases) if start < at), "other")
        found.append((at, phase, name, func))
    return [(phase, name, func) for _, phase, name, func in sorted(found, key=lambda t: t[0])]


def hook_reference() -> str:
    """Markdown for every hook: a heading per hook, its exact signature, its docstring."""
    lines: list[str] = []
    current = None
    for phase, name, func in hook_specs():
        if phase != current:
            lines += [f"## {phase.capitalize()} hooks", ""]
            current = phase
        params = ", ".join(inspect.signature(func).parameters)
        source = inspect.getsource(func)
        signature = source[source.index("def ") : source.index(":\n") + 1]
        lines += [f"### `{name}({params})`", "", "```python", "@hookimpl", signature, "```", ""]
        lines += [rst_to_markdown(inspect.cleandoc(func.__doc__ or "")), ""]
    return "\n".join(lines)


def json_schema_block() -> str:
    """The JSON Schema of an analyzed document, as ``copydesk schema`` prints it."""
    from copydesk.model import json_schema

    return "```json\n" + json.dumps(json_schema(), indent=2) + "\n```\n"


def analyzer_table(pages: set[str] | None = None) -> str:
    """A table of the built-in analyzers, read from their classes.

    ``pages`` holds the analyzer names that have a page in docs/analyzers/; those
    names link to it.
    """
    from copydesk.analyzer import Contracts, required_analyzers
    from copydesk.plugins import make_plugin_host

    host = make_plugin_host(disable_autoload=True)
    payloads = Contracts.of([e.cls for e in host.analyzers().values()]).payloads
    rows = [
        "| analyzer | what it finds | needs (spaCy) | requires | version |",
        "|---|---|---|---|---|",
    ]
    for name, entry in sorted(host.analyzers().items()):
        if not entry.plugin.builtin:
            continue
        cls = entry.cls
        shown = f"[{name}]({name}.md)" if pages and name in pages else f"`{name}`"
        needs = ", ".join(sorted(c.value for c in cls.needs)) or "nothing"
        requires = ", ".join(required_analyzers(cls, payloads)) or "-"
        rows.append(
            f"| {shown} | {cls.description} | {needs} | {requires} | `{cls.qualified_version()}` |"
        )
    return "\n".join(rows) + "\n"


def testing_reference() -> str:
    """Signature and first docstring paragraph of each public helper in copydesk.testing."""
    from copydesk import testing

    lines: list[str] = []
    for name, obj in vars(testing).items():
        if name.startswith("_") or not inspect.isfunction(obj):
            continue
        if obj.__module__ != testing.__name__ or hasattr(obj, "_pytestfixturefunction"):
            continue
        if "pytest" in repr(type(obj)):
            continue
        doc = rst_to_markdown(inspect.cleandoc(obj.__doc__ or "")).split("\n\n")[0]
        signature = str(inspect.signature(obj)).replace("'", "")
        lines += [f"### `{name}`", "", "```python", f"{name}{signature}", "```", "", doc, ""]
    return "\n".join(lines)


# -- MkDocs events -------------------------------------------------------------------------


def analyzer_pages(docs_dir: Path) -> list[str]:
    """The analyzer pages present in docs/analyzers/ (index first)."""
    folder = docs_dir / "analyzers"
    names = sorted(p.name for p in folder.glob("*.md") if p.name != "index.md")
    return ["analyzers/index.md", *(f"analyzers/{n}" for n in names)]


def on_config(config: Any) -> Any:
    """Fill the analyzers nav section from the pages that exist."""
    pages = analyzer_pages(Path(config["docs_dir"]))
    for item in config["nav"] or []:
        if isinstance(item, dict) and ANALYZERS_SECTION in item:
            item[ANALYZERS_SECTION] = pages
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace each ``<!-- copydesk:NAME -->`` marker with generated Markdown."""
    docs_dir = Path(config["docs_dir"])

    def generate(match: re.Match[str]) -> str:
        kind = match.group(1)
        if kind == "hook-reference":
            return hook_reference()
        if kind == "json-schema":
            return json_schema_block()
        if kind == "analyzer-table":
            pages = {Path(p).stem for p in analyzer_pages(docs_dir)[1:]}
            return analyzer_table(pages)
        if kind == "testing-reference":
            return testing_reference()
        msg = f"{page.file.src_path}: unknown generated-content marker {kind!r}"
        raise ValueError(msg)

    return MARKER.sub(generate, markdown)
