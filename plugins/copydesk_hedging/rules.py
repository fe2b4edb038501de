"""Context rules: when a lexicon word is, or is not, a hedge in this sentence.

Each rule reads the shared spaCy parse (tags, lemmas, dependencies) of the cue
and its neighbours. A lexicon entry names the rules it needs in
``conditions``; a rule returns False to drop the match. Why rules and not a
longer word list: "may", "about" and "could" are hedges in some sentences and
plain words in others, and only the sentence tells which.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from copydesk import SUBJECT_DEPS, subject_of

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Doc, Token


def _words(text: str) -> frozenset[str]:
    """A word set written as one string: easier to read and extend than a literal set."""
    return frozenset(text.split())


NEGATORS = _words("not n't never no hardly scarcely barely nor")
NUMBER_WORDS = _words(
    "dozen dozens hundred hundreds thousand thousands million millions billion billions "
    "trillion half third quarter percent"
)
_CURRENCY = _words("$ £ € ¥ us$ a an us the")
_MONTH_CONTEXT = _words(
    "in of since until till by from through last next early late mid during this before "
    "after between and to on -"
)
_REPORTING_VERBS = _words(
    "say tell announce add insist promise pledge vow warn confirm decide agree declare "
    "state write report indicate signal hint predict claim argue explain acknowledge "
    "reply respond note"
)
_NARRATIVE_ADVERBS = _words(
    "later eventually subsequently soon often usually always sometimes frequently "
    "regularly never ultimately afterwards then thereafter"
)
_VOLITION_VERBS = _words("like love prefer rather hate welcome appreciate")
_SPEECH_OR_BELIEF = _words(
    "say argue claim contend believe suggest think feel insist maintain fear worry warn "
    "allege charge complain speculate suspect assert point question doubt wonder consider "
    "describe call see view regard note tell predict expect"
)
# Verbs of belief, judgement, doubt or inference (not of speech): a vague subject of
# one of these ("many believe", "many regard it as", "some historians have questioned
# the figure") is reported as speculative, not as a shield: the verb is the cue.
BELIEF_VERBS = _words(
    "believe think feel fear worry suspect doubt wonder speculate consider expect predict "
    "suggest regard view see question"
)
# Speech verbs that are reporting cues by themselves ("allege"): with a vague subject
# ("critics allege") the finding keeps the verb's category.
REPORTING_VERBS = _words("allege")
_SOURCE_VERBS = _words("report say tell write quote cite broadcast publish")
_SUPERLATIVE_LEFT = _words(
    "maximum minimum most least every all any only whenever wherever where when as if "
    "soon early far much"
)
_CONDITION_MARKERS = _words(
    "if unless otherwise suppose supposing imagine assuming provided whether lest "
    "hypothetically theoretically ideally without"
)
_EVIDENCE_SUBJECTS = _words(
    "result data datum finding evidence study analysis observation poll survey record "
    "figure report experiment test document sign this these that it research model "
    "statistic trend number which work paper letter pattern"
)
_PERSON_NOUNS = _words(
    "official mayor senator minister president chief leader police spokesman spokeswoman "
    "spokesperson government committee panel council company board party union lawyer "
    "judge doctor expert critic analyst author colleague agency authority administration "
    "people man woman group team"
)
_AGENT_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "ee")
_INQUIRY_NEXT = _words("whether if how why what which who when")
_CLAUSE_DEPS = _words("ccomp xcomp oprd acomp attr")
# What follows "if not" in a concession ("most if not all", "if not impossible").
_CONCESSIVE_NEXT = _words("DET ADJ ADV NUM PRON")
_CAUSATIVE = _words("make let help cause render")
_STAGE_PREPOSITIONS = _words("in on at before onstage alongside opposite with")
# "could" meaning was able to: a first-person report of a method ("we could detect"),
# a verb of perceiving or finding, or a subject that denies it ("no one could").
_ABILITY_VERBS = _words(
    "hear detect find observe identify distinguish afford recover reach isolate obtain "
    "visualize visualise amplify read play use walk swim speak"
)
_NEGATIVE_SUBJECTS = _words("no nothing none nobody noone neither")
_PURPOSE_MARKS = _words("so before until till where")
# "assumed the role", "will assume $22 million of debt": to take something on, not to
# suppose it.
_TAKEN_ON = _words(
    "role responsibility responsibilities debt debts liability liabilities power control "
    "command office position post name title identity form shape duty duties leadership "
    "presidency throne mantle burden cost costs obligation obligations charge lead risk"
)


# The columns of ``Sentences.columns``, by index.
COLUMNS = ("lower", "lemma", "tag", "is_punct", "is_space")
LOWER_COLUMN, LEMMA_COLUMN, TAG_COLUMN, PUNCT_COLUMN, SPACE_COLUMN = range(len(COLUMNS))


class Sentences:
    """Sentence start and end of every token of one doc, computed once per document,
    and the document's token columns the matcher and the disambiguator read.

    ``token.sent`` walks the sentence on every call; the matcher and the rules
    ask for sentence bounds once per candidate and per rule, so they read these
    lists instead. The bounds come from the ``SENT_START`` column of one
    ``doc.to_array`` call that also reads the lower-case forms, lemmas, tags and
    punctuation and space flags (``columns``, in the order of ``COLUMNS``): the
    matcher, the disambiguator's modal positions and the word count each made a
    ``to_array`` call of their own, and ``doc.sents`` built a ``Span`` per sentence.
    """

    __slots__ = ("columns", "ends", "lowers", "modals_and_conditions", "starts")

    def __init__(self, doc: Doc) -> None:
        import numpy as np
        from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, LOWER, SENT_START, TAG

        # The positions of the document's modals and condition words, found by the
        # disambiguator the first time it scores a cue here (None until then).
        self.modals_and_conditions: tuple[list[int], list[int]] | None = None
        n = len(doc)
        self.starts = [0] * n
        self.ends = [n] * n
        if not n:
            self.columns: np.ndarray[Any, Any] = np.zeros((0, len(COLUMNS)), dtype=np.uint64)
            self.lowers: list[int] = []
            return
        if not doc.has_annotation("SENT_START"):
            list(doc.sents)  # raises spaCy's own error, as reading the sentences did
        table = doc.to_array([SENT_START, LOWER, LEMMA, TAG, IS_PUNCT, IS_SPACE])
        self.columns = table[:, 1:].reshape(n, len(COLUMNS))
        # The ids of the tokens' lower-case forms: the rules test words against id sets
        # (``word_ids``) instead of reading ``doc[i].lower_``, a Token and a string each.
        self.lowers = table[:, 1].tolist()
        # Split as ``doc.sents`` does: before every token but the first whose
        # SENT_START is 1.
        opening = (np.flatnonzero(table[1:, 0] == 1) + 1).tolist()
        bounds = [0, *opening, n]
        for start, end in pairwise(bounds):
            self.starts[start:end] = [start] * (end - start)
            self.ends[start:end] = [end] * (end - start)

    def start(self, token: Token) -> int:
        return self.starts[token.i]

    def end(self, token: Token) -> int:
        return self.ends[token.i]


@functools.cache
def word_ids(words: frozenset[str]) -> frozenset[int]:
    """The string ids of ``words`` (one of this module's word sets), worked out once:
    a sentence's words are compared as the ids ``Sentences.lowers`` holds."""
    from spacy.strings import get_string_id

    return frozenset(get_string_id(word) for word in words)


def is_negated(token: Token, sents: Sentences) -> bool:
    """A negator shortly before the cue, on the cue itself or on the verb it hangs on.

    "It is not clear" (``not`` hangs on "is", the head of "clear"), "not
    clearly", "far from certain". Negation after the cue ("clearly did not")
    does not count: there the booster strengthens a negative claim.
    """
    for other in (token, token.head):
        for child in other.children:
            if child.dep_ == "neg" and child.i < token.i and token.i - child.i <= 4:
                return True
    start = max(sents.start(token), token.i - 2)
    return not word_ids(NEGATORS).isdisjoint(sents.lowers[start : token.i])


def _is_number(token: Token) -> bool:
    return bool(token.like_num) or token.tag_ == "CD" or token.lower_ in NUMBER_WORDS


def needs_number(token: Token, end: int, sents: Sentences) -> bool:
    """Approximators quantify: "about 20 ships", "some $3 million", "at least a dozen".

    Rejects "talked about the plan", "around the world", "some say".
    """
    doc = token.doc
    i = end
    limit = min(len(doc), sents.end(token), end + 3)
    while i < limit and doc[i].lower_ in _CURRENCY:
        i += 1
    if i < limit and _is_number(doc[i]):
        return True
    return (
        token.dep_ in {"quantmod", "advmod", "nummod"}
        and _is_number(token.head)
        and (token.head.i >= end)
    )


def after_number(token: Token, end: int, sents: Sentences) -> bool:
    """ "20 or so", "50 or more": the number sits just before the phrase."""
    del end
    return token.i > 0 and _is_number(token.doc[token.i - 1])


def _is_month_may(token: Token, sents: Sentences) -> bool:
    if token.text != "May":
        return False
    if token.tag_ != "MD":
        return True
    doc = token.doc
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    prev = doc[token.i - 1] if token.i > 0 else None
    if nxt is not None and (_is_number(nxt) or nxt.text in {",", ".", ")", "-"}):
        return True
    if prev is not None and prev.lower_ in _MONTH_CONTEXT:
        return True
    # A capitalised "May" inside a sentence is the month; the modal is lower case.
    return (
        token.i != sents.start(token)
        and prev is not None
        and prev.text not in {'"', "'", "(", "\u201c", "\u2018", ":"}
    )


# "There may be delays": the expletive stands in the subject's place.
_SUBJECT_OR_EXPLETIVE = SUBJECT_DEPS | {"expl"}


def _subject_of(verb: Token) -> Token | None:
    return subject_of(verb, _SUBJECT_OR_EXPLETIVE)


def epistemic_modal(token: Token, end: int, sents: Sentences) -> bool:
    """ "may", "might", "could", "would" when they weigh likelihood.

    Not a hedge: "May" the month; permission ("You may enter", "May I ask");
    negated ability ("could not be reached", "can't"); volition ("would
    like"); and reported or narrative future ("said he would attend", "would
    later become"), where "would" is the past of "will", not a doubt.
    """
    del end
    if _is_month_may(token, sents):
        return False
    if token.tag_ != "MD":
        return False
    doc = token.doc
    lower = token.lower_
    verb = token.head if token.dep_ in {"aux", "auxpass"} else token
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if lower in {"may", "could", "can"}:
        subject = _subject_of(verb)
        if subject is not None and subject.lower_ == "you":
            return False  # permission or ability addressed to the reader
        if token.i == sents.start(token) and nxt is not None and nxt.lower_ in {"i", "we"}:
            return False  # "May I ask ..."
    if lower in {"could", "can"}:
        if nxt is not None and nxt.lower_ in {"not", "n't", "never"}:
            return False  # "could not be reached": ability, not likelihood
        if any(c.dep_ == "neg" for c in verb.children):
            return False
        if _ability(verb):
            return False
    if lower == "would":
        if verb.lemma_.lower() in _VOLITION_VERBS or (nxt is not None and nxt.lower_ == "rather"):
            return False
        if any(c.lower_ in _NARRATIVE_ADVERBS and c.dep_ == "advmod" for c in verb.children):
            return False
        if nxt is not None and nxt.lower_ in _NARRATIVE_ADVERBS:
            return False
        if verb.lemma_.lower() == "go" and any(c.lower_ == "on" for c in verb.children):
            return False  # "would go on to win"
        head = verb.head
        if (
            verb.dep_ in {"ccomp", "conj"}
            and head.lemma_.lower() in _REPORTING_VERBS
            and head.tag_ in {"VBD", "VBN"}
        ):
            return False  # "said he would attend": reported future
        if verb.lemma_.lower() == "be" and verb.i == token.i + 1:
            # "The first would be to launch an invasion", "it would be extraordinary":
            # a hypothetical state, left to the model (FactBank marks 8 of 12 such on
            # dev; Wikipedia, where many are narrative "there would be", 11 of 36).
            return True
        # Otherwise "would" is mostly the future of a past narrative ("the pact
        # would resolve part of the case", "he would leave with two pieces"); it
        # weighs likelihood when the sentence states or implies a condition.
        markers = word_ids(_CONDITION_MARKERS)
        return not markers.isdisjoint(sents.lowers[sents.start(token) : sents.end(token)])
    return True


def _ability(verb: Token) -> bool:
    """ "could" as past ability or a root modal: "we could detect", "could see the coast",
    "no one could", "so that travellers could clear customs", "could use its advantages"."""
    subject = _subject_of(verb)
    if subject is not None:
        if subject.lower_ in {"we", "i"}:
            return True
        if any(c.lower_ in _NEGATIVE_SUBJECTS for c in (subject, *subject.children)):
            return True
    if verb.lemma_.lower() in _ABILITY_VERBS and not any(
        c.dep_ == "auxpass" for c in verb.children
    ):
        return True
    return any(c.dep_ == "mark" and c.lower_ in _PURPOSE_MARKS for c in verb.children)


def attributive(token: Token, end: int, sents: Sentences) -> bool:
    """Before a noun: "suspected drug vessels", "a potential buyer", "an apparent suicide"."""
    del end
    if token.dep_ == "amod":
        return True
    doc = token.doc
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (
        nxt is not None
        and nxt.pos_ in {"NOUN", "PROPN", "ADJ"}
        and token.head.i > token.i
        and token.dep_ not in {"ROOT", "ccomp", "acomp", "xcomp"}
    )


def not_attributive(token: Token, end: int, sents: Sentences) -> bool:
    """ "is expected to" yes, "the expected results" no."""
    return not attributive(token, end, sents)


def predicative(token: Token, end: int, sents: Sentences) -> bool:
    """ "it is clear", "made it clear", "the cause is unknown"; not "clear skies"."""
    del end
    if token.dep_ == "amod":
        return False
    doc = token.doc
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return not (nxt is not None and nxt.pos_ in {"NOUN", "PROPN"} and nxt.head.i != token.i)


def epistemic_possible(token: Token, end: int, sents: Sentences) -> bool:
    """ "a possible link", "it is possible that"; not "as soon as possible",
    "if possible", "made possible", "possible to reach", "every possible"."""
    doc = token.doc
    prev = doc[token.i - 1] if token.i > 0 else None
    if prev is not None and (prev.lower_ in _SUPERLATIVE_LEFT or prev.tag_ in {"JJS", "RBS"}):
        return False
    if token.head.lemma_.lower() == "make" or (prev is not None and prev.lemma_ == "make"):
        return False
    return not (end < len(doc) and doc[end].lower_ == "to")


def perception_sense(token: Token) -> bool:
    """ "make legs appear slimmer", "let the room seem bigger": how something looks,
    brought about by someone (a causative verb above), not a judgement of likelihood."""
    return token.dep_ in {"ccomp", "xcomp", "advcl"} and token.head.lemma_.lower() in _CAUSATIVE


def needs_complement(token: Token, end: int, sents: Sentences) -> bool:
    """ "appears to be", "it appears that", "appeared nervous"; not "appeared on TV",
    "appeared in three films" or "make legs appear slimmer"."""
    del sents
    if perception_sense(token):
        return False
    doc = token.doc
    if end < len(doc) and doc[end].lower_ in {"to", "that", "as", "like"}:
        return True
    if any(c.dep_ == "prep" and c.lower_ in _STAGE_PREPOSITIONS for c in token.children):
        return False  # "appeared in court", "appeared on MTV", "appeared before the panel"
    return any(c.dep_ in _CLAUSE_DEPS for c in token.children)


def not_causative(token: Token, end: int, sents: Sentences) -> bool:
    """ "seems", "looks like" as a judgement; not "make the house seem bigger"."""
    del end, sents
    return not perception_sense(token)


def clause_mark(token: Token, end: int, sents: Sentences) -> bool:
    """ "until Iraq complies": the word opens a clause (a condition on an event), not a
    date or a span ("until 1990", "until then"), nor a past event ("remained at her side
    until she died", "until its parliament was assembled"): what happened is no condition."""
    del end, sents
    if token.dep_ != "mark":
        return False
    verb = token.head
    if verb.tag_ == "VBD":
        return False
    return not (
        verb.tag_ == "VBN"
        and any(c.dep_ in {"aux", "auxpass"} and c.tag_ == "VBD" for c in verb.children)
    )


def hypothetical(token: Token, end: int, sents: Sentences) -> bool:
    """ "if" that opens a condition; not "as if", "if and only if", "if any",
    "if you take the road", "if-it-bleeds" or a title ("'If You Knew'")."""
    del sents
    doc = token.doc
    prev = doc[token.i - 1].lower_ if token.i > 0 else ""
    nxt = doc[end].lower_ if end < len(doc) else ""
    nxt2 = doc[end + 1].lower_ if end + 1 < len(doc) else ""
    if prev in {"as", "what"} or nxt in {"any", "anything", "ever", "-", "you"}:
        return False  # "as if", "what if", "few, if any", "if-it-bleeds", generic "if you"
    if nxt == "and" and nxt2 == "only":
        return False  # "if and only if": a definition
    if nxt == "not" and end + 1 < len(doc) and doc[end + 1].pos_ in _CONCESSIVE_NEXT:
        return False  # "most if not all", "deadly, if not comical": a concession, no condition
    if prev == "only" and token.i > 1 and doc[token.i - 2].lower_ == "and":
        return False
    # A capitalised "If" inside a sentence starts a title, not a condition.
    return not (token.text == "If" and token.i > 0 and doc[token.i - 1].is_alpha)


def open_expectation(token: Token, end: int, sents: Sentences) -> bool:
    """ "analysts expect a loss", "is expected to"; not "as expected" or "faster than
    expected", which report how things turned out (0 of 17 such are Szeged cues on dev)."""
    del end, sents
    doc = token.doc
    return not (token.i > 0 and doc[token.i - 1].lower_ in {"as", "than"})


def belief_sense(token: Token, end: int, sents: Sentences) -> bool:
    """ "we assume that", "is assumed to be"; not "assumed the role" or "will assume the
    debt" (to take on: a thing taken on is its object)."""
    del end, sents
    return not any(
        c.dep_ == "dobj" and any(t.lemma_.lower() in _TAKEN_ON for t in c.subtree)
        for c in token.children
    )


def complement_clause(token: Token, end: int, sents: Sentences) -> bool:
    """A verb of inference with a clause: "the data suggest that", "results indicated a link
    might", "officials fear the toll will rise"; not "suggested changes to the bill"."""
    if any(c.dep_ in {"ccomp", "xcomp", "oprd"} for c in token.children):
        return True
    doc = token.doc
    if end < len(doc) and doc[end].lower_ in {"that", "to"}:
        return True
    # "it has been suggested", "as suggested by": passive or reduced relative
    return token.tag_ == "VBN" and any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.children)


