"""``copydesk new-plugin NAME``: write a plugin distribution that passes its tests at once.

A cookiecutter-free start: the templates are plain strings here, so the skeleton
always matches the installed copydesk (no template package to keep in step),
and the CLI stays fast (this module is imported only by the command).

The skeleton is a working analyzer, not a stub: it flags words from a settings
list, so its tests assert real behaviour from the first run and the author
replaces the logic, not the plumbing.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from copydesk.errors import CopydeskError

_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")


class ScaffoldError(CopydeskError):
    """The plugin name is unusable or the target folder is taken."""


def plugin_names(name: str) -> dict[str, str]:
    """The names derived from ``NAME``: distribution, package, analyzer, class.

    ``passive-voice`` (or ``copydesk-passive-voice``) gives the distribution
    ``copydesk-passive-voice``, the package ``copydesk_passive_voice``, the
    analyzer and entry point ``passive_voice`` and the class ``PassiveVoiceAnalyzer``.
    """
    raw = name.strip().lower()
    for prefix in ("copydesk-", "copydesk_"):
        if raw.startswith(prefix):
            raw = raw[len(prefix) :]
    if not _NAME.match(raw):
        msg = (
            f"plugin name {name!r}: use lowercase letters, digits and hyphens, "
            "starting with a letter (e.g. passive-voice)"
        )
        raise ScaffoldError(msg)
    words = re.split(r"[-_]", raw)
    analyzer = "_".join(words)
    if keyword.iskeyword(analyzer):
        msg = f"plugin name {name!r} is a Python keyword"
        raise ScaffoldError(msg)
    return {
        "distribution": f"copydesk-{'-'.join(words)}",
        "package": f"copydesk_{analyzer}",
        "analyzer": analyzer,
        "cls": "".join(w.capitalize() for w in words) + "Analyzer",
        "settings_cls": "".join(w.capitalize() for w in words) + "Settings",
        "title": " ".join(words),
    }


def write_plugin(name: str, directory: Path | str = ".") -> Path:
    """Write the skeleton under ``directory/<distribution>`` and return that folder."""
    names = plugin_names(name)
    root = Path(directory) / names["distribution"]
    if root.exists() and any(root.iterdir()):
        msg = f"{root} already exists and is not empty"
        raise ScaffoldError(msg)
    package = root / "src" / names["package"]
    files = {
        root / "pyproject.toml": _PYPROJECT,
        root / "README.md": _README,
        root / ".gitignore": _GITIGNORE,
        package / "__init__.py": _INIT,
        package / "py.typed": "",
        root / "tests" / "conftest.py": _CONFTEST,
        root / "tests" / f"test_{names['analyzer']}.py": _TESTS,
    }
    try:
        for path, template in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_fill(template, names), encoding="utf-8")
    except OSError as exc:
        msg = f"cannot write the plugin under {root}: {exc.strerror or exc}"
        raise ScaffoldError(msg) from exc
    return root


def _fill(template: str, names: dict[str, str]) -> str:
    """Replace ``{{key}}`` markers (not str.format: the templates hold Python braces)."""
    for key, value in names.items():
        template = template.replace("{{" + key + "}}", value)
    return template


_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.25"]
build-backend = "hatchling.build"

[project]
name = "{{distribution}}"
version = "0.1.0"
description = "copydesk plugin: {{title}}."
readme = "README.md"
requires-python = ">=3.10"
dependencies = ["copydesk>=0.1"]

# This entry point is what makes copydesk load the plugin.
[project.entry-points.copydesk]
{{analyzer}} = "{{package}}"

[project.optional-dependencies]
test = ["pytest>=8"]

[tool.hatch.build.targets.wheel]
packages = ["src/{{package}}"]

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = ["--strict-markers", "-p", "no:cacheprovider"]

[tool.ruff]
line-length = 100
src = ["src", "tests"]
"""

_README = """\
# {{distribution}}

A copydesk plugin with one analyzer, `{{analyzer}}`.

It starts as a working example: it flags the words listed in its `words`
setting. Replace `analyze` in `src/{{package}}/__init__.py` with your own logic
and the tests in `tests/` with yours.

```console
pip install -e .                      # copydesk finds it through its entry point
copydesk plugins                      # lists {{analyzer}}
copydesk analyze article.txt -a {{analyzer}}
copydesk analyze article.txt -a {{analyzer}} --set {{analyzer}}.words='["very"]'
pip install pytest && python -m pytest
```
"""

