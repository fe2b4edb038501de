"""How many news sentences would need the dependency parse if analyzers asked only for theirs.

Issue 16 asks whether the parse can be limited to the sentences an analyzer
needs it for: sourcing to sentences with a quotation mark or a cue word,
hedging to sentences with a lexicon word. This counts, on PolNeAR dev, the
share of sentences that hold each trigger (surface forms with crude suffix
stripping, a generous over-estimate of matches is not the point: an upper bound
on what gating could skip is). Prints JSON.

    python benchmarks/parse_share.py [--data ../shared/data/polnear/dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from copydesk.sentences import split_sentences
from copydesk_sourcing import lexicon as sourcing_lexicon

REPO = Path(__file__).resolve().parent.parent
HEDGING_LEXICON = REPO / "plugins" / "copydesk_hedging" / "lexicon.json"
_QUOTE = re.compile('["\u201c\u201d]')
_WORD = re.compile(r"[a-z]+")


def _forms(word: str) -> tuple[str, ...]:
    forms = [word, word.removesuffix("s"), word.removesuffix("d")]
    forms += [word.removesuffix("ed"), word.removesuffix("ing")]
    return tuple(forms)


def _hits(words: list[str], vocabulary: set[str]) -> bool:
    return any(form in vocabulary for word in words for form in _forms(word))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/polnear/dev.jsonl")
    args = parser.parse_args()
    entries = json.loads(HEDGING_LEXICON.read_text(encoding="utf-8"))["entries"]
    hedge_words = {str(e.get("phrase", "")).lower().split()[0] for e in entries if e.get("phrase")}
    cue_words = {w.lower() for w in sourcing_lexicon.CUE_VERBS | sourcing_lexicon.CUE_NOUNS}
    cue_words |= {w.lower() for w in sourcing_lexicon.PREP_CUES}
    counts = {"sentences": 0, "quote": 0, "cue_word": 0, "hedge_word": 0, "any": 0}
    for line in args.data.open(encoding="utf-8"):
        text = json.loads(line)["text"]
        for start, end in split_sentences(text):
            sentence = text[start:end]
            words = _WORD.findall(sentence.lower())
            quote = bool(_QUOTE.search(sentence))
            cue = _hits(words, cue_words)
            hedge = _hits(words, hedge_words)
            counts["sentences"] += 1
            counts["quote"] += quote
            counts["cue_word"] += cue
            counts["hedge_word"] += hedge
            counts["any"] += quote or cue or hedge
    total = counts["sentences"]
    shares = {k: round(v / total, 3) for k, v in counts.items() if k != "sentences"}
    print(json.dumps({"data": str(args.data), "sentences": total, "share": shares}, indent=2))


if __name__ == "__main__":
    main()
