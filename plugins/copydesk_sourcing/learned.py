"""Three small learned models on top of the rules: cue detector, relation filter, cue extent.

Why: PolNeAR-style attribution covers a long tail of predicates ("vied for",
"is seizing on", "was balking at", "endorses") that no hand-kept verb list
reaches. A logistic regression over features of the shared parse (lemma, POS,
dependency label, head, children, objects, kind of subject, quotation) scores
every verb the rules left alone; a verb scored above the threshold becomes a
relation whose source is its subject and whose content is its complements. A
second one drops doubtful rule relations; a third grows cues to PolNeAR's extent
("has long argued", "said in a statement"). The rules stay the explainable core:
every learned decision is a sum of named features.

The weights (``cue_model.json``) were learned by ``benchmarks/train_sourcing.py``
from the PolNeAR train portion (840 articles), which states no data licence: the
file holds only feature names (parse labels and lemmas) and numbers, never
article text. Per document, ``DocView`` computes the token masks once with numpy
and only candidate tokens are visited, so scoring costs little next to the parse.
"""

from __future__ import annotations

import bisect
import functools
import json
from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING, Any

from copydesk import SUBJECT_DEPS, logistic, subtract_spans, weighted_sum
from copydesk_sourcing import lexicon as lx
from copydesk_sourcing.cue_features import SPELLING, FeatureSink, Fixed, Weighing
from copydesk_sourcing.cues import IDIOM_PAIRS, IDIOM_PREV, after_idiom
from copydesk_sourcing.extract import Extractor
from copydesk_sourcing.relation import Relation
from copydesk_sourcing.spans import trim
from copydesk_sourcing.word_flags import flag_table, flags_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from copydesk_sourcing.token_table import TokenTable

_PRONOUN_SUBJ = frozenset("he she they i we you it".split())
_RELATIVES = frozenset({"who", "that", "which"})
_RIGHT_DEPS = frozenset("ccomp xcomp dobj prep attr acomp oprd dative advcl pcomp obj".split())
_OWN_SUBJECT_DEPS = SUBJECT_DEPS | {"csubj"}
_SKIP_LEMMAS = frozenset({"be", "have", "do"})
# "support for", "criticism of", "attacks on": a noun with one of these
# prepositions after it is a candidate too.
_NOUN_PREPS = frozenset("for of about against on over with to".split())
# What "police said." may hold besides its subject when it reports the sentence before.
_ASIDE_DEPS = frozenset({"nsubj", "punct", "npadvmod", "advmod", "prep", "aux", "neg"})
# A stand-alone quotation (cue = its opening mark) is not judged on its own:
# with the filter on, it joins the attribution it continues or goes.
_JOINED_ONLY = frozenset({"standalone"})
# A learned cue with no holder ("The clip has faced ridicule online") is kept
# from this probability up, the detector's own threshold: PolNeAR has such
# relations (6-8%), and on held-out training folds the holder-less cues the
# detector accepts between 0.5 and 0.75 were right 54% of the time (0.75 was the
# bar before: 5-fold CV over train, cue overlap F1 0.7756 -> 0.7766).
_SOURCELESS_P = 0.5


class CueModel:
    """Feature weights and a threshold; ``score`` gives P(token is a cue)."""

    def __init__(
        self,
        weights: dict[str, float],
        bias: float,
        threshold: float,
        keep: CueModel | None = None,
        extent: CueModel | None = None,
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        # Optional second model: P(a rule-found relation is an attribution).
        self.keep = keep
        # Optional third model: P(a phrase next to a cue belongs to the cue).
        self.extent = extent
        # Nouns that are detector candidates when a preposition follows them
        # ("support for", "criticism of"), learned from the training cues.
        self.noun_lemmas: frozenset[str] = frozenset()
        # Lemmas the detector never scores: frequent among the training
        # candidates and never inside a gold cue ("win", "include").
        self.never: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: str | None = None) -> CueModel:
        """The shipped weights, or a weights file written by the training script."""
        if path:
            with open(path, encoding="utf-8") as fh:
                raw = json.load(fh)
        else:
            res = resources.files("copydesk_sourcing").joinpath("cue_model.json")
            raw = json.loads(res.read_text("utf-8"))
        model = cls._from_dict(raw)
        model.noun_lemmas = frozenset(raw.get("noun_lemmas", ()))
        model.never = frozenset(raw.get("never", ()))
        return model

    @classmethod
    def _from_dict(cls, raw: dict[str, Any]) -> CueModel:
        subs = {
            key: cls._from_dict(raw[key]) if isinstance(raw.get(key), dict) else None
            for key in ("filter", "extent")
        }
        return cls(
            {str(k): float(v) for k, v in raw["weights"].items()},
            float(raw["bias"]),
            float(raw["threshold"]),
            subs["filter"],
            subs["extent"],
        )

    def score(self, feats: Iterable[str]) -> float:
        return logistic(self.bias + weighted_sum(self.weights, feats))

    def score_many(self, rows: list[list[str]]) -> list[float]:
        """``score`` for each feature list."""
        weights, bias = self.weights, self.bias
        return [logistic(bias + weighted_sum(weights, feats)) for feats in rows]

    @functools.cached_property
    def weighing(self) -> Weighing:
        """The weights by template (``cue_features``), built on first use."""
        return Weighing(self.weights)

    def score_features(self, rows: list[list[Any]]) -> list[float]:
        """``score_many`` for rows of weights (``Weighing``'s, None for an unknown
        feature): the same numbers, since the weights come in the same order and
        a 0 or None weight adds nothing."""
        bias = self.bias
        return [logistic(bias + sum(filter(None, row))) for row in rows]