_GITIGNORE = """\
__pycache__/
*.egg-info/
build/
dist/
"""

_INIT = '''\
"""{{distribution}}: a copydesk plugin.

copydesk loads this module through the entry point in pyproject.toml and calls
its ``@hookimpl`` functions. Import heavy libraries (spaCy, models) inside
``setup`` or ``analyze``, never at module level: ``copydesk --help`` imports it.
"""

from __future__ import annotations

import re
from typing import Any

from copydesk import AnalysisContext, Analyzer, hookimpl
from pydantic import BaseModel, ConfigDict, Field


class {{settings_cls}}(BaseModel):
    """Options, validated by copydesk.

    Set them with ``--set {{analyzer}}.words='["very"]'`` or under
    ``[settings.{{analyzer}}]`` in copydesk.toml.
    """

    model_config = ConfigDict(extra="forbid")  # a misspelled option is an error

    words: list[str] = Field(
        default_factory=lambda: ["very", "really", "extremely"],
        description="Words to flag (case-insensitive).",
    )


class {{cls}}(Analyzer[{{settings_cls}}]):
    """Flags the words in its ``words`` setting. Replace with your own analysis."""

    name = "{{analyzer}}"
    version = "1"
    description = "Flags listed words (a starting point: replace with your analysis)."
    needs = frozenset()  # spaCy capabilities, e.g. frozenset({Capability.TAGGER})
    requires = ()  # analyzers whose findings this one reads, e.g. ("hedging",)
    Settings = {{settings_cls}}

    def setup(self) -> None:
        """Once per run: compile the word list."""
        words = sorted(self.settings.words, key=len, reverse=True)
        alternation = "|".join(re.escape(w) for w in words)
        self.pattern = re.compile(rf"\\b(?:{alternation})\\b", re.I) if words else None

    def analyze(self, ctx: AnalysisContext) -> None:
        """Once per document: add findings and metrics to ``ctx``."""
        if self.pattern is None:
            ctx.mark_not_applicable("no words configured")
            return
        for match in self.pattern.finditer(ctx.text):
            ctx.add_finding(
                "listed_word",
                match.start(),
                match.end(),
                message=f"\\u201c{match.group()}\\u201d is on the {{analyzer}} list.",
            )
        ctx.set_metric("count", len(ctx.new_findings))


@hookimpl
def register_analyzers(register: Any) -> None:
    """Tell copydesk about the analyzer."""
    register({{cls}})
'''

_CONFTEST = '''\
"""copydesk's test fixtures, available to every test by name."""

from copydesk.testing import copydesk_analyze, edge_case_text  # noqa: F401
'''

_TESTS = '''\
"""Tests for {{analyzer}}, written with copydesk.testing."""

from __future__ import annotations

from copydesk.testing import assert_finding, check_edge_cases, find, findings, texts


def test_flags_listed_words():
    text = "The vote was very close, officials said."
    found = findings(text, "{{analyzer}}", "listed_word")
    assert texts(found) == ["very"]


def test_plain_copy_has_no_findings(copydesk_analyze):
    text = "The council approved the budget on Monday."
    result = copydesk_analyze(text, "{{analyzer}}")
    assert find(result, analyzer="{{analyzer}}") == []
    assert result.metrics["{{analyzer}}.count"] == 0


def test_words_setting_replaces_the_list(copydesk_analyze):
    text = "A really long and extremely tense meeting."
    settings = {"{{analyzer}}": {"words": ["tense"]}}
    result = copydesk_analyze(text, "{{analyzer}}", settings=settings)
    assert_finding(result, analyzer="{{analyzer}}", text="tense")
    assert result.metrics["{{analyzer}}.count"] == 1


def test_edge_cases():
    check_edge_cases("{{analyzer}}")


def test_each_edge_case_text(edge_case_text, copydesk_analyze):
    result = copydesk_analyze(edge_case_text, "{{analyzer}}")
    assert all(f.text for f in find(result, analyzer="{{analyzer}}"))
'''
