"""Reporting and thought verbs: ``X said that ...``, ``"...," he added``, ``she denied it``.

The rule runs in named steps. ``_skip`` drops look-alikes ("say nothing",
"worth noting"). Then the content finders run in a fixed order, each only while
no content has been found: clausal complement, parataxis aside, prepositional
topic ("spoke about"), infinitive complement, a quotation in the sentence,
direct object, passive subject, a quotation after a colon, a quotation before
the verb. Last, ``_source`` finds the speaker and ``_finish`` cuts the speaker
out of the content and records the relation. The finders share one
``VerbMatch``; a finder that runs but finds nothing may still leave its
confidence behind for the next, as the rule always has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from copydesk import SUBJECT_DEPS, subject_of, subtract_spans
from copydesk_sourcing import lexicon as lx
from copydesk_sourcing.context import (
    EXPLETIVES,
    RELATIVE_PRONOUNS,
    coordinated_cue,
    coordinated_hole,
)
from copydesk_sourcing.cues import interpretive_participle, reduced_relative
from copydesk_sourcing.relation import Range, Relation
from copydesk_sourcing.rules.base import TokenRule
from copydesk_sourcing.spans import trim

if TYPE_CHECKING:
    from spacy.tokens import Token

    from copydesk_sourcing.context import RuleContext
    from copydesk_sourcing.quotes import Quote

# Prepositions right after a direct object that PolNeAR keeps in its content.
_AFTER_OBJECT = frozenset({"with", "by", "against", "over", "on", "at", "about"})
# Speech verbs whose passive subject is what was said ("a curfew was announced").
_PASSIVE_CONTENT = frozenset(
    """announce report confirm reveal deny disclose predict promise claim state allege
    mention cite repeat propose recommend demand declare post tweet write quote""".split()
)


@dataclass
class VerbMatch:
    """What the content finders have learned about one cue verb so far."""

    verb: Token
    lemma: str
    kind: str  # "speech" or "other"
    kids: Sequence[tuple[Token, str]]  # the verb's children with their labels
    content: list[Range] = field(default_factory=list)
    rule: str = ""
    confidence: float = 0.8
    extra: Token | None = None  # a particle or preposition the cue runs to ("spoke about")
    misparsed_subject: Token | None = None

    # The finders ask the verb's children by label again and again: the labels
    # are read once (``RuleContext.kids``), not through ``Token.dep_`` each time.
    def having(self, *deps: str) -> list[Token]:
        """The verb's children with one of these labels, in order."""
        return [c for c, dep in self.kids if dep in deps]

    def has(self, *deps: str) -> bool:
        """Whether a child of the verb has one of these labels."""
        return any(dep in deps for _, dep in self.kids)


def cue_verb(ctx: RuleContext, verb: Token) -> None:
    """The relation cued by a reporting or thought verb, if its content can be found."""
    lemma = verb.lemma_.lower()
    if _skip(ctx, verb, lemma):
        return
    kind = "speech" if lemma in lx.SPEECH_VERBS else "other"
    if kind == "other" and verb.dep_ == "relcl":
        return  # "residents who oppose the route": a description, not a claim
    m = VerbMatch(verb, lemma, kind, ctx.kids(verb))
    for find in _CONTENT_FINDERS:
        if m.content:
            break
        find(ctx, m)
    if not m.content:
        return
    source, root = _source(ctx, m)
    cue = ctx.cue_span(verb, m.extra)
    _finish(ctx, m, source, root, cue)


def _skip(ctx: RuleContext, verb: Token, lemma: str) -> bool:
    """Look-alikes: a modifier, a verb inside a quotation, "say nothing", idioms."""
    if verb.dep_ in ("amod", "compound") or ctx.quotes.inside(verb.idx):
        return True
    if lemma == "say" and verb.i + 1 < len(ctx.doc) and ctx.doc[verb.i + 1].lower_ == "nothing":
        return True
    if ctx.after_idiom(verb.i):
        return True  # "it's worth noting", "goes without saying", "let's say": nobody says it
    return interpretive_participle(verb)


