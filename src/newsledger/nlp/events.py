"""Events an article reports: what happened, when, where and who did it (SPEC section 5).

``find_events`` picks the words that anchor events in each sentence in one of
two ways (setting ``events``):

- ``model`` (the default): the trained event model (``event_model``) scores
  every verb, and every noun the trigger tables know, and keeps the best
  anchor of each type it finds (``anchor_candidates``);
- ``rules``: the hand-written rules below, over the same trigger tables
  (``data/event_triggers.json``) and the dependency parse:

- a trigger verb ("Russian forces shelled ...", "refugees have fled ...")
  anchors an event on its own clause;
- a trigger noun anchors one when a light verb governs it ("held peace
  talks", "announced sanctions": the verb's clause) or when it names its
  actor or target itself ("Russia's invasion of Ukraine": the noun phrase);
- a reporting verb is a ``statement`` only when a named actor makes it:
  strong verbs (warn, accuse, demand ...) need a named subject, plain "said"
  needs a full or titled name or an institution ("The government said").

Either way, the evidence is the anchor's clause (its subtree without adverbial clauses
and coordinated clauses), always inside one sentence. Its date comes from a
timex in the clause (``doc._.timexes``), its place from a GPE/LOC/FAC in the
evidence, its actors from the clause's subject. Words inside quotation marks
are the speaker's, not the article's report, and are not read for events.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, ORTH, POS
from spacy.symbols import AUX, NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from newsledger.models import Event, Timex
from newsledger.nlp.event_model import NONE, DocContext, EventModel, anchor_features, load_event_model
from newsledger.nlp import syntax
from newsledger.nlp.rules import load_rules
from newsledger.nlp.spans import write_record_spans
from newsledger.vocabulary import event_types

__all__ = ["DETECTORS", "Anchor", "EventExtractor", "Triggers", "anchor_candidates", "find_events", "load_triggers"]

DETECTORS = ("model", "rules")  # who picks event anchors: the trained event model, or the hand-written rules

EVENT_TYPES = event_types()  # declared once, in nlp/data/event_triggers.json "types"

_EMBEDDING_DEPS = {"relcl", "acl", "amod", "csubj"}
_HEDGES = {"could", "might", "may", "should"}
_CLAUSE_DROP = {"advcl", "conj", "cc", "parataxis", "preconj"}
_EDGE_DROP = {"punct", "cc", "mark", "prep"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_NOUN_ARGUMENT_DEPS = {"dobj", "nsubj", "nsubjpass", "attr", "pobj"}
_PLACE_LABELS = syntax.PLACE_LABELS
_ACTOR_LABELS = syntax.ACTOR_LABELS
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
    relative_words: frozenset[str]
    near_words: frozenset[str]
    simultaneous_marks: frozenset[str]
    now_openers: frozenset[str]
    previous_openers: frozenset[str]
    irrealis_heads: frozenset[str]
    background_preps: frozenset[str]
    boilerplate_openers: frozenset[str]
    aid_verbs: frozenset[str]
    call_verbs: frozenset[str]
    talks_with_verbs: frozenset[str]
    travel_verbs: frozenset[str]
    talks_light_verbs: frozenset[str]
    belief_heads: frozenset[str]
    conditional_marks: frozenset[str]
    commissive_heads: frozenset[str]
    time_nouns: frozenset[str]
    meeting_preps: frozenset[str]
    sanction_approval_objects: frozenset[str]
    leader_titles: frozenset[str]
    lemma_types: dict[str, str]  # every trigger word alone -> its type, for the event model
    noun_heads: frozenset[str]  # the last word of every trigger noun ("strike" of "missile strike")


def _undeclared_types(raw: dict) -> set[str]:
    """Types the trigger tables give that ``types`` does not declare."""

    def given(value) -> set[str]:
        return set().union(*map(given, value.values())) if isinstance(value, dict) else {value}

    return set().union(*(given(raw[table]) for table in ("verbs", "verb_objects", "object_types", "verb_particles", "nouns"))) \
        - set(raw["types"])


@lru_cache(maxsize=1)
def load_triggers() -> Triggers:
    raw = load_rules("event_triggers")
    undeclared = _undeclared_types(raw)
    if undeclared:
        raise ValueError(f"event_triggers.json gives types it does not declare in 'types': {sorted(undeclared)}")
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
        relative_words=frozenset(raw["date_relative_words"]),
        near_words=frozenset(raw["date_near_words"]),
        simultaneous_marks=frozenset(raw["date_simultaneous_marks"]),
        now_openers=frozenset(raw["date_now_openers"]),
        previous_openers=frozenset(raw["date_previous_openers"]),
        irrealis_heads=frozenset(raw["irrealis_heads"]),
        background_preps=frozenset(raw["background_preps"]),
        boilerplate_openers=frozenset(raw["boilerplate_openers"]),
        aid_verbs=frozenset(raw["aid_verbs"]),
        call_verbs=frozenset(raw["call_verbs"]),
        talks_with_verbs=frozenset(raw["talks_with_verbs"]),
        travel_verbs=frozenset(raw["travel_verbs"]),
        talks_light_verbs=frozenset(raw["talks_light_verbs"]),
        belief_heads=frozenset(raw["belief_heads"]),
        conditional_marks=frozenset(raw["conditional_marks"]),
        commissive_heads=frozenset(raw["commissive_heads"]),
        time_nouns=frozenset(raw["time_nouns"]),
        meeting_preps=frozenset(raw["meeting_preps"]),
        sanction_approval_objects=frozenset(raw["sanction_approval_objects"]),
        leader_titles=frozenset(raw["leader_titles"]),
        noun_heads=frozenset(re.split(r"[ -]", key)[-1] for key in raw["nouns"]),
        lemma_types={
            **dict.fromkeys(raw["statement_weak"], "statement"),
            **dict.fromkeys(raw["statement_strong"], "statement"),
            **raw["verbs"],
            **raw["nouns"],
        },
    )


@dataclass(frozen=True, slots=True)
class _Candidate:
    type: str
    anchor: Token  # the verb or noun whose clause or phrase is the evidence
    depth: int  # distance of the anchor from the sentence root: shallower is the main event
    from_noun: bool = False  # typed by a trigger noun, which says more than its light verb


_MARK_KIND: dict[int, str] = {}  # ORTH id -> "break", "open", "close", "straight" or "" (any other word)


def _mark_kind(orth: int, strings) -> str:
    kind = _MARK_KIND.get(orth)
    if kind is None:
        text = strings[orth]
        kind = _MARK_KIND[orth] = (
            "break" if "\n" in text else "open" if text in _OPEN_QUOTES else "close" if text in _CLOSE_QUOTES
            else "straight" if text == '"' else ""
        )
    return kind


def _quoted(doc: Doc) -> list[bool]:
    """Per token, whether it lies inside quotation marks (reset at paragraph breaks, so one stray mark cannot swallow the rest).

    Only marks and line breaks change the state: they are found on the ORTH array, and the runs of
    words between them are filled in whole."""
    strings = doc.vocab.strings
    inside = [False] * len(doc)
    state, since = False, 0  # the state holds for the words from token ``since`` on
    for i, orth in enumerate(doc.to_array([ORTH]).tolist()):
        kind = _mark_kind(orth, strings)
        if not kind:
            continue
        if state:
            inside[since:i] = [True] * (i - since)
        state = not state if kind == "straight" else kind == "open"
        since = i + 1
    if state:
        inside[since:] = [True] * (len(doc) - since)
    return inside


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 100:
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


_GOVERNING_VERB = syntax.through({"xcomp", "conj", "advcl"}, verbal_heads=True)


def _doing_climb(token: Token) -> Token | None:
    """The verb whose subject does what ``token`` says: the one it completes or is conjoined to, or the
    verb of the preposition it follows ("Russia focused its efforts on capturing territory": Russia captures)."""
    following = _GOVERNING_VERB(token)
    if following is None and token.dep_ == "pcomp" and token.head.lower_ in {"on", "in", "at"} \
            and token.head.head.pos_ in {"VERB", "AUX"}:
        following = token.head.head
    return following


def _subject(verb: Token) -> Token | None:
    """The verb's subject, taken from the governing verb for xcomp/conj verbs without their own."""
    return syntax.subject(verb, _SUBJECT_DEPS, _doing_climb, steps=3)


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


