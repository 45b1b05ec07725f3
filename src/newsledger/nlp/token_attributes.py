"""Faster drop-ins for spaCy's ``attribute_ruler`` and rule ``lemmatizer``, with the same output.

In ``en_core_web_sm`` these two components cost about a fifth of the whole
pipeline, although what they compute depends on very little:

- the attribute ruler maps each token's tag (and for some rules its lower
  form and dependency label) to a part of speech, morphology and sometimes a
  lemma. ``spaCy`` runs a ``Matcher`` and then sets the attributes span by
  span in Python. ``TokenAttributes`` answers the single-token rules from a
  cache keyed on the attributes the rules read, runs a ``Matcher`` only for
  the few multi-token rules, and writes the results with one
  ``Doc.from_array`` call.
- the rule lemmatizer's answer depends only on (orth, pos, morph).
  ``CachedLemmas`` keeps that answer per key and writes all lemmas at once;
  a new key asks spaCy's own lemmatizer.

Both take their rules from the spaCy components they replace, so they give
exactly what those give (``tests/test_token_attributes.py`` compares them on
real articles). ``speed_up(nlp)`` swaps them in when a pipeline has these
components in the supported form and leaves any other pipeline as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

__all__ = ["CachedLemmas", "TokenAttributes", "speed_up"]

# What a single-token rule may read, and the array column it reads it from.
_READ = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_WRITE = (POS, MORPH, LEMMA)  # written in one from_array call
_SET_BY_TOKEN = (TAG, DEP)  # rare; written token by token, as spaCy does


def _value_test(value) -> Callable[[object], bool] | None:
    """A test on one attribute's value (a string, or a bool for IS_SPACE), or None if unsupported."""
    if isinstance(value, (str, bool)):
        return lambda seen: seen == value
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN":
            allowed = frozenset(arg)
            return lambda seen: seen in allowed
        if op == "NOT_IN":
            refused = frozenset(arg)
            return lambda seen: seen not in refused
        if op == "REGEX":
            pattern = re.compile(arg)
            return lambda seen: isinstance(seen, str) and pattern.search(seen) is not None
    return None


def _token_test(token_pattern: dict) -> Callable[[tuple], bool] | None:
    """The test of a one-token pattern on (tag, lower, dep, is_space), or None if unsupported."""
    tests = []
    for key, value in token_pattern.items():
        if key not in _READ:
            return None
        test = _value_test(value)
        if test is None:
            return None
        tests.append((_READ[key], test))
    return lambda seen: all(test(seen[column]) for column, test in tests)


def _literal_tag(token_pattern: dict) -> str | None:
    tag = token_pattern.get("TAG")
    return tag if isinstance(tag, str) else None