def inference(token: Token, end: int, sents: Sentences) -> bool:
    """ "the results suggest a role for", "suggesting that", "as suggested by", "the
    suggested interaction"; not "he suggested a meeting" (a proposal by a person)."""
    if complement_clause(token, end, sents) or token.tag_ == "VBG" or token.dep_ in {"amod", "acl"}:
        return True
    doc = token.doc
    if token.i > 0 and doc[token.i - 1].lower_ == "as":
        return True  # "as suggested by", "as indicated"
    subject = _subject_of(token)
    if subject is None:
        return True
    if subject.lemma_.lower() in _EVIDENCE_SUBJECTS:
        return True
    return not _looks_like_person(subject)


def _looks_like_person(token: Token) -> bool:
    """People and bodies propose; results and patterns suggest. Without NER in the
    pipeline this leans on the tag and on agent-noun endings (senator, official)."""
    lemma = token.lemma_.lower()
    if token.pos_ in {"PRON", "PROPN"} or lemma in _PERSON_NOUNS:
        return True
    return token.pos_ == "NOUN" and lemma.endswith(_AGENT_ENDINGS)


def evidence(token: Token, end: int, sents: Sentences) -> bool:
    """ "these data indicate a role", "indicating that"; not "the arrows indicate the
    areas" or "as indicated in Fig. 2" (pointing, not inferring)."""
    if complement_clause(token, end, sents) or token.tag_ == "VBG":
        return True
    subject = _subject_of(token)
    return subject is not None and subject.lemma_.lower() in _EVIDENCE_SUBJECTS


