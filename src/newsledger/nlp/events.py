"""Events an article reports: what happened, when, where and who did it (SPEC section 5).

``find_events`` looks for event predicates in each sentence, using trigger
verbs and nouns kept as data (``data/event_triggers.json``) and the
dependency parse:

- a trigger verb ("Russian forces shelled ...", "refugees have fled ...")
  anchors an event on its own clause;
- a trigger noun anchors one when a light verb governs it ("held peace
  talks", "announced sanctions": the verb's clause) or when it names its
  actor or target itself ("Russia's invasion of Ukraine": the noun phrase);
- a reporting verb is a ``statement`` only when a named actor makes it:
  strong verbs (warn, accuse, demand ...) need a named subject, plain "said"
  needs a full or titled name or an institution ("The government said").

The evidence is the anchor's clause (its subtree without adverbial clauses
and coordinated clauses), always inside one sentence. Its date comes from a
timex in the clause (``doc._.timexes``), its place from a GPE/LOC/FAC in the
evidence, its actors from the clause's subject. Words inside quotation marks
are the speaker's, not the article's report, and are not read for events.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from newsledger.models import Event, Timex
from newsledger.nlp.rules import load_rules

__all__ = ["EventExtractor", "Triggers", "find_events", "load_triggers"]

EVENT_TYPES = (
    "attack",
    "talks",
    "statement",
    "sanction",
    "aid",
    "cyberattack",
    "investigation",
    "evacuation",
    "movement",
    "other",
)

_EMBEDDING_DEPS = {"relcl", "acl", "amod", "csubj"}
_HEDGES = {"could", "might", "may", "should"}
_CLAUSE_DROP = {"advcl", "conj", "cc", "parataxis", "preconj"}
_EDGE_DROP = {"punct", "cc", "mark", "prep"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_NOUN_ARGUMENT_DEPS = {"dobj", "nsubj", "nsubjpass", "attr", "pobj"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
_OPEN_QUOTES = {"“", "‘‘", "``"}
_CLOSE_QUOTES = {"”", "''"}


@dataclass(frozen=True, slots=True)
class Triggers:
    """The event rules, read once from ``data/event_triggers.json``."""

    verbs: dict[str, str]
    verb_objects: dict[str, dict[str, str]]
    object_types: dict[str, str]
    verb_particles: dict[str, dict[str, str]]
    nouns: dict[str, str]
    light_verbs: frozenset[str]
    statement_strong: frozenset[str]
    statement_weak: frozenset[str]
    actor_nouns: frozenset[str]
    actor_titles: frozenset[str]
    realis_heads: frozenset[str]
    generic_speakers: frozenset[str]
    round_nouns: frozenset[str]
    named_party_verbs: frozenset[str]


@lru_cache(maxsize=1)
def load_triggers() -> Triggers:
    raw = load_rules("event_triggers")
    return Triggers(
        verbs=dict(raw["verbs"]),
        verb_objects={k: dict(v) for k, v in raw["verb_objects"].items()},
        object_types=dict(raw["object_types"]),
        verb_particles={k: dict(v) for k, v in raw["verb_particles"].items()},
        nouns=dict(raw["nouns"]),
        light_verbs=frozenset(raw["light_verbs"]),
        statement_strong=frozenset(raw["statement_strong"]),
        statement_weak=frozenset(raw["statement_weak"]),
        actor_nouns=frozenset(raw["actor_nouns"]),
        actor_titles=frozenset(raw["actor_titles"]),
        realis_heads=frozenset(raw["realis_heads"]),
        generic_speakers=frozenset(raw["generic_speakers"]),
        round_nouns=frozenset(raw["round_nouns"]),
        named_party_verbs=frozenset(raw["talks_verbs_need_named_party"]),
    )


@dataclass(frozen=True, slots=True)
class _Candidate:
    type: str
    anchor: Token  # the verb or noun whose clause or phrase is the evidence
    depth: int  # distance of the anchor from the sentence root: shallower is the main event
    from_noun: bool = False  # typed by a trigger noun, which says more than its light verb


def _quoted(doc: Doc) -> list[bool]:
    """Per token, whether it lies inside quotation marks (reset at paragraph breaks, so one stray mark cannot swallow the rest)."""
    inside = [False] * len(doc)
    state = False
    for token in doc:
        text = token.text
        if "\n" in text:
            state = False
            continue
        if text in _OPEN_QUOTES:
            state = True
            continue
        if text in _CLOSE_QUOTES:
            state = False
            continue
        if text == '"':
            state = not state
            continue
        inside[token.i] = state
    return inside


def _depth(token: Token) -> int:
    depth = 0
    while token.head is not token and depth < 100:
        token = token.head
        depth += 1
    return depth


def _noun_key(token: Token) -> str:
    """The trigger-noun key of a token, joining 'cyber-attack' and 'missile strike' style compounds."""
    lemma = token.lemma_.lower()
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-":
        return f"{doc[token.i - 2].text.lower()}-{lemma}"
    if token.i >= 1 and doc[token.i - 1].dep_ == "compound":
        return f"{doc[token.i - 1].text.lower()} {lemma}"
    if "-" in token.text:
        return token.text.lower().rstrip("s")
    return lemma


def _noun_type(token: Token, triggers: Triggers) -> str | None:
    key = _noun_key(token)
    for candidate in (key, key.replace("-", ""), token.lemma_.lower(), token.text.lower()):
        if candidate in triggers.nouns:
            return triggers.nouns[candidate]
    return None


def _subject(verb: Token) -> Token | None:
    """The verb's subject, taken from the governing verb for xcomp/conj verbs without their own."""
    token = verb
    for _ in range(4):
        for child in token.children:
            if child.dep_ in _SUBJECT_DEPS:
                return child
        if token.dep_ in {"xcomp", "conj", "advcl"} and token.head is not token and token.head.pos_ in {"VERB", "AUX"}:
            token = token.head
            continue
        break
    return None


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _is_passive(verb: Token) -> bool:
    return any(child.dep_ in {"nsubjpass", "auxpass"} for child in verb.children)


