"""A learned event detector: which words of a sentence anchor an event, and of what type.

Every verb and noun of a sentence outside quotation marks is a candidate
anchor. ``anchor_features`` describes it by what the parse says around it (its
lemma, its subject and object, its auxiliaries, what the trigger tables in
``data/event_triggers.json`` make of it); an averaged perceptron, trained by
``training/train_events.py`` on hand-annotated articles, scores each event
type and ``none`` from those features. The weights ship as
``data/event_model.json``.

The model only picks anchors and types. The evidence, date, place and actors
of each event still come from the parse and the timexes (``events``).
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy
from spacy.attrs import ENT_TYPE
from spacy.tokens import Doc, Span, Token

from newsledger.nlp import syntax

__all__ = ["NONE", "DocContext", "EventModel", "anchor_features", "load_event_model", "train"]

NONE = "none"
MODEL_RESOURCE = "event_model.json"
_MODAL_LEMMAS = {"will", "would", "could", "might", "may", "should", "must", "can"}
_ARGUMENT_DEPS = {"dobj", "attr", "dative", "oprd"}
_NAMED_LABELS = syntax.NAMED_LABELS
_QUOTE_MARK = re.compile('["“”]')
_CLOSING_MARKS = ('"', "”")


def _table_of(token: Token, tables: Mapping[str, str]) -> str:
    """What the trigger tables make of a word alone ("plain" when nothing)."""
    return tables.get(token.lemma_.lower(), "plain")


def _entity(token: Token | None) -> str:
    if token is None:
        return "absent"
    if token.pos_ == "PRON":
        return "pron"
    return token.ent_type_ or token.pos_


_OWN_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_GOVERNING = syntax.through({"xcomp", "conj", "advcl"})


def _subject_of(token: Token) -> Token | None:
    return syntax.subject(token, _OWN_SUBJECTS, _GOVERNING, steps=1, inherited_deps=syntax.NOMINAL_SUBJECTS)


@dataclass(frozen=True)
class DocContext:
    """What the earlier components found in a doc, read once per doc for the event model."""

    timex_starts: tuple[int, ...]  # character offsets of the doc's timexes, sorted
    cues: dict[str, tuple[str, bool]]  # "sentence start|cue word" -> (quote kind, speaker named)
    entity_types: numpy.ndarray  # per token, the id of its entity label (0 outside entities)
    marks: tuple[int, ...]  # character offsets of the doc's quotation marks, sorted
    closing: tuple[int, ...]  # character offsets of its closing quotation marks, sorted

    @classmethod
    def of(cls, doc: Doc, sentences: Sequence[Span] | None = None) -> DocContext:
        sentences = syntax.sentences(doc) if sentences is None else sentences
        sentence_chars = [sent.start_char for sent in sentences]
        timexes = sorted(t.start for t in (doc._.timexes or []))
        cues = {}
        for quote in doc._.quotes or []:
            if not quote.cue or not sentences:
                continue
            sent = sentences[max(bisect.bisect_right(sentence_chars, quote.start) - 1, 0)]
            named = bool(quote.speaker) and quote.speaker[:1].isupper()
            for word in quote.cue.lower().split():
                cues[f"{sent.start}|{word}"] = (quote.kind, named)
        text = doc.text
        marks = tuple(m.start() for m in _QUOTE_MARK.finditer(text))
        closing = tuple(at for at in marks if text[at] in _CLOSING_MARKS)
        return cls(tuple(timexes), cues, doc.to_array([ENT_TYPE]).reshape(-1), marks, closing)

    def named_kinds(self, doc: Doc, first: int, last: int) -> list[str]:
        """The named-entity labels among tokens ``first`` to ``last``, sorted."""
        ids = set(self.entity_types[first : last + 1].tolist())
        return sorted(kind for kind in (doc.vocab.strings[i] for i in ids if i) if kind in _NAMED_LABELS)

    @staticmethod
    def any_between(offsets: tuple[int, ...], start: int, end: int) -> bool:
        at = bisect.bisect_left(offsets, start)
        return at < len(offsets) and offsets[at] < end


def anchor_features(
    token: Token,
    sent: Span,
    table_type: str | None,
    tables: Mapping[str, str],
    context: DocContext,
) -> list[str]:
    """The features of one candidate anchor in its sentence. ``table_type`` is what the
    trigger tables make of it, ``tables`` maps trigger lemmas to types, for the words
    around it; ``context`` holds what the doc's other components found (``DocContext.of``)."""
    lemma = token.lemma_.lower()
    head = token.head
    head_lemma = head.lemma_.lower()
    dep = token.dep_
    pos = token.pos_
    children = list(token.children)
    features = [
        "bias",
        f"lemma={lemma}",
        f"pos={pos}",
        f"tag={token.tag_}",
        f"dep={dep}",
        f"lemma_dep={lemma}|{dep}",
        f"head={head_lemma}",
        f"head_dep={head.dep_}",
        f"lemma_head={lemma}|{head_lemma}",
        f"table={table_type}",
        f"table_pos={table_type}|{pos}",
        f"table_dep={table_type}|{dep}",
    ]
    verb = pos in {"VERB", "AUX"}
    if verb:
        subject = _subject_of(token)
        entity = _entity(subject)
        features.append(f"subject={entity}")
        features.append(f"subject_dep={subject.dep_ if subject is not None else 'absent'}")
        if subject is not None:
            features.append(f"subject_lemma={subject.lemma_.lower()}")
            features.append(f"lemma_subject={lemma}|{entity}")
        features.append(f"table_subject={table_type}|{entity}")
    for child in children:
        child_dep = child.dep_
        features.append(f"child={child_dep}")
        if not verb and child_dep in {"poss", "compound", "amod"}:
            features.append(f"{child_dep}={_entity(child)}")
            features.append(f"{child_dep}_lemma={child.lemma_.lower()}")
        if child_dep in _ARGUMENT_DEPS:
            child_lemma = child.lemma_.lower()
            features.append(f"object={child_lemma}")
            features.append(f"lemma_object={lemma}|{child_lemma}")
            features.append(f"object_entity={_entity(child)}")
        elif child_dep == "prep":
            preposition = child.lemma_.lower()
            features.append(f"prep={preposition}")
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                features.append(f"prep_object={preposition}|{pobj.lemma_.lower()}")
                features.append(f"prep_entity={preposition}|{_entity(pobj)}")
        elif child_dep in {"aux", "auxpass"}:
            word = child.lemma_.lower()
            features.append(f"aux={word if word in _MODAL_LEMMAS or word == 'have' else child_dep}")
        elif child_dep == "neg":
            features.append("negated")
        elif child_dep == "prt":
            features.append(f"particle={lemma}|{child.lemma_.lower()}")
        elif child_dep == "ccomp":
            features.append(f"reports={_table_of(child, tables)}")
    if dep == "ccomp":
        features.append(f"reported_by={head_lemma}|{table_type}")
    doc = token.doc
    if verb:
        left, right = token.left_edge, token.right_edge
        features.extend(f"names={kind}" for kind in context.named_kinds(doc, left.i, right.i))
        if context.any_between(context.timex_starts, left.idx, right.idx + len(right)):
            features.append("dated")
    if context.any_between(context.closing, sent.start_char, token.idx):
        features.append("after_quote")
    if context.any_between(context.marks, sent.start_char, sent.end_char):
        features.append("quote_in_sentence")
    features.append(f"before={doc[token.i - 1].lower_ if token.i > sent.start else '<s>'}")
    features.append(f"after={doc[token.i + 1].lower_ if token.i + 1 < sent.end else '</s>'}")
    cue = context.cues.get(f"{sent.start}|{token.lower_}")
    if cue is not None:
        features.append(f"cue_of={cue[0]}|{cue[1]}")
    depth = 0
    walker = token
    while walker.head.i != walker.i and depth < 4:
        walker = walker.head
        depth += 1
    features.append(f"depth={depth}")
    features.append(f"lead={sent.start == 0 or sent.start_char < 300}")
    return features


