"""Table-driven stand-ins for spaCy's ``attribute_ruler`` and rule ``lemmatizer``.

Why: in en_core_web_sm these two components set every token's coarse
part of speech, morphology and lemma, and on news text they cost about a
quarter of the whole pipeline (``benchmarks/pipeline_cost.py``) although they
only look things up. The attribute ruler runs a ``Matcher`` with ~180 patterns
over every token; the lemmatizer visits every token in Python. Both are pure
functions of a few token attributes, so the same answers can be looked up once
per distinct token and written back with one ``Doc.from_array`` call:

* the attribute ruler's patterns (a token's ``LOWER``, ``TAG``, ``DEP``... with
  ``IN``, ``NOT_IN``, ``REGEX``; fixed length, no operators) are evaluated once
  per distinct combination of the attributes they read, and the attributes of
  the matching rules are merged in the ruler's own precedence (later rules win);
* the rule lemmatizer's answer depends only on (orth, pos, morph), its own
  cache key, so each distinct triple is lemmatized once by the lemmatizer
  itself.

The output is the original components' output, token for token (checked on
PolNeAR by ``benchmarks/fast_components_check.py``). Anything these tables
cannot express (an operator, another pattern key, a lemmatizer in another
mode) keeps the original component: :func:`accelerate` only swaps what it can
reproduce exactly. The originals stay in the pipeline, disabled, under
``spacy_attribute_ruler`` / ``spacy_lemmatizer``, and the stand-ins call them
for what they do not cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens._retokenize import set_token_attrs

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Pattern keys the tables can read, as Doc.to_array columns; string-valued
# ones are compared as strings, IS_SPACE as a flag.
_STRING_KEYS = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER, "NORM": NORM, "TAG": TAG, "DEP": DEP}
_FLAG_KEYS = {"IS_SPACE": IS_SPACE}
_VECTOR_ATTRS = (POS, MORPH, LEMMA)  # written with from_array; others token by token

Predicate = Callable[[Any], bool]


def _value_test(value: Any) -> tuple[Predicate, frozenset[Any] | None] | None:
    """A test of one attribute's value as the Matcher applies it, and the values it
    accepts when they are a known set (for indexing); None: unsupported."""
    if isinstance(value, str | bool | int):
        return (lambda v: v == value), frozenset([value])
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), *_ = value.items()
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return (lambda v: v in allowed), allowed
        if op == "NOT_IN" and isinstance(arg, list):
            refused = frozenset(arg)
            return (lambda v: v not in refused), None
        if op == "REGEX" and isinstance(arg, str):
            search = re.compile(arg).search
            return (lambda v: isinstance(v, str) and search(v) is not None), None
    return None


class _Test:
    """One attribute test of one token position: its column, the test, and the values
    it accepts when they are a known set (equality, ``IN``), for indexing."""

    __slots__ = ("accepts", "column", "passes")

    def __init__(self, column: int, passes: Predicate, accepts: frozenset[Any] | None) -> None:
        self.column = column
        self.passes = passes
        self.accepts = accepts


class _Rule:
    """One attribute-ruler pattern: the tests of each position, the target, the attrs."""

    __slots__ = ("attrs", "index", "number", "rule_id", "tests")

    def __init__(
        self, rule_id: int, tests: list[list[_Test]], index: int, attrs: dict[int, Any]
    ) -> None:
        self.rule_id = rule_id  # the ruler's order: a later rule's attrs win
        self.number = -1  # this pattern's own number among all the ruler's patterns
        self.tests = tests
        self.index = index if index >= 0 else len(tests) + index
        self.attrs = attrs


def compile_rules(ruler: AttributeRuler) -> tuple[list[_Rule], list[str]] | None:
    """The ruler's patterns as :class:`_Rule` objects and the keys they read, or None."""
    rules: list[_Rule] = []
    keys: list[str] = []
    for rule_id, spec in enumerate(ruler.patterns):
        attrs = ruler.attrs[rule_id]
        if not isinstance(attrs, dict) or "_" in attrs:
            return None
        patterns: Any = spec["patterns"]
        for pattern in patterns:
            if not isinstance(pattern, list) or not pattern:
                return None
            tests: list[list[_Test]] = []
            for token_spec in pattern:
                if not isinstance(token_spec, dict) or "OP" in token_spec:
                    return None
                token_tests: list[_Test] = []
                for key, value in token_spec.items():
                    if key not in _STRING_KEYS and key not in _FLAG_KEYS:
                        return None
                    compiled = _value_test(value)
                    if compiled is None:
                        return None
                    if key not in keys:
                        keys.append(key)
                    token_tests.append(_Test(keys.index(key), *compiled))
                tests.append(token_tests)
            index: Any = spec.get("index", 0)
            if not isinstance(index, int):
                return None
            if not -len(tests) <= index < len(tests):
                return None
            rules.append(_Rule(rule_id, tests, index, dict(attrs)))
    for number, rule in enumerate(rules):
        rule.number = number
    return rules, keys