def _named(subject: Token | None, triggers: Triggers, strict: bool) -> bool:
    """Whether a subject names its actor; strict asks for a full or titled name or an institution."""
    if subject is None or subject.pos_ == "PRON":
        return False
    phrase = list(subject.subtree)
    head_ent = subject.ent_type_
    if head_ent in {"ORG", "GPE", "NORP"}:
        return True
    if head_ent == "PERSON":
        if not strict:
            return True
        ent_tokens = [t for t in phrase if t.ent_type_ == "PERSON"]
        titled = any(t.lower_ in triggers.actor_titles for t in phrase if t.i < subject.i)
        return len(ent_tokens) >= 2 or titled
    lemma = subject.lemma_.lower()
    if lemma in triggers.actor_nouns:
        has_determiner = any(c.dep_ in {"det", "poss", "compound", "amod"} for c in subject.children)
        return has_determiner or any(t.ent_type_ in _ACTOR_LABELS for t in phrase)
    if not strict:
        return any(t.ent_type_ in _ACTOR_LABELS and t.head is subject for t in phrase)
    return False


def _verb_type(verb: Token, triggers: Triggers) -> str | None:
    lemma = verb.lemma_.lower()
    particles = triggers.verb_particles.get(lemma)
    if particles:
        for child in verb.children:
            if child.dep_ in {"prt", "prep"} and child.lower_ in particles:
                return particles[child.lower_]
    objects = triggers.verb_objects.get(lemma)
    if objects:
        for child in verb.children:
            if child.dep_ in {"dobj", "nsubjpass"}:
                kind = triggers.object_types.get(child.lemma_.lower()) or triggers.object_types.get(child.lower_)
                if kind in objects:
                    return objects[kind]
        return None
    if lemma in triggers.statement_strong or lemma in triggers.statement_weak:
        return "statement"
    return triggers.verbs.get(lemma)


def _unreal(verb: Token, triggers: Triggers) -> bool:
    """A purpose, wish or plan ("efforts to bombard", "urged them to ban"), not a reported act."""
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    if infinitive:
        return not (verb.dep_ == "xcomp" and verb.head.lemma_.lower() in triggers.realis_heads)
    return False


def _embedded(verb: Token) -> bool:
    """Background rather than a report: a relative clause ("devices that had been seized"),
    a clause under a noun ("warnings that Putin would launch an attack") or an adjective ("besieged")."""
    token = verb
    for _ in range(6):
        if token.dep_ in _EMBEDDING_DEPS:
            # "reports that Russia had started to move ..." reports; "devices that were seized" describes.
            return not (token.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children))
        if token.dep_ in {"xcomp", "conj"} and token.head is not token:
            token = token.head
            continue
        return False
    return False


def _hedged(verb: Token) -> bool:
    """A possibility or a denial ("could meet", "would not return"), not something that happened."""
    return any(
        (c.dep_ == "aux" and c.lower_ in _HEDGES) or c.dep_ == "neg"
        for c in verb.children
    )


def _named_party(verb: Token, triggers: Triggers) -> bool:
    """Whether the other side of a meeting or visit is named ("met Lukashenko", not "met residents")."""
    for child in verb.children:
        if child.dep_ == "dobj" and _named(child, triggers, strict=True):
            return True
        if child.dep_ == "prep" and child.lower_ in {"with", "to"}:
            if any(g.dep_ == "pobj" and (_named(g, triggers, strict=True) or g.ent_type_) for g in child.children):
                return True
    return False