def _clausal_complement(ctx: RuleContext, m: VerbMatch) -> None:
    """``said that ...``: the ccomp clauses to the verb's right."""
    verb = m.verb
    ccomps = m.having("ccomp")
    if reduced_relative(verb):
        # What "a group deemed X by Y" attributes is X; a clause the parser hung
        # on the left is the sentence the apposition sits in.
        ccomps = [c for c in ccomps if c.i > verb.i]
    around = len(ccomps) > 1 and ccomps[0].i < verb.i < ccomps[-1].i
    if around and _subject_clause(ctx, m, ccomps[0]):
        # "Two individuals privy to the talks said ...": the parser made the
        # subject a clause; it is the source, not content.
        m.misparsed_subject = ccomps.pop(0)
    elif around and (speaker := _inverted_speaker(m, ccomps[-1])) is not None:
        # '"...," said Robin Maynard, half joking': the speaker is the subject
        # the parser gave a clause after the verb, not content.
        ccomps.pop()
        m.misparsed_subject = speaker
    if any(c.i > verb.i for c in ccomps):
        # "Chatwal was clearly trying to buy influence, he stated that ...": with a
        # clause to the right, an unquoted clause on the left is the sentence the
        # report sits in (PolNeAR's content holds it in 31 of 97 train cases).
        ccomps = [c for c in ccomps if c.i > verb.i or ctx.quotes.overlapping(*ctx.subtree(c))]
    if ccomps:
        holes = [ctx.chars(*coordinated_hole(t)) for c in ccomps for t in _coordinated(c)]
        spans = [ctx.subtree(c) for c in ccomps]
        m.content = ctx.clean(
            p for span in spans for p in (subtract_spans(span, holes) if holes else [span])
        )
        m.rule = "ccomp"


def _subject_clause(ctx: RuleContext, m: VerbMatch, left: Token) -> bool:
    """The clause left of the verb is its subject misparsed: right before the verb
    ("Two individuals privy to the talks said"), or before a comma when the verb
    has no subject of its own ("Jeffrey Salkin, a rabbi helping to organize the
    boycott, said"), and not a quotation."""
    verb = m.verb
    end = left.right_edge.i
    if end == verb.i - 1:
        return True
    return (
        end == verb.i - 2
        and ctx.doc[verb.i - 1].text == ","
        and not m.has("nsubj", "nsubjpass", "expl")
        and not ctx.quotes.overlapping(*ctx.subtree(left))
    )


def _inverted_speaker(m: VerbMatch, right: Token) -> Token | None:
    """The name right after a subjectless speech verb that the parser made the
    subject of a clause of its own ('"...," declared Alyssa Van Wagenen, 29')."""
    verb = m.verb
    if m.kind != "speech" or subject_of(verb) is not None:
        return None
    subj = next((c for c in right.children if c.dep_ == "nsubj" and c.i < right.i), None)
    if subj is None or subj.left_edge.i != verb.i + 1 or subj.pos_ != "PROPN":
        return None
    return subj


def _coordinated(clause: Token) -> list[Token]:
    """Reports coordinated with the cue that the parser hung inside its clause."""
    out = []
    stack = [clause]
    while stack:
        node = stack.pop()
        for child in node.rights:  # the right children, in order
            if child.dep_ not in ("conj", "advcl"):
                continue
            if coordinated_cue(child) is not None:
                out.append(child)
            elif child.dep_ == "conj":
                stack.append(child)
    return out


def _parataxis(ctx: RuleContext, m: VerbMatch) -> None:
    """``The plan, he said, will fail``: an aside; its head clause is the content."""
    verb = m.verb
    if verb.dep_ not in ("parataxis", "ccomp", "advcl") or verb.head.i == verb.i:
        return
    head = verb.head
    if (
        head.lemma_.lower() not in lx.CUE_VERBS
        and m.kind == "speech"
        and m.lemma not in ("speak", "talk")
        and m.has("nsubj")
        # A reporting aside ("..., he said, ...") has no complement of its own.
        and not m.has("dobj", "xcomp", "ccomp", "attr")
        and (verb.dep_ == "parataxis" or verb.i > head.i)
    ):
        whole = ctx.subtree(head)
        m.content = ctx.clean(subtract_spans(whole, [ctx.subtree(verb)]))
        m.rule = "parataxis"
        m.confidence = 0.75


