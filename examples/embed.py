"""Embed copydesk in your own program: analyze copy and act on the findings.

Run it with ``python examples/embed.py`` (or pass files: ``python examples/embed.py
a.txt b.txt``). It loads the engine once, streams documents through it, and prints
one line per anonymous source and per hedge, the way a CMS pre-publish check would.
"""

from __future__ import annotations

import sys
from pathlib import Path

import copydesk
from copydesk import Engine, InputError

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    articles = HERE / "articles"
    paths = argv or [str(articles / "*.txt"), str(articles / "*.md")]
    # One engine for the whole batch: the spaCy pipeline loads once, with only the
    # components these analyzers need. with_deps adds entities (sourcing needs it).
    engine = Engine(analyzers=["sourcing", "hedging"], with_deps=True)
    problems = 0
    # copydesk.read: the same sources as the command line (files, folders, globs, "-"),
    # so a .md title, a JSONL id or an unreadable file behave exactly as in the CLI.
    for item in engine.analyze_many(copydesk.read(*paths)):
        if isinstance(item, InputError):
            print(f"skipped {item}")
            continue
        for finding in item.findings_of("sourcing", "attribution"):
            if finding.label == "anonymous":
                problems += 1
                print(f"{item.document.id}:{finding.start}: anonymous source: {finding.text!r}")
        for finding in item.findings_of("hedging", "hedge"):
            print(f"{item.document.id}:{finding.start}: hedge {finding.text!r}")
        count = item.metrics.get("sourcing.attributions", 0)
        print(f"{item.document.id}: {count} attributions, ok={item.ok}")
    # For a single text there is a one-call shortcut (it builds an engine each call):
    quick = copydesk.analyze("Officials reportedly resigned.", analyzers=["hedging"])
    print("quick:", [f.text for f in quick.findings_of("hedging", "hedge")])
    # A whole corpus to a file, on two processes, as `copydesk analyze -j 2 -o` does:
    #   copydesk.run(["corpus/"], "results.jsonl", analyzers=["readability"], jobs=2)
    return 1 if problems else 0  # e.g. fail a pre-publish check on anonymous sources


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
