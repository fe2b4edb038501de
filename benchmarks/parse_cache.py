"""Parse a benchmark corpus once with the engine's own pipeline and keep the parses on disk.

The sourcing scripts (training on PolNeAR train, scoring on dev) read the same
840 + 84 articles many times; parsing them takes minutes, reading a DocBin takes
seconds. The cache file is keyed by the texts, the spaCy model and its version,
so a changed corpus or model is parsed again. Default directory:
``$COPYDESK_PARSE_CACHE`` or ``/tmp/cache-copydesk``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    return Path(os.environ.get("COPYDESK_PARSE_CACHE", "/tmp/cache-copydesk"))


def engine_nlp() -> Any:
    """The pipeline the engine gives the sourcing analyzer (tagger, parser, NER)."""
    from copydesk import Engine

    nlp = Engine(analyzers=["sourcing"], with_deps=True, strict=True).load().nlp
    assert nlp is not None
    return nlp


def parse_texts(texts: Sequence[str], nlp: Any | None = None, name: str = "corpus") -> list[Any]:
    """Parses of ``texts``, read from the cache or made (and stored) with ``nlp``."""
    from spacy.tokens import DocBin

    nlp = nlp or engine_nlp()
    key = hashlib.sha1()
    key.update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}-{nlp.pipe_names}".encode())
    for t in texts:
        key.update(t.encode("utf-8"))
        key.update(b"\0")
    path = cache_dir() / f"{name}-{key.hexdigest()[:16]}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts, batch_size=8))
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(path)
    return docs


class CachedPipeline:
    """Stands in for ``nlp`` in an ``Engine``: known texts get their cached parse."""

    def __init__(self, nlp: Any, texts: Sequence[str], docs: Sequence[Any]) -> None:
        self.nlp = nlp
        self.vocab = nlp.vocab
        self.meta = nlp.meta
        self.pipe_names = nlp.pipe_names
        self.max_length = nlp.max_length
        self.by_text = dict(zip(texts, docs, strict=True))

    def __call__(self, text: str) -> Any:
        return self.by_text.get(text) or self.nlp(text)

    def pipe(self, texts: Iterable[str], **_: Any) -> Iterator[Any]:
        for t in texts:
            yield self(t)
