"""copydesk-hedging: uncertainty cues (hedges) and certainty cues (boosters), in context.

A hedge ("may", "reportedly", "about 20", "critics say") is not an error, but
an editor wants to see each one: is the doubt the source's, or the writer's?
Is the figure really unknown? A booster ("clearly", "there is no doubt") claims
more certainty than copy usually can. The words come from ``lexicon.json``;
the sentence decides, through context rules on the shared spaCy parse (see
:mod:`copydesk_hedging.rules`), whether a word is a cue here: "May" the month,
"talked about" and "could not be reached" are not.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from copydesk import AnalysisContext, Analyzer, Capability, RegisterAggregation, hookimpl
from copydesk_hedging.disambiguator import SCORED_CATEGORIES, Disambiguator, features
from copydesk_hedging.forms import IdIndex, rest_matches
from copydesk_hedging.lexicon import (
    ALL_CATEGORIES,
    BOOSTER_CATEGORY,
    DEFAULT_CATEGORIES,
    HEDGE_CATEGORIES,
    CompiledEntry,
    LexiconEntry,
    LexiconIndex,
    coerce_entries,
    load_builtin_entries,
    merge_entries,
)
from copydesk_hedging.models import Cue as CueFinding
from copydesk_hedging.models import UncertainSentence
from copydesk_hedging.rules import (
    BELIEF_VERBS,
    NEGATORS,
    PUNCT_COLUMN,
    REPORTING_VERBS,
    RULES,
    SPACE_COLUMN,
    Sentences,
    is_negated,
    names_source,
    vague_subject_span,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "HedgingAnalyzer",
    "HedgingResult",
    "HedgingSettings",
    "LexiconEntry",
    "is_scored",
]

LEXICON_NAME = "hedging"
# Chosen by benchmarks/train_hedging.py ("best_threshold"): the best out-of-fold
# sentence F1 averaged over the wiki, news and bio parts of the Szeged dev data,
# precision not below recall - 0.05 on each.
DEFAULT_MIN_CONFIDENCE = 0.45
# Shields that are speech with no speaker ("is said to", "it is claimed"): when the
# sentence names the report ("..., according to Reuters"), the message asks the editor
# to credit it, not to name a source the sentence already names.
SPEECH_WITHOUT_SPEAKER = frozenset(
    {"be say to", "be report to", "be reputed to", "it be say", "it be report", "it be claim"}
)

MESSAGES: dict[str, str] = {
    "modal": "'{cue}' makes the claim tentative: state it plainly if it is established, "
    "or say who expects it and on what grounds.",
    "reporting": "'{cue}' distances the copy from the claim without naming a source: "
    "attribute it to someone or confirm it.",
    "likelihood": "'{cue}' marks the claim as uncertain: say who judges it so, "
    "or drop the qualifier if the fact is confirmed.",
    "approximator": "'{cue}' makes the figure approximate: give the exact number if it is "
    "known, and say whose estimate it is.",
    "speculative": "'{cue}' presents an inference or belief, not a fact: check whose it is "
    "and attribute it.",
    "shield": "'{cue}' hedges without saying who doubts or claims it (weasel wording): "
    "name the source, or state what is known.",
    "reporting_named": "'{cue}' rests on a report named in this sentence: make sure the "
    "copy credits it and says whether the claim has been independently confirmed.",
    "legal": "'{cue}' is a legal qualifier: keep it until a court has ruled or the facts "
    "are established, and make sure the copy says who suspects or accuses (police, "
    "prosecutors).",
    "condition": "'{cue}' makes the claim conditional: check the condition is stated.",
    "investigation": "'{cue}' marks an open question: say what is being established, by whom.",
    "booster": "'{cue}' asserts certainty: make sure the evidence in the story supports it, "
    "or let the facts speak.",
    "negated_booster": "'{cue}' says the matter is unsettled: say what is not known and who "
    "says so.",
}


class HedgingSettings(BaseModel):
    """Options of the hedging analyzer (``[tool.copydesk.settings.hedging]``)."""

    model_config = ConfigDict(extra="forbid")

    categories: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CATEGORIES),
        description=(
            "Categories to report. Default: all but 'condition' and 'investigation' "
            f"(known: {', '.join(ALL_CATEGORIES)})."
        ),
    )
    extra_entries: list[LexiconEntry] = Field(
        default_factory=list,
        description="Entries added to the built-in lexicon (same shape as lexicon.json entries).",
    )
    remove: list[str] = Field(
        default_factory=list,
        description="Phrases or lemmas to drop from the lexicon, e.g. ['about', 'be say to'].",
    )
    min_confidence: float = Field(
        default=DEFAULT_MIN_CONFIDENCE,
        ge=0.0,
        le=1.0,
        description=(
            "Drop hedges whose learned probability of being an uncertainty cue is below this "
            "(modal, reporting, likelihood, speculative, condition, investigation only; "
            "entries marked 'scored: false' such as 'reportedly' or 'suspected' are always "
            f"kept). Default {DEFAULT_MIN_CONFIDENCE}: the best threshold under "
            "cross-validation on encyclopedia, news and biomedical text. 0 keeps every rule "
            "match."
        ),
    )

    @field_validator("categories")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [c for c in value if c not in ALL_CATEGORIES]
        if unknown:
            msg = f"unknown categories {unknown} (known: {', '.join(ALL_CATEGORIES)})"
            raise ValueError(msg)
        return value


class HedgingResult(BaseModel):
    """The hedging payload: totals for one document."""

    model_config = ConfigDict(extra="forbid")

    hedges: int
    boosters: int
    words: int
    sentences: int
    uncertain_sentences: int
    categories: dict[str, int] = Field(description="Cue count per category (reported ones only).")


@dataclass(frozen=True)
class Cue:
    """One accepted match, in token offsets of the spaCy doc."""

    start: int
    end: int
    entry: LexiconEntry
    kind: str
    category: str
    negated_booster: bool = False


class HedgingAnalyzer(Analyzer[HedgingSettings]):
    """Finds hedges and boosters on the shared parse and marks uncertain sentences."""

    name = "hedging"
    languages = frozenset({"en"})  # English lexicons and model
    version = "1"
    description = "Hedges (may, reportedly, about 20, critics say) and boosters, in context."
    needs = frozenset({Capability.TAGGER, Capability.PARSER})
    provides = HedgingResult
    finding_data = {  # noqa: RUF012 - class metadata, read only
        "hedge": CueFinding,
        "booster": CueFinding,
        "uncertain_sentence": UncertainSentence,
    }
    Settings = HedgingSettings

    def setup(self) -> None:
        """Merge built-in, plugin and config entries once, and index them by first word."""
        settings = self.settings
        contributed = coerce_entries(
            self.lexicons.get(LEXICON_NAME, []), "a register_lexicon_entries hook"
        )
        self.entries = merge_entries(
            load_builtin_entries(),
            contributed,
            settings.extra_entries,
            settings.remove,
            settings.categories,
        )
        self.index = LexiconIndex(self.entries)
        self.ids = IdIndex(self.index)
        self.categories = tuple(settings.categories)
        self.model = Disambiguator.load()

    def confidence(self, doc: Doc, cue: Cue, sents: Sentences | None = None) -> float | None:
        """The learned probability that ``cue`` is an uncertainty cue (None: not scored)."""
        if not is_scored(cue) or self.model is None:
            return None
        if sents is None:
            sents = Sentences(doc)
        return self.model.probability(
            features(doc, cue.start, cue.end, cue.entry.key, sents, cue.category), cue.category
        )

    # -- matching --------------------------------------------------------------------

    def find_cues(self, doc: Doc, sents: Sentences | None = None) -> list[Cue]:
        """Every cue in ``doc``: longest match first, no two overlapping.

        ``sents`` (the sentence bounds of ``doc``) is built here when not given.
        """
        if sents is None:
            sents = Sentences(doc)
        found: list[Cue] = []
        lowers, lemmas, opening = self.ids.forms(doc, sents)
        survivors = self.ids.candidates
        ends = sents.ends
        last = len(lowers) - 1
        for i in opening:
            if i < last:
                candidates = survivors(lowers[i], lemmas[i], lowers[i + 1], lemmas[i + 1])
            else:
                candidates = survivors(lowers[i], lemmas[i], -1, -1)
            token = None
            for compiled, rest, lemma_words in candidates:
                if rest:
                    end = i + 1 + len(rest)
                    if end > ends[i] or not rest_matches(rest, lemma_words, i, lowers, lemmas):
                        continue
                else:
                    end = i + 1
                if token is None:
                    token = doc[i]
                cue = self._match(token, compiled, end, sents)
                if cue is not None:
                    found.append(cue)
                    break
        return _non_overlapping(found)

    def _match(
        self, token: Token, compiled: CompiledEntry, end: int, sents: Sentences
    ) -> Cue | None:
        """The cue ``compiled`` makes at ``token``, its words matched up to ``end``, if the
        entry's part of speech, tag and context rules accept it here."""
        entry = compiled.entry
        start = token.i
        if entry.pos and token.pos_ not in entry.pos:
            return None
        if entry.tags and token.tag_ not in entry.tags:
            return None
        for condition in entry.conditions:
            if condition == "not_negated":
                continue
            if not RULES[condition](token, end, sents):
                return None
        category = entry.category
        if "vague_subject" in entry.conditions:
            start, end = vague_subject_span(token)
            verb = token.head.lemma_.lower()
            if verb in BELIEF_VERBS and "speculative" in self.categories:
                # "Many believe", "Some suspect": a belief held by nobody named is a
                # belief first (the Szeged scheme's cue); the message asks whose it is.
                category = "speculative"
            elif verb in REPORTING_VERBS and "reporting" in self.categories:
                category = "reporting"  # "Critics allege": an allegation first
        if (
            entry.kind == "booster"
            and "not_negated" in entry.conditions
            and is_negated(token, sents)
        ):
            if "likelihood" not in self.categories:
                return None
            return Cue(_negator_start(token, sents), end, entry, "hedge", "likelihood", True)
        return Cue(start, end, entry, entry.kind, category)

    # -- reporting -------------------------------------------------------------------

    def analyze(self, ctx: AnalysisContext) -> None:
        doc = ctx.spacy_doc
        if doc is None:  # pragma: no cover - the runner always parses for our needs
            ctx.mark_not_applicable("no spaCy parse")
            return
        import numpy as np

        sents = Sentences(doc)
        cues = self.find_cues(doc, sents)
        sentences = ctx.sentences
        sentence_starts = [s for s, _ in sentences]
        per_sentence: dict[int, list[tuple[str, str]]] = {}
        counts: Counter[str] = Counter()
        hedges = boosters = 0
        threshold = self.settings.min_confidence
        for cue in cues:
            confidence = self.confidence(doc, cue, sents)
            if confidence is not None and confidence < threshold:
                continue
            start = doc[cue.start].idx
            last = doc[cue.end - 1]
            end = last.idx + len(last.text)
            cue_text = ctx.text[start:end]
            counts[cue.category] += 1
            message_key = _message_key(doc, cue, sents)
            data: dict[str, Any] = {
                "category": cue.category,
                "entry": cue.entry.key,
                "match": "lemma" if cue.entry.by_lemma else "phrase",
            }
            if cue.negated_booster:
                data["negated_booster"] = True
            ctx.add_finding(
                cue.kind,
                start,
                end,
                label=cue.category,
                message=MESSAGES[message_key].format(cue=cue_text),
                confidence=None if confidence is None else round(confidence, 3),
                data=data,
            )
            if cue.kind == "hedge":
                hedges += 1
                index = bisect_right(sentence_starts, start) - 1
                if index >= 0:
                    per_sentence.setdefault(index, []).append((cue.category, cue_text))
            else:
                boosters += 1
        for index, sentence_cues in sorted(per_sentence.items()):
            s_start, s_end = sentences[index]
            kinds = sorted({c for c, _ in sentence_cues})
            texts = [t for _, t in sentence_cues]
            ctx.add_finding(
                "uncertain_sentence",
                s_start,
                s_end,
                label=kinds[0] if len(kinds) == 1 else "mixed",
                message=f"{len(texts)} hedge(s) in this sentence ({', '.join(texts)}): "
                "is the uncertainty the source's or the copy's?",
                data={"categories": kinds, "cues": texts},
            )
        # Neither punctuation nor space, from the flag columns (0 or 1): one array
        # operation, not a Token per token (and an "or" of the two columns, not a sum
        # along each row: a strided reduction cost five times as much).
        columns = sents.columns
        words = len(columns) - int(
            np.count_nonzero(columns[:, PUNCT_COLUMN] | columns[:, SPACE_COLUMN])
        )
        n_sentences = len(sentences)
        ctx.set_metric("hedges", hedges)
        ctx.set_metric("boosters", boosters)
        ctx.set_metric("hedges_per_100_words", round(100 * hedges / words, 3) if words else 0.0)
        ctx.set_metric("boosters_per_100_words", round(100 * boosters / words, 3) if words else 0.0)
        ctx.set_metric(
            "uncertain_sentence_share",
            round(len(per_sentence) / n_sentences, 4) if n_sentences else 0.0,
        )
        reported = [c for c in (*HEDGE_CATEGORIES, BOOSTER_CATEGORY) if c in self.categories]
        for category in reported:
            ctx.set_metric(f"category_{category}", counts.get(category, 0))
        ctx.set_payload(
            HedgingResult(
                hedges=hedges,
                boosters=boosters,
                words=words,
                sentences=n_sentences,
                uncertain_sentences=len(per_sentence),
                categories={c: counts.get(c, 0) for c in reported},
            )
        )