def _prepositional_topic(ctx: RuleContext, m: VerbMatch) -> None:
    """``spoke about the war``, ``warned of delays``: the preposition's object."""
    if m.lemma not in lx.PREP_CUES:
        return
    for c, dep in m.kids:
        if dep in ("prep", "dative") and c.lower_ in lx.PREP_CUES[m.lemma] and c.i > m.verb.i:
            pobj = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if any(g.ent_type_ in ("DATE", "TIME") for g in pobj):
                continue  # "spoke on Tuesday": a time, not a topic
            if pobj:
                spans = [ctx.subtree(p) for p in pobj]
                spans += [ctx.subtree(x) for x in m.having("xcomp")]
                m.content = ctx.clean(spans)
                m.extra = c
                m.rule = "prep"
                break


def _infinitive_complement(ctx: RuleContext, m: VerbMatch) -> None:
    """``promised to resign``: the xcomp to the verb's right."""
    if m.lemma not in lx.XCOMP_CONTENT_VERBS:
        return
    xcomps = [c for c in m.having("xcomp") if c.i > m.verb.i]
    if xcomps:
        parts = list(xcomps)
        if m.lemma not in lx.LISTENER_OBJECT_VERBS and m.has("auxpass"):
            # "The Fed is expected to act in December": what is expected is the
            # subject acting (PolNeAR's content holds the subject in 13 of 14).
            parts += [
                c
                for c in m.having("nsubjpass")
                if c.i < m.verb.i and c.lower_ not in EXPLETIVES | RELATIVE_PRONOUNS
            ]
        m.content = ctx.clean(ctx.subtree(c) for c in parts)
        m.rule = "xcomp"
        m.confidence = 0.65


def _sentence_quotation(ctx: RuleContext, m: VerbMatch) -> None:
    """``"We will win," he said``: quotations of three words or more in the sentence."""
    verb = m.verb
    src, _ = ctx.source_of(verb)  # asked first, as always: it notes relative-pronoun antecedents
    if m.kind != "speech" or not _reports(verb, m):
        return  # only a report takes a quotation for content: no need to look for one
    excl = [src] if src else []
    # "confirmed the strike, saying the boat '...'": the quotation is what the
    # second report says.
    excl += [
        ctx.subtree(c) for c in m.having("advcl", "conj") if c.lemma_.lower() in lx.SPEECH_VERBS
    ]
    quotes = _sentence_quotes(ctx, ctx.sentence_chars(verb), excl)
    quotes = [q for q in quotes if ctx.quotes.words(q) >= 3]
    if quotes:
        m.content = [(q.start, q.end) for q in quotes]
        if m.lemma not in lx.LISTENER_OBJECT_VERBS:
            # "criticized the accord as 'nowhere near far enough'", "praised Rubio's
            # positions": what the verb takes is its object (PolNeAR's content
            # holds it in 28 of 40 such held-out train cues, the quotation in 20).
            objects = [c for c in m.having("dobj") if c.i > verb.i and not ctx.quotes.inside(c.idx)]
            m.content = sorted(m.content + ctx.clean(ctx.subtree(c) for c in objects))
        m.rule = "quote"
        m.confidence = 0.85


