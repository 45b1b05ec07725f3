"""What the parse says about a word, shared by every extractor: subjects, passives, agents, places and names.

Each extractor asks the same questions of spaCy's dependency parse ("who is
the subject of this verb?", "is this a place?"); they are answered here once.
The answers differ only where the question does: ``subject`` says which
dependencies count as a subject and whether a verb without one takes the
subject of the verb it hangs from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span, Token

__all__ = [
    "ACTOR_LABELS",
    "BODY_LABELS",
    "NAMED_LABELS",
    "PLACE_LABELS",
    "agent",
    "entity_text",
    "is_passive",
    "is_place",
    "sentences",
    "subject",
    "through",
]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})  # who can do something
BODY_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})  # who can speak, besides people
NAMED_LABELS = ACTOR_LABELS | PLACE_LABELS

NOMINAL_SUBJECTS = frozenset({"nsubj", "nsubjpass"})

Climb = Callable[[Token], "Token | None"]


def through(deps: Iterable[str], verbal_heads: bool = False) -> Climb:
    """A step from a word to the verb it hangs from by one of ``deps`` (only a verb or auxiliary with
    ``verbal_heads``): "said he would stay and fight" climbs from fight (conj) to stay."""
    deps = frozenset(deps)

    def climb(token: Token) -> Token | None:
        head = token.head
        if token.dep_ not in deps or head is token or verbal_heads and head.pos_ not in {"VERB", "AUX"}:
            return None
        return head

    return climb


def subject(
    verb: Token,
    deps: frozenset[str] = NOMINAL_SUBJECTS,
    climb: Climb | None = None,
    steps: int = 1,
    inherited_deps: frozenset[str] | None = None,
) -> Token | None:
    """The subject of ``verb``: its first child with one of ``deps``.

    With ``climb`` (see ``through``), a verb without one takes the subject of
    the word the climb leads to, at most ``steps`` times; ``inherited_deps``
    is what counts as a subject there (``deps`` by default).
    """
    token, wanted = verb, deps
    for step in range(steps + 1):
        for child in token.children:
            if child.dep_ in wanted:
                return child
        following = climb(token) if climb is not None and step < steps else None
        if following is None:
            return None
        token, wanted = following, inherited_deps if inherited_deps is not None else deps
    return None


def is_passive(verb: Token) -> bool:
    """ "were killed", "was shelled": a passive subject or auxiliary."""
    return any(child.dep_ in {"nsubjpass", "auxpass"} for child in verb.children)


def agent(verb: Token) -> Token | None:
    """The noun of a passive verb's "by" phrase: "was shelled by Russian forces" -> forces."""
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def is_place(token: Token, preposition: str) -> bool:
    """A named place after ``preposition``; the small model often reads a city ("from Mariupol") as an organisation."""
    if token.ent_type_ in PLACE_LABELS:
        return True
    return (
        token.pos_ == "PROPN"
        and token.ent_type_ in {"ORG", ""}
        and preposition in {"in", "into", "from", "near"}
        and not token.is_upper
        and token.is_title
    )


def entity_text(token: Token) -> str:
    """The whole named entity holding ``token``, else the token: "Kyiv" -> "Kyiv", "Kryvyi" -> "Kryvyi Rih"."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent.text
    return token.text


_SENTENCES = "newsledger.sentences"  # doc.user_data key: (start, end) token bounds, which serialise with the doc


def sentences(doc: Doc) -> list[Span]:
    """The doc's sentences, as ``doc.sents`` gives them, found once per doc from the sentence-start array
    (``doc.sents`` walks every token each time it is asked) and shared by every extractor."""
    bounds = doc.user_data.get(_SENTENCES)
    if bounds is None:
        if not doc.has_annotation("SENT_START"):
            bounds = [(0, len(doc))] if len(doc) else []
        else:
            starts = [0, *(i for i, flag in enumerate(doc.to_array([SENT_START]).tolist()) if flag == 1 and i > 0), len(doc)]
            bounds = [(a, b) for a, b in zip(starts, starts[1:]) if b > a]
        doc.user_data[_SENTENCES] = bounds
    return [doc[a:b] for a, b in bounds]