class TokenAttributes:
    """Does what the given ``AttributeRuler`` does, faster; built from its rules."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.vocab = ruler.vocab
        strings = self.vocab.strings
        self.attrs = list(ruler.attrs)  # rule index -> {attr id: value}, later rules win
        # single-token rules that do not read the word, by the tag they require (None: any tag); those that
        # do, by the word they require (or, for a pattern on the word, tested per word)
        self.single: dict[str | None, list[tuple[int, Callable[[tuple], bool]]]] = {}
        self.by_word: dict[str, list[tuple[int, Callable[[tuple], bool]]]] = {}
        self.word_patterns: list[tuple[Callable[[str], bool], int, Callable[[tuple], bool]]] = []
        self.matcher = Matcher(self.vocab)
        self.indices: dict[int, int] = {}
        # multi-token rules whose every token the same tests can read: (rule, index, token tests)
        self.sequences: list[tuple[int, int, list[Callable[[tuple], bool]]]] = []
        for rule, pattern in enumerate(ruler.patterns):
            alternatives = pattern["patterns"]
            single = pattern["index"] == 0 and all(len(p) == 1 for p in alternatives)
            tests = [_token_test(p[0]) for p in alternatives] if single else []
            if single and all(tests):
                for token_pattern, test in zip((p[0] for p in alternatives), tests):
                    self._add_single(rule, token_pattern, test)
                continue
            sequences = [[_token_test(token) for token in p] for p in alternatives]
            if all(all(sequence) for sequence in sequences):
                self.sequences.extend((rule, pattern["index"], sequence) for sequence in sequences)
            else:
                self.matcher.add(str(rule), alternatives)
                self.indices[rule] = pattern["index"]
        self._starts_by_key: dict[tuple, tuple[int, ...]] = {}  # key -> the sequences its token can open
        self._by_word_seen: dict[str, list[tuple[int, Callable[[tuple], bool]]]] = {}
        self._general_rules: dict[tuple[int, int, int], set[int]] = {}
        self._plans: dict[tuple[int, ...], int] = {}  # rules -> row of the two tables below
        self._mask_rows: list[list[bool]] = []  # which of _WRITE each set of rules writes
        self._value_rows: list[list[int]] = []  # and the values
        self._sets_tokens: set[int] = set()  # the sets that also set a tag or dependency, token by token
        self._masks = numpy.zeros((0, len(_WRITE)), dtype=bool)
        self._values = numpy.zeros((0, len(_WRITE)), dtype=numpy.uint64)
        self._rules_by_key: dict[tuple, tuple[int, ...]] = {}
        self._writes_of: dict[tuple[int, ...], tuple[dict[int, int], dict[str, int]]] = {}
        self._match_rule = {strings.add(str(rule)): rule for rule in self.indices}

    def _add_single(self, rule: int, token_pattern: dict, test: Callable[[tuple], bool]) -> None:
        word = token_pattern.get("LOWER")
        if word is None:
            self.single.setdefault(_literal_tag(token_pattern), []).append((rule, test))
        elif isinstance(word, str):
            self.by_word.setdefault(word, []).append((rule, test))
        elif isinstance(word, dict) and "IN" in word:
            for one in word["IN"]:
                self.by_word.setdefault(one, []).append((rule, test))
        else:
            self.word_patterns.append((_value_test(word), rule, test))

    def _word_rules(self, word: str) -> list[tuple[int, Callable[[tuple], bool]]]:
        """The rules reading the word that may hold for ``word`` (cached per word)."""
        found = self._by_word_seen.get(word)
        if found is None:
            found = self.by_word.get(word, []) + [(rule, test) for matches, rule, test in self.word_patterns if matches(word)]
            self._by_word_seen[word] = found
        return found

    def _seen(self, key: tuple[int, ...]) -> tuple:
        strings = self.vocab.strings
        return strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3])

    def _rules_for(self, key: tuple[int, ...]) -> tuple[int, ...]:
        rules = self._rules_by_key.get(key)
        if rules is None:
            seen = self._seen(key)
            without_word = (key[0], key[2], key[3])  # what the rules that do not read the word depend on
            general = self._general_rules.get(without_word)
            if general is None:
                candidates = self.single.get(seen[0], []) + self.single.get(None, [])
                general = self._general_rules[without_word] = {rule for rule, test in candidates if test(seen)}
            rules = tuple(sorted(general | {rule for rule, test in self._word_rules(seen[1]) if test(seen)}))
            self._rules_by_key[key] = rules
            self._starts_by_key[key] = tuple(n for n, (_, _, tests) in enumerate(self.sequences) if tests[0](seen))
        return rules

    def _sequence_matches(self, keys: list[tuple]) -> list[tuple[int, int]]:
        """(rule, position) for every multi-token rule matching at a token: what spaCy's Matcher finds for them."""
        found = []
        for start, key in enumerate(keys):
            for n in self._starts_by_key[key]:
                rule, index, tests = self.sequences[n]
                end = start + len(tests)
                if end <= len(keys) and all(test(self._seen(keys[start + k])) for k, test in enumerate(tests[1:], 1)):
                    found.append((rule, start + index))
        return found

    def _writes(self, rules: tuple[int, ...]) -> tuple[dict[int, int], dict[str, int]]:
        """What ``rules`` set, applied in order (a later rule wins): array column -> value, token attribute -> value."""
        writes = self._writes_of.get(rules)
        if writes is None:
            columns: dict[int, int] = {}
            token_attrs: dict[str, int] = {}
            for rule in rules:
                for attr, value in self.attrs[rule].items():
                    if attr in _SET_BY_TOKEN:
                        token_attrs["tag" if attr == TAG else "dep"] = value
                    else:
                        columns[_WRITE.index(attr)] = value
            writes = self._writes_of[rules] = (columns, token_attrs)
        return writes

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        keys = list(map(tuple, doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()))
        rules_at = [self._rules_for(key) for key in keys]
        for rule, position in self._sequence_matches(keys):
            rules_at[position] = tuple(sorted({*rules_at[position], rule}))
        if self.indices:
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                rule = self._match_rule[match_id]
                position = range(start, end)[self.indices[rule]]
                rules_at[position] = tuple(sorted({*rules_at[position], rule}))
        # each distinct set of rules writes the same columns: gather them per set, write all tokens at once
        plan_of = [self._plan_index(rules) for rules in rules_at]
        if len(self._masks) != len(self._mask_rows):
            self._masks, self._values = numpy.array(self._mask_rows), numpy.array(self._value_rows, dtype=numpy.uint64)
        plans = numpy.array(plan_of)
        written = numpy.where(self._masks[plans], self._values[plans], doc.to_array(list(_WRITE)))
        for i, plan in enumerate(plan_of):
            if plan in self._sets_tokens:
                for name, value in self._writes(rules_at[i])[1].items():
                    setattr(doc[i], name, value)
        doc.from_array(list(_WRITE), written)
        return doc

    def _plan_index(self, rules: tuple[int, ...]) -> int:
        """A number for what ``rules`` write, its row in the masks and values of the columns written."""
        index = self._plans.get(rules)
        if index is None:
            columns, token_attrs = self._writes(rules)
            index = self._plans[rules] = len(self._mask_rows)
            self._mask_rows.append([column in columns for column in range(len(_WRITE))])
            self._value_rows.append([columns.get(column, 0) for column in range(len(_WRITE))])
            if token_attrs:
                self._sets_tokens.add(index)
        return index


