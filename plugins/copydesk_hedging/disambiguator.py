"""A small learned scorer: how likely is this lexicon match really an uncertainty cue?

The context rules settle the clear cases ("May" the month, "talked about"); what
is left are words annotators mark only sometimes ("could" is a cue about half the
time on the tuning data). A logistic model over a few dozen context features of
each match, trained by ``benchmarks/train_hedging.py`` on the Szeged dev split,
gives each hedge a probability. It becomes the finding's ``confidence``; the
``min_confidence`` setting drops low-probability matches (default 0.45).

Only the categories the Szeged scheme annotates are scored (modal, reporting,
likelihood, speculative, condition, investigation): approximators, shields and
boosters are editorial categories the training data says nothing about.

Weights are plain JSON (feature -> weight) and scoring is a dict lookup per
feature, so the model needs neither numpy nor spaCy at run time.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from copydesk import logistic, subject_of, weighted_sum
from copydesk_hedging.rules import (
    LOWER_COLUMN,
    TAG_COLUMN,
    Sentences,
    is_negated,
    subject_kind,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SCORED_CATEGORIES = frozenset(
    {"modal", "reporting", "likelihood", "speculative", "condition", "investigation"}
)
_CONDITION_WORDS = frozenset({"if", "unless", "whether", "otherwise", "provided", "suppose"})
_ATTRIBUTION = frozenset(
    "say tell report add announce warn state find show conclude estimate predict claim "
    "argue note write believe think fear".split()
)
_RELATIVE = frozenset({"which", "that", "who", "where"})
WEIGHTS_FILE = "disambiguator.json"
# Words either side of the cue whose lemmas are features.
_WINDOW = 3


def features(
    doc: Doc, start: int, end: int, key: str, sents: Sentences, category: str
) -> list[str]:
    """Context features of the match ``doc[start:end]`` of the lexicon entry ``key``.

    Besides the entry's own features (``k|...``), each match carries its category's
    (``c|...``): an entry seen only a few times in training ("reportedly") is then
    scored mostly like the rest of its category instead of by its few examples.
    """
    token = doc[start]
    sent_start, sent_end = sents.starts[start], sents.ends[start]
    prev = doc[start - 1] if start > sent_start else None
    nxt = doc[end] if end < sent_end else None
    nxt2 = doc[end + 1] if end + 1 < sent_end else None
    head = token.head
    subject = subject_of(head)
    # Each attribute read once: every read through a Token is a call into spaCy.
    tag, dep = token.tag_, token.dep_
    head_lemma = head.lemma_.lower()
    p_low = prev.lower_ if prev is not None else "<s>"
    n_low = nxt.lower_ if nxt is not None else "</s>"
    n_tag = nxt.tag_ if nxt is not None else "</s>"
    feats = [
        "bias",
        f"k={key}",
        f"t={tag}",
        f"d={dep}",
        f"k|t={key}|{tag}",
        f"k|d={key}|{dep}",
        f"k|p={key}|{p_low}",
        f"k|n={key}|{n_low}",
        f"k|nt={key}|{n_tag}",
        f"k|h={key}|{head_lemma}",
        f"k|ht={key}|{head.tag_}",
        f"p={p_low}",
        f"n={n_low}",
        f"nt={n_tag}",
    ]
    verb = head if dep in {"aux", "auxpass"} else token
    verb_dep = verb.dep_
    children = [(c, c.dep_) for c in verb.children]
    mark = next((c.lower_ for c, d in children if d == "mark"), "-")
    root = _root(doc, token)
    # The tense of the main clause, unless it is the attribution ("..., officials said"):
    # past narrative turns "could" into ability; attribution says nothing about it.
    root_tag = "say" if root.lemma_.lower() in _ATTRIBUTION else root.tag_
    feats += [
        f"c={category}",
        f"c|t={category}|{tag}",
        f"c|d={category}|{dep}",
        f"c|vd={category}|{verb_dep}",
        f"k|vd={key}|{verb_dep}",
        f"k|mark={key}|{mark}",
        f"k|root={key}|{root_tag}",
    ]
    if any(d == "auxpass" for _, d in children):
        feats.append(f"k|pass={key}")
    # Two facts of the sentence: another modal, a condition word.
    modals, conditions = _modals_and_conditions(doc, sents)
    in_sentence = bisect_left(modals, sent_end) - bisect_left(modals, sent_start)
    other_modal = in_sentence > (tag == "MD")
    condition = bisect_left(conditions, sent_end) > bisect_left(conditions, sent_start)
    if other_modal:
        feats.append(f"k|md={key}")
    if start != sent_start and token.text[:1].isupper():
        feats.append(f"k|title={key}")
    if nxt is not None and nxt2 is not None:
        feats.append(f"k|nn={key}|{n_low}_{nxt2.tag_}")
    if subject is not None:
        s_form = subject.lower_ if subject.pos_ == "PRON" else subject.pos_
        feats.append(f"k|s={key}|{s_form}")
    if is_negated(token, sents):
        feats.append(f"k|neg={key}")
    if condition:
        feats.append(f"k|cond={key}")
    if p_low in _RELATIVE:
        feats.append(f"k|rel={key}")
    if start == sent_start:
        feats.append(f"k|first={key}")
    # The two words before ("it is possible", "and could"), the lemmas around the cue
    # ("could ... cost the port", "examine ... in vitro"), the other dependents of its
    # verb (an object, a clause, an agent) and its head for the whole category: each
    # was worth a few tenths of a point of cross-validated F1 (docs/analyzers/hedging.md).
    p2_low = doc[start - 2].lower_ if start - 2 >= sent_start else "<s>"
    feats.append(f"k|pp={key}|{p2_low}_{p_low}")
    feats.append(f"c|h={category}|{head_lemma}")
    for i in range(max(sent_start, start - _WINDOW), min(sent_end, end + _WINDOW)):
        if not start <= i < end:
            feats.append(f"k|w={key}|{doc[i].lemma_.lower()}")
    feats.extend(f"k|vc={key}|{d}" for c, d in children if c.i != start)
    # Who or what the subject is: ability and permission need a person ("he could see",
    # "users may download"), "the storm could strengthen" can only be a likelihood.
    feats.append(f"k|anim={key}|{subject_kind(verb)}")
    return feats


def _modals_and_conditions(doc: Doc, sents: Sentences) -> tuple[list[int], list[int]]:
    """The positions of the modals (tag ``MD``) and condition words of ``doc``, found once
    per document (kept on ``sents``) instead of walking each cue's sentence token by token."""
    found = sents.modals_and_conditions
    if found is None:
        import numpy as np
        from spacy.strings import get_string_id

        columns = sents.columns
        lowers = columns[:, LOWER_COLUMN]
        condition = np.zeros(len(doc), dtype=bool)
        for word in _CONDITION_WORDS:  # six comparisons: cheaper than np.isin's setup
            condition |= lowers == get_string_id(word)
        found = (
            np.flatnonzero(columns[:, TAG_COLUMN] == get_string_id("MD")).tolist(),
            np.flatnonzero(condition).tolist(),
        )
        sents.modals_and_conditions = found
    return found