def open_inquiry(token: Token, end: int, sents: Sentences) -> bool:
    """Investigation verbs that leave a question open: "to determine whether", "we
    examined how", "to test"; not the methods section's "was analyzed by PCR"."""
    doc = token.doc
    if end < len(doc) and doc[end].lower_ in _INQUIRY_NEXT:
        return True
    first = sents.start(token)
    i = token.i - 1
    while i >= first and doc[i].pos_ == "ADV":
        i -= 1
    if i >= first and doc[i].lower_ == "to":
        return True
    subject = _subject_of(token)
    return subject is not None and subject.lower_ in {"we", "i"}


def judgement(token: Token, end: int, sents: Sentences) -> bool:
    """ "is considered (to be) the oldest", "considers it a mistake"; not "considered the
    bill", "considered calling her" or "was considered for the lead" (weighing an action
    or a candidate, not judging what something is: 0 of 12 such are Szeged cues on dev)."""
    deps = {c.dep_ for c in token.children}
    if not deps & {"ccomp", "oprd"} and not any(c.lower_ == "as" for c in token.children):
        if any(c.dep_ == "xcomp" and c.tag_ == "VBG" for c in token.children):
            return False  # "considered calling Kitty", "might consider filing a suit"
        if "xcomp" not in deps and any(
            c.dep_ == "prep" and c.lower_ == "for" for c in token.children
        ):
            return False  # "was considered for the lead"
    if deps & {"ccomp", "xcomp", "oprd"}:
        return True
    if any(c.dep_ == "auxpass" for c in token.children) or token.dep_ in {"acl", "amod"}:
        return True
    return needs_as(token, end, sents)