@dataclass(frozen=True)
class EventModel:
    """Averaged perceptron weights: feature -> {class: weight}."""

    classes: tuple[str, ...]
    weights: dict[str, dict[str, float]]
    offset: float = 0.0  # added to each event type's margin over ``none``: above 0 is an event
    _rows: dict[str, int] = field(init=False, repr=False, compare=False)
    _matrix: numpy.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # the same weights as one feature-by-class matrix, so a candidate is scored in one sum
        column = {label: j for j, label in enumerate(self.classes)}
        matrix = numpy.zeros((len(self.weights) + 1, len(self.classes)))
        rows = {}
        for row, (feature, per_label) in enumerate(self.weights.items(), start=1):
            rows[feature] = row
            for label, weight in per_label.items():
                matrix[row, column[label]] = weight
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_matrix", matrix)

    def _totals(self, features: Iterable[str]) -> numpy.ndarray:
        rows = [self._rows.get(feature, 0) for feature in features]  # row 0 is all zeros
        return self._matrix[rows].sum(axis=0)

    def scores(self, features: Iterable[str]) -> dict[str, float]:
        return dict(zip(self.classes, self._totals(features).tolist()))

    def predict(self, features: Iterable[str]) -> tuple[str, float]:
        """The best event type and its margin over ``none`` plus the offset; ``none``
        when that margin is not above 0."""
        totals = self._totals(features)
        none = self.classes.index(NONE)
        events = totals.copy()
        events[none] = -numpy.inf
        best = int(events.argmax())
        margin = float(totals[best] - totals[none]) + self.offset
        return (self.classes[best] if margin > 0 else NONE), margin

    def to_json(self) -> dict:
        return {
            "classes": list(self.classes),
            "offset": round(self.offset, 4),
            "weights": {f: {c: round(w, 4) for c, w in ws.items() if abs(w) >= 1e-4} for f, ws in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, raw: dict) -> EventModel:
        return cls(tuple(raw["classes"]), {f: dict(ws) for f, ws in raw["weights"].items()}, float(raw.get("offset", 0.0)))


@lru_cache(maxsize=1)
def load_event_model() -> EventModel:
    text = resources.files("newsledger.nlp.data").joinpath(MODEL_RESOURCE).read_text(encoding="utf-8")
    return EventModel.from_json(json.loads(text))


def train(
    examples: Sequence[tuple[list[str], str]],
    classes: Sequence[str],
    epochs: int = 10,
    shuffle: Callable[[list[int]], None] | None = None,
) -> EventModel:
    """Train an averaged perceptron on (features, label) pairs.

    The average is kept the usual lazy way: beside each weight w, u sums each
    update times the step it was made at, and the average after T steps is
    w - u / T."""
    labels = tuple(classes)
    weights: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    stamped: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    step = 0
    order = list(range(len(examples)))
    for _ in range(epochs):
        if shuffle is not None:
            shuffle(order)
        for index in order:
            features, truth = examples[index]
            step += 1
            scores = dict.fromkeys(labels, 0.0)
            for feature in features:
                for label, weight in weights.get(feature, {}).items():
                    scores[label] += weight
            guess = max(labels, key=lambda label: (scores[label], label == NONE))
            if guess == truth:
                continue
            for label, delta in ((truth, 1.0), (guess, -1.0)):
                for feature in features:
                    weights[feature][label] += delta
                    stamped[feature][label] += step * delta
    averaged: dict[str, dict[str, float]] = {}
    for feature, per_label in weights.items():
        kept = {label: weight - stamped[feature][label] / step for label, weight in per_label.items()}
        kept = {label: weight for label, weight in kept.items() if abs(weight) >= 1e-4}
        if kept:
            averaged[feature] = kept
    return EventModel(labels, averaged)