def _object_kind(verb: Token, triggers: Triggers) -> str | None:
    """The kind of thing the verb acts on: its object, or what the object is made of
    ("$800 million in military aid", "a package of sanctions")."""
    for child in verb.children:
        if child.dep_ not in {"dobj", "nsubjpass"}:
            continue
        for prep in child.children:
            if prep.dep_ == "prep" and prep.lower_ in {"of", "in", "worth"}:
                for filler in prep.children:
                    kind = _word_kind(filler, triggers)
                    if filler.dep_ == "pobj" and kind is not None:
                        return kind
        kind = _word_kind(child, triggers)
        if kind is not None:
            return kind
    return None


def _word_kind(token: Token, triggers: Triggers) -> str | None:
    return triggers.object_types.get(token.lemma_.lower()) or triggers.object_types.get(token.lower_)


def _verb_type(verb: Token, triggers: Triggers) -> str | None:
    lemma = verb.lemma_.lower()
    particles = triggers.verb_particles.get(lemma)
    if particles:
        for child in verb.children:
            if child.dep_ in {"prt", "prep"} and child.lower_ in particles and not _time_phrase(child):
                return particles[child.lower_]
    if lemma in triggers.aid_verbs:
        # "announced $800 million in military aid": what is announced is the aid, not a statement
        kind = _object_kind(verb, triggers)
        if kind in {"aid", "sanction"}:
            return kind
    if lemma in triggers.call_verbs and _phone_call(verb, triggers):
        return "talks"
    if lemma in triggers.talks_with_verbs and _talks_with(verb, triggers):
        return "talks"
    if lemma in triggers.travel_verbs and _leader_visit(verb, triggers):
        return "talks"
    objects = triggers.verb_objects.get(lemma)
    if objects:
        kind = _object_kind(verb, triggers)
        return objects.get(kind) if kind is not None else None
    if lemma in triggers.statement_strong or lemma in triggers.statement_weak:
        return "statement"
    return triggers.verbs.get(lemma)


def _time_phrase(prep: Token) -> bool:
    """ "on Sunday", "for hours": a preposition of time, not a verb's particle ("called on Sunday" is not "called on")."""
    return any(g.dep_ == "pobj" and g.ent_type_ in {"DATE", "TIME"} for g in prep.children)


def _person(token: Token, triggers: Triggers) -> bool:
    """A named person or a leader's title standing for one ("Putin", "his French counterpart")."""
    if token.ent_type_ == "PERSON":
        return True
    return token.lemma_.lower() in triggers.actor_titles | {"counterpart", "leader", "premier"} and token.pos_ == "NOUN"