class _Entry:
    """The attributes the ruler sets on one kind of token, split for writing."""

    __slots__ = ("mask", "multi", "rest", "rules", "values")

    def __init__(
        self,
        merged: dict[int, Any],
        multi: frozenset[tuple[int, int]],
        rules: tuple[_Rule, ...] = (),
    ) -> None:
        self.multi = multi
        self.rules = rules  # the multi-token rules merged in (for a second one on the token)
        self.mask = tuple(a in merged for a in _VECTOR_ATTRS)
        self.values = tuple(int(merged.get(a, 0)) for a in _VECTOR_ATTRS)
        self.rest = {a: v for a, v in merged.items() if a not in _VECTOR_ATTRS}


def _merge(rules: list[_Rule]) -> dict[int, Any]:
    """The attributes of ``rules`` applied in the ruler's order: later rules win."""
    merged: dict[int, Any] = {}
    for rule in sorted(set(rules), key=lambda r: r.rule_id):
        merged.update(rule.attrs)
    return merged


class FastAttributeRuler:
    """The attribute ruler's output from per-token-key tables (see the module docstring)."""

    def __init__(self, original: AttributeRuler, rules: list[_Rule], keys: list[str]) -> None:
        self.original = original
        self.rules = rules
        self.columns = [_STRING_KEYS.get(k) or _FLAG_KEYS[k] for k in keys]
        self.flags = [k in _FLAG_KEYS for k in keys]
        self.multi = {r.number: r for r in rules if len(r.tests) > 1}
        # Every (pattern, position) pair is one bit. A token's pairs are the AND,
        # over the columns, of the pairs whose tests on that column pass for its
        # value there; each column's part is cached by that one value, which
        # repeats far more often than whole token keys do.
        self._pairs = [(r, position) for r in rules for position in range(len(r.tests))]
        self._every = (1 << len(self._pairs)) - 1
        width = len(self.columns)
        self._untested = [self._every] * width  # pairs with no test on the column
        self._indexed: list[dict[Any, int]] = [{} for _ in range(width)]
        self._evaluated: list[list[tuple[int, list[_Test]]]] = [[] for _ in range(width)]
        for bit, (rule, position) in enumerate(self._pairs):
            for column in range(width):
                on_column = [t for t in rule.tests[position] if t.column == column]
                if not on_column:
                    continue
                self._untested[column] &= ~(1 << bit)
                accepted = [t.accepts for t in on_column]
                if all(a is not None for a in accepted):
                    for value in frozenset.intersection(*accepted):  # type: ignore[arg-type]
                        index = self._indexed[column]
                        index[value] = index.get(value, 0) | 1 << bit
                else:
                    self._evaluated[column].append((bit, on_column))
        self._column_masks: list[dict[int, int]] = [{} for _ in range(width)]
        self._by_mask: dict[int, _Entry] = {}
        self._cache: dict[tuple[int, ...], _Entry] = {}  # token key (raw values) -> entry

    def _column_mask(self, column: int, raw: int, strings: Any) -> int:
        masks = self._column_masks[column]
        found = masks.get(raw)
        if found is None:
            value = bool(raw) if self.flags[column] else (strings[raw] if raw else "")
            found = self._untested[column] | self._indexed[column].get(value, 0)
            for bit, tests in self._evaluated[column]:
                if all(t.passes(value) for t in tests):
                    found |= 1 << bit
            masks[raw] = found
        return found

    def _mask(self, key: tuple[int, ...], strings: Any) -> int:
        mask = self._every
        for column, raw in enumerate(key):
            mask &= self._column_mask(column, raw, strings)
        return mask

    def _split(self, mask: int) -> tuple[list[_Rule], frozenset[tuple[int, int]]]:
        """The single-token patterns in ``mask``, and its (pattern, position) multi pairs."""
        single: list[_Rule] = []
        multi: set[tuple[int, int]] = set()
        for bit, (rule, position) in enumerate(self._pairs):
            if mask >> bit & 1:
                if len(rule.tests) == 1:
                    single.append(rule)
                else:
                    multi.add((rule.number, position))
        return single, frozenset(multi)

    def _entry(self, key: tuple[int, ...], strings: Any) -> _Entry:
        """What the rules say about a token with these column values (cached)."""
        found = self._cache.get(key)
        if found is None:
            mask = self._mask(key, strings)
            found = self._by_mask.get(mask)
            if found is None:
                single, multi = self._split(mask)
                found = self._by_mask[mask] = _Entry(_merge(single), multi)
            self._cache[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        import numpy as np

        n = len(doc)
        if n == 0:
            return doc
        strings = doc.vocab.strings
        rows: list[list[int]] = doc.to_array(self.columns).reshape(n, len(self.columns)).tolist()  # type: ignore[assignment]
        entries = [self._entry(tuple(row), strings) for row in rows]
        final: dict[int, _Entry] = {}  # tokens a multi-token rule also targets
        for i in [i for i, e in enumerate(entries) if e.multi]:
            for number, position in entries[i].multi:
                rule = self.multi[number]
                start = i - position
                if position != 0 or start + len(rule.tests) > n:
                    continue
                if all((number, j) in entries[start + j].multi for j in range(len(rule.tests))):
                    target = start + rule.index
                    single, _ = self._split(self._mask(tuple(rows[target]), strings))
                    earlier = final.get(target)
                    extra = [*(earlier.rules if earlier else ()), rule]
                    final[target] = _Entry(_merge([*single, *extra]), frozenset(), tuple(extra))
        for i, entry in final.items():
            entries[i] = entry
        current = doc.to_array(list(_VECTOR_ATTRS))
        mask = np.array([e.mask for e in entries], dtype=bool)
        if mask.any():
            values = np.array([e.values for e in entries], dtype=np.uint64)
            doc.from_array(list(_VECTOR_ATTRS), np.where(mask, values, current))  # type: ignore[arg-type]
        for i, entry in enumerate(entries):
            if entry.rest:
                set_token_attrs(doc[i], entry.rest)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        del batch_size
        for doc in stream:
            yield self(doc)


class _SetIndexedLookups:
    """A lemmatizer's lookups with each part of speech's word index as a set.

    spaCy keeps ``lemma_index`` as lists (57,000 nouns) and asks ``form in
    index`` for every suffix rule of every uncached word: a linear scan. Set
    membership answers the same question.
    """

    def __init__(self, lookups: Any) -> None:
        from spacy.lookups import Table

        self._lookups = lookups
        self._index = Table(name="lemma_index")
        if lookups.has_table("lemma_index"):
            for key, words in lookups.get_table("lemma_index").items():
                self._index[key] = frozenset(words)

    def get_table(self, name: str, default: Any = None) -> Any:
        if name == "lemma_index" and self._lookups.has_table(name):
            return self._index
        return self._lookups.get_table(name, default)


class _RuleLemmatizerView:
    """What ``Lemmatizer.rule_lemmatize`` reads from ``self``, with set-indexed lookups."""

    def __init__(self, original: Lemmatizer) -> None:
        self.cache: dict[Any, list[str]] = {}
        self.lookups = _SetIndexedLookups(original.lookups)
        self.is_base_form = original.is_base_form


class FastLemmatizer:
    """A rule lemmatizer's output, one lemmatization per distinct (orth, pos, morph)."""

    def __init__(self, original: Lemmatizer) -> None:
        self.original = original
        self._view = _RuleLemmatizerView(original)
        self._cache: dict[tuple[int, int, int], int] = {}

    def _lemmatize(self, token: Any) -> str:
        # spaCy's own rule code, run against the set-indexed tables.
        lemmas: list[str] = Lemmatizer.rule_lemmatize(self._view, token)  # type: ignore[arg-type]
        return lemmas[0]

    def __call__(self, doc: Doc) -> Doc:
        import numpy as np

        n = len(doc)
        if n == 0:
            return doc
        original = self.original
        if not original._validated:  # as Lemmatizer.__call__ does
            original._validate_tables()
        strings = doc.vocab.strings
        columns = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = columns[:, 3].tolist()
        cache = self._cache
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(columns.tolist()):
            if lemma:  # set by the attribute ruler (overwrite is off)
                continue
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                found = cache[key] = strings.add(self._lemmatize(doc[i]))
            lemmas[i] = found
            changed = True
        if changed:
            doc.from_array([LEMMA], np.asarray(lemmas, dtype=np.uint64))  # type: ignore[arg-type]
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        del batch_size
        for doc in stream:
            yield self(doc)


@Language.factory("copydesk_fast_attribute_ruler", default_config={"source": ""})
def make_fast_attribute_ruler(nlp: Language, name: str, source: str) -> FastAttributeRuler:
    """The stand-in for the attribute ruler kept (disabled) under ``source``."""
    del name
    original = nlp.get_pipe(source)
    assert isinstance(original, AttributeRuler)
    compiled = compile_rules(original)
    assert compiled is not None
    return FastAttributeRuler(original, *compiled)


@Language.factory("copydesk_fast_lemmatizer", default_config={"source": ""})
def make_fast_lemmatizer(nlp: Language, name: str, source: str) -> FastLemmatizer:
    """The stand-in for the rule lemmatizer kept (disabled) under ``source``."""
    del name
    original = nlp.get_pipe(source)
    assert isinstance(original, Lemmatizer)
    return FastLemmatizer(original)


def _lemmatizer_is_rule_based(component: object) -> bool:
    """A spaCy Lemmatizer whose lemma is a function of (orth, pos, morph) alone."""
    return (
        isinstance(component, Lemmatizer)
        and component.mode == "rule"
        and type(component).rule_lemmatize is Lemmatizer.rule_lemmatize
        and component.lemmatize == component.rule_lemmatize
        and not component.overwrite
    )


def accelerate(nlp: Language) -> list[str]:
    """Swap the attribute ruler and the rule lemmatizer for their table-driven stand-ins.

    Returns the names of the components swapped (none when a component's
    patterns or mode are beyond the tables: it then runs as it is).
    """
    swapped: list[str] = []
    for name, factory, fits in (
        (
            "attribute_ruler",
            "copydesk_fast_attribute_ruler",
            lambda c: type(c) is AttributeRuler and compile_rules(c) is not None,
        ),
        ("lemmatizer", "copydesk_fast_lemmatizer", _lemmatizer_is_rule_based),
    ):
        if name not in nlp.pipe_names or not fits(nlp.get_pipe(name)):
            continue
        source = f"spacy_{name}"
        nlp.rename_pipe(name, source)
        nlp.add_pipe(factory, name=name, before=source, config={"source": source})
        nlp.disable_pipe(source)
        swapped.append(name)
    return swapped
