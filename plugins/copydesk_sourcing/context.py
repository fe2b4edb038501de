"""The state the attribution rules share, and the parse readings more than one rule needs.

A ``RuleContext`` holds one document's parse, its text, its quotations and the
relations found so far. Its methods answer the questions several rules ask:
where a noun phrase ends, who the source of a cue verb is, how a content clause
is cleaned up, and how a new relation is recorded (first cue wins).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from copydesk import merge_spans, subtract_spans
from copydesk_sourcing import lexicon as lx
from copydesk_sourcing.cues import by_agent, idiom_ids, reduced_relative
from copydesk_sourcing.relation import QuoteIndex, Range, Relation
from copydesk_sourcing.spans import (
    SpanCache,
    clip,
    join_adjacent,
    paragraph_of,
    skip_dateline,
    trim,
)
from copydesk_sourcing.token_table import TokenTable

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from copydesk_sourcing.quotes import Quote

_CUE_ADVERBS = frozenset(
    "also previously later repeatedly again recently never often publicly privately "
    "already reportedly once then still further initially first".split()
)
_IMPRESSION_VERBS = frozenset({"seem", "appear"})  # the writer's impression: no source
# The most tokens ``leading_name`` takes for a name opening the cue's line: room
# for a full name with an initial and a possessive ("Donald J. Trump 's"), so that
# a long title-case line (a headline) is not taken for a speaker. Set by hand with
# the rule (c354a45), not tuned.
_NAME_WORDS = 5
_TITLE_WORDS = 4  # a quoted title in a source phrase: "host of MSNBC's 'Morning Joe'"
# How many verbs up the tree ``source_of`` may go for a speaker ("said ...,
# adding ..." -> "said"; "declined to comment" -> "declined"): enough for the
# chains the parser builds, and a bound on the recursion.
_MAX_CLIMB = 3
EXPLETIVES = frozenset({"it", "this", "that", "there"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})


def _aside_start(tok: Token) -> int | None:
    """Where an aside after a common noun or a participle after a comma begins.

    "The complaint, which was filed in federal court, said": PolNeAR's source
    is "The complaint" (about 4 in 5 such sources in held-out train; after a
    name, "Joe Bateman, who traveled from Illinois", it is a coin toss, so
    a name keeps its relative clause; a participle, "The mayor, still
    stinging over ...", goes in both cases).
    """
    doc = tok.doc
    for c in tok.rights:  # the right children, in order (``children`` less the left ones)
        if c.dep_ not in ("relcl", "acl"):
            continue
        if c.dep_ == "relcl" and tok.pos_ != "NOUN":
            continue
        first = c.left_edge.i
        if first > tok.i + 1 and doc[first - 1].text == ",":
            return first - 1
    return None


def name_will(tok: Token) -> bool:
    """ "George Will wrote", "Will wrote": the columnist's name read as a modal.

    A modal takes a bare verb ("will say"), so a capitalised "Will" hung on a past,
    participle or third-person form ("wrote", "described", "believes") is a name;
    so is one the parser already tagged as a proper noun or a subject. "Will we be
    ..." and "Will Say No" stay modals (next word not the verb, or a bare form).
    """
    if tok.text != "Will":
        return False
    if tok.pos_ == "PROPN" or tok.dep_ in ("nsubj", "nsubjpass"):
        return True
    head = tok.head
    return tok.dep_ == "aux" and head.i == tok.i + 1 and head.tag_ in ("VBD", "VBN", "VBZ")


def _reporters_question(verb: Token) -> bool:
    """ "Asked whether he would run, Reid said ...": the asker is the reporter,
    not the subject the participle would inherit (PolNeAR gives it no source)."""
    if verb.tag_ != "VBN" or verb.dep_ not in ("advcl", "ROOT"):
        return False
    if verb.lemma_.lower() not in ("ask", "press"):
        return False
    if any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass") for c in verb.children):
        return False
    # Opening its sentence: "Christie said when asked ..." is Christie's answer.
    doc = verb.doc
    return all(doc[i].is_punct or doc[i].is_space for i in range(verb.sent.start, verb.i))


def coordinated_cue(verb: Token) -> Token | None:
    """The cue verb a subjectless report shares its speaker with, when the parser
    hung the report on that cue's reported clause instead of on the cue.

    Why: in "Trump told Newsmax that Romney lost, adding ..." and "De Blasio said
    the move was made by Bratton and said ..." the parser attaches "adding" and
    the second "said" to the reported clause, so the clause's subject (Romney,
    Bratton) was taken for the speaker and the second report for part of the
    first one's content. Only a speech verb coordinated with the clause in the
    cue's own tense ("said ... and criticized", not "said he would sit ... and
    tell") or a participle after a comma ("..., adding"), to the right of the
    clause's head and with no subject of its own, counts.
    """
    dep = verb.dep_
    if dep not in ("conj", "advcl"):
        return None
    lemma = verb.lemma_.lower()
    if any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in verb.children):
        return None
    head = verb.head
    while head.dep_ == "conj" and head.head.i < head.i:
        head = head.head
    outer = head.head
    if head.dep_ != "ccomp" or not outer.i < head.i < verb.i:
        return None
    if outer.lemma_.lower() not in lx.CUE_VERBS:
        return None
    if dep == "conj":
        ok = lemma in lx.SPEECH_VERBS and verb.tag_ == outer.tag_
    else:
        first = verb.left_edge.i
        ok = (
            verb.tag_ == "VBG"
            and lemma in lx.CUE_VERBS
            and first > 0
            and verb.doc[first - 1].text in (",", ";", "\u2014", "--")
        )
    return outer if ok else None


def coordinated_hole(verb: Token) -> tuple[int, int]:
    """Token range [a, b) of a coordinated cue with the "and" or comma before it."""
    a = verb.left_edge.i
    doc = verb.doc
    while (
        a > 0 and doc[a - 1].dep_ in ("cc", "punct") and doc[a - 1].head.i in (verb.i, verb.head.i)
    ):
        a -= 1
    return a, verb.right_edge.i + 1


class RuleContext:
    """One parsed document under analysis, and the relations found in it so far."""

    def __init__(self, doc: Doc, text: str, quotes: Sequence[Quote]) -> None:
        self.doc = doc
        self.text = text
        self.quotes = QuoteIndex(quotes, text)
        self.relations: list[Relation] = []
        # Relative-pronoun sources ("which", "who") -> the noun phrase they stand for.
        self.antecedents: dict[Range, Range] = {}
        # ``source_of`` by (verb index, depth): the rules and the learned detector
        # ask it again and again of one verb (the quotation finder, then the
        # speaker; the detector's candidates), and the answer depends on the parse
        # and the quotations only. Its one side effect (``antecedents``) is
        # idempotent, so a remembered answer is the same answer.
        self._sources: dict[tuple[int, int], tuple[Range | None, int | None]] = {}
        self._sentence_starts: list[int] | None = None
        # Cue and source ranges as spaCy spans, each found once: the rules, the
        # filter, the cue extent, the source typer and the linker look the same
        # ranges up (``doc.char_span`` walks the tokens each time).
        self.spans = SpanCache(doc)
        self._kids: dict[int, list[tuple[Token, str]]] = {}
        # The cue starts of ``relations``: ``add`` keeps the first relation per cue.
        self._cue_starts: set[int] = set()

    @functools.cached_property
    def table(self) -> TokenTable:
        """The document's token columns, read once and shared by the rules, the
        learned detector and the relation filter (each read them for itself)."""
        return TokenTable(self.doc)

    @functools.cached_property
    def colon_lines(self) -> list[tuple[int, int]]:
        """(line start, first colon) of each line that holds a colon, in order.

        Why: the transcript and name-colon rules match a label that opens a
        line and runs to the line's first colon; a ``^`` pattern run over the
        whole text tries every position (2 ms a pass over PolNeAR dev each),
        while a news article has a few colons, found by ``str.find``.
        """
        text = self.text
        out = []
        at = text.find(":")
        while at >= 0:
            out.append((text.rfind("\n", 0, at) + 1, at))
            line_end = text.find("\n", at)
            if line_end < 0:
                break
            at = text.find(":", line_end)
        return out

    @functools.cached_property
    def _bounds(self) -> tuple[list[int], list[int], list[int]]:
        """Each token's first character, its end and its head's index, as lists:
        the rules turn token ranges into character ranges and ask who heads a
        token thousands of times a pass (``doc[i].idx`` and ``Token.head`` build
        a ``Token`` each time; a list item is a tenth of that)."""
        table = self.table
        starts = table.offsets
        return starts.tolist(), (starts + table.lengths).tolist(), table.heads.tolist()

    def chars(self, a: int, b: int) -> Range:
        """Character range of tokens ``[a, b)`` (``spans.tok_range``)."""
        starts, ends, _ = self._bounds
        return starts[a], ends[b - 1]

    def head_of(self, i: int) -> int:
        """The index of token ``i``'s head (``doc[i].head.i``)."""
        return self._bounds[2][i]

    def after_idiom(self, i: int) -> bool:
        """``cues.after_idiom(doc[i])``, read from the lower-case column's ids."""
        if i == 0:
            return False
        lower = self.table.lower_ids
        prev = lower.item(i - 1)
        firsts, pairs = idiom_ids()
        if prev in firsts:
            return True
        return i > 1 and (lower.item(i - 2), prev) in pairs

    def kids(self, tok: Token) -> list[tuple[Token, str]]:
        """The token's children with their dependency labels, read once per token:
        the rules ask a cue verb's children again and again (content, speaker,
        cue extent), and each ``Token.children`` builds new Token objects. (Read
        from the token table instead, a child and its label cost more: ``doc[i]``
        and a table read are a Python call each, ``Token.dep_`` is not.)"""
        found = self._kids.get(tok.i)
        if found is None:
            found = self._kids[tok.i] = [(c, c.dep_) for c in tok.children]
        return found

    def sentence_chars(self, tok: Token) -> Range:
        """Character range of the token's sentence, as ``tok.sent`` gives it.

        Found by bisection over the sentence starts, read once per document:
        ``tok.sent`` walks the tokens to both ends of the sentence and builds a
        Span, each time a rule asks (about 3.6 microseconds).
        """
        doc = self.doc
        starts = self._sentence_starts
        if starts is None:
            if not doc.has_annotation("SENT_START"):
                sent = tok.sent  # raises as spaCy does
                return sent.start_char, sent.end_char
            import numpy as np

            flags = self.table.sent_starts
            starts = self._sentence_starts = np.flatnonzero(flags == 1).tolist()
        k = bisect.bisect_right(starts, tok.i) - 1
        first = starts[k] if k >= 0 else 0
        end = starts[k + 1] if k + 1 < len(starts) else len(doc)
        return self.chars(first, end)

    def subtree(self, tok: Token) -> Range:
        """Character range of the token's whole subtree."""
        return self.chars(tok.left_edge.i, tok.right_edge.i + 1)

    def clean(self, spans: Iterable[Range]) -> list[Range]:
        """Trimmed content fragments, grown to the quotations they overlap."""
        out = []
        for span in spans:
            t = trim(self.text, span)
            if t is not None:
                out.append(t)
        return self.expand_quotes(out)

    def expand_quotes(self, spans: list[Range]) -> list[Range]:
        """Grow content fragments to whole quotations they overlap.

        A content clause that starts or ends inside a quotation takes the whole
        quotation, so '"We will win," he said' has the quote, marks included.
        """
        out: list[Range] = []
        for a, b in spans:
            for q in self.quotes.overlapping(a, b):
                if self.quotes.words(q) >= 1:
                    a, b = min(a, q.start), max(b, q.end)
            out.append((a, b))
        return out

    def source_of(self, verb: Token, depth: int = 0) -> tuple[Range | None, int | None]:
        """The source span and head token index for a cue verb."""
        key = (verb.i, depth)
        found = self._sources.get(key)
        if found is None:
            found = self._sources[key] = self._find_source(verb, depth)
        return found

    def _find_source(self, verb: Token, depth: int) -> tuple[Range | None, int | None]:
        """``source_of`` computed: the agent, the subject, else a borrowed speaker."""
        kids = self.kids(verb)
        deps = [dep for _, dep in kids]
        passive = "auxpass" in deps
        if _reporters_question(verb):
            return None, None
        if "agent" in deps:
            for child, dep in kids:
                if dep == "agent":
                    pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        return self.np(pobj), pobj.i
        own_subject = "nsubj" in deps or "csubj" in deps or "nsubjpass" in deps
        if reduced_relative(verb) or (
            # Not for "acl": in "a paper titled ''X'' by Y" the "by" names the
            # paper's authors, and the noun keeps its old reading below.
            not own_subject and verb.tag_ == "VBN" and verb.dep_ != "acl"
        ):
            agent = by_agent(verb)
            if agent is not None:
                return self.np(agent), agent.i
        inside: bool | None = None  # the verb inside a quotation: asked only of a subject
        # "Columnist George Will said": the parser read the name's last word as a modal.
        will = (
            next((c for c, d in kids if d == "aux" and name_will(c)), None)
            if "aux" in deps
            else None
        )
        for child, dep in kids:
            if dep in ("nsubj", "csubj") and inside is None:
                inside = self.quotes.inside(verb.idx)
            if dep in ("nsubj", "csubj") and not inside and self.quotes.inside(child.idx):
                # '"... Full panic mode," said Leslie Wimes': the parser took quoted
                # words for a subject; the speaker is the other subject, if any.
                continue
            if dep in ("nsubj", "csubj") or (dep == "nsubjpass" and not passive):
                if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    # "the Saudi government, which denied ...": the source is the
                    # relative pronoun (as a pronoun "he" is), resolved to the noun.
                    head = verb.head
                    ante = trim(self.text, self.chars(head.left_edge.i, child.i))
                    pron = (child.idx, child.idx + len(child))
                    if ante is None:
                        return None, None
                    self.antecedents[pron] = ante
                    return pron, head.i
                if child.lower_ in EXPLETIVES and dep != "nsubj":
                    return None, None
                span = self.np(child, stop=verb)
                if span is not None and will is not None and will.i == child.right_edge.i + 1:
                    span = (span[0], will.idx + len(will))
                return span, child.i
            if dep == "nsubjpass":
                return None, None
        if will is not None:  # "Will wrote": the name is all the subject there is
            return (will.idx, will.idx + len(will)), will.i
        return self._borrowed_source(verb, depth)

    def _borrowed_source(self, verb: Token, depth: int) -> tuple[Range | None, int | None]:
        """The source of a cue verb with no subject of its own: the speaker of the
        verb it hangs on, or the noun it describes ("a report saying")."""
        climb = depth < _MAX_CLIMB
        outer = coordinated_cue(verb)
        if climb and outer is not None:
            # "Trump told Newsmax that Romney lost, adding ...": the parser hung
            # "adding" on the reported clause; the teller adds, not Romney.
            return self.source_of(outer, depth + 1)
        if climb and verb.dep_ in ("conj", "advcl", "xcomp", "acomp") and verb.head.i != verb.i:
            # "acomp": "He has been careful not to mention ...", "were quick to condemn".
            return self.source_of(verb.head, depth + 1)
        if (
            climb
            and verb.dep_ == "pcomp"
            and verb.head.dep_ == "prep"
            and verb.head.head.pos_ in ("VERB", "AUX")
        ):
            # "responded ... by saying", "despite admitting": the governing verb's subject.
            return self.source_of(verb.head.head, depth + 1)
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            # "a report saying ...": the noun speaks. (A participle with a "by" agent,
            # "a group deemed ... by X", returned X above.)
            head = verb.head
            if climb and head.dep_ == "dobj" and any(c.dep_ == "nsubj" for c in head.head.children):
                # "His office put out a statement saying ...": whoever put it out
                # speaks (62 of 94 such cues in PolNeAR train; the noun in 10).
                return self.source_of(head.head, depth + 1)
            span = self.chars(head.left_edge.i, verb.i)
            return trim(self.text, span), head.i
        return None, None

    def np(self, tok: Token, stop: Token | None = None) -> Range | None:
        """A noun phrase's span, cut short of the cue verb it attaches to."""
        a, b = tok.left_edge.i, tok.right_edge.i + 1
        aside = _aside_start(tok)
        if aside is not None:
            b = min(b, aside)
        if stop is not None and a < stop.i < b:
            if tok.i < stop.i:
                b = stop.i
            else:
                a = stop.i + 1
        # Do not let a subject run into a quotation it sits next to.
        rng = self.chars(a, b)
        for q in self.quotes.overlapping(*rng):
            if q.start <= self.doc[tok.i].idx < q.end:
                continue
            if rng[0] < q.start and self.quotes.words(q) <= _TITLE_WORDS:
                # "Adam Segal, the author of ''Hacked World Order,'' who ...": a
                # title inside the phrase, not a quotation the parser ran into.
                continue
            if q.end <= self.doc[tok.i].idx:
                rng = (max(rng[0], q.end), rng[1])
            else:
                rng = (rng[0], min(rng[1], q.start))
        rng = skip_dateline(self.text, rng)
        return trim(self.text, rng, keep_quotes=False)

    def leading_name(self, start: int, end: int) -> tuple[Range | None, int | None]:
        """The proper name that is all there is between ``start`` and ``end``."""
        span = trim(self.text, (start, end))
        if span is None:
            return None, None
        toks = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        if toks is None or not 0 < len(toks) <= _NAME_WORDS:
            return None, None
        if not all(t.pos_ == "PROPN" or t.tag_ == "POS" for t in toks):
            return None, None
        after = self.doc.char_span(end, end + 1, alignment_mode="expand")
        if after is not None:
            cue = after[0] if after[0].pos_ == "VERB" else after[0].head
            if any(c.dep_ == "auxpass" for c in cue.children):
                return None, None  # "Clinton was criticized": what was criticized
        return span, toks[-1].i

    def cue_span(self, verb: Token, extra: Token | None = None) -> Range:
        """The verb with its auxiliaries, negation and "also" (``has also said``)."""
        a = verb.i
        heads = self._bounds[2]
        while a > 0 and heads[a - 1] == verb.i:
            prev = self.doc[a - 1]
            if (
                prev.dep_ in ("aux", "auxpass", "neg") or prev.lower_ in _CUE_ADVERBS
            ) and not name_will(prev):
                a -= 1
                continue
            break
        # Leading "to" of an infinitive is not part of the cue.
        while a < verb.i and self.doc[a].lower_ == "to":
            a += 1
        b = verb.i + 1
        for child, dep in self.kids(verb):
            if dep == "prt" and child.i == b:
                b += 1
        if extra is not None and extra.i >= b:
            b = extra.i + 1
        return self.chars(a, b)

    def carve_agent(self, root: int | None, content: list[Range]) -> list[Range]:
        """Content without the "by X" that names its source ("deemed ... by X")."""
        if root is None:
            return content
        prep = self.doc[root].head
        if prep.dep_ != "prep" or prep.lower_ != "by":
            return content
        hole = self.subtree(prep)
        return self.clean([p for a, b in content for p in subtract_spans((a, b), [hole])])

    def repair_agent(self, rel: Relation) -> Relation:
        """A learned relation whose "by X" agent sat inside its content: X is the source."""
        if rel.source is not None:
            return rel
        sp = self.spans.expand(*rel.cue)
        verb = next((t for t in sp or () if t.lemma_.lower() == rel.cue_lemma), None)
        if verb is None or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            return rel
        if verb.tag_ != "VBN" and verb.dep_ != "acl":
            return rel
        agent = by_agent(verb)
        if agent is None:
            return rel
        content = self.carve_agent(agent.i, rel.content)
        source = self.np(agent)
        if not content or source is None:
            return rel
        rel.content, rel.source, rel.source_root = content, source, agent.i
        return rel

    def add(self, rel: Relation) -> None:
        """Record a relation unless one already has its cue; quotations come whole."""
        cue_start = rel.cue[0]
        if len(self._cue_starts) != len(self.relations):
            # Relations appended past ``add`` (the stand-alone quotation rule):
            # read the cues again (each time, should two relations share a cue
            # start: slower, never wrong).
            self._cue_starts = {other.cue[0] for other in self.relations}
        if cue_start in self._cue_starts:
            return
        content = set(rel.content)
        for a, b in rel.content:
            for q in self.quotes.overlapping(a, b):
                rel.quote_groups.add(q.group)
                # A quotation running over paragraphs comes whole.
                content.update((p.start, p.end) for p in self.quotes.group(q.group) if p != q)
        rel.content = merge_spans(sorted(content))
        self.relations.append(self.settle(rel))
        self._cue_starts.add(cue_start)

    def settle(self, rel: Relation) -> Relation:
        """Keep the source and the content inside the cue's paragraph.

        Why: PolNeAR never runs a source or a content fragment over a line
        break, and keeps 99% of content fragments in the cue's paragraph (the
        rest: a quotation opening the paragraph after "He said:"); the parser
        does run sentences over breaks (a headline, a live-blog time stamp, the
        quotation that closed the paragraph before). What lies outside the
        cue's paragraph is dropped, unless nothing would be left.
        """
        para = paragraph_of(self.text, rel.cue)
        if rel.cue_lemma in _IMPRESSION_VERBS:
            # "Clinton seems to have found ...", "Republicans appear to be
            # salivating": the writer's impression, with nobody holding it
            # (PolNeAR gives 19 of 22 such held-out cues no source).
            rel.source, rel.source_root = None, None
        if rel.source is not None:
            # A source wholly in another paragraph is a misparse ("9:18 p.m." over
            # "Donald Trump is thanking ..."): none is better than a wrong one.
            rel.source = clip(self.text, rel.source, para)
            if rel.source is None:
                rel.source_root = None
        if rel.source is None and rel.cue_lemma not in _IMPRESSION_VERBS:
            # "9:18 p.m.\n\nDonald Trump is thanking ...", a headline run into the
            # next line: the parser took the wrong subject or none; a name that
            # opens the cue's line and runs up to the cue is the speaker.
            rel.source, rel.source_root = self.leading_name(para[0], rel.cue[0])
        kept = [c for c in (clip(self.text, frag, para) for frag in rel.content) if c]
        if kept and kept != rel.content:
            # A quotation cut away is free for the speaker it belongs to.
            rel.quote_groups &= {q.group for a, b in kept for q in self.quotes.overlapping(a, b)}
        rel.content = join_adjacent(self.text, kept or rel.content)
        return rel