# Strings whose ids ``DocView`` compares with the parse's arrays, in this order.
_LABELS = ("VERB", "ADJ", "NOUN", "prep", "acomp")
# The dependencies under which "be", "have", "do" are candidates.
_CLAUSE_DEPS = ("ROOT", "ccomp")


# Flag bits of the lemma table and of the lower-case table.
_CUE_NOUN, _NOUN_LEMMA, _NEVER, _LIGHT = 1, 2, 4, 8
_IDIOM_WORD, _PREP_WORD, _PAIR_FIRST = 1, 2, 4


@functools.lru_cache(maxsize=1)
def _idiom_pair_ids() -> frozenset[tuple[int, int]]:
    """The string ids of the two-word idioms ("needless to", "let's"), once per process."""
    return frozenset(tuple(_ids(pair).tolist()) for pair in IDIOM_PAIRS)


@functools.lru_cache(maxsize=16)
def _ids(words: Iterable[str]) -> Any:
    """The string-store ids of ``words`` as a uint64 array (the same in every vocab:
    a hash, or a symbol's number), computed once per word set, not per document."""
    import numpy as np
    from spacy.strings import get_string_id

    return np.array([get_string_id(w) for w in words], dtype=np.uint64)


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
    if tok.pos_ != "NOUN":
        return False
    return tok.lemma_.lower() in lx.CUE_NOUNS or any(
        c.dep_ == "prep" and c.lower_ in _NOUN_PREPS and c.i > tok.i for c in tok.children
    )


def _subject_kind(subj: Token | None) -> str:
    if subj is None:
        return "none"
    lower = subj.lower_
    if lower in _PRONOUN_SUBJ or lower in _RELATIVES:
        return subject_kind(lower, "", "", "")  # decided by the word alone
    return subject_kind(lower, subj.ent_type_, subj.lemma_.lower(), subj.pos_)


def subject_kind(lower: str, ent_type: str, lemma: str, pos: str) -> str:
    """What kind of word a subject is, from its lower-case form, entity type,
    lower-cased lemma and part of speech: a pronoun, a relative, an entity, a
    role / organisation / document / anonymous head noun, else its POS."""
    if lower in _PRONOUN_SUBJ:
        return f"pron_{lower}"
    if lower in _RELATIVES:
        return "relative"
    if ent_type:
        return f"ent_{ent_type}"
    if lemma in lx.ROLE_HEADS:
        return "role"
    if lemma in lx.ORGANIZATION_HEADS or lemma in lx.MEDIA_HEADS:
        return "org"
    if lemma in lx.DOCUMENT_HEADS:
        return "document"
    if lemma in lx.ANONYMOUS_HEADS:
        return "people"
    return f"pos_{pos}"