def needs_as(token: Token, end: int, sents: Sentences) -> bool:
    """ "regarded as", "seen by many as", "viewed as a threat"."""
    doc = token.doc
    if any(c.lower_ == "as" for c in token.children):
        return True
    limit = min(len(doc), sents.end(token), end + 4)
    return any(doc[i].lower_ == "as" for i in range(end, limit)) and not any(
        doc[i].pos_ == "VERB" for i in range(end, limit) if doc[i].lower_ != "as"
    )


_PERSONAL_PRONOUNS = _words("he she they i we you who him her them someone anyone one")
_THING_PRONOUNS = _words("it this that which there")
_ORGANISATIONS = _words(
    "government company committee panel council board party union agency authority "
    "administration group team firm bank army court state country city police ministry"
)


def subject_kind(verb: Token) -> str:
    """What kind of thing the subject of ``verb`` is: ``person`` (he, we, officials),
    ``org`` (the company, the government), ``name`` (a proper noun), ``thing`` (the storm,
    it), ``expl`` ("there may be") or ``none``.

    Ability and permission need someone able or allowed: "he could see the coast", "users
    may download"; "the storm could strengthen" can only be a likelihood.
    """
    subject = _subject_of(verb)
    if subject is None:
        return "none"
    if subject.dep_ == "expl":
        return "expl"
    lower = subject.lower_
    if lower in _PERSONAL_PRONOUNS:
        return "person"
    if lower in _THING_PRONOUNS:
        return "thing"
    if subject.lemma_.lower() in _ORGANISATIONS:
        return "org"
    if subject.pos_ == "PROPN":
        return "name"
    return "person" if _looks_like_person(subject) else "thing"