def _phone_call(verb: Token, triggers: Triggers) -> bool:
    """ "Macron called Putin": a named caller and callee and nothing said about the callee ("called Putin a war criminal")."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    complements = [c for c in verb.children if c.dep_ in {"oprd", "xcomp", "ccomp", "attr", "acomp", "dative"}]
    if not objects and len(complements) == 1 and complements[0].dep_ == "oprd":
        objects, complements = complements, []  # "Macron called Putin on Sunday", parsed as "called Putin [something]"
    if complements:
        return False
    callee = objects[0] if objects else None
    return callee is not None and _person(callee, triggers) and _named(_subject(verb), triggers, strict=False)


def _talks_with(verb: Token, triggers: Triggers) -> bool:
    """ "Scholz spoke with Zelensky by phone": a conversation between leaders or countries, not an outlet's interview."""
    subject = _subject(verb)
    if subject is None or subject.ent_type_ not in {"PERSON", "GPE"} or not _named(subject, triggers, strict=False):
        return False
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "with":
            for filler in child.children:
                if filler.dep_ == "pobj" and _person(filler, triggers):
                    return True
    return False


def _leader_visit(verb: Token, triggers: Triggers) -> bool:
    """ "Prime Minister Johnson travelled to Kyiv", "Scholz visited Putin": a leader going to a named place or person."""
    subject = _subject(verb)
    if subject is None or subject.ent_type_ != "PERSON" or not _leader(subject, triggers):
        return False
    for child in verb.children:
        if child.dep_ == "dobj" and (child.ent_type_ in _PLACE_LABELS or _person(child, triggers)):
            return True
        if child.dep_ == "prep" and child.lower_ in {"to", "in", "into"}:
            # the small model often leaves "Kyiv" untagged: a proper noun destination will do
            if any(g.dep_ == "pobj" and (g.ent_type_ in _PLACE_LABELS or g.pos_ == "PROPN" or _person(g, triggers)) for g in child.children):
                return True
    return False


def _leader(subject: Token, triggers: Triggers) -> bool:
    """A subject titled as a serving leader ("Prime Minister Boris Johnson", not "Former President Trump")."""
    words = [t.lower_ for t in subject.subtree if t.i < subject.i]
    appositions = [t.lower_ for c in subject.children if c.dep_ == "appos" for t in c.subtree]
    if "former" in words or "ex" in words:
        return False
    return any(w in triggers.leader_titles for w in words + appositions)


def _unreal(verb: Token, triggers: Triggers) -> bool:
    """A purpose, wish or plan ("efforts to bombard", "urged them to ban", "efforts to impose
    sanctions and provide aid", "demand that allies supply"), not a reported act."""
    if verb.dep_ == "conj" and verb.head.i != verb.i and verb.head.pos_ in {"VERB", "AUX"}:
        if not any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
            verb = verb.head
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    if infinitive:
        return not (verb.dep_ == "xcomp" and verb.head.lemma_.lower() in triggers.realis_heads)
    if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in triggers.irrealis_heads:
        return True
    return _believed(verb, triggers) or _conditional(verb, triggers)


def _believed(verb: Token, triggers: Triggers) -> bool:
    """A clause someone believes, hopes, fears or expects, however deep ("officials believe Russia
    is massing troops", "the hope that talks will resume"); "is expected to join" is a schedule."""
    token = verb
    for _ in range(6):
        head = token.head
        if head.i == token.i or token.dep_ not in {"ccomp", "xcomp", "conj", "acl", "advcl"}:
            return False
        # the lemmatiser reads "hopes" as "hop": the word itself counts too
        words = {head.lemma_.lower(), head.lower_, head.lower_.removesuffix("s")}
        if words & triggers.belief_heads and token.dep_ != "conj":
            return not any(c.dep_ == "auxpass" for c in head.children)
        token = head
    return False


def _conditional(verb: Token, triggers: Triggers) -> bool:
    """A condition ("if Russia invades") or what would follow from one ("the West will impose sanctions if ...")."""
    token = verb
    for _ in range(3):
        if any(c.dep_ == "mark" and c.lower_ in triggers.conditional_marks for c in token.children):
            return True
        if token.dep_ != "conj" or token.head.i == token.i:
            break
        token = token.head
    future = any(c.dep_ == "aux" and c.lower_ in {"will", "would", "'ll", "’ll", "could", "might"} for c in verb.children)
    return future and any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in triggers.conditional_marks for m in c.children)
        for c in verb.children
    )


def _free_relative(verb: Token) -> bool:
    """ "what Moscow claimed", "what message he hopes Biden delivers": a thing named, not an act reported."""
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubj", "nsubjpass"}:
            if child.tag_ in {"WP", "WDT"} or any(g.dep_ == "det" and g.tag_ in {"WP", "WDT"} for g in child.children):
                return True
    return False


def _reported_within(verb: Token, triggers: Triggers) -> bool:
    """A reporting verb inside what another reports ("Jones said Giuliani previously asserted ...")."""
    token = verb
    for _ in range(4):
        if token.dep_ not in {"ccomp", "conj"} or token.head.i == token.i:
            return False
        token = token.head
        lemma = token.lemma_.lower()
        if lemma in triggers.statement_strong or lemma in triggers.statement_weak:
            return True
    return False


def _embedded(verb: Token, triggers: Triggers | None = None) -> bool:
    """Background rather than a report: a relative clause ("devices that had been seized"),
    a clause under a noun ("warnings that Putin would launch an attack") or an adjective ("besieged").
    A relative clause of a day dates its event instead ("on the same day Russia announced sanctions")."""
    triggers = triggers or load_triggers()
    token = verb
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since" for c in verb.children):
        return True  # "since Russia launched its invasion": the starting point, told as background
    for _ in range(6):
        if token.dep_ == "relcl" and _day_clause(token, triggers):
            return False
        if token.dep_ in _EMBEDDING_DEPS:
            # "reports that Russia had started to move ..." reports; "devices that were seized" describes.
            return not (token.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children))
        if token.dep_ in {"xcomp", "conj"} and token.head is not token:
            token = token.head
            continue
        return False
    return False


