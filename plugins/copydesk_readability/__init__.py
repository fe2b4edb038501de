"""copydesk-readability: classic readability formulas, a consensus grade, hard sentences.

What it adds to a document:

* metrics ``readability.<formula>`` for Flesch reading ease, Flesch-Kincaid,
  Gunning fog, SMOG, Coleman-Liau, ARI and Dale-Chall, plus
  ``readability.consensus_grade`` (see :mod:`.consensus`), counts (words,
  sentences, syllables), average sentence length, the share of long words (7+
  letters) and of polysyllables (3+ syllables), and reading time in minutes;
* findings of kind ``hard_sentence`` on the sentences that pull the grade up most,
  each with its own grade and the reasons (length, polysyllables, nesting);
* a payload (:class:`ReadabilityResult`) with all of the above in one place.

Why its own counts and not textstat's functions: textstat splits sentences after
"U.S." and "$3.50" and downloads NLTK's cmudict at run time. Sentences here come
from ``ctx.sentences``: the parse's when another analyzer made the run parse,
otherwise copydesk's rule-based splitter; syllables from the packaged CMU
dictionary; see :mod:`.counts`. It needs no spaCy capability at all: the rule
splitter orders OneStopEnglish's levels as well as spaCy's ``senter`` did
(consensus Spearman 0.7322 against 0.7319) at several times its speed, so
readability over a large corpus loads no model. When another analyzer in the
run did load the parser, the hard-sentence reasons also report the depth of the
dependency tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from copydesk import (
    AnalysisContext,
    Analyzer,
    Capability,
    RegisterAggregation,
    hookimpl,
    sentence_words,
)
from copydesk_readability.models import HardSentenceFinding

from .consensus import consensus_grade
from .counts import CLAUSE_MARK, Counts, load_resources, weighted_sentence_length
from .formulas import all_formulas
from .table import SentenceCounts

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Doc

__all__ = ["ReadabilityAnalyzer", "ReadabilityResult", "ReadabilitySettings"]

DEFAULT_WPM = 238
"""Silent reading speed of adults for non-fiction (Brysbaert 2019 meta-analysis)."""


class ReadabilitySettings(BaseModel):
    """Options of the readability analyzer."""

    model_config = ConfigDict(extra="forbid")

    max_hard_sentences: int = Field(
        default=3,
        ge=0,
        le=100,
        description="Flag at most this many sentences: those that raise the grade most.",
    )
    hard_sentence_grade: float = Field(
        default=14.0,
        ge=0.0,
        le=40.0,
        description="Only sentences whose own consensus grade reaches this are flagged.",
    )
    words_per_minute: int = Field(
        default=DEFAULT_WPM,
        ge=50,
        le=2000,
        description="Reading speed used for reading_time_minutes.",
    )


class HardSentence(BaseModel):
    """One flagged sentence, as listed in the payload."""

    model_config = ConfigDict(extra="forbid")

    start: int
    end: int
    grade: float
    words: int
    reasons: list[str]


class ReadabilityResult(BaseModel):
    """The readability payload (``data["readability"]``)."""

    model_config = ConfigDict(extra="forbid")

    words: int
    sentences: int
    syllables: int
    letters: int
    polysyllables: int = Field(description="Words of 3+ syllables.")
    long_words: int = Field(description="Words of 7+ letters.")
    difficult_words: int = Field(description="Words not familiar by the Dale-Chall rules.")
    avg_sentence_length: float = Field(description="Words per sentence.")
    weighted_sentence_length: float = Field(
        description="Length of the sentence the average word sits in (sum of squared "
        "sentence lengths / words); an ingredient of the consensus grade."
    )
    avg_syllables_per_word: float
    long_word_share: float = Field(description="Share of words with 7+ letters.")
    polysyllable_share: float = Field(description="Share of words with 3+ syllables.")
    difficult_word_share: float
    commas_per_sentence: float = Field(description="Commas and semicolons per sentence.")
    reading_time_minutes: float
    words_per_minute: int
    formulas: dict[str, float]
    consensus_grade: float
    hard_sentences: list[HardSentence] = Field(default_factory=list)


class ReadabilityAnalyzer(Analyzer[ReadabilitySettings]):
    """Readability formulas and a consensus grade; flags the sentences to cut first."""

    name = "readability"
    languages = frozenset({"en"})  # English lexicons and model
    version = "1"
    description = (
        "Flesch, Flesch-Kincaid, fog, SMOG, Coleman-Liau, ARI, Dale-Chall, a consensus "
        "grade and reading time; flags the hardest sentences."
    )
    needs = frozenset[Capability]()  # ctx.sentences: the rule splitter unless parsed
    provides = ReadabilityResult
    finding_data = {"hard_sentence": HardSentenceFinding}  # noqa: RUF012 - read only
    Settings = ReadabilitySettings

    def setup(self) -> None:
        """Load the CMU dictionary, the Dale-Chall list and Pyphen once per process."""
        load_resources()

    def analyze(self, ctx: AnalysisContext) -> None:
        text = ctx.text
        # A fragment with no word in it ("[" cut off by the segmenter, a stray closing
        # quote) is not a sentence: counting it would shorten the average sentence.
        sentences = ctx.sentences
        # The word lists stats reads too (one regex pass for both analyzers).
        words_of = sentence_words(text, sentences)
        if not all(words_of):
            kept = [i for i, tokens in enumerate(words_of) if tokens]
            sentences = [sentences[i] for i in kept]
            words_of = [words_of[i] for i in kept]
        marks = CLAUSE_MARK.findall
        commas = [len(marks(text[start:end])) for start, end in sentences]
        if not sentences:
            ctx.mark_not_applicable("no words to measure")
            return
        per_sentence = SentenceCounts(words_of, commas)
        total = per_sentence.total()

        formulas = {k: round(v, 2) for k, v in all_formulas(total).items()}
        grade = round(consensus_grade(total), 2)
        words = total.words
        wpm = self.settings.words_per_minute
        result = ReadabilityResult(
            words=words,
            sentences=total.sentences,
            syllables=total.syllables,
            letters=total.letters,
            polysyllables=total.polysyllables,
            long_words=total.long_words,
            difficult_words=total.difficult_words,
            avg_sentence_length=round(words / total.sentences, 2),
            weighted_sentence_length=round(weighted_sentence_length(total), 2),
            avg_syllables_per_word=round(total.syllables / words, 3),
            long_word_share=round(total.long_words / words, 4),
            polysyllable_share=round(total.polysyllables / words, 4),
            difficult_word_share=round(total.difficult_words / words, 4),
            commas_per_sentence=round(total.commas / total.sentences, 3),
            reading_time_minutes=round(words / wpm, 2),
            words_per_minute=wpm,
            formulas=formulas,
            consensus_grade=grade,
        )
        result.hard_sentences = self._hard_sentences(ctx, sentences, words_of, per_sentence, total)

        for key, value in formulas.items():
            ctx.set_metric(key, value)
        ctx.set_metric("consensus_grade", grade)
        for key in (
            "words",
            "sentences",
            "syllables",
            "avg_sentence_length",
            "long_word_share",
            "polysyllable_share",
            "difficult_word_share",
            "commas_per_sentence",
            "reading_time_minutes",
        ):
            ctx.set_metric(key, getattr(result, key))
        ctx.set_payload(result)

    # -- hard sentences --------------------------------------------------------------

    def _hard_sentences(
        self,
        ctx: AnalysisContext,
        spans: list[tuple[int, int]],
        words_of: list[list[str]],
        per_sentence: SentenceCounts,
        total: Counts,
    ) -> list[HardSentence]:
        """Flag the sentences whose removal would lower the document grade most.

        A sentence's pull is (its own grade - the document's) x its share of the
        words: a long, dense sentence in easy copy pulls hardest, a short one
        barely moves the average even if its grade is high. Every sentence's grade
        comes from the table's columns; the full counts (syllables, the words to
        show) only for the sentences flagged.
        """
        limit = self.settings.max_hard_sentences
        if limit == 0 or len(spans) == 0:
            return []
        doc_grade = consensus_grade(total)
        grades = per_sentence.grades()
        words = per_sentence.words.tolist()
        threshold = self.settings.hard_sentence_grade
        candidates: list[tuple[float, int, float]] = []
        for index, grade in enumerate(grades):
            if grade < threshold:
                continue
            pull = (grade - doc_grade) * words[index] / total.words
            candidates.append((pull, index, grade))
        candidates.sort(reverse=True)
        chosen = sorted(candidates[:limit], key=lambda c: c[1])
        depths = _dependency_depths(ctx.spacy_doc, [spans[index] for _, index, _ in chosen])
        flagged: list[HardSentence] = []
        for position, (_, index, grade) in enumerate(chosen):
            start, end = spans[index]
            counts = per_sentence.sentence(index, words_of[index])
            depth = depths[position] if depths else None
            reasons, advice = _reasons(counts, total, depth)
            words_note = f"{counts.words} words"
            message = (
                f"Reading grade {grade:.1f} against {doc_grade:.1f} for the whole text "
                f"({words_note}); {advice}."
            )
            data: dict[str, Any] = {
                "grade": round(grade, 2),
                "document_grade": round(doc_grade, 2),
                "words": counts.words,
                "syllables": counts.syllables,
                "polysyllables": counts.polysyllables,
                "polysyllable_words": counts.polysyllable_examples,
                "difficult_words": counts.difficult_words,
                "reasons": reasons,
            }
            if depth is not None:
                data["dependency_depth"] = depth
            ctx.add_finding(
                "hard_sentence",
                start,
                end,
                label="hard",
                message=message,
                confidence=round(min(1.0, 0.5 + (grade - doc_grade) / 20), 2)
                if grade > doc_grade
                else 0.5,
                data=data,
            )
            flagged.append(
                HardSentence(
                    start=start, end=end, grade=round(grade, 2), words=counts.words, reasons=reasons
                )
            )
        return flagged


LONG_SENTENCE_WORDS = 30
DEEP_NESTING = 8
SHOW_WORDS = 4


def _reasons(counts: Counts, total: Counts, depth: int | None) -> tuple[list[str], str]:
    """Machine-readable reasons and the advice an editor can act on."""
    reasons: list[str] = []
    advice: list[str] = []
    avg = total.words / max(total.sentences, 1)
    if counts.words >= LONG_SENTENCE_WORDS or counts.words > 1.5 * avg:
        reasons.append("long")
        advice.append(f"split it (the text averages {avg:.0f} words a sentence)")
    share = counts.polysyllables / max(counts.words, 1)
    doc_share = total.polysyllables / max(total.words, 1)
    if counts.polysyllables >= 2 and share > doc_share:
        reasons.append("polysyllables")
        longest = sorted(dict.fromkeys(counts.polysyllable_examples), key=len, reverse=True)
        shown = ", ".join(f"'{w}'" for w in longest[:SHOW_WORDS])
        more = len(longest) - SHOW_WORDS
        advice.append(f"find shorter words for {shown}" + (f" and {more} more" if more > 0 else ""))
    if depth is not None and depth >= DEEP_NESTING:
        reasons.append("deep_nesting")
        advice.append(f"untangle the nested clauses (parse depth {depth})")
    if not reasons:
        reasons.append("dense")
        advice.append("simplify its wording")
    return reasons, "; ".join(advice)


def _dependency_depths(doc: Doc | None, spans: list[tuple[int, int]]) -> list[int] | None:
    """Depth of each sentence's dependency tree, only if the run already parsed.

    Readability never asks for the parser; this uses it when another analyzer did.
    The depths of all tokens come from the heads column at once
    (:func:`_jump_depths`), and each span's is the largest among its tokens.
    Depths are capped at :data:`MAX_DEPTH`, which also stops a malformed (cyclic)
    tree.
    """
    if doc is None or not spans or not doc.has_annotation("DEP"):
        return None
    import numpy as np
    from spacy.attrs import HEAD

    # Heads from one array (relative offsets), not a Token object per token.
    relative = doc.to_array([HEAD]).astype(np.int64).reshape(-1)
    depths = _jump_depths(np.arange(len(doc)) + relative)
    found: list[int] = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or span.start == span.end:
            found.append(0)
        else:
            found.append(min(int(depths[span.start : span.end].max()), MAX_DEPTH))
    return found


MAX_DEPTH = 100
# Pointer-jumping rounds: after k rounds a depth is exact up to 2 ** k steps.
_JUMPS = (MAX_DEPTH - 1).bit_length()


def _token_depths(heads: list[int]) -> list[int]:
    """Steps from each token up to its root (``heads[i] == i``), capped at :data:`MAX_DEPTH`."""
    import numpy as np

    depths = _jump_depths(np.array(heads, dtype=np.int64))
    return [min(depth, MAX_DEPTH) for depth in depths.tolist()]


def _jump_depths(heads: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Each token's steps up to its root, exact up to ``2 ** _JUMPS`` (>= :data:`MAX_DEPTH`).

    Pointer jumping: ``up[i]`` is first the head, ``depth[i]`` the steps to it
    (0 at a root, which is its own head); each round adds the depth of the token
    ``up`` points to and moves ``up`` to that token's ``up``, doubling how far it
    reaches. A chain that never reaches a root (a cycle) comes out at least
    ``2 ** _JUMPS`` deep, so capped at :data:`MAX_DEPTH` like a very deep one.
    Seven rounds of three array operations over the whole document cost less
    than walking the head chains of a few sentences in Python.
    """
    import numpy as np

    up = heads
    depth: np.ndarray[Any, Any] = (up != np.arange(len(up))).astype(np.int64)
    for _ in range(_JUMPS):
        depth = depth + depth[up]
        up = up[up]
    return depth


@hookimpl
def register_analyzers(register: Any) -> None:
    register(ReadabilityAnalyzer)


from copydesk_readability.render import register_renderers  # noqa: E402, F401 - the HTML view hook


@hookimpl
def register_aggregations(register: RegisterAggregation) -> None:
    # A small module of SQL strings: cheap to import, DuckDB is not imported here.
    from copydesk_readability.aggregations import register as register_own

    register_own(register)