class DocView:
    """Per-document facts the detector needs, computed once with numpy.

    Why: the detector used to ask, for every token, whether it was inside a
    quotation, a rule cue or a rule relation's content (a scan of the relations
    per token). Here those are boolean arrays over the tokens, built from the
    tokens' character offsets with ``searchsorted``; only the candidate tokens
    (verbs, stance adjectives, cue nouns) are then visited in Python, and their
    features read from a ``TokenTable`` (lists, not ``Token`` objects).
    """

    def __init__(
        self,
        ex: Extractor,
        relations: list[Relation],
        noun_lemmas: frozenset[str] | None = None,
        never: frozenset[str] = frozenset(),
    ) -> None:
        """``noun_lemmas``: the nouns with a preposition after them that are
        candidates ("support for"); ``None``: every such noun (for training).
        ``never``: lemmas that are not candidates (never a cue in training)."""
        import numpy as np

        doc = ex.doc
        self.doc = doc
        n = len(doc)
        # The columns the rules read too (``RuleContext.table``): one read per document.
        self.table = table = ex.table
        idx = table.offsets
        self.idx = idx
        lemma_u = table.lemma_ids
        lower = table.lower_ids
        pos_u = table.pos_ids
        dep_u = table.dep_ids
        ends = idx + table.lengths

        def tokens_in(spans: Iterable[tuple[int, int]], strict: bool = False) -> Any:
            """Mask of tokens overlapping (``strict``: starting strictly inside) any span.

            All spans at once: two ``searchsorted`` calls give each span's token
            range [lo, hi), and a running count of ranges opened minus ranges
            closed marks the tokens inside one (a call per span cost a third of
            this view's time: some 4,700 spans per pass over PolNeAR dev).
            """
            bounds = np.array(list(spans), dtype=np.int64).reshape(-1, 2)
            if strict:
                lo = np.searchsorted(idx, bounds[:, 0], side="right")
                hi = np.searchsorted(idx, bounds[:, 1] - 1, side="left")
            else:
                lo = np.searchsorted(ends, bounds[:, 0], side="right")
                hi = np.searchsorted(idx, bounds[:, 1], side="left")
            live = lo < hi
            opened = np.bincount(lo[live], minlength=n + 1) - np.bincount(hi[live], minlength=n + 1)
            return np.cumsum(opened[:n]) > 0

        self.cued = tokens_in(r.cue for r in relations)
        self.in_quote = tokens_in(((q.start, q.end) for q in ex.quotes.quotes), strict=True)
        self.in_content = tokens_in(c for r in relations for c in r.content)
        heads = table.heads
        self.heads = heads
        has_head = heads != np.arange(n)
        self.child_cued = np.zeros(n, dtype=bool)
        self.child_cued[heads[self.cued & has_head]] = True
        sent = np.cumsum(table.sent_starts == 1)
        self.sent = sent
        nsent = int(sent.max()) + 1 if n else 1
        self.sent_quote = np.bincount(sent[self.in_quote], minlength=nsent) > 0
        self.sent_cue = np.bincount(sent[self.cued], minlength=nsent) > 0
        verb, adj, noun, prep, acomp = _ids(_LABELS).tolist()
        # One sorted-table lookup per column instead of one ``isin`` per word list.
        lemma_bits = flags_of(
            lemma_u,
            flag_table(
                (
                    (lx.CUE_NOUNS, _CUE_NOUN),
                    (noun_lemmas or frozenset(), _NOUN_LEMMA),
                    (never, _NEVER),
                    (_SKIP_LEMMAS, _LIGHT),
                )
            ),
        )
        lower_bits = flags_of(
            lower,
            flag_table(
                (
                    (IDIOM_PREV, _IDIOM_WORD),
                    (_NOUN_PREPS, _PREP_WORD),
                    (tuple(first for first, _ in IDIOM_PAIRS), _PAIR_FIRST),
                )
            ),
        )
        is_prep = (dep_u == prep) & (lower_bits & _PREP_WORD > 0)
        is_prep &= heads < np.arange(n)
        noun_prep = np.zeros(n, dtype=bool)
        noun_prep[heads[is_prep]] = True
        if noun_lemmas is not None:
            # Only the nouns the training articles had as cues: few candidates.
            noun_prep &= lemma_bits & _NOUN_LEMMA > 0
        maybe = (
            (pos_u == verb)
            | ((pos_u == adj) & (dep_u == acomp))  # "was sure that", not "a sure bet"
            | ((pos_u == noun) & ((lemma_bits & _CUE_NOUN > 0) | noun_prep))
        )
        # A verb governing a rule cue ("endorsed Smith, saying ...") stays a
        # candidate: PolNeAR often marks both; ``child_cue`` is a feature.
        maybe &= ~self.cued & ~self.in_quote & ~(lemma_bits & _NEVER > 0)
        # Verbs are decided here, in array operations (most candidates are verbs):
        # not after an idiom ("worth noting", "let's say"), and "be"/"have"/"do"
        # only as a main or complement clause's verb.
        idiom = np.zeros(n, dtype=bool)
        idiom[1:] = lower_bits[:-1] & _IDIOM_WORD > 0
        # A two-word idiom's first word is rare: its few places are checked one by one.
        pairs = _idiom_pair_ids()
        for k in np.flatnonzero(lower_bits[:-2] & _PAIR_FIRST).tolist():
            if (int(lower[k]), int(lower[k + 1])) in pairs:
                idiom[k + 2] = True
        is_verb = pos_u == verb
        root, ccomp = _ids(_CLAUSE_DEPS).tolist()
        light = (lemma_bits & _LIGHT > 0) & (dep_u != root) & (dep_u != ccomp)
        self._verb_ok = is_verb & ~idiom & ~light
        self._is_verb = is_verb
        self.maybe = maybe
        self._tag_ids = table.tag_ids
        # The quotation tokens as a running count, so that "is any token of
        # [a, b] quoted" is one subtraction.
        self._quotes_before = np.concatenate(([0], np.cumsum(self.in_quote)))
        # Who speaks elsewhere in the article (the rules' source heads): PolNeAR
        # marks what its speakers do and think ("Trump fired back") far more
        # often than what anyone else does.
        self.speakers = {
            table.lower(r.source_root)
            for r in relations
            if r.source_root is not None and 0 <= r.source_root < n
        }

    def candidate_ids(self) -> list[int]:
        """Indices of the tokens the detector scores: not a rule cue, not
        governing one, not quoted."""
        doc = self.doc
        out = []
        verb_ok, is_verb = self._verb_ok, self._is_verb
        for i in self.maybe.nonzero()[0].tolist():
            if verb_ok[i] or (not is_verb[i] and is_candidate(doc[i])):
                out.append(i)
        return out

    def candidates(self) -> list[Token]:
        """The candidate tokens (``candidate_ids``)."""
        doc = self.doc
        return [doc[i] for i in self.candidate_ids()]

    def features(self, tok: Token) -> list[str]:
        """String features of one candidate token, as the weights file names them."""
        return self.feature_rows([tok.i], SPELLING)[0]

    def feature_rows(self, cands: list[int], sink: FeatureSink) -> list[list[Any]]:
        """The features of each candidate token, written out by ``sink`` (strings,
        or their weights: ``cue_features``).

        What each candidate's features read of the document's masks (its head
        under a rule cue, its sentence's quotations and cues, ...) is gathered for
        all candidates at once; the walk over each (``_features``) does the rest.
        """
        import numpy as np

        t = self.table
        at = np.array(cands, dtype=np.int64)
        heads = self.heads[at]
        sent = self.sent[at]
        sent_cue = self.sent_cue
        last = len(sent_cue) - 1
        near = ((sent > 0) & sent_cue[np.maximum(sent - 1, 0)]) | (
            (sent < last) & sent_cue[np.minimum(sent + 1, last)]
        )
        # The words either side ("<s>", "</s>" at the document's ends).
        n = t.n
        prev = t.names(t.lower_ids[np.maximum(at - 1, 0)])
        nxt = t.names(t.lower_ids[np.minimum(at + 1, n - 1)])
        for k in np.flatnonzero(at == 0).tolist():
            prev[k] = "<s>"
        for k in np.flatnonzero(at == n - 1).tolist():
            nxt[k] = "</s>"
        facts = zip(
            cands,
            heads.tolist(),
            t.lemmas(t.lemma_ids[at]),
            t.names(t.dep_ids[at]),
            t.names(t.pos_ids[at]),
            t.names(t.pos_ids[heads]),
            t.names(t.tag_ids[at]),
            prev,
            nxt,
            (self.cued[heads] & (heads != at)).tolist(),
            self.in_content[at].tolist(),
            self.sent_quote[sent].tolist(),
            sent_cue[sent].tolist(),
            near.tolist(),
            self.child_cued[at].tolist(),
            strict=True,
        )
        return [self._features(sink, *fact) for fact in facts]

    def _features(
        self,
        sink: FeatureSink,
        i: int,
        head: int,
        lemma: str,
        dep: str,
        pos: str,
        head_pos: str,
        tag: str,
        prev: str,
        nxt: str,
        under_cue: bool,
        in_content_flag: bool,
        sent_quote_flag: bool,
        sent_cue_flag: bool,
        near_cue: bool,
        child_cued: bool,
    ) -> list[Any]:
        """Features of candidate token ``i``, read off the shared parse.

        ``in_content``: the token lies in a rule relation's content ("X said that
        Y plans ..."), where PolNeAR, annotating one level, rarely marks a cue.
        ``sent_quote``/``sent_cue``: its sentence holds a quotation / a rule cue.
        Lexical context (objects, prepositions' objects, neighbouring words) is
        kept only in conjunction with the lemma or as single words: with the 840
        training articles they generalise; with 84 they overfit. The features and
        their order are those the shipped weights were trained on.
        """
        t = self.table
        e = sink.emit
        f = sink.fixed  # the few-valued templates, picked by flag or class
        of_lemma = f"{lemma}|"  # the lemma-conjoined values start so
        lex = "speech" if lemma in lx.SPEECH_VERBS else "other" if lemma in lx.OTHER_VERBS else "no"
        kids = t.children(i)
        kid_deps = [t.dep(c) for c in kids]
        subj = self._subject(i, dep, head, kids, kid_deps)
        sk = "none" if subj is None else self._subject_kind(subj)
        passive = "auxpass" in kid_deps
        right = [c for c, d in zip(kids, kid_deps, strict=True) if d in _RIGHT_DEPS and c > i]
        has_right = bool(right)
        lemma_passive, lemma_sent, lemma_right = f.of_lemma(lemma)
        out = [
            e["lemma"](lemma),
            f.lex[lex],
            e["pos"](pos),
            e["tag"](tag),
            e["dep"](dep),
            e["lemma_dep"](of_lemma + dep),
            e["lemma_tag"](of_lemma + tag),
            e["subj"](sk),
            e["lex_subj"](f"{lex}|{sk}"),
            e["lemma_subj"](of_lemma + sk),
            e["dep_subj"](f"{dep}|{sk}"),
            e["head_pos"](f"{head_pos}|{dep}"),
            f.under_cue[under_cue],
            f.passive[passive],
            lemma_passive[passive],
            f.in_content[in_content_flag],
            f.in_content_lex[in_content_flag][lex],
            f.root[dep == "ROOT"],
            f.sent_quote[sent_quote_flag],
            f.sent_cue[sent_cue_flag],
            f.sent_both[sent_quote_flag][sent_cue_flag][in_content_flag],
            lemma_sent[sent_quote_flag][sent_cue_flag],
            f.right[has_right],
            lemma_right[has_right],
            e["prev"](prev),
            e["next"](nxt),
            e["lemma_next"](of_lemma + nxt),
        ]
        if subj is not None and sk.startswith("pos_"):
            out.append(e["subj_lemma"](t.lemma(subj)))
        self._article_features(out, f, subj, right, lex, near_cue, sent_cue_flag)
        for c, d in zip(kids, kid_deps, strict=True):
            if d in ("aux", "neg"):
                out.append(e["aux"](t.lower(c)))
        if dep in ("ccomp", "xcomp", "conj", "advcl", "relcl", "acl", "pcomp"):
            out.append(e["head_lemma"](f"{t.lemma(head)}|{dep}"))
        child, lemma_child = e["child"], e["lemma_child"]
        for d in sorted(set(kid_deps)):
            out += (child(d), lemma_child(of_lemma + d))
        for c, d in zip(kids, kid_deps, strict=True):
            if c < i:
                continue
            if d == "prep":
                low = t.lower(c)
                out.append(e["prep"](low))
                out.append(e["lemma_prep"](of_lemma + low))
                for g in t.children(c):
                    if t.dep(g) in ("pobj", "pcomp"):
                        out.append(e["prep_obj"](f"{low}|{t.lemma(g)}"))
                        break
            elif d in ("dobj", "attr", "obj"):
                obj = t.lemma(c)
                out.append(e["obj"](obj))
                out.append(e["lemma_obj"](of_lemma + obj))
                ent = self.doc[c].ent_type_
                if ent:
                    out.append(e["obj_ent"](ent))
            elif d in ("ccomp", "xcomp"):
                out.append(e["comp"](f"{d}|{t.lemma(c)}"))
                if "mark" in [t.dep(g) for g in t.children(c)]:
                    out.append(sink.flag["ccomp_mark"])
        if child_cued:
            cued = self.cued
            out.append(sink.flag["child_cue"])
            out.append(e["lemma_child_cue"](lemma))
            out.extend(
                e["child_cue_dep"](d)
                for d in sorted({d for c, d in zip(kids, kid_deps, strict=True) if cued[c]})
            )
        return out

    def _subject(
        self, i: int, dep: str, head: int, kids: list[int], kid_deps: list[str]
    ) -> int | None:
        """Token ``i``'s own subject (clausal ones too), else the nominal subject
        of the verb it is conjoined with or complements ("went and said": "said"
        takes its subject)."""
        for c, d in zip(kids, kid_deps, strict=True):
            if d in _OWN_SUBJECT_DEPS:
                return c
        if dep in ("conj", "xcomp", "advcl") and head != i:
            t = self.table
            for c in t.children(head):
                if t.dep(c) in SUBJECT_DEPS:
                    return c
        return None

    def _subject_kind(self, subj: int) -> str:
        t = self.table
        lower = t.lower(subj)
        if lower in _PRONOUN_SUBJ or lower in _RELATIVES:
            return subject_kind(lower, "", "", "")  # decided by the word alone
        return subject_kind(lower, self.doc[subj].ent_type_, t.lemma(subj), t.pos(subj))

    def _article_features(
        self,
        out: list[Any],
        f: Fixed,
        subj: int | None,
        right: list[int],
        lex: str,
        near: bool,
        sent_cue: bool,
    ) -> None:
        """What the article says around the token: does its subject speak elsewhere
        (a rule's source head), does a sentence next to it hold a rule cue, is there a
        quotation among its complements to the right ("tweeted the following: '...'",
        "led with '...'": a report whatever the verb)."""
        speaker = subj is not None and self.table.lower(subj) in self.speakers
        quoted = False
        before = self._quotes_before
        if right and before[-1]:
            doc = self.doc
            first = doc[right[0]].left_edge.i
            quotes_from = before.item(first)
            # The complements' right edges matter only if a quotation follows ``first``.
            if before.item(-1) > quotes_from:
                last = max(doc[c].right_edge.i for c in right)
                quoted = before.item(last + 1) > quotes_from
        said = "speech" if lex == "speech" else "other"
        out += (
            f.right_quote[quoted],
            f.lex_right_quote[said][quoted],
            f.subj_speaker[speaker],
            f.lex_speaker[said][speaker],
            f.near_cue[near],
            f.speaker_near[speaker][near][sent_cue],
        )