class CachedLemmas:
    """Does what a rule-mode ``Lemmatizer`` does, remembering each (orth, pos, morph) answer."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self._lemma_of: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if not self.lemmatizer._validated:
            self.lemmatizer._validate_tables()
        keep_set = not self.lemmatizer.overwrite
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemma and keep_set:
                lemmas.append(lemma)
                continue
            key = (orth, pos, morph)
            found = self._lemma_of.get(key)
            if found is None:
                found = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                self._lemma_of[key] = found
            lemmas.append(found)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64).reshape(-1, 1))
        return doc


def _replaceable(nlp: Language, name: str, kind: type) -> bool:
    return name in nlp.pipe_names and isinstance(nlp.get_pipe(name), kind)


def speed_up(nlp: Language) -> Language:
    """Swap the pipeline's ``attribute_ruler`` and rule ``lemmatizer`` for the faster equivalents.

    Each is left in place when it is missing or not in the form the
    replacement reproduces (a ruler setting other attributes, a lookup
    lemmatizer).
    """
    if _replaceable(nlp, "attribute_ruler", AttributeRuler):
        written = set().union(*nlp.get_pipe("attribute_ruler").attrs)
        if written <= {*_WRITE, *_SET_BY_TOKEN}:
            nlp.add_pipe("newsledger_token_attributes", before="attribute_ruler")
            nlp.remove_pipe("attribute_ruler")
    if _replaceable(nlp, "lemmatizer", Lemmatizer) and nlp.get_pipe("lemmatizer").mode == "rule":
        nlp.add_pipe("newsledger_lemmas", before="lemmatizer")
        nlp.remove_pipe("lemmatizer")
    return nlp