def _day_clause(clause: Token, triggers: Triggers) -> bool:
    """A relative clause on a day the sentence is about ("came on the same day Russia announced
    sanctions"), not one counted from ("since the day Russia invaded")."""
    noun = clause.head
    if noun.lemma_.lower() not in triggers.time_nouns or noun.dep_ != "pobj":
        return False
    return noun.head.lower_ not in triggers.relative_words


def _hedged(verb: Token) -> bool:
    """A possibility or a denial ("could meet", "would not return"), not something that happened;
    "would" under an announcement or a promise states what was announced ("announced troops would be deployed")."""
    if any((c.dep_ == "aux" and c.lower_ in _HEDGES) or c.dep_ == "neg" for c in verb.children):
        return True
    if not any(c.dep_ == "aux" and c.lower_ == "would" for c in verb.children):
        return False
    token = verb
    triggers = load_triggers()
    for _ in range(3):
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in triggers.commissive_heads:
            return False
        if token.dep_ not in {"conj", "xcomp"} or token.head.i == token.i:
            break
        token = token.head
    return True


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
    if kind is None or _unreal(verb, triggers) or _embedded(verb) or _hedged(verb) or _free_relative(verb):
        return None
    lemma = verb.lemma_.lower()
    if lemma in triggers.named_party_verbs and kind == "talks" and not _named_party(verb, triggers):
        return None
    lemma = verb.lemma_.lower()
    if kind == "statement" and triggers.verb_particles.get(lemma) is None:
        strict = lemma in triggers.statement_weak
        if lemma == "pledge" and any(c.dep_ == "dobj" for c in verb.children):
            return "aid"
        if not _named(_subject(verb), triggers, strict=strict) or _reported_within(verb, triggers):
            return None
        if strict and (_after_quote(verb) or _attribution_after(verb) or _generic(_subject(verb), triggers)):
            return None
    elif kind == "sanction" and lemma == "sanction":
        # "the comments were sanctioned by the Kremlin": approved, not punished
        if any(c.dep_ in {"dobj", "nsubjpass"} and c.lemma_.lower() in triggers.sanction_approval_objects for c in verb.children):
            return None
    elif kind == "attack":
        # "Her school was bombed" reports damage, "they attacked Biden" a critic: an
        # attack needs a named attacker and a target that is not a person.
        attacker = syntax.agent(verb) if syntax.is_passive(verb) else _subject(verb)
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
    talks = _noun_type(noun, triggers) == "talks"
    if noun.dep_ in _NOUN_ARGUMENT_DEPS - {"pobj"} and head.pos_ in {"VERB", "AUX"}:
        if head.lemma_.lower() in triggers.light_verbs or (talks and head.lemma_.lower() in triggers.talks_light_verbs):
            # "before launching the attack" names no one: the attack is reported elsewhere.
            if noun.dep_ == "dobj" and _subject(head) is None:
                return None
            return head
    if noun.dep_ == "pobj" and head.head.pos_ in {"VERB", "AUX"} and head.head.lemma_.lower() in triggers.light_verbs:
        if head.lower_ in {"for", "to", "of", "with"} and not (_embedded(head.head) or _hedged(head.head)):
            return head.head
    if noun.dep_ == "compound":
        return None
    if noun.dep_ == "pobj" and head.lower_ in triggers.background_preps:
        # "Despite the ongoing negotiations, the fighting continues": a backdrop, not a report
        return None
    # A bare "Russia's invasion" is background in most war reports; a noun that
    # names both sides or its agent ("talks between Ukraine and Russia",
    # "under attack by Russian forces", "sanctions imposed by the UK") reports one.
    names_party = any(
        (c.dep_ == "prep" and c.lower_ in {"between", "by"})
        or (c.dep_ == "acl" and any(g.dep_ == "agent" for g in c.children))
        for c in noun.children
    ) or (talks and _names_visit(noun))
    return noun if names_party else None


def _names_visit(noun: Token) -> bool:
    """ "Harris' visits to Poland", "a visit to Sweden": a meeting or visit with its visitor or destination named."""
    for child in noun.children:
        if child.dep_ == "poss" and child.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
            return True
        if child.dep_ == "prep" and child.lower_ == "to":
            if any(g.dep_ == "pobj" and g.ent_type_ in _PLACE_LABELS for g in child.children):
                return True
        if child.dep_ == "prep" and child.lower_ == "with":
            # "a phone call with Putin", "a meeting with Scholz"
            if any(g.dep_ == "pobj" and g.ent_type_ in {"PERSON", "GPE", "NORP"} for g in child.children):
                return True
    return False


def _boilerplate(sent: Span, triggers: Triggers) -> bool:
    """A "READ ALSO:" list of other headlines, not this article's report."""
    return _opens_with(sent, triggers.boilerplate_openers)


def _candidates(sent: Span, quoted: list[bool], triggers: Triggers) -> list[_Candidate]:
    found = []
    if _boilerplate(sent, triggers):
        return found
    for token in sent:
        if quoted[token.i]:
            continue
        kind = None
        anchor = token
        from_noun = False
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT"):
            kind = _verb_candidate(token, triggers)
            if kind is None and _verbless_predicate(token):
                # "The UAE, a U.S. ally, also abstained in February's vote" parsed as a noun phrase
                kind = _verb_type(token, triggers)
        elif token.pos_ in {"NOUN", "PROPN"}:
            kind = _noun_type(token, triggers)
            if kind is not None:
                anchor = _noun_anchor(token, triggers)
                from_noun = True
                verb = _verb_of(anchor) if anchor is not None else None
                if anchor is None or (verb is not None and (_believed(verb, triggers) or _conditional(verb, triggers))):
                    kind = None
        if kind is not None and kind in EVENT_TYPES:
            found.append(_Candidate(kind, anchor, _depth(anchor), from_noun))
    # "arriving in Turkey for talks" is the talks: a noun's type wins over its verb's own.
    typed_by_noun = {c.anchor.i for c in found if c.from_noun}
    return [c for c in found if c.from_noun or c.anchor.i not in typed_by_noun]