def is_scored(cue: Cue) -> bool:
    """Whether the learned model scores this cue (hedges of the Szeged categories, unless
    the lexicon entry opts out)."""
    return (
        cue.kind == "hedge"
        and cue.category in SCORED_CATEGORIES
        and cue.entry.scored
        and not cue.negated_booster
    )


def _message_key(doc: Doc, cue: Cue, sents: Sentences) -> str:
    if cue.negated_booster:
        return "negated_booster"
    if cue.entry.legal:
        return "legal"
    if (cue.category == "reporting" or cue.entry.key in SPEECH_WITHOUT_SPEAKER) and names_source(
        doc[cue.start], sents
    ):
        return "reporting_named"
    return cue.category


def _negator_start(token: Token, sents: Sentences) -> int:
    """Start the span of a negated booster at its negator ("not clear", "far from certain")."""
    doc = token.doc
    for i in range(token.i - 1, max(sents.start(token), token.i - 4) - 1, -1):
        if doc[i].lower_ in NEGATORS:
            return i
    return token.i


def _non_overlapping(cues: list[Cue]) -> list[Cue]:
    """Keep the longest cues; a shorter one inside or across a kept one is dropped."""
    taken: set[int] = set()
    kept: list[Cue] = []
    for cue in sorted(cues, key=lambda c: (-(c.end - c.start), c.start)):
        span = range(cue.start, cue.end)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        kept.append(cue)
    kept.sort(key=lambda c: c.start)
    return kept


@hookimpl
def register_analyzers(register: Any) -> None:
    register(HedgingAnalyzer)


from copydesk_hedging.render import register_renderers  # noqa: E402, F401 - the HTML view hook


@hookimpl
def register_aggregations(register: RegisterAggregation) -> None:
    # A small module of SQL strings: cheap to import, DuckDB is not imported here.
    from copydesk_hedging.aggregations import register as register_own

    register_own(register)