def _verb_candidate(verb: Token, triggers: Triggers) -> str | None:
    kind = _verb_type(verb, triggers)
    if kind is None or _unreal(verb, triggers) or _embedded(verb) or _hedged(verb):
        return None
    lemma = verb.lemma_.lower()
    if lemma in triggers.named_party_verbs and kind == "talks" and not _named_party(verb, triggers):
        return None
    lemma = verb.lemma_.lower()
    if kind == "statement" and triggers.verb_particles.get(lemma) is None:
        strict = lemma in triggers.statement_weak
        if lemma == "pledge" and any(c.dep_ == "dobj" for c in verb.children):
            return "aid"
        if not _named(_subject(verb), triggers, strict=strict):
            return None
        if strict and (_after_quote(verb) or _attribution_after(verb) or _generic(_subject(verb), triggers)):
            return None
    elif kind == "attack":
        # "Her school was bombed" reports damage, "they attacked Biden" a critic: an
        # attack needs a named attacker and a target that is not a person.
        attacker = _agent(verb) if _is_passive(verb) else _subject(verb)
        if attacker is None or attacker.pos_ == "PRON":
            return None
        if any(c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in verb.children):
            return None
    return kind


def _after_quote(verb: Token) -> bool:
    """A plain reporting verb after the quote it attributes ('"...," said Lavrov') adds no event."""
    sent = verb.sent
    return any(t.text in _CLOSE_QUOTES or t.text == '"' for t in sent if t.i < verb.i)


def _attribution_after(verb: Token) -> bool:
    """'..., the official said': a plain reporting verb after its reported clause."""
    return any(c.dep_ in {"ccomp", "parataxis"} and c.i < verb.i for c in verb.children)


def _generic(subject: Token | None, triggers: Triggers) -> bool:
    return subject is not None and subject.lemma_.lower() in triggers.generic_speakers | {s.rstrip("s") for s in triggers.generic_speakers}


def _noun_anchor(noun: Token, triggers: Triggers) -> Token | None:
    """Where a trigger noun's event is reported: the light verb's clause or the noun's own phrase."""
    # "a new round of talks": the round stands where the talks would.
    while noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in triggers.round_nouns:
        noun = noun.head.head
    head = noun.head
    if head.pos_ in {"VERB", "AUX"} and (_embedded(head) or _hedged(head)):
        return None
    if noun.dep_ in _NOUN_ARGUMENT_DEPS - {"pobj"} and head.pos_ in {"VERB", "AUX"}:
        if head.lemma_.lower() in triggers.light_verbs:
            # "before launching the attack" names no one: the attack is reported elsewhere.
            if noun.dep_ == "dobj" and _subject(head) is None:
                return None
            return head
    if noun.dep_ == "pobj" and head.head.pos_ in {"VERB", "AUX"} and head.head.lemma_.lower() in triggers.light_verbs:
        if head.lower_ in {"for", "to", "of"} and not (_embedded(head.head) or _hedged(head.head)):
            return head.head
    if noun.dep_ == "compound":
        return None
    # A bare "Russia's invasion" is background in most war reports; a noun that
    # names both sides or its agent ("talks between Ukraine and Russia",
    # "under attack by Russian forces", "sanctions imposed by the UK") reports one.
    names_party = any(
        (c.dep_ == "prep" and c.lower_ in {"between", "by"})
        or (c.dep_ == "acl" and any(g.dep_ == "agent" for g in c.children))
        for c in noun.children
    )
    return noun if names_party else None


def _candidates(sent: Span, quoted: list[bool], triggers: Triggers) -> list[_Candidate]:
    found = []
    for token in sent:
        if quoted[token.i]:
            continue
        kind = None
        anchor = token
        from_noun = False
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT"):
            kind = _verb_candidate(token, triggers)
        elif token.pos_ in {"NOUN", "PROPN"}:
            kind = _noun_type(token, triggers)
            if kind is not None:
                anchor = _noun_anchor(token, triggers)
                from_noun = True
                if anchor is None:
                    kind = None
        if kind is not None and kind in EVENT_TYPES:
            found.append(_Candidate(kind, anchor, _depth(anchor), from_noun))
    # "arriving in Turkey for talks" is the talks: a noun's type wins over its verb's own.
    typed_by_noun = {c.anchor.i for c in found if c.from_noun}
    return [c for c in found if c.from_noun or c.anchor.i not in typed_by_noun]