def _direct_object(ctx: RuleContext, m: VerbMatch) -> None:
    """``denied the allegations``: the object (with "as ..." or "accused ... of ...")."""
    verb, lemma = m.verb, m.lemma
    if lemma not in lx.OBJECT_CONTENT_VERBS or lemma in lx.LISTENER_OBJECT_VERBS:
        return
    dobjs = [c for c in m.having("dobj") if c.i > verb.i]
    if dobjs:
        spans = [ctx.subtree(c) for c in dobjs]
        last = max(c.right_edge.i for c in dobjs)
        spans += [
            ctx.subtree(c)
            for c, dep in m.kids
            if dep in ("oprd", "xcomp", "prep")
            and c.i > verb.i
            and (
                dep != "prep"
                or c.lower_ in ("as", "for")  # "praised them for their help": 15 of 15
                or (c.lower_ == "of" and lemma == "accuse")
                # "mentioned CNN by name", "showed Trump with a lead", "blasted
                # Trump over his stance": with/by/on/at right after the object
                # are content in 16 of 18 held-out train cases
                or (c.lower_ in _AFTER_OBJECT and c.left_edge.i == last + 1)
            )
        ]
        m.content = ctx.clean(spans)
        m.rule = "dobj"
        m.confidence = 0.6


def _passive_subject(ctx: RuleContext, m: VerbMatch) -> None:
    """``A curfew was announced from midnight``: what was announced is the subject."""
    if m.lemma not in _PASSIVE_CONTENT or not m.has("auxpass"):
        return
    subj = [c for c in m.having("nsubjpass") if c.i < m.verb.i]
    if subj and subj[0].lower_ not in EXPLETIVES | RELATIVE_PRONOUNS:
        spans = [ctx.subtree(subj[0])]
        spans += [ctx.subtree(c) for c in m.having("prep") if c.i > m.verb.i and c.lower_ != "by"]
        m.content = ctx.clean(spans)
        m.rule = "passive"
        m.confidence = 0.6


def _colon_quotation(ctx: RuleContext, m: VerbMatch) -> None:
    """``He said:`` and the quotation the parser put in the next sentence."""
    if m.kind == "speech":
        m.content = _following_quote(ctx, m.verb)
        m.rule = "colon"
        m.confidence = 0.7


def _preceding_quotation(ctx: RuleContext, m: VerbMatch) -> None:
    """'"... ever?" he asks.': the quotation the parser ended the sentence inside."""
    if m.kind == "speech":
        m.content = _preceding_quote(ctx, m.verb)
        m.rule = "quote"
        m.confidence = 0.8


# In this order; each runs only while no content has been found.
_CONTENT_FINDERS: tuple[Callable[[RuleContext, VerbMatch], None], ...] = (
    _clausal_complement,
    _parataxis,
    _prepositional_topic,
    _infinitive_complement,
    _sentence_quotation,
    _direct_object,
    _passive_subject,
    _colon_quotation,
    _preceding_quotation,
)


def _source(ctx: RuleContext, m: VerbMatch) -> tuple[Range | None, int | None]:
    """The speaker: the verb's subject or agent, else a subject misparsed as a clause."""
    source, root = ctx.source_of(m.verb)
    if source is None and m.misparsed_subject is not None:
        subj = m.misparsed_subject
        source = trim(ctx.text, ctx.subtree(subj), keep_quotes=False)
        root = next((c.i for c in subj.children if c.dep_ == "nsubj"), subj.i)
    return _extend_dangling(ctx, source), root


def _finish(
    ctx: RuleContext, m: VerbMatch, source: Range | None, root: int | None, cue: Range
) -> None:
    """Cut an embedded speaker out of the content, check the result, record it."""
    verb, content = m.verb, m.content
    if (
        source is not None
        and root is not None
        and ctx.head_of(root) == verb.i
        and source[1] <= cue[0]
        and any(a < source[0] and cue[1] < b for a, b in content)
    ):
        # "the donors, who he said were generous", "what Trump says his plan
        # does": the speaker and cue sit inside the clause they report; cut
        # them out of the content (and a bare relative pronoun with them).
        content = [
            c
            for c in ctx.clean(
                [p for a, b in content for p in subtract_spans((a, b), [(source[0], cue[1])])]
            )
            if ctx.text[c[0] : c[1]].strip().lower() not in RELATIVE_PRONOUNS | {"what"}
        ]
        if not content:
            return
    content = ctx.carve_agent(root, content)
    if source is not None and any(a < source[1] and source[0] < b for a, b in content):
        # A subject inside the content means the parse went wrong; keep the content.
        source, root = None, None
    if m.kind == "other" and source is None and not m.has("auxpass"):
        # A belief with no believer ("assuming that", "to determine who") is not an
        # attribution; an agentless passive ("is believed to") still is.
        return
    rel = Relation(cue, source, content, m.lemma, m.kind, m.rule, m.confidence, root)
    if m.lemma in lx.LISTENER_OBJECT_VERBS:
        obj = next((c for c in m.having("dobj", "dative") if c.i > verb.i), None)
        if obj is not None:
            rel.addressee = trim(ctx.text, ctx.subtree(obj))
    ctx.add(rel)