@dataclass(frozen=True, slots=True)
class Anchor:
    """A word that may anchor an event, with the type the trigger tables give it."""

    token: Token
    table_type: str | None  # the type of the word (and its object or particle), or None


def anchor_positions(doc: Doc, quoted: list[bool], triggers: Triggers) -> list[int]:
    """The tokens of ``doc`` that may anchor an event (``anchor_candidates`` looks no further): verbs,
    root auxiliaries and nouns the trigger tables may know, outside quotation marks; read off the
    attribute arrays, so that the other words never become tokens."""
    strings = doc.vocab.strings
    heads = triggers.noun_heads
    root = strings.add("ROOT")
    rows = doc.to_array([POS, DEP, LEMMA, LOWER, ORTH]).tolist()
    found = []
    for i, (pos, dep, lemma, lower, orth) in enumerate(rows):
        if quoted[i]:
            continue
        if pos == VERB or pos == AUX and dep == root:
            found.append(i)
        elif (pos == NOUN or pos == PROPN) and (
            strings[lemma].lower() in heads or strings[lower] in heads or "-" in strings[orth]
            or i > 0 and strings[rows[i - 1][4]] == "-"
        ):
            found.append(i)
    return found


def anchor_candidates(sent: Span, quoted: list[bool], triggers: Triggers, positions: list[int] | None = None) -> list[Anchor]:
    """Every verb of ``sent`` outside quotation marks, and every noun there the trigger
    tables know, for the event model to judge. ``positions`` (``anchor_positions``) spares
    looking at the other words."""
    if _boilerplate(sent, triggers):
        return []
    found = []
    if positions is not None:
        doc = sent.doc
        tokens = (doc[i] for i in positions[bisect.bisect_left(positions, sent.start) : bisect.bisect_left(positions, sent.end)])
    else:
        tokens = iter(sent)
    for token in tokens:
        if quoted[token.i]:
            continue
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT"):
            lemma = token.lemma_.lower()
            table = triggers.verbs.get(lemma)
            if table is None and (lemma in triggers.statement_strong or lemma in triggers.statement_weak):
                table = "statement"
            found.append(Anchor(token, table or _verb_type(token, triggers)))
        elif token.pos_ in {"NOUN", "PROPN"} and _may_be_trigger_noun(token, triggers):
            table = _noun_type(token, triggers)
            if table is not None:
                found.append(Anchor(token, table))
    return found


def _may_be_trigger_noun(token: Token, triggers: Triggers) -> bool:
    """A cheap first look: whether ``_noun_type`` could know the word (its last part ends a trigger noun)."""
    heads = triggers.noun_heads
    return (
        token.lemma_.lower() in heads
        or token.lower_ in heads
        or "-" in token.text
        or (token.i > 0 and token.doc[token.i - 1].text == "-")
    )


def _model_candidates(
    sent: Span, quoted: list[bool], triggers: Triggers, model: EventModel, context: DocContext, positions: list[int]
) -> list[_Candidate]:
    """The anchors the event model types as events, best first within each type."""
    found = []
    for anchor in anchor_candidates(sent, quoted, triggers, positions):
        features = anchor_features(anchor.token, sent, anchor.table_type, triggers.lemma_types, context)
        kind, margin = model.predict(features)
        if kind == NONE:
            continue
        token = anchor.token
        evidence_anchor = token
        if token.pos_ in {"NOUN", "PROPN"}:
            evidence_anchor = _noun_anchor(token, triggers) or token
        found.append(_Candidate(kind, evidence_anchor, -margin, token.pos_ in {"NOUN", "PROPN"}))
    return found


def _verbless_predicate(verb: Token) -> bool:
    """A finite verb the parser hung under a verbless sentence's subject noun: the sentence's predicate."""
    head = verb.head
    return (
        verb.dep_ == "acl"
        and verb.tag_ in {"VBD", "VBZ", "VBP"}
        or (verb.dep_ == "acl" and verb.tag_ == "VBN" and any(c.dep_ == "advmod" for c in verb.children if c.i < verb.i))
    ) and head.dep_ == "ROOT" and head.pos_ in {"PROPN", "NOUN"} and head.i < verb.i and head.ent_type_ in _ACTOR_LABELS


def _carriers_dropped(candidates: list[_Candidate]) -> list[_Candidate]:
    """Without the statements that only carry another event ("Ms Stefanishyna warned Russian
    forces were shelling hospitals", "Biden announced more assets would be deployed"): the
    reported event is the news, and the saying of it is its source."""
    statements = [c for c in candidates if c.type == "statement"]
    # "Lavrov said Russia is negotiating in good faith": a present-tense claim is what was said,
    # not a reported act; the saying is the event.
    claims = {
        r.anchor.i
        for r in candidates
        if r.type != "statement" and _present(_verb_of(r.anchor)) and any(_reports(c.anchor, r.anchor) for c in statements)
    }
    reported = [c for c in candidates if c.type != "statement" and c.anchor.i not in claims]
    return [
        c
        for c in candidates
        if c.anchor.i not in claims and (c.type != "statement" or not any(_reports(c.anchor, r.anchor) for r in reported))
    ]


def _reports(verb: Token, anchor: Token) -> bool:
    """Whether ``anchor`` lies in the clause ``verb`` reports (its ccomp)."""
    token = anchor
    for _ in range(8):
        if token.head.i == token.i:
            return False
        if token.head.i == verb.i:
            return token.dep_ == "ccomp"
        token = token.head
    return False


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
            subject = syntax.agent(anchor)
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


