"""A small learned cue detector that adds attributions the word lists miss.

Why: PolNeAR-style attribution covers a long tail of predicates ("vied for",
"is seizing on", "was balking at", "endorses") that no hand-kept verb list
reaches. A logistic regression over features of the shared parse (lemma, POS,
dependency label, head, children, kind of subject, quotation) scores every verb
the rules left alone; a verb scored above the threshold becomes a relation whose
source is its subject and whose content is its complements.

The weights (``cue_model.json``) were learned by ``benchmarks/train_sourcing.py``
from the PolNeAR dev portion, which states no data licence: the file holds only
feature names (parse labels and lemmas) and numbers, never article text.
Scoring is a dot product over ~30 string features per verb, so it costs little
next to the parse.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING

from copydesk_sourcing import lexicon as lx
from copydesk_sourcing.extract import Extractor, Relation, after_idiom, trim

if TYPE_CHECKING:
    from spacy.tokens import Token

_PRONOUN_SUBJ = frozenset("he she they i we you it".split())
_RIGHT_DEPS = frozenset("ccomp xcomp dobj prep attr acomp oprd dative advcl pcomp obj".split())
_SKIP_LEMMAS = frozenset({"be", "have", "do"})
# A stand-alone quotation is an attribution by design (cue = its opening mark),
# though PolNeAR files it as a fragment of its neighbour: the filter keeps it.
_NEVER_FILTERED = frozenset({"standalone"})


class CueModel:
    """Feature weights and a threshold; ``score`` gives P(token is a cue)."""

    def __init__(
        self,
        weights: dict[str, float],
        bias: float,
        threshold: float,
        keep: CueModel | None = None,
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        # Optional second model: P(a rule-found relation is an attribution).
        self.keep = keep

    @classmethod
    def load(cls, path: str | None = None) -> CueModel:
        """The shipped weights, or a weights file written by the training script."""
        if path:
            with open(path, encoding="utf-8") as fh:
                raw = json.load(fh)
        else:
            res = resources.files("copydesk_sourcing").joinpath("cue_model.json")
            raw = json.loads(res.read_text("utf-8"))
        keep = None
        if isinstance(raw.get("filter"), dict):
            f = raw["filter"]
            keep = cls(
                {str(k): float(v) for k, v in f["weights"].items()},
                float(f["bias"]),
                float(f["threshold"]),
            )
        return cls(
            {str(k): float(v) for k, v in raw["weights"].items()},
            float(raw["bias"]),
            float(raw["threshold"]),
            keep,
        )

    def score(self, feats: Iterable[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def is_candidate(tok: Token) -> bool:
    """Verbs (and cue nouns) are the tokens that can carry an attribution cue."""
    if after_idiom(tok):
        return False
    if tok.pos_ == "VERB":
        return tok.lemma_.lower() not in _SKIP_LEMMAS or tok.dep_ in ("ROOT", "ccomp")
    if tok.pos_ == "ADJ":
        # "was sure that", "is critical of", "are worried about": a stance adjective.
        return tok.dep_ == "acomp" and any(
            c.dep_ in ("prep", "ccomp", "xcomp") and c.i > tok.i for c in tok.children
        )
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in lx.CUE_NOUNS


def _subject(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return c
    if tok.dep_ in ("conj", "xcomp", "advcl") and tok.head.i != tok.i:
        for c in tok.head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
    return None


def _subject_kind(subj: Token | None) -> str:
    if subj is None:
        return "none"
    low = subj.lower_
    if low in _PRONOUN_SUBJ:
        return f"pron_{low}"
    if low in ("who", "that", "which"):
        return "relative"
    if subj.ent_type_:
        return f"ent_{subj.ent_type_}"
    lemma = subj.lemma_.lower()
    if lemma in lx.ROLE_HEADS:
        return "role"
    if lemma in lx.ORGANIZATION_HEADS or lemma in lx.MEDIA_HEADS:
        return "org"
    if lemma in lx.DOCUMENT_HEADS:
        return "document"
    if lemma in lx.ANONYMOUS_HEADS:
        return "people"
    return f"pos_{subj.pos_}"


def features(tok: Token, in_quote: bool, covered_head: bool, in_content: bool = False) -> list[str]:
    """String features of one candidate token, read off the shared parse.

    ``in_content``: the token lies in a rule relation's content ("X said that Y
    plans ..."), where PolNeAR, annotating one level, rarely marks a cue.
    """
    lemma = tok.lemma_.lower()
    lex = "speech" if lemma in lx.SPEECH_VERBS else "other" if lemma in lx.OTHER_VERBS else "no"
    deps = sorted({c.dep_ for c in tok.children})
    subj = _subject(tok)
    sk = _subject_kind(subj)
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    feats = [
        f"lemma={lemma}",
        f"lex={lex}",
        f"pos={tok.pos_}",
        f"tag={tok.tag_}",
        f"dep={tok.dep_}",
        f"lemma_dep={lemma}|{tok.dep_}",
        f"subj={sk}",
        f"lex_subj={lex}|{sk}",
        f"dep_subj={tok.dep_}|{sk}",
        f"head_pos={tok.head.pos_}|{tok.dep_}",
        f"quote={in_quote}",
        f"under_cue={covered_head}",
        f"passive={passive}",
        f"in_content={in_content}",
        f"in_content_lex={in_content}|{lex}",
        f"root={tok.dep_ == 'ROOT'}",
    ]
    for c in tok.children:
        if c.dep_ in ("aux", "neg"):
            feats.append(f"aux={c.lower_}")
    if tok.dep_ in ("ccomp", "xcomp", "conj", "advcl", "relcl", "acl"):
        feats.append(f"head_lemma={tok.head.lemma_.lower()}|{tok.dep_}")
    for d in deps:
        feats.append(f"child={d}")
        feats.append(f"lemma_child={lemma}|{d}")
    for c in tok.children:
        if c.dep_ == "prep" and c.i > tok.i:
            feats.append(f"prep={c.lower_}")
            feats.append(f"lemma_prep={lemma}|{c.lower_}")
        if c.dep_ == "ccomp" and any(g.dep_ == "mark" for g in c.children):
            feats.append("ccomp_mark")
        if c.dep_ in ("dobj", "attr") and c.ent_type_:
            feats.append(f"obj_ent={c.ent_type_}")
    has_right = any(c.dep_ in _RIGHT_DEPS and c.i > tok.i for c in tok.children)
    feats.append(f"right={has_right}")
    return feats


def content_ranges(relations: list[Relation]) -> list[tuple[int, int]]:
    """The content fragments of the given relations (for the ``in_content`` feature)."""
    return [c for rel in relations for c in rel.content]


def in_ranges(ranges: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in ranges)


def learned_relations(ex: Extractor, model: CueModel, relations: list[Relation]) -> list[Relation]:
    """Relations for candidate tokens the model scores as cues and the rules missed."""
    doc = ex.doc
    cued: set[int] = set()
    for rel in relations:
        span = doc.char_span(rel.cue[0], rel.cue[1], alignment_mode="expand")
        if span is not None:
            cued.update(t.i for t in span)
    contents = content_ranges(relations)
    added: list[Relation] = []
    for tok in doc:
        if tok.i in cued or not is_candidate(tok) or any(c.i in cued for c in tok.children):
            continue
        in_quote = ex.quotes.inside(tok.idx)
        if in_quote:
            continue
        covered_head = tok.head.i in cued and tok.head.i != tok.i
        p = model.score(features(tok, in_quote, covered_head, in_ranges(contents, tok.idx)))
        if p < model.threshold:
            continue
        new = build_relation(ex, tok, p)
        if new is None or any(r.cue[0] < new.cue[1] and new.cue[0] < r.cue[1] for r in relations):
            continue  # e.g. "reportedly protested": the adverb already made the cue
        span = doc.char_span(new.cue[0], new.cue[1], alignment_mode="expand")
        if span is not None:
            cued.update(t.i for t in span)
        added.append(new)
    return added


def build_relation(ex: Extractor, tok: Token, p: float) -> Relation | None:
    """Source = the subject, content = the complements to the right of the cue."""
    doc = ex.doc
    lemma = tok.lemma_.lower()
    extra = None
    right = [c for c in tok.children if c.dep_ in _RIGHT_DEPS and c.i > tok.i]
    if tok.pos_ == "NOUN":
        right = [c for c in tok.children if c.dep_ in ("acl", "prep", "relcl") and c.i > tok.i]
    if not right:
        return None
    first = right[0]
    if first.dep_ == "prep" and first.i == tok.i + 1:
        extra = first
    a = min(c.left_edge.i for c in right)
    b = max(c.right_edge.i for c in right) + 1
    if extra is not None:
        a = max(a, extra.i + 1)
    if a >= b:
        return None
    content = ex._clean([(doc[a].idx, doc[b - 1].idx + len(doc[b - 1]))])
    if not content:
        return None
    if tok.pos_ == "NOUN":
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        source = (
            trim(ex.text, (doc[owner.left_edge.i].idx, owner.idx + len(owner)), keep_quotes=False)
            if owner is not None
            else None
        )
        root = owner.i if owner is not None else None
        cue = (tok.idx, tok.idx + len(tok))
    elif tok.pos_ == "ADJ":
        source, root = ex._source_of(tok.head)
        head_cue = ex._cue_span(tok.head)
        end = (extra.idx + len(extra)) if extra is not None else tok.idx + len(tok)
        cue = (min(head_cue[0], tok.idx), end)
    else:
        source, root = ex._source_of(tok)
        cue = ex._cue_span(tok, extra)
    if source is not None and any(x < source[1] and source[0] < y for x, y in content):
        source, root = None, None
    kind = "speech" if lemma in lx.SPEECH_VERBS else "other"
    verb = tok.head if tok.pos_ == "ADJ" else tok
    if kind == "other" and source is None and not any(c.dep_ == "auxpass" for c in verb.children):
        return None  # no holder and not an agentless passive: not an attribution
    return Relation(cue, source, content, lemma, kind, "learned", round(0.5 * p, 3), root)


def relation_features(ex: Extractor, rel: Relation) -> list[str]:
    """Features of one rule-found relation, for the learned filter that may drop it.

    Why: some rules are right most of the time but not always (a thought verb's
    object, "wants to", a one-word content); the rule, the cue lemma, the parse
    around the cue and the content's size tell them apart. Nesting is deliberately
    not a feature: "Reuters reported that officials said ..." holds two real
    attributions, though PolNeAR (univocal) annotates one.
    """
    doc = ex.doc
    lemma = rel.cue_lemma.lower()
    in_quote = ex.quotes.inside(rel.cue[0])
    span = doc.char_span(rel.cue[0], rel.cue[1], alignment_mode="expand")
    tok = span.root if span is not None and len(span) else None
    subj = None
    if rel.source_root is not None and 0 <= rel.source_root < len(doc):
        subj = doc[rel.source_root]
    sk = _subject_kind(subj) if subj is not None else "none"
    n_words = sum(len(ex.text[a:b].split()) for a, b in rel.content)
    size = "1" if n_words <= 1 else "short" if n_words <= 4 else "mid" if n_words <= 12 else "long"
    feats = [
        f"r_rule={rel.rule}",
        f"r_kind={rel.cue_kind}",
        f"r_lemma={lemma}",
        f"r_rule_lemma={rel.rule}|{lemma}",
        f"r_quote={in_quote}",
        f"r_source={rel.source is not None}",
        f"r_subj={sk}",
        f"r_rule_subj={rel.rule}|{sk}",
        f"r_size={size}",
        f"r_rule_size={rel.rule}|{size}",
        f"r_frags={min(len(rel.content), 3)}",
        f"r_inherited={rel.inherited is not None}",
    ]
    if tok is not None:
        feats += [
            f"r_tag={tok.tag_}",
            f"r_dep={tok.dep_}",
            f"r_kind_dep={rel.cue_kind}|{tok.dep_}",
            f"r_lemma_dep={lemma}|{tok.dep_}",
            f"r_lemma_tag={lemma}|{tok.tag_}",
        ]
        if tok.dep_ in ("ccomp", "xcomp", "conj", "advcl", "relcl", "acl", "pcomp"):
            feats.append(f"r_head={tok.head.lemma_.lower()}|{tok.dep_}")
        for c in tok.children:
            if c.dep_ in ("neg", "aux", "auxpass", "dobj", "xcomp", "ccomp", "prep", "mark"):
                feats.append(f"r_child={c.dep_}")
                feats.append(f"r_kind_child={rel.cue_kind}|{c.dep_}")
    return feats


def filter_relations(
    ex: Extractor, model: CueModel | None, relations: list[Relation]
) -> list[Relation]:
    """The rule relations the filter model keeps (all of them without a filter)."""
    if model is None:
        return relations
    feats = [relation_features(ex, rel) for rel in relations]
    return [
        rel
        for rel, f in zip(relations, feats, strict=True)
        if rel.rule in _NEVER_FILTERED or model.score(f) >= model.threshold
    ]
