"""Named entities inside one article, each mention with the canonical name it refers to.

``find_entities`` reads spaCy's ``doc.ents`` (it never changes them) and
gives every person, organisation, government, place and group mention a
canonical name shared by all mentions of the same thing in the article:

- titles, a leading "the" and a possessive 's are dropped
  ("President Vladimir Putin's" -> "Vladimir Putin");
- a curated alias table (``data/entity_aliases.json``, read by ``newsledger.aliases``) joins spelling
  variants of the conflict's main actors (Zelenskyy/Zelenskiy -> Volodymyr
  Zelensky, Kiev -> Kyiv) and corrects spaCy's label for names it knows;
- a surname joins the full name it belongs to ("Lavrov" -> "Sergei Lavrov");
- near spellings inside the article are joined with rapidfuzz.

A GPE acting as a subject ("Russia said", "Moscow's demands") is labelled
``government``; elsewhere it is a ``place``.
"""

from __future__ import annotations

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span

from newsledger.aliases import Lexicon, clean_name, key, load_lexicon, strip_titles
from newsledger.models import Entity

__all__ = ["EntityResolver", "Lexicon", "find_entities", "load_lexicon"]

# Near spellings of names this long or longer are joined (Zelenskyy/Zelensky);
# shorter names differ by one letter too often (Iran/Iraq).
FUZZY_MIN_LENGTH = 5
FUZZY_MIN_RATIO = 90.0

_ACTOR_DEPS = {"nsubj", "nsubjpass"}


def _acts(span: Span, lexicon: Lexicon) -> bool:
    """Whether a place name is used as an actor: a subject, an agent or a possessor of an act."""
    token = span.root
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    if token.dep_ in _ACTOR_DEPS:
        return True
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        return True
    if token.dep_ == "poss":
        head = token.head
        return head.lemma_.lower() in lexicon.actor_heads or head.text.lower() in lexicon.actor_heads
    return False


def _base_mention(span: Span, lexicon: Lexicon) -> tuple[str, str, bool] | None:
    """(name, label, known) for one spaCy entity, before names are joined across the article."""
    spacy_label = lexicon.spacy_labels.get(span.label_)
    if spacy_label is None:
        return None
    name = clean_name(span.text)
    # A name starts with a capital or a digit; "n’t" or "china" is a tagging slip.
    if not name or not (name[0].isupper() or name[0].isdigit()) or not any(ch.isalpha() for ch in name):
        return None
    known = lexicon.aliases.get(key(name))
    if known is None and spacy_label == "person":
        known = lexicon.aliases.get(key(strip_titles(name, lexicon)))
    if known is not None:
        canonical, label, is_gpe = known
        if label == "place" and is_gpe and _acts(span, lexicon):
            label = "government"
        return canonical, label, True
    if spacy_label == "person":
        name = strip_titles(name, lexicon)
    if spacy_label == "place" and len(span) == 1 and span.root.pos_ == "ADJ":
        return name, "group", False  # "Ukrainian" tagged as a place is a nationality
    if span.label_ == "GPE" and _acts(span, lexicon):
        return name, "government", False
    return name, spacy_label, False


def _join_surnames(names: list[str]) -> dict[str, str]:
    """Map a shorter person name to the one full name ending with it ("Lavrov" -> "Sergei Lavrov")."""
    full = [n for n in dict.fromkeys(names) if len(n.split()) > 1]
    joined: dict[str, str] = {}
    for name in dict.fromkeys(names):
        words = name.split()
        if len(words) != 1:
            continue
        candidates = [f for f in full if f.split()[-1].lower() == name.lower()]
        if not candidates:
            candidates = [
                f
                for f in full
                if len(name) >= FUZZY_MIN_LENGTH and fuzz.ratio(f.split()[-1].lower(), name.lower()) >= FUZZY_MIN_RATIO
            ]
        if len(set(candidates)) == 1:
            joined[name] = candidates[0]
    return joined


def _join_near_spellings(names: list[str]) -> dict[str, str]:
    """Map each name to the first earlier name it is a near spelling of."""
    kept: list[str] = []
    joined: dict[str, str] = {}
    # Mixed-case spellings come first so "RUSSIAN" in a headline joins "Russian".
    for name in sorted(dict.fromkeys(names), key=str.isupper):
        match = next(
            (
                k
                for k in kept
                if min(len(k), len(name)) >= FUZZY_MIN_LENGTH
                and len(k.split()) == len(name.split())
                and fuzz.ratio(k.lower(), name.lower()) >= FUZZY_MIN_RATIO
            ),
            None,
        )
        if match is None:
            kept.append(name)
        else:
            joined[name] = match
    return joined


def _relabel_surnames(mentions: list[tuple[Span, str, str, bool]]) -> list[tuple[Span, str, str, bool]]:
    """A lone word tagged as a body that is the surname of a person in the article is that person ("Trump")."""
    surnames = {
        name.split()[-1]
        for _, name, label, _ in mentions
        if label == "person" and len(name.split()) > 1
    }
    return [
        (span, name, "person", known) if not known and label != "person" and name in surnames else (span, name, label, known)
        for span, name, label, known in mentions
    ]


_GROUPS = {"person": "person", "organisation": "body", "government": "body", "place": "body", "group": "group"}


def find_entities(doc: Doc, lexicon: Lexicon | None = None) -> list[Entity]:
    """One ``Entity`` per named mention in ``doc.ents``, with in-article canonical names."""
    lexicon = lexicon or load_lexicon()
    mentions: list[tuple[Span, str, str, bool]] = []
    for span in doc.ents:
        base = _base_mention(span, lexicon)
        if base is not None:
            mentions.append((span, *base))
    mentions = _relabel_surnames(mentions)

    # Names the alias table did not settle are joined to each other, persons
    # with persons and bodies with bodies (a GPE is a place or a government).
    canonical_of: dict[tuple[str, str], str] = {}
    for group in set(_GROUPS.values()):
        names = [name for _, name, label, known in mentions if not known and _GROUPS[label] == group]
        if not names:
            continue
        if group == "person":
            known_people = [name for _, name, label, known in mentions if known and label == "person"]
            surnames = _join_surnames(names + known_people)
            names = [surnames.get(n, n) for n in names]
        else:
            surnames = {}
        near = _join_near_spellings(names)
        for _, name, label, known in mentions:
            if known or _GROUPS[label] != group:
                continue
            joined = surnames.get(name, name)
            canonical_of[(name, group)] = near.get(joined, joined)

    entities = []
    for span, name, label, known in mentions:
        canonical = name if known else canonical_of.get((name, _GROUPS[label]), name)
        entities.append(Entity(start=span.start_char, end=span.end_char, text=span.text, label=label, canonical=canonical))
    return entities


class EntityResolver:
    """spaCy component: writes ``find_entities`` to ``doc._.entities``."""

    def __init__(self) -> None:
        self.lexicon = load_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        doc._.entities = find_entities(doc, self.lexicon)
        return doc