def _place(places: list[Span], start: int, end: int, actors: tuple[str, ...]) -> str | None:
    """The first place entity inside tokens ``start:end`` that is not one of the actors."""
    for ent in places:
        if ent.start >= start and ent.end <= end:
            text = ent.text.removesuffix("'s").removesuffix("’s")
            if any(text == a or text in a.split() for a in actors):
                continue
            return text
    return None


def _date(
    timexes: list[Timex],
    anchor: Token,
    start_char: int,
    end_char: int,
    triggers: Triggers,
    statement: bool = False,
    previous: str | None = None,
    context: str | None = None,
) -> str | None:
    """The date of the anchor's event: a timex of its own clause, else the date the context
    gives it (``previous``, ``context``), else the reference date when the text says "now"."""
    dated = _timex_date(timexes, anchor, start_char, end_char, triggers)
    if dated is not None:
        return dated
    sent = anchor.sent
    if previous is not None and _opens_with(sent, triggers.previous_openers):
        # "It came as a second attempt began to evacuate ...": the time of the event just told
        return previous
    if context is not None:
        return context
    reference = anchor.doc._.reference_date
    if reference is None:
        return None
    if _present(anchor) or _now_cue(sent, triggers) or (statement and _in_lead(sent) and _perfect(_verb_of(anchor))):
        # "Putin's troops ramp up the bombardment", "Meanwhile, Lavrov asserted ...", and a
        # lead's "has condemned" (what someone has said is the news): as the article is written.
        return reference.isoformat()
    return None


def _timex_date(timexes: list[Timex], anchor: Token, start_char: int, end_char: int, triggers: Triggers) -> str | None:
    """The value of a timex of the anchor's own clause.

    A timex belongs to the first verb above it, passing up through clauses that
    happen at the same time ("As the war entered its second week on Thursday,
    Lavrov said"); it dates the event when that verb is the anchor's or one the
    anchor's clause hangs from ("began to evacuate", "announced Monday that ...
    will be investigated"). So "After gathering for months, troops moved in on
    February 24" gives the gathering no date, nor "refugees have fled amid the
    conflict which broke out last Thursday" the flight.
    """
    doc = anchor.doc
    sent = anchor.sent
    chain = _time_chain(anchor, triggers)
    in_sentence = [t for t in timexes if t.value and t.start >= sent.start_char and t.end <= sent.end_char]
    owned = []
    for timex in in_sentence:
        owner, relative = _timex_owner(doc, timex, anchor, triggers)
        if (owner is not None and owner.i not in chain) or relative == "skip":
            continue
        # the anchor's own timex first ("follows Harris' visits last week", not "Biden's first since October")
        rank = chain.index(owner.i) if owner is not None else len(chain)
        owned.append((rank, not (timex.start >= start_char and timex.end <= end_char), timex.start, timex, relative))
    for _, _, _, timex, relative in sorted(owned, key=lambda item: item[:3]):
        if relative == "month" or "weekend" in timex.text.lower():
            # "hours before the invasion on February 24" may be the 23rd; a weekend is two days
            return _month_of(timex.value)
        return timex.value
    return None


@dataclass(frozen=True, slots=True)
class _Dated:
    """An event dated by a timex of its own sentence, which later sentences may take their date from."""

    sentence: int
    paragraph: int
    type: str
    actors: tuple[str, ...]
    date: str


def _context_date(anchor: Token, kind: str, actors: tuple[str, ...], sentence: int, paragraph: int, dated: list[_Dated], triggers: Triggers) -> str | None:
    """The date an undated event takes from what was told before it: a statement made "at the
    meeting" takes the meeting's date; an event of the same actors a sentence or two after an
    explicitly dated one, in the same paragraph, takes that date ("Putin met Lukashenko on
    Tuesday. Mr Putin added that ...")."""
    if kind == "statement" and _at_meeting(anchor, triggers):
        meeting = next((d for d in reversed(dated) if d.type == "talks"), None)
        if meeting is not None:
            return meeting.date
    verb = _verb_of(anchor)
    if verb is not None and _past_perfect(verb):
        return None  # "he'd ordered ...": told as before the dated events
    pronoun = _pronoun_subject(anchor)
    for before in reversed(dated):
        if before.paragraph != paragraph or before.sentence >= sentence:
            continue
        if sentence - before.sentence > 2:
            break
        next_one = sentence - before.sentence == 1
        if _same_actors(actors, before.actors, triggers) or (next_one and ((pronoun and before.actors) or before.type == kind)):
            # a pronoun or the same kind of event right after it continues its story
            return before.date
    return None


def _at_meeting(anchor: Token, triggers: Triggers) -> bool:
    """ "At the meeting, Scholz said ...", "Speaking during the talks, ...": said at a meeting named before."""
    verb = _verb_of(anchor)
    if verb is None:
        return False
    clauses = [verb, *[c for c in verb.children if c.dep_ == "advcl" and c.tag_ == "VBG"]]
    for clause in clauses:
        for prep in clause.children:
            if prep.dep_ != "prep" or prep.lower_ not in triggers.meeting_preps:
                continue
            for noun in prep.children:
                if noun.dep_ == "pobj" and _noun_type(noun, triggers) == "talks":
                    if any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in noun.children):
                        return True
    return False


def _pronoun_subject(anchor: Token) -> bool:
    verb = _verb_of(anchor)
    subject = _subject(verb) if verb is not None else None
    return subject is not None and subject.pos_ == "PRON" and subject.lower_ in {"he", "she", "they", "it", "we"}