def learned_relations(ex: Extractor, model: CueModel, relations: list[Relation]) -> list[Relation]:
    """Relations for candidate tokens the model scores as cues and the rules missed."""
    view = DocView(ex, relations, model.noun_lemmas, model.never)
    cands = view.candidate_ids()
    if not cands:
        return []
    probs = model.score_features(view.feature_rows(cands, model.weighing))
    added: list[Relation] = []
    taken: set[int] = set()
    children = view.table.children
    for i, p in zip(cands, probs, strict=True):
        if p < model.threshold or i in taken or any(c in taken for c in children(i)):
            continue
        new = build_relation(ex, ex.doc[i], p)
        if new is None or any(
            r.cue[0] < new.cue[1] and new.cue[0] < r.cue[1] for r in (*relations, *added)
        ):
            continue  # e.g. "reportedly protested": the adverb already made the cue
        span = ex.spans.expand(*new.cue)
        if span is not None:
            taken.update(t.i for t in span)
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
    if right:
        first = right[0]
        if first.dep_ == "prep" and first.i == tok.i + 1:
            extra = first
        a = min(c.left_edge.i for c in right)
        b = max(c.right_edge.i for c in right) + 1
        framed = object_frame(tok, first) if tok.pos_ == "VERB" else None
        if framed is not None:
            extra, a = framed
        if extra is not None:
            a = max(a, extra.i + 1)
        if a >= b:
            return None
        content = ex.clean([(doc[a].idx, doc[b - 1].idx + len(doc[b - 1]))])
    elif tok.pos_ == "VERB":
        content = left_content(ex, tok)
    else:
        return None
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
        # "support for", "criticism of": the preposition right after belongs to the cue.
        end = (extra.idx + len(extra)) if extra is not None else tok.idx + len(tok)
        cue = (tok.idx, end)
        verb = noun_frame(tok) if owner is None else None
        if verb is not None:
            # "made no mention of", "is an outspoken supporter of": the verb and the
            # noun's modifiers are the cue too, the verb's subject is the source.
            source, root = ex.source_of(verb)
            cue = (ex.cue_span(verb)[0], end)
    elif tok.pos_ == "ADJ":
        source, root = ex.source_of(tok.head)
        head_cue = ex.cue_span(tok.head)
        end = (extra.idx + len(extra)) if extra is not None else tok.idx + len(tok)
        cue = (min(head_cue[0], tok.idx), end)
    else:
        source, root = ex.source_of(tok)
        cue = ex.cue_span(tok, extra)
    if source is not None and any(x < source[1] and source[0] < y for x, y in content):
        source, root = None, None
    kind = "speech" if lemma in lx.SPEECH_VERBS else "other"
    verb = tok.head if tok.pos_ == "ADJ" else tok
    if (
        kind == "other"
        and source is None
        and p < _SOURCELESS_P
        and not any(c.dep_ == "auxpass" for c in verb.children)
    ):
        return None  # no holder and not an agentless passive: not an attribution
    return Relation(cue, source, content, lemma, kind, "learned", round(0.5 * p, 3), root)