def vague_subject(token: Token, end: int, sents: Sentences) -> bool:
    """Weasel subjects of speech or belief: "some say", "critics argue", "many believe"."""
    del end
    if token.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    if token.head.lemma_.lower() not in _SPEECH_OR_BELIEF:
        return False
    # "critics, including Senator Smith," names them: not vague.
    return not any(t.pos_ == "PROPN" for t in token.subtree if t.i != token.i)


def names_source(token: Token, sents: Sentences) -> bool:
    """Whether the sentence of ``token`` names who reports: "according to Reuters", "the
    Financial Times reported", "reported by the BBC", "told CNN" (a proper noun as the
    subject, agent or addressee of a reporting verb, or after "according to")."""
    doc = token.doc
    for i in range(sents.start(token), sents.end(token)):
        other = doc[i]
        if i == token.i:
            continue
        if other.lower_ == "according" and i + 1 < len(doc) and doc[i + 1].lower_ == "to":
            if any(t.pos_ == "PROPN" for t in doc[i + 1].subtree):
                return True
            continue
        if other.pos_ != "VERB" or other.lemma_.lower() not in _SOURCE_VERBS:
            continue
        for child in other.children:
            if child.dep_ in {"nsubj", "agent", "dative", "dobj"} and any(
                t.pos_ == "PROPN" for t in child.subtree
            ):
                return True
    return False


def vague_subject_span(token: Token) -> tuple[int, int]:
    """Token span from the subject's left edge to its verb, when they are close."""
    left = token.left_edge.i
    verb = token.head
    if verb.i > token.i and verb.i - left <= 4:
        return left, verb.i + 1  # "Critics say", "Many experts believe"
    return left, token.i + 1  # "Two people [familiar with the talks] said": the subject


Rule = Callable[["Token", int, Sentences], bool]

RULES: dict[str, Rule] = {
    "epistemic_modal": epistemic_modal,
    "needs_number": needs_number,
    "after_number": after_number,
    "attributive": attributive,
    "not_attributive": not_attributive,
    "predicative": predicative,
    "epistemic_possible": epistemic_possible,
    "needs_complement": needs_complement,
    "complement_clause": complement_clause,
    "judgement": judgement,
    "inference": inference,
    "evidence": evidence,
    "open_inquiry": open_inquiry,
    "needs_as": needs_as,
    "vague_subject": vague_subject,
    "not_causative": not_causative,
    "hypothetical": hypothetical,
    "clause_mark": clause_mark,
    "open_expectation": open_expectation,
    "belief_sense": belief_sense,
}