def _same_actors(first: tuple[str, ...], second: tuple[str, ...], triggers: Triggers) -> bool:
    """Whether two actor lists share a name word ("Mr Putin" and "Russian President Vladimir Putin")."""

    def names(actors: tuple[str, ...]) -> set[str]:
        return {
            word.strip(".,'’").lower()
            for actor in actors
            for word in actor.split()
            if word[:1].isupper() and word.strip(".,'’").lower() not in triggers.actor_titles and len(word) > 2
        }

    if names(first) & names(second):
        return True
    # "the president" after "President Joe Biden"
    titles = {actor.lower().removeprefix("the ") for actor in first if actor.lower().startswith("the ")}
    return any(title in triggers.actor_titles and title in actor.lower().split() for title in titles for actor in second)


def _verb_of(anchor: Token) -> Token | None:
    """The anchor if it is a verb, else the verb its noun phrase hangs from."""
    token = anchor
    for _ in range(8):
        if token.pos_ in {"VERB", "AUX"}:
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _time_chain(anchor: Token, triggers: Triggers) -> list[int]:
    """The anchor (and the noun's verb) plus the verbs whose time its clause shares, nearest first: up through
    xcomp, conj, ccomp and clauses of the same moment ("saying ... as Russian forces shelled")."""
    chain = [anchor.i]
    verb = _verb_of(anchor)
    if verb is None:
        return chain
    chain.append(verb.i)
    for _ in range(4):
        if verb.head.i == verb.i or not (verb.dep_ in {"xcomp", "conj", "ccomp"} or _simultaneous(verb, triggers)):
            break
        if verb.dep_ == "ccomp" and _past_perfect(verb):
            # "Biden said Thursday that he'd ordered ...": the order predates the saying
            break
        verb = verb.head
        chain.append(verb.i)
    return chain


def _timex_owner(doc: Doc, timex: Timex, anchor: Token, triggers: Triggers) -> tuple[Token | None, str | None]:
    """The verb a timex belongs to (None for a verbless phrase) and whether it is counted from
    ("hours before ... February 24": "month"; "before February 24": "skip")."""
    span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, None
    relative = None
    token = span.root
    for _ in range(12):
        if token.head.i == token.i:
            return None, relative
        token = token.head
        if token.lower_ in triggers.relative_words and relative is None:
            previous = doc[token.i - 1] if token.i > 0 else token
            near = previous.lemma_.lower() in triggers.near_words or any(
                c.lemma_.lower() in triggers.near_words for c in token.children
            )
            relative = "month" if near else "skip"
        if token.i == anchor.i:
            return anchor, relative
        if token.pos_ in {"VERB", "AUX"}:
            if _simultaneous(token, triggers):
                continue
            if token.dep_ in {"relcl", "acl"} and _is_event_noun(token.head, anchor):
                # "held peace talks which lasted five hours on Monday": the talks' own time
                continue
            return token, relative
    return None, relative


def _simultaneous(verb: Token, triggers: Triggers) -> bool:
    """A side clause of the same moment as its main clause: "as/when/while ..." or a bare participle ("..., saying")."""
    if verb.dep_ != "advcl":
        return False
    marks = [c for c in verb.children if c.dep_ == "mark" or (c.dep_ == "advmod" and c.tag_ == "WRB")]
    if marks:
        return any(m.lower_ in triggers.simultaneous_marks for m in marks)
    return verb.tag_ == "VBG"


def _is_event_noun(noun: Token, anchor: Token) -> bool:
    """The anchor noun itself, or the object or subject of the anchor's light verb."""
    return noun.i == anchor.i or (noun.head.i == anchor.i and noun.dep_ in {"dobj", "nsubj", "nsubjpass"})


def _month_of(value: str | None) -> str | None:
    if value is None:
        return None
    week = re.fullmatch(r"(\d{4})-W(\d{2})", value)
    if week:
        saturday = date.fromisocalendar(int(week[1]), int(week[2]), 6)
        return f"{saturday.year:04d}-{saturday.month:02d}"
    return value[:7]


def _opening(sent: Span, words: int) -> str:
    """The first ``words`` words of a sentence's last paragraph (a heading may run into the sentence that follows it)."""
    doc = sent.doc
    start = sent.start
    cut = sent.text.rfind("\n")
    if cut >= 0:
        at = sent.start_char + cut
        start = next((t.i + 1 for t in sent if t.idx <= at < t.idx + len(t.text)), start)
    found: list[str] = []
    for token in doc[start : sent.end]:
        if not (token.is_punct or token.is_space):
            found.append(token.lower_)
            if len(found) == words:
                break
    return " ".join(found)


def _opens_with(sent: Span, openers: frozenset[str]) -> bool:
    # one word more than the longest opener tells "related" from "related news" as the whole opening would
    opening = _opening(sent, max((len(o.split()) for o in openers), default=0) + 1)
    return any(opening == o or opening.startswith(o + " ") for o in openers)


def _now_cue(sent: Span, triggers: Triggers) -> bool:
    """A sentence opening with "Meanwhile": another thread of the current news."""
    return _opens_with(sent, triggers.now_openers)


def _in_lead(sent: Span) -> bool:
    """The article's first sentence: the news itself."""
    return not any(t.is_alpha for t in sent.doc[: sent.start])


def _perfect(verb: Token | None) -> bool:
    """A present perfect ("has condemned")."""
    if verb is None or verb.tag_ != "VBN":
        return False
    return any(c.dep_ == "aux" and c.lower_ in {"has", "have", "'s", "'ve", "’ve", "’s"} for c in verb.children)