def _evidence(anchor: Token) -> tuple[int, int]:
    """Token range [start, end) of the anchor's clause: its subtree without side clauses."""
    keep = [anchor]
    for child in anchor.children:
        if child.dep_ in _CLAUSE_DROP:
            continue
        keep.extend(child.subtree)
    sent = anchor.sent
    start = max(min(t.i for t in keep), sent.start)
    end = min(max(t.i for t in keep) + 1, sent.end)
    doc = anchor.doc
    while start < anchor.i and (doc[start].dep_ in _EDGE_DROP or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end - 1 > anchor.i and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].dep_ in {"cc", "mark"}):
        end -= 1
    return start, end


def _actors(anchor: Token) -> tuple[str, ...]:
    if anchor.pos_ in {"NOUN", "PROPN"}:
        heads = [c for c in anchor.children if c.dep_ == "poss"]
    else:
        subject = _subject(anchor)
        if subject is not None and subject.dep_ == "nsubjpass":
            subject = _agent(anchor)
        heads = [subject] if subject is not None and subject.pos_ != "PRON" else []
    actors = []
    for head in heads:
        parts = [head, *[c for c in head.children if c.dep_ == "conj"]]
        for part in parts:
            words = [t for t in part.subtree if not (t.dep_ in {"conj", "cc"} and t.head is part) and t not in _conj_subtrees(part)]
            text = part.doc[min(t.i for t in words) : max(t.i for t in words) + 1].text
            text = text.rstrip(",;: ").removesuffix("'s").removesuffix("’s").strip()
            if text:
                actors.append(text)
    return tuple(dict.fromkeys(actors))


def _conj_subtrees(token: Token) -> set[Token]:
    out: set[Token] = set()
    for child in token.children:
        if child.dep_ in {"conj", "cc"}:
            out.update(child.subtree)
    return out


def _place(doc: Doc, start: int, end: int, actors: tuple[str, ...]) -> str | None:
    for ent in doc.ents:
        if ent.label_ in _PLACE_LABELS and ent.start >= start and ent.end <= end:
            text = ent.text.removesuffix("'s").removesuffix("’s")
            if any(text == a or text in a.split() for a in actors):
                continue
            return text
    return None


def _date(timexes: list[Timex], anchor: Token, start_char: int, end_char: int) -> str | None:
    """The value of a timex inside the evidence, else inside the anchor's whole clause."""
    clause = [t for t in anchor.subtree]
    clause_start = min(t.idx for t in clause)
    clause_end = max(t.idx + len(t) for t in clause)
    sent = anchor.sent
    for lo, hi in ((start_char, end_char), (clause_start, clause_end), (sent.start_char, sent.end_char)):
        for timex in timexes:
            if timex.value and timex.start >= lo and timex.end <= hi:
                return timex.value
    if _present(anchor) and anchor.doc._.reference_date is not None:
        # "Putin's troops ramp up the bombardment": happening as the article is written.
        return anchor.doc._.reference_date.isoformat()
    return None


def _present(anchor: Token) -> bool:
    """A simple or progressive present main verb (not a perfect, which may lie anywhere in the past)."""
    verb = anchor if anchor.pos_ in {"VERB", "AUX"} else None
    if verb is None:
        return False
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.lemma_ in {"have", "will", "would", "could", "may", "might", "should"} for a in auxes):
        return False
    if verb.tag_ in {"VBZ", "VBP"} and not auxes:
        return True
    return verb.tag_ == "VBG" and any(a.tag_ in {"VBZ", "VBP"} and a.lemma_ == "be" for a in auxes)


def find_events(doc: Doc, triggers: Triggers | None = None) -> list[Event]:
    """The events ``doc`` reports, one per event type and sentence, in text order."""
    triggers = triggers or load_triggers()
    if len(doc) == 0 or not doc.has_annotation("DEP"):
        return []
    quoted = _quoted(doc)
    timexes = [t for t in (doc._.timexes or []) if isinstance(t, Timex)]
    events: list[Event] = []
    for sent in doc.sents:
        best: dict[str, _Candidate] = {}
        for candidate in _candidates(sent, quoted, triggers):
            kept = best.get(candidate.type)
            if kept is None or candidate.depth < kept.depth:
                best[candidate.type] = candidate
        for candidate in sorted(best.values(), key=lambda c: c.anchor.i):
            start, end = _evidence(candidate.anchor)
            if end <= start:
                continue
            span = doc[start:end]
            actors = _actors(candidate.anchor)
            events.append(
                Event(
                    start=span.start_char,
                    end=span.end_char,
                    type=candidate.type,
                    evidence=span.text,
                    date=_date(timexes, candidate.anchor, span.start_char, span.end_char),
                    place=_place(doc, start, end, actors),
                    actors=actors,
                )
            )
    return events


class EventExtractor:
    """spaCy component: writes ``find_events`` to ``doc._.events``."""

    def __init__(self) -> None:
        self.triggers = load_triggers()

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = find_events(doc, self.triggers)
        return doc