def noun_frame(noun: Token) -> Token | None:
    """The verb whose object (or predicate noun) the cue noun is, when the noun's
    phrase starts right after it: "made no mention of", "is a fervent supporter of",
    "unleashed withering attacks against". PolNeAR's cue runs from that verb."""
    head = noun.head
    doc = noun.doc
    if noun.dep_ not in ("dobj", "attr") or head.pos_ not in ("VERB", "AUX") or head.i > noun.i:
        return None
    between = range(head.i + 1, noun.left_edge.i)
    if any(not (doc[j].head.i == head.i and doc[j].dep_ in ("advmod", "neg")) for j in between):
        return None  # "is actually a rousing defense of": only the verb's adverbs between
    if noun.i - noun.left_edge.i > 3:
        return None
    return head


def object_frame(verb: Token, obj: Token) -> tuple[Token, int] | None:
    """For "expressed concern about X", "voiced doubts over X", "unveiled a plan to X":
    the last token of the cue (the preposition, or the object noun) and the first
    token of the content.

    Why: PolNeAR's cue is the verb with its object noun ("expressed confidence",
    "announced plans") and the content what the noun is about; taking the whole
    object as content left the cue one or two words short of the annotation.
    Only a stance noun (``lexicon.STANCE_OBJECTS``), short (at most three words
    before its head) and right after the verb, counts.
    """
    if obj.dep_ != "dobj" or obj.lemma_.lower() not in lx.STANCE_OBJECTS:
        return None
    if obj.left_edge.i != verb.i + 1:
        return None
    if obj.i - obj.left_edge.i > 3:
        return None
    after = sorted((c for c in obj.children if c.i > obj.i), key=lambda c: c.i)
    if not after or after[0].left_edge.i != obj.i + 1:
        return None
    nxt = after[0]
    if nxt.dep_ == "prep":
        pobj = next((g for g in nxt.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is None or pobj.ent_type_ in ("DATE", "TIME"):
            return None
        return nxt, pobj.left_edge.i
    if nxt.dep_ in ("acl", "ccomp") and nxt.pos_ in ("VERB", "AUX"):
        return obj, nxt.left_edge.i
    return None


def left_content(ex: Extractor, verb: Token) -> list[tuple[int, int]]:
    """Content that sits before a cue verb with no complement to its right.

    Why: "..., police said.", "as a reporter noted, he didn't ...", "he said,
    he has realized ...": what is attributed is the clause before the verb, the
    clause the aside interrupts, or (when the parser split "police said." into a
    sentence of its own) the sentence before, in the same paragraph. About one
    missed cue in ten on held-out training articles was a verb the detector
    accepted but for which no content to the right was found.
    """
    doc = ex.doc
    text = ex.text
    own = [c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i]
    if own:
        return ex.clean(ex.subtree(c) for c in own)
    if verb.dep_ in ("parataxis", "advcl") and verb.head.i != verb.i:
        head = verb.head
        if verb.dep_ == "advcl" and not any(
            c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
        ):
            return []  # only the "as X noted," aside; other adverbial clauses are not reports
        whole = ex.subtree(head)
        return ex.clean(subtract_spans(whole, [ex.subtree(verb)]))
    sent = verb.sent
    if verb.dep_ != "ROOT" or sent.start == 0:
        return []
    deps = {c.dep_ for c in verb.children}
    if "nsubj" not in deps or not deps <= _ASIDE_DEPS:
        return []  # only "Police said." (with a time or a manner): a sentence of its own
    first = next((t for t in sent if not t.is_space), verb)
    prev = doc[sent.start - 1].sent
    words = [t for t in prev if not t.is_space]
    if not words or "\n" in text[words[-1].idx : first.idx]:
        return []  # a paragraph break: the sentence before is not what is said
    if any(t.lemma_.lower() in lx.SPEECH_VERBS for t in prev):
        return []  # the sentence before has its own speaker
    span = trim(text, (prev.start_char, prev.end_char))
    return ex.clean([span]) if span is not None else []


def nested_flags(relations: list[Relation]) -> list[bool]:
    """For each relation: does its cue lie inside another relation's content?

    The content fragments in order of start; for the fragments starting at or
    before a cue, the furthest end and the furthest end of another relation's
    fragment than that one's: a cue lies inside another relation's content when
    the furthest end not its own reaches the cue's end. One bisection per cue,
    not a scan of the fragments.
    """
    frags = sorted((a, b, i) for i, r in enumerate(relations) for a, b in r.content)
    starts = [a for a, _, _ in frags]
    # Per prefix of ``frags``: (furthest end, its relation, furthest end of any other relation).
    reach: list[tuple[int, int, int]] = []
    best, owner, other = -1, -1, -1
    for _, b, j in frags:
        if b > best:
            if j != owner:
                other = best
            best, owner = b, j
        elif j != owner and b > other:
            other = b
        reach.append((best, owner, other))
    out = []
    for i, rel in enumerate(relations):
        c0, c1 = rel.cue
        k = bisect.bisect_right(starts, c0)
        if not k:
            out.append(False)
            continue
        best, owner, other = reach[k - 1]
        out.append((best if owner != i else other) >= c1)
    return out


class SentenceChars:
    """Each token's sentence as character offsets, as ``tok.sent`` has them.

    Why: ``tok.sent`` builds two spans and walks to the sentence's ends on every
    call: a third of the relation filter's time. One array read per document
    gives every sentence's bounds; a token's is then a bisection.
    """

    def __init__(self, doc: Doc, table: TokenTable | None = None) -> None:
        """``table``: the document's token table, whose sentence starts serve
        (else they are read from the document)."""
        import numpy as np
        from spacy.attrs import SENT_START

        self.doc = doc
        if table is not None:
            marks = table.sent_starts.copy()
        else:
            marks = doc.to_array(SENT_START).astype(np.int64)
        # A sentence starts at a token marked as a start, and at the first token.
        marks[:1] = 1
        self._first: list[int] = np.flatnonzero(marks == 1).tolist()
        self._first.append(len(doc))

    def of(self, i: int) -> tuple[int, int]:
        """(start_char, end_char) of token ``i``'s sentence."""
        k = bisect.bisect_right(self._first, i)
        last = self.doc[self._first[k] - 1]
        return self.doc[self._first[k - 1]].idx, last.idx + len(last)


def relation_features(
    ex: Extractor, rel: Relation, nested: bool = False, sentences: SentenceChars | None = None
) -> list[str]:
    """Features of one rule-found relation, for the learned filter that may drop it.

    Why: some rules are right most of the time but not always (a thought verb's
    object, "wants to", a one-word content); the rule, the cue lemma, the parse
    around the cue and the content's size tell them apart. Nesting is deliberately
    not a feature: "Reuters reported that officials said ..." holds two real
    attributions, though PolNeAR (univocal) annotates one. ``nested`` (the cue
    lies in another relation's content) is one explicit feature, so that the
    analyzer can score a relation as if it were not nested (``nested_attributions``).
    ``sentences``: the document's ``SentenceChars`` (else each token's ``sent``).
    """
    doc = ex.doc
    lemma = rel.cue_lemma.lower()
    in_quote = ex.quotes.inside(rel.cue[0])
    span = ex.spans.expand(*rel.cue)
    tok = span.root if span is not None and len(span) else None
    subj = None
    if rel.source_root is not None and 0 <= rel.source_root < len(doc):
        subj = doc[rel.source_root]
    sk = _subject_kind(subj) if subj is not None else "none"
    text = ex.text
    n_words = 0
    for a, b in rel.content:
        n_words += len(text[a:b].split())
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
        f"r_nested={nested}",
        f"r_nested_kind={nested}|{rel.cue_kind}",
        f"r_nested_rule={nested}|{rel.rule}",
        f"r_lemma_subj={lemma}|{sk}",
        f"r_lemma_size={lemma}|{size}",
    ]
    if subj is not None and sk.startswith("pos_"):
        feats.append(f"r_subj_lemma={subj.lemma_.lower()}")
    if tok is not None:
        tag, dep = tok.tag_, tok.dep_
        feats += [
            f"r_tag={tag}",
            f"r_dep={dep}",
            f"r_kind_dep={rel.cue_kind}|{dep}",
            f"r_lemma_dep={lemma}|{dep}",
            f"r_lemma_tag={lemma}|{tag}",
        ]
        if dep in ("ccomp", "xcomp", "conj", "advcl", "relcl", "acl", "pcomp"):
            feats.append(f"r_head={tok.head.lemma_.lower()}|{dep}")
        nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else "</s>"
        feats.append(f"r_next={nxt}")
        feats.append(f"r_lemma_next={lemma}|{nxt}")
        if sentences is not None:
            first, last = sentences.of(tok.i)
        else:
            sent = tok.sent
            first, last = sent.start_char, sent.end_char
        feats.append(f"r_sent_quote={bool(ex.quotes.overlapping(first, last))}")
        for c in tok.children:
            child = c.dep_
            if child in ("neg", "aux", "auxpass", "dobj", "xcomp", "ccomp", "prep", "mark"):
                feats.append(f"r_child={child}")
                feats.append(f"r_kind_child={rel.cue_kind}|{child}")
    return feats


def filter_relations(
    ex: Extractor, model: CueModel | None, relations: list[Relation], keep_nested: bool = False
) -> list[Relation]:
    """The rule relations the filter model keeps (all of them without a filter).

    ``keep_nested``: judge every relation as if it stood alone, so an attribution
    inside another one's content ("Reuters reported that officials said ...") is
    not dropped for being nested.

    A stand-alone quotation is never scored on its own: when the attribution it
    continues is kept, the quotation joins that attribution's content as one more
    fragment (as PolNeAR files such paragraphs); otherwise it is dropped. Reported
    on their own they were right 0 times in 18 on held-out training folds (and 0 in
    2 on dev): PolNeAR has no speakerless quotation paragraphs.
    """
    if model is None:
        return relations
    nested = [False] * len(relations) if keep_nested else nested_flags(relations)
    has_starts = ex.doc.has_annotation("SENT_START")
    sentences = SentenceChars(ex.doc, ex.table) if has_starts else None
    keep = [
        rel.rule not in _JOINED_ONLY
        and model.score(relation_features(ex, rel, n, sentences)) >= model.threshold
        for rel, n in zip(relations, nested, strict=True)
    ]
    kept_ids = {id(rel) for rel, k in zip(relations, keep, strict=True) if k}
    out = []
    for rel, k in zip(relations, keep, strict=True):
        host = rel.inherited
        if rel.rule in _JOINED_ONLY:
            if host is not None and id(host) in kept_ids:
                host.content = sorted(host.content + rel.content)
                host.quote_groups |= rel.quote_groups
            continue
        if k:
            out.append(rel)
    return out


# Children of a cue word that PolNeAR's cue may take in: "openly admires", "said
# Monday", "said in an interview", "pointed to", "expressed deep concern about".
_EXTENT_LEFT = frozenset({"advmod", "aux", "auxpass", "neg", "npadvmod"})
_EXTENT_RIGHT = frozenset(
    {"advmod", "npadvmod", "prep", "prt", "dobj", "attr", "acomp", "agent", "dative", "oprd"}
)
_NO_EXTENT_RULES = frozenset({"standalone", "quote", "transcript", "dash", "colon_line"})


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-6" if n <= 6 else "7+"


def extent_features(head: Token, child: Token, side: str, length: int, cut: bool) -> list[str]:
    """Features of one child phrase next to a cue: should the cue take it in?"""
    lemma = head.lemma_.lower()
    cl = child.lemma_.lower()
    dep = child.dep_  # each read of a Token's string attribute is a vocabulary lookup
    feats = [
        f"e_side_dep={side}|{dep}",
        f"e_dep_lemma={dep}|{cl}",
        f"e_head_dep={lemma}|{dep}",
        f"e_head_child={lemma}|{cl}",
        f"e_pos={side}|{child.pos_}",
        f"e_len={side}|{dep}|{_bucket(length)}",
        f"e_cut={cut}",
        f"e_head_tag={head.tag_}|{side}|{dep}",
    ]
    ent = child.ent_type_
    if ent:
        feats.append(f"e_ent={dep}|{ent}")
    if dep in ("prep", "agent"):
        pobj = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is not None:
            feats.append(f"e_pobj={cl}|{pobj.lemma_.lower()}")
            if pobj.ent_type_:
                feats.append(f"e_pobj_ent={cl}|{pobj.ent_type_}")
        else:
            feats.append(f"e_bare_prep={cl}")
    return feats


def extent_steps(ex: Extractor, rel: Relation) -> list[tuple[list[str], tuple[int, int], bool]]:
    """The phrases a cue could grow by, nearest first, as (features, char range, left side).

    Left: the cue word's own modifiers directly before the cue ("openly", "has").
    Right: its children whose phrase starts right after the cue ("Monday", "in an
    interview", "to"), cut at the content or source (the cue never takes those).
    The caller stops at the first phrase the model rejects, so the cue stays
    contiguous.
    """
    if rel.rule in _NO_EXTENT_RULES:
        return []
    doc = ex.doc
    span = ex.spans.expand(*rel.cue)
    if span is None or not len(span):
        return []
    head = span.root
    if head.pos_ not in ("VERB", "AUX", "NOUN", "ADJ"):
        return []
    blocked = [*rel.content, *([rel.source] if rel.source else [])]
    out: list[tuple[list[str], tuple[int, int], bool]] = []
    a = span.start
    left_head = head
    while a > 0:
        prev = doc[a - 1]
        start = prev.idx
        end = start + len(prev)
        if any(x < end and start < y for x, y in blocked):
            break
        if prev.is_punct:
            break
        if prev.lower_ == "to" and prev.head.i == left_head.i:
            side = "L_to"  # the infinitive's "to" ("appeared to suggest")
        elif prev.i == left_head.head.i and left_head.dep_ in ("xcomp", "conj", "advcl"):
            side = "L_up"  # the verb governing the cue ("appeared to suggest", "went on to")
        elif prev.head.i == left_head.i and prev.dep_ in _EXTENT_LEFT:
            side = "L"
        else:
            break
        feats = extent_features(head, prev, side, 1, False)
        if side == "L_up":
            feats.append(f"e_up={prev.lemma_.lower()}|{left_head.dep_}")
            left_head = prev
        out.append((feats, (prev.idx, rel.cue[1]), True))
        a -= 1
    b = span.end
    # The children at or after the cue's end are right children (the cue holds
    # its root), which ``Token.rights`` yields in order.
    for child in head.rights:
        if child.i < span.end:
            continue
        if child.left_edge.i != b or child.dep_ not in _EXTENT_RIGHT:
            break
        end = child.right_edge.i + 1
        cut = False
        first_idx, last_idx = doc[b].idx, doc[end - 1].idx
        for x, _y in blocked:
            if first_idx < x <= last_idx:
                # stop at the first blocked token
                stop = b
                while stop < end and doc[stop].idx < x:
                    stop += 1
                end, cut = stop, True
                last_idx = doc[end - 1].idx
        if end <= b:
            break
        feats = extent_features(head, child, "R", end - b, cut)
        out.append((feats, (rel.cue[0], doc[end - 1].idx + len(doc[end - 1])), False))
        if cut:
            break
        b = end
    return out


def extend_cues(ex: Extractor, model: CueModel | None, relations: list[Relation]) -> None:
    """Grow each cue by the neighbouring phrases the extent model accepts (in place)."""
    if model is None:
        return
    for rel in relations:
        steps = extent_steps(ex, rel)
        left_done = right_done = False
        for feats, (a, b), left in steps:
            if (left and left_done) or (not left and right_done):
                continue
            if model.score(feats) < model.threshold:
                if left:
                    left_done = True
                else:
                    right_done = True
                continue
            rel.cue = (min(rel.cue[0], a), max(rel.cue[1], b))