def _past_perfect(verb: Token) -> bool:
    """A completed act before the telling ("he'd ordered"); "had been under attack" is a state lasting up to it."""
    return verb.tag_ == "VBN" and verb.lemma_ != "be" and any(c.dep_ == "aux" and c.lower_ in {"had", "'d", "’d"} for c in verb.children)


def _present(anchor: Token | None) -> bool:
    """A simple or progressive present main verb (not a perfect, which may lie anywhere in the past)."""
    verb = anchor if anchor is not None and anchor.pos_ in {"VERB", "AUX"} else None
    if verb is None:
        return False
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.lemma_ in {"have", "will", "would", "could", "may", "might", "should"} for a in auxes):
        return False
    if verb.tag_ in {"VBZ", "VBP"} and not auxes:
        return True
    return verb.tag_ == "VBG" and any(a.tag_ in {"VBZ", "VBP"} and a.lemma_ == "be" for a in auxes)


_WEEK = re.compile(r"^\d{4}-W\d{2}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def find_events(doc: Doc, triggers: Triggers | None = None, model: EventModel | None = None) -> list[Event]:
    """The events ``doc`` reports, one per event type and sentence, in text order.

    With ``model``, the event model picks and types the anchors; without, the
    hand-written rules do."""
    triggers = triggers or load_triggers()
    if len(doc) == 0 or not doc.has_annotation("DEP"):
        return []
    quoted = _quoted(doc)
    timexes = [t for t in (doc._.timexes or []) if isinstance(t, Timex)]
    events: list[Event] = []
    dated: list[_Dated] = []
    breaks = [i for i, space in enumerate(doc.to_array([IS_SPACE]).tolist()) if space and "\n" in doc[i].text]
    places = [ent for ent in doc.ents if ent.label_ in _PLACE_LABELS]  # doc.ents builds its spans on each call
    sentences = syntax.sentences(doc)
    found_before = DocContext.of(doc, sentences) if model is not None else None  # timexes and quotes, for the model
    positions = anchor_positions(doc, quoted, triggers) if model is not None else []
    told_in: list[int] = []  # the sentence number of each event
    for number, sent in enumerate(sentences):
        paragraph = bisect.bisect_left(breaks, sent.start)
        best: dict[str, _Candidate] = {}
        if model is not None:
            chosen = _model_candidates(sent, quoted, triggers, model, found_before, positions)
        else:
            chosen = _carriers_dropped(_candidates(sent, quoted, triggers))
        for candidate in chosen:
            kept = best.get(candidate.type)
            if kept is None or candidate.depth < kept.depth:
                best[candidate.type] = candidate
        told: list[_Dated] = []
        for candidate in sorted(best.values(), key=lambda c: c.anchor.i):
            start, end = _evidence(candidate.anchor)
            if end <= start:
                continue
            span = doc[start:end]
            actors = _actors(candidate.anchor)
            previous = next((e.date for e in reversed(events) if e.date), None)
            explicit = _timex_date(timexes, candidate.anchor, span.start_char, span.end_char, triggers)
            context = None
            if explicit is None:
                context = _context_date(candidate.anchor, candidate.type, actors, number, paragraph, dated, triggers)
            else:
                told.append(_Dated(number, paragraph, candidate.type, actors, explicit))
            events.append(
                Event(
                    start=span.start_char,
                    end=span.end_char,
                    type=candidate.type,
                    evidence=span.text,
                    date=_date(
                        timexes,
                        candidate.anchor,
                        span.start_char,
                        span.end_char,
                        triggers,
                        statement=candidate.type == "statement",
                        previous=previous,
                        context=context,
                    ),
                    place=_place(places, start, end, actors),
                    actors=actors,
                )
            )
            told_in.append(number)
        dated.extend(told)
    return _weeks_narrowed(events, told_in, sentences, breaks, timexes, doc._.reference_date)


def _weeks_narrowed(
    events: list[Event], told_in: list[int], sentences: list[Span], breaks: list[int], timexes: list[Timex],
    reference: date | None,
) -> list[Event]:
    """An event planned for a coming week takes the day the next sentence gives inside that
    week, when that sentence tells no event of its own: "Biden will travel to Belgium next week.
    The president is scheduled to go to Brussels on March 24" puts the trip on 24 March. (A past
    week is left alone: the day told after it is more often another event of that week.)"""
    if reference is None:
        return events
    busy = set(told_in)
    narrowed = list(events)
    for i, (event, number) in enumerate(zip(events, told_in)):
        if not event.date or not _WEEK.match(event.date) or number + 1 >= len(sentences) or number + 1 in busy:
            continue
        sent, following = sentences[number], sentences[number + 1]
        if bisect.bisect_left(breaks, sent.start) != bisect.bisect_left(breaks, following.start):
            continue  # another paragraph
        year, week = int(event.date[:4]), int(event.date[6:])
        if (year, week) <= reference.isocalendar()[:2]:
            continue
        days = {
            t.value for t in timexes
            if following.start_char <= t.start < following.end_char and t.value and _DAY.match(t.value)
            and date.fromisoformat(t.value).isocalendar()[:2] == (year, week)
        }
        if len(days) == 1:
            narrowed[i] = replace(event, date=days.pop())
    return narrowed


class EventExtractor:
    """spaCy component: writes ``find_events`` to ``doc._.events`` and ``doc.spans["events"]``
    (labelled with the event type, each span holding its record as ``span._.event``)."""

    def __init__(self, detector: str = "model") -> None:
        if detector not in DETECTORS:
            raise ValueError(f"unknown event detector {detector!r}: use one of {', '.join(DETECTORS)}")
        self.triggers = load_triggers()
        self.model = load_event_model() if detector == "model" else None

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = find_events(doc, self.triggers, self.model)
        write_record_spans(doc, "events", doc._.events, "event", lambda e: e.type)
        return doc
