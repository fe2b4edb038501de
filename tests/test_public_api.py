"""Built-in analyzers are written against copydesk's public names only (STYLE.md pattern 3).

If a built-in needs something the public API lacks, the API grows; a built-in
reaching into copydesk's modules would be a privilege no third party has.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import copydesk

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
SOURCES = sorted(PLUGINS.glob("copydesk_*/**/*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PLUGINS)))
def test_builtin_plugins_import_only_public_names(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert not node.module.startswith("copydesk."), (
                f"{path.name}:{node.lineno} imports from {node.module}; "
                "use `from copydesk import ...`"
            )
            if node.module == "copydesk":
                private = [a.name for a in node.names if a.name not in copydesk.__all__]
                assert not private, f"{path.name}:{node.lineno} imports non-public {private}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                assert not alias.name.startswith("copydesk."), f"{path.name}:{node.lineno}"


def test_there_are_plugin_sources_to_check():
    assert len(SOURCES) >= 5
