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
        # single-token rules by the tag they require (None: any tag), in rule order
        self.single: dict[str | None, list[tuple[int, Callable[[tuple], bool]]]] = {}
        self.matcher = Matcher(self.vocab)
        self.indices: dict[int, int] = {}
        for rule, pattern in enumerate(ruler.patterns):
            alternatives = pattern["patterns"]
            single = pattern["index"] == 0 and all(len(p) == 1 for p in alternatives)
            tests = [_token_test(p[0]) for p in alternatives] if single else []
            if single and all(tests):
                for token_pattern, test in zip((p[0] for p in alternatives), tests):
                    self.single.setdefault(_literal_tag(token_pattern), []).append((rule, test))
            else:
                self.matcher.add(str(rule), alternatives)
                self.indices[rule] = pattern["index"]
        self._rules_by_key: dict[tuple, tuple[int, ...]] = {}
        self._writes_of: dict[tuple[int, ...], tuple[dict[int, int], dict[str, int]]] = {}
        self._match_rule = {strings.add(str(rule)): rule for rule in self.indices}

    def _rules_for(self, key: tuple[int, ...]) -> tuple[int, ...]:
        rules = self._rules_by_key.get(key)
        if rules is None:
            strings = self.vocab.strings
            seen = (strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3]))
            candidates = self.single.get(seen[0], []) + self.single.get(None, [])
            rules = tuple(sorted({rule for rule, test in candidates if test(seen)}))
            self._rules_by_key[key] = rules
        return rules

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
        read = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        rules_at = [self._rules_for(tuple(row)) for row in read]
        if self.indices:
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                rule = self._match_rule[match_id]
                position = range(start, end)[self.indices[rule]]
                rules_at[position] = tuple(sorted({*rules_at[position], rule}))
        written = doc.to_array(list(_WRITE))
        for i, rules in enumerate(rules_at):
            columns, token_attrs = self._writes(rules)
            for column, value in columns.items():
                written[i, column] = value
            for name, value in token_attrs.items():
                setattr(doc[i], name, value)
        doc.from_array(list(_WRITE), written)
        return doc


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
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3:4].copy()
        keep_set = not self.lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and keep_set:
                continue
            key = (orth, pos, morph)
            found = self._lemma_of.get(key)
            if found is None:
                found = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                self._lemma_of[key] = found
            lemmas[i, 0] = found
        doc.from_array([LEMMA], lemmas)
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