def _sentence_quotes(ctx: RuleContext, sent: Range, exclude: Iterable[Range]) -> list[Quote]:
    """Quotations in the sentence, except those overlapping ``exclude``."""
    excl = list(exclude)
    out = []
    for q in ctx.quotes.overlapping(*sent):
        if any(q.start < b and a < q.end for a, b in excl):
            continue
        out.append(q)
    return out


def _reports(verb: Token, m: VerbMatch) -> bool:
    """The verb is a finite report with a speaker, not "to defend", "who asked"."""
    if verb.dep_ in ("xcomp", "relcl", "acl", "pcomp", "advcl", "csubj", "amod"):
        return False
    if any(c.lower_ == "to" for c in m.having("aux")):
        return False
    return verb.dep_ in ("ROOT", "parataxis") or m.has(*SUBJECT_DEPS)


def _extend_dangling(ctx: RuleContext, span: Range | None) -> Range | None:
    """Repair "a spokeswoman for" when the parser dropped the name after it."""
    if span is None:
        return None
    doc = ctx.doc
    toks = ctx.spans.expand(*span)
    if toks is None or not len(toks) or toks[-1].pos_ != "ADP" or toks.end >= len(doc):
        return span
    nxt = doc[toks.end]
    if nxt.ent_iob_ == "B":
        end = nxt.i
        while end + 1 < len(doc) and doc[end + 1].ent_iob_ == "I":
            end += 1
        return trim(ctx.text, (span[0], doc[end].idx + len(doc[end])), keep_quotes=False)
    return span


def _following_quote(ctx: RuleContext, verb: Token) -> list[Range]:
    """``He said:`` followed by a quotation the parser put in the next sentence."""
    text = ctx.text
    _, sent_end = ctx.sentence_chars(verb)
    rest = text[verb.idx + len(verb) : sent_end].strip()
    if rest not in (":", ",", ":\u201c", ':"', "") and not rest.startswith(":"):
        return []
    nxt = text[sent_end : sent_end + 200].lstrip()
    pos = sent_end + (len(text[sent_end : sent_end + 200]) - len(nxt))
    q = ctx.quotes.at(pos)
    if q is not None and q.start == pos:
        return [(p.start, p.end) for p in ctx.quotes.group(q.group)]
    if rest.startswith(":") and len(rest) > 3:
        t = trim(text, (text.index(":", verb.idx) + 1, sent_end))
        return [t] if t else []
    return []


def _preceding_quote(ctx: RuleContext, verb: Token) -> list[Range]:
    """'"... ever?" he asks.': the parser ended the sentence inside the quote."""
    text = ctx.text
    sent_start, _ = ctx.sentence_chars(verb)
    before = text[sent_start : verb.idx]
    if len(before.split()) > 4:
        return []
    pos = sent_start - 1
    while pos >= 0 and text[pos].isspace():
        pos -= 1
    q = ctx.quotes.at(pos) if pos >= 0 else None
    if q is None or q.end != pos + 1 or "\n" in text[q.end : sent_start]:
        return []
    return [(p.start, p.end) for p in ctx.quotes.group(q.group)]


RULE = TokenRule(
    "verb",
    lambda tok: tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in lx.CUE_VERBS,
    cue_verb,
    lemmas=lx.CUE_VERBS,
    pos=frozenset({"VERB", "AUX"}),
)
