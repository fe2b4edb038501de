"""The table-driven attribute ruler and lemmatizer give spaCy's answers, token for token."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from copydesk import Engine
from copydesk.fast_components import FastAttributeRuler, FastLemmatizer, accelerate
from copydesk.nlp import resolve_model

ARTICLES = Path(__file__).resolve().parent.parent / "examples" / "articles"
# Contractions and the ruler's two-token rules ("gonna", "ain't", "let's", "y'all"),
# an expletive "there is" (a rule that reads the dependency label), titles, numbers.
TRICKY = (
    "Let's say they ain't gonna wait. Y'all know there is a deal, and there were two. "
    "Mr. O'Neill's 3.5% rise isn't what the U.S. Senate's leaders were hoping for; "
    "she'd rather not.\n\n\"We're looking at it,\" said Dr. Ana Díaz, who's led it since 2019."
)


@pytest.fixture(scope="module")
def model_name() -> str:
    return resolve_model("en_core_web_sm")[0]


def _rows(doc: spacy.tokens.Doc) -> list[tuple[str, str, str, str, str]]:
    return [(t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_) for t in doc]


def test_stand_ins_match_spacy_on_the_example_articles(model_name: str) -> None:
    texts = [TRICKY, *(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.*")))]
    shipped = spacy.load(model_name)
    fast = spacy.load(model_name)
    assert accelerate(fast) == ["attribute_ruler", "lemmatizer"]
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), FastLemmatizer)
    assert fast.pipe_names == shipped.pipe_names  # same names, same order
    expected = [_rows(d) for d in shipped.pipe(texts)]
    got = [_rows(d) for d in fast.pipe(texts)]
    assert got == expected
    lemmas = {t.text: t.lemma_ for t in fast(TRICKY)}
    assert lemmas["gon"] == "go"  # a two-token rule of the ruler
    assert lemmas["were"] == "be"  # the lemmatizer's exceptions table


def test_a_rule_the_tables_cannot_express_keeps_spacys_ruler(model_name: str) -> None:
    nlp = spacy.load(model_name)
    ruler = nlp.get_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], {"LEMMA": "intense"})
    assert accelerate(nlp) == ["lemmatizer"]
    assert nlp.get_pipe("attribute_ruler") is ruler
    doc = nlp("It was very very good.")
    assert doc[2].lemma_ == "intense"


def test_a_rule_a_plugin_adds_is_compiled_with_the_rest(model_name: str) -> None:
    nlp = spacy.load(model_name)
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "reportedly"}]], {"LEMMA": "REPORTED"})
    accelerate(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert nlp("He reportedly left.")[1].lemma_ == "REPORTED"


def test_the_engine_loads_the_stand_ins_and_keeps_the_originals_disabled() -> None:
    engine = Engine(analyzers=["hedging"]).load()
    nlp = engine.nlp
    assert nlp is not None
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert {"spacy_attribute_ruler", "spacy_lemmatizer"} <= set(nlp.disabled)