def _root(doc: Doc, token: Token) -> Token:
    """The root of the token's sentence (following heads; spaCy roots head themselves)."""
    node = token
    for _ in range(len(doc)):
        if node.head.i == node.i:
            break
        node = node.head
    return node


@dataclass(frozen=True)
class Disambiguator:
    """Logistic weights by feature name; ``probability`` sums those present.

    ``scale`` and ``offsets`` calibrate the score for news copy: the weights are learned
    on all of the training data (mostly Wikipedia and biomedical text), then the score
    is rescaled and shifted per category (``offsets["*"]`` for all) to fit the news part,
    where "could" and "expect" are cues more often than in an encyclopedia.
    """

    weights: dict[str, float]
    scale: float = 1.0
    offsets: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Disambiguator | None:
        """The shipped weights, or None if the package has none."""
        path = resources.files(__package__).joinpath(WEIGHTS_FILE)
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        calibration = data.get("calibration", {})
        return cls(
            {str(k): float(v) for k, v in data["weights"].items()},
            float(calibration.get("scale", 1.0)),
            {str(k): float(v) for k, v in calibration.get("offsets", {}).items()},
        )

    def probability(self, feats: list[str], category: str = "") -> float:
        raw = weighted_sum(self.weights, feats)
        return logistic(
            self.scale * raw + self.offsets.get("*", 0.0) + self.offsets.get(category, 0.0)
        )
