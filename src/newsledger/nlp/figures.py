"""The claims ledger: numbers about the war's toll, movement of people, forces, materiel and aid.

``find_figures`` finds number candidates first (``numbers.find_numbers``),
then reads each one's meaning off the parse around it: the counted noun
(``dozens of aircraft``, an elided "160,000 have become displaced"), the
metric from the noun and the verbs that govern or modify it ("7,000 Russian
soldiers have lost their lives" is killed), the qualifier from the words
before the number, the side from the noun phrase, the place from the
clause, the claimant (``claimants.find_claimant``) and the as-of date
(``asof.as_of_and_since``). A number with no conflict metric is not a figure.
``FigureExtractor`` writes the records to ``doc._.figures`` and their spans
to ``doc.spans["figures"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from newsledger import vocabulary
from newsledger.models import Figure
from newsledger.nlp import syntax
from newsledger.nlp.asof import as_of_and_since
from newsledger.nlp.claimants import (
    Claim,
    claimant_according_to,
    claimant_data,
    find_claimant,
)
from newsledger.nlp.numbers import NumberMention, find_numbers, reason_not_count
from newsledger.nlp.rules import load_rules
from newsledger.nlp.spans import write_record_spans

__all__ = ["FigureExtractor", "find_figures"]

_LOSE = {"lose", "loss"}
_PLACE_PREPS = {"in", "into", "to", "from", "across", "at", "near", "around", "inside", "towards", "toward", "throughout"}
_DEST_PREPS = {"into", "to", "towards", "toward"}
_PLACE_LABELS = syntax.PLACE_LABELS
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_CLAUSE_DEPS = {"conj", "ccomp", "advcl", "pcomp", "parataxis"}  # a verb here with a subject of its own is a clause of its own
_MODEL_NAME = re.compile(r"^[A-Za-z]{1,4}-\d+[A-Za-z0-9]*$")


@dataclass(frozen=True, slots=True)
class _MetricTables:
    """What the figure reader needs of the metrics table (``vocabulary``), computed once per table."""

    lexicon: dict[str, dict[str, str]]  # part ("verbs", "nouns", "adjectives") -> word -> metric
    by_kind: dict[str, frozenset[str]]  # kind of counted noun -> the metrics it can take
    person: frozenset[str]  # tolls of people


@lru_cache(maxsize=4)
def _tables_of(table: tuple[vocabulary.Metric, ...]) -> _MetricTables:
    lexicon: dict[str, dict[str, str]] = {"verbs": {}, "nouns": {}, "adjectives": {}}
    for metric in table:
        for part, words in (("verbs", metric.verbs), ("nouns", metric.nouns), ("adjectives", metric.adjectives)):
            for word in words:
                lexicon[part].setdefault(word, metric.name)
    by_kind = {kind: frozenset(m.name for m in table if kind in m.kinds) for kind in vocabulary.KINDS}
    by_kind["other"] = frozenset()
    return _MetricTables(lexicon, by_kind, frozenset(m.name for m in table if m.person))


def _tables() -> _MetricTables:
    return _tables_of(tuple(vocabulary.metrics().values()))


def _lexicon() -> dict[str, dict[str, str]]:
    """Word -> metric, per part: ``verbs``, ``nouns``, ``adjectives``."""
    return _tables().lexicon


@lru_cache(maxsize=None)
def _kinds() -> dict[str, str]:
    populations = load_rules("figure_metrics")["populations"]
    return {word: kind for kind in ("materiel", "transport", "forces", "persons", "money") for word in populations[kind]}


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the parse says about one number."""

    noun: Token | None  # the counted noun, None when elided ("160,000 have fled")
    head: Token  # head of the noun phrase holding the number
    metric: str
    evidence: Token  # the word that gave the metric
    kind: str
    named_by: Token | None = None  # for "the number ...": the word before it that said what is counted


def _lemma(token: Token) -> str:
    return token.lemma_.lower() if token.lemma_ else token.lower_


def _forms(token: Token) -> list[str]:
    """Ways to look a word up: its lemma, as written, and a plain singular (the lemmatizer reads "corpses" as "corps")."""
    word = token.lower_
    forms = [_lemma(token), word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    return forms


def _lookup(table: dict, token: Token):
    for form in _forms(token):
        if form in table:
            return table[form]
    return None


def _span_head(doc: Doc, mention: NumberMention) -> Token:
    span = doc[mention.start : mention.end]
    for token in span:
        if not (mention.start <= token.head.i < mention.end) or token.head.i == token.i:
            return token
    return span[-1]


def _counted_noun(doc: Doc, mention: NumberMention, head: Token) -> Token | None:
    in_span = set(range(mention.start, mention.end))
    for token in doc[mention.start : mention.end]:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i >= mention.end - 1:
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects and objects[0].pos_ in {"NOUN", "PROPN", "PRON"}:
                    return objects[0]
    if mention.end < len(doc) and doc[mention.end].lower_ == "of" and mention.vague:
        for token in doc[mention.end + 1 : min(len(doc), mention.end + 6)]:
            if token.pos_ in {"NOUN", "PROPN"}:
                return _noun_chain_head(token)
    token = head
    if token.dep_ in {"nummod", "quantmod", "compound", "amod", "nmod", "npadvmod", "advmod"} and token.head.i not in in_span:
        parent = token.head
        if parent.lower_ == "strong" or parent.pos_ in {"ADJ"} and parent.dep_ == "amod":
            parent = parent.head
        if parent.pos_ in {"NOUN", "PROPN"} or parent.pos_ == "NUM" and parent.head.pos_ in {"NOUN", "PROPN"}:
            return _noun_chain_head(parent)
        if _MODEL_NAME.match(parent.text):
            return parent  # "12 Su-34s", whatever the tagger calls it
    return None


def _in_a_name(doc: Doc, mention: NumberMention, noun: Token) -> bool:
    """ "Pads 4 Refugees", "Apollo 11 Mission": a number inside a proper name counts nothing."""
    before = doc[mention.start - 1] if mention.start > 0 else None
    return noun.pos_ == "PROPN" and noun.is_title and before is not None and before.pos_ == "PROPN" and before.is_title


def _own_family(noun: Token, mention: NumberMention) -> bool:
    """ "Her two adult children remain in Kyiv": a count of someone's own kin is no toll."""
    kin = load_rules("figure_metrics")["kin_nouns"]["nouns"]
    return mention.value < 10 and _lemma(noun) in kin and any(c.dep_ == "poss" for c in noun.children)


def _noun_chain_head(token: Token) -> Token:
    steps = 0
    while token.dep_ in {"compound", "nummod", "amod"} and token.head.pos_ in {"NOUN", "PROPN"} and token.head.i > token.i and steps < 4:
        token, steps = token.head, steps + 1
    return token


def _kind(noun: Token | None) -> str:
    if noun is None:
        return "elided"
    kinds = _kinds()
    found = _lookup(kinds, noun)
    if found is not None:
        return found
    compound = " ".join(t.lower_ for t in noun.lefts if t.dep_ == "compound") + " " + noun.lower_
    if compound.strip() in kinds:
        return kinds[compound.strip()]
    if noun.ent_type_ == "NORP" or noun.pos_ == "PRON" or noun.lower_ in {"others", "ones"}:
        return "persons"
    if noun.lower_.endswith(("ians", "ists", "ees", "ans")):
        return "persons"  # civilians, journalists, evacuees, Afghans
    if noun.ent_type_ == "PRODUCT" or _MODEL_NAME.match(noun.text):
        return "materiel"  # "15 Su-25s", "three T-72s"
    return "other"


def _metric_of(token: Token, part: str, kind: str) -> str | None:
    lemma = _lemma(token)
    lexicon = _lexicon()[part]
    if lemma in _LOSE or token.lower_ in {"lost", "losses"}:
        if kind in {"persons", "forces", "elided"}:
            return "killed"
        return "materiel" if kind == "materiel" else None
    if kind == "transport" and part == "verbs" and lemma in load_rules("figure_metrics")["transport_verbs"]["verbs"]:
        return "evacuated"
    metric = _lookup(lexicon, token)
    if metric is None:
        return None
    if metric == "deployed" and lemma in {"send", "move"} | set(load_rules("figure_metrics")["arrival_verbs"]["verbs"]) and kind in {"persons", "elided"}:
        # people (not troops) arriving or pouring into a place are refugees; "who have poured their hearts
        # into the company" arrive nowhere
        arriving = lemma in load_rules("figure_metrics")["arrival_verbs"]["verbs"] and not any(
            c.dep_ == "dobj" and c.pos_ == "NOUN" and c.ent_type_ not in _PLACE_LABELS for c in token.children)
        return "fled" if arriving else None
    if metric == "deployed" and lemma == "send" and kind in {"money", "materiel"}:
        return "aid"  # weapons or money sent are aid; troops sent are deployed
    if metric == "deployed" and kind == "persons" and lemma not in load_rules("figure_metrics")["people_deployment_verbs"]["verbs"]:
        return None  # "dozens of protesters gathered" are a crowd, not a force
    if metric == "deployed" and kind == "elided" and lemma in load_rules("figure_metrics")["force_verbs"]["verbs"]:
        return metric  # "nearly 200,000 surround the country": only troops are massed or stationed
    if metric not in _tables().by_kind[kind]:
        return None
    return metric


def _noun_metric(noun: Token, kind: str) -> str | None:
    """A counted noun that names the toll itself: deaths, casualties, refugees."""
    lemma = _lemma(noun)
    metric = _lookup(_lexicon()["nouns"], noun)
    if lemma == "crossing" and any(c.dep_ == "compound" for c in noun.children):
        return None  # "two border crossings" are checkpoints; "2.2 million crossing into Poland" are people
    if lemma in {"loss", "losses"}:
        metric = "materiel" if kind == "materiel" else "killed"
    elif metric == "deployed" or lemma in {"life", "toll", "support", "need"}:
        return None
    if metric is not None and kind in {"money", "materiel", "transport"} and metric not in _tables().by_kind[kind]:
        return None  # "economic losses of $543 billion" are no deaths
    return metric


def _verb_metric(verb: Token, kind: str, exclude: set[int]) -> tuple[str, Token] | None:
    """The metric a verb (or its predicate, object or conjoined verb) gives to a number it governs."""
    lemma = _lemma(verb)
    if lemma in _LOSE:
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if objects and _lemma(objects[0]) == "life":
            return "killed", verb
    complement = _complement_metric(verb, kind, exclude)
    if complement is not None:
        if complement[0] == "fled" and _left_home_only(complement[1]):
            return "displaced", complement[1]  # "have been forced to leave their homes"
        return complement
    if lemma == "leave" and kind in {"persons", "elided"} and any(_without(c) for c in verb.children):
        return "affected", verb  # "thousands have been left without electricity"
    if kind in {"persons", "elided"} and lemma == "take" and any(
        c.dep_ == "dobj" and c.lower_ in load_rules("figure_metrics")["taking_cover"]["objects"] for c in verb.children
    ):
        return "affected", verb  # "up to 1,000 civilians are taking cover in the plant"
    if kind in {"persons", "elided"} and any(c.dep_ in {"xcomp", "advcl"} and _lemma(c) == "fight" for c in verb.children):
        return "deployed", verb  # "more than 20,000 volunteers have joined up to fight"
    if kind in {"persons", "elided"} and _remaining(verb):
        return "affected", verb  # "more than 100,000 people remain in the city", "1,300 people believed to be inside"
    if lemma == "hold" and not _custody(verb):
        return None  # "the stadium holds 110,000 people"
    if lemma == "leave" and verb.dep_ in {"acl", "amod"} and verb.tag_ in {"VBN", "VBD"} and _remaining_left(verb):
        return "affected", verb  # "more than 150,000 residents left inside Mariupol": those who stay
    taken = [c for c in verb.children if c.i in exclude and (c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ == "in")]
    if kind in {"persons", "elided"} and taken and _host_place(verb) is not None:
        return "fled", verb  # "Romania has taken in 600,000", "Moldova hosts 350,000"
    part = "verbs" if verb.pos_ in {"VERB", "AUX"} else "adjectives"
    metric = _metric_of(verb, part, kind)
    if metric is None and (verb.pos_ == "ADJ" or verb.tag_ in {"VBG", "VBN"}):
        metric = _metric_of(verb, "adjectives", kind)  # "50 are missing", parsed as a verb
    if metric in {"killed", "injured"} and _killed_and_injured(verb, kind):
        return "casualties", verb
    if metric == "fled" and _left_home_only(verb):
        return "displaced", verb
    if metric is not None:
        return metric, verb
    for child in verb.children:
        if _without(child) and kind in {"persons", "elided"}:
            return "affected", child
        if kind in {"persons", "forces", "elided"}:
            found = _prep_metric(child)
            if found is not None:
                return found
    for child in verb.children:
        if child.i in exclude:
            continue
        if child.dep_ in {"acomp", "oprd", "xcomp", "ccomp", "advcl"} and child.pos_ in {"ADJ", "VERB"}:
            if child.dep_ in _CLAUSE_DEPS and _about_others(child) or _has_own_number(child, exclude):
                # "were at the station as residents are being evacuated", "forced 10 million from their
                # homes as well as killing thousands": that clause counts others
                continue
            sub = _metric_of(child, "adjectives" if child.pos_ == "ADJ" else "verbs", kind)
            if sub is None and child.pos_ == "VERB" and child.dep_ == "xcomp":
                inner = _verb_metric(child, kind, exclude)
                sub = inner[0] if inner else None
            if sub is not None:
                return sub, child
        if child.dep_ in {"nsubj", "nsubjpass", "dobj", "oprd", "attr"} and child.pos_ in {"NOUN", "PROPN"}:
            # "5 million could be made refugees", "2 million are now refugees"
            for noun in [child] + _counting_compounds(child) + _of_objects(child):
                sub = _noun_metric(noun, kind) or (_metric_of(noun, "nouns", kind) if _lemma(noun) == "toll" else None)
                if sub == "aid" and kind in {"persons", "elided"}:
                    sub = "affected" if _lemma(verb) in {"need", "require", "lack", "await"} else None  # "12 million will need aid"
                if sub is None and _lemma(verb) == "need" and _lemma(noun) in {"help", "aid", "assistance", "food", "water"}:
                    sub = "affected"  # "millions of people need help"
                if sub == "fled" and _lemma(noun) == "refuge" and not _abroad(verb):
                    sub = "affected"  # "took refuge underground" is sheltering, "sought refuge in Poland" is flight
                if sub is not None and sub != "deployed":
                    return sub, noun
    return None


def _agent_of(verb: Token, kind: str) -> bool:
    """Whether people counted as the active subject of ``verb`` did to its object what it says: then its
    metric ("killed", "captured", "held") befalls the object, not them."""
    if kind not in {"persons", "forces", "elided"} or _lemma(verb) in _LOSE:
        return False
    if not any(c.dep_ == "dobj" for c in verb.children):
        return False
    return _metric_of(verb, "verbs", "persons") in {"killed", "injured", "captured", "detained", "evacuated", "displaced"}


def _counting_compounds(noun: Token) -> list[Token]:
    """The compound words of a noun that counts ("the refugee number", "the death toll"), none for a body
    named after what it deals with: "the UN refugee agency said" is a source, not a count of refugees."""
    counting = load_rules("figure_metrics")["quantity_anaphors"]["nouns"] + load_rules("figure_metrics")["collective_nouns"]["nouns"]
    if _lemma(noun) not in counting and _lemma(noun) != "toll":
        return []
    return [c for c in noun.children if c.dep_ == "compound"]


def _returning(phrase: Token) -> bool:
    """Whether what the counted people did is come back ("200,000 refugees have returned");
    "soldiers who returned from the front were killed" are still counted as killed."""
    verb = phrase.head
    return phrase.dep_ in {"nsubj", "nsubjpass"} and _lemma(verb) == "return" and verb.pos_ in {"VERB", "AUX"}


def _left_home_only(verb: Token) -> bool:
    """ "10 million have fled their homes": leaving home, no border named, counts the displaced
    (SPEC: fled is leaving the country); "fled their homes for Poland" stays fled."""
    homes = [c for c in verb.children if c.dep_ == "dobj" and _lemma(c) == "home"]
    verbs = [verb] + [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    return bool(homes) and not any(_abroad(v) or _abroad(homes[0]) for v in verbs)


def _abroad(verb: Token) -> bool:
    """Whether the verb sends its subject to a named country or city ("in Poland", "to Germany", "abroad");
    the country the war is in is not abroad ("fled their homes in Ukraine")."""
    home = set(load_rules("figure_metrics")["home_country"]["names"])
    for child in verb.children:
        if child.lower_ == "abroad":
            return True
        if child.dep_ == "prep" and (child.lower_ in _PLACE_PREPS or child.lower_ == "for"):  # "for Poland"
            if any(obj.dep_ == "pobj" and obj.ent_type_ in {"GPE", "LOC"} and obj.text not in home for obj in child.children):
                return True
    return False


def _complement_metric(verb: Token, kind: str, exclude: set[int]) -> tuple[str, Token] | None:
    """A predicate says more than its verb: "leaving 23 civilians dead", "have become displaced"."""
    for child in verb.children:
        if child.i not in exclude and child.dep_ in {"acomp", "oprd", "xcomp"} and child.pos_ in {"ADJ", "VERB"}:
            if _has_own_number(child, exclude):
                continue  # "forced 10 million from their homes as well as killing thousands": its own count's
            metric = _metric_of(child, "adjectives", kind) or _metric_of(child, "verbs", kind)
            if metric is not None:
                return metric, child
    return None


def _killed_and_injured(verb: Token, kind: str) -> bool:
    """ "killed and wounded dozens": two coordinated verbs side by side sharing one count."""
    partners = [c for c in verb.children if c.dep_ == "conj"]
    if verb.dep_ == "conj":
        partners.append(verb.head)
    wanted = {"killed", "injured"} - {_metric_of(verb, "verbs", kind)}
    for partner in partners:
        if abs(partner.i - verb.i) <= 3 and _metric_of(partner, "verbs", kind) in wanted:
            between = verb.doc[min(partner.i, verb.i) + 1 : max(partner.i, verb.i)]
            if all(t.lower_ in {"and", "or", ","} for t in between):
                return True
    return False


def _without(prep: Token) -> bool:
    """ "without water", "with little access to food", "at risk", "in need": people cut off from what they need."""
    if prep.dep_ != "prep":
        return False
    if prep.lower_ == "without":
        return True
    plight = load_rules("figure_metrics")["plight_phrases"].get(prep.lower_, ())
    if any(c.dep_ == "pobj" and _lemma(c) in plight for c in prep.children):
        return True
    if prep.lower_ == "with":
        for obj in prep.children:
            if obj.dep_ == "pobj" and _lemma(obj) == "access":
                return any(m.lower_ in {"little", "no", "limited", "scarce", "without"} for m in obj.children)
    return False


def _custody(verb: Token) -> bool:
    """Whether "hold" keeps people in custody: passive ("are being held"), or said of police, forces or a
    named country or body."""
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
        return True
    subject = _verb_subject(verb)
    if subject is None:
        return False  # "a mass grave holding about 200 victims"
    custodians = load_rules("figure_metrics")["custodians"]["nouns"]
    return subject.ent_type_ in {"GPE", "ORG", "NORP"} or _lemma(subject) in custodians or subject.lower_ in custodians


def _remaining_left(verb: Token) -> bool:
    """ "residents left inside the city", "people left in Mariupol": a participle of staying, not of leaving."""
    return any(c.dep_ == "advmod" and c.lower_ in {"inside", "behind", "there"} or c.dep_ == "prep" and c.lower_ in {"in", "inside"}
               for c in verb.children) and not any(c.dep_ == "dobj" for c in verb.children)


def _remaining(verb: Token) -> bool:
    """Whether the verb keeps its subject in a place: "remain in Mariupol", "are inside", "were in the basement"."""
    rules = load_rules("figure_metrics")["remaining"]
    lemma = _lemma(verb)
    if lemma not in rules["verbs"] and lemma != "be":
        return False
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ in rules["adverbs"]:
            return True
        if child.dep_ == "prep" and child.lower_ in {"in", "inside", "at", "under"}:
            objects = [o for o in child.children if o.dep_ == "pobj"]
            if lemma in rules["verbs"] and objects:
                return True
            if child.lower_ != "at" and any(_lemma(o) in rules["shelters"] for o in objects):
                return True  # "were in the basement"; "were at the hospital when ..." is only where they were
    return False


def _prep_metric(prep: Token) -> tuple[str, Token] | None:
    """ "14 children have been among the dead", "five people were rushed to hospital": a phrase that says what befell them."""
    if prep.dep_ != "prep":
        return None
    for obj in prep.children:
        if obj.dep_ != "pobj":
            continue
        if prep.lower_ in {"among", "amongst"}:
            metric = _noun_metric(obj, "persons")
            if metric is not None:
                return metric, obj
        if prep.lower_ in {"to", "in"} and obj.lower_ in load_rules("figure_metrics")["care_places"]["nouns"]:
            return "injured", obj
    return None


def _of_objects(noun: Token) -> list[Token]:
    return [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]


def _subject_of(verb: Token) -> Token | None:
    """The verb's own written subject ("there" included), None when it shares one with the verb it hangs from.

    An infinitive has none of its own: in "recruit 60,000 soldiers to join the fight" the parse may make
    the soldiers the subject of "join", but they are what "recruit" counts.
    """
    if verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None
    return syntax.subject(verb, _SUBJECT_DEPS)


def _anaphor(noun: Token) -> bool:
    """ "the number", "conservative figures": a noun for a count named before, with nothing of its own to say what."""
    if _lemma(noun) not in load_rules("figure_metrics")["quantity_anaphors"]["nouns"]:
        return False
    return not _of_objects(noun) and not any(c.dep_ in {"compound", "poss"} for c in noun.children)


def _about_others(clause: Token) -> bool:
    """Whether a clause has its own people as subject, so its verb says what happened to them, not to a count outside it.

    "as residents are being evacuated" is about the residents; "strikes killed ..." names a cause and may still be a count's.
    """
    subject = _subject_of(clause)
    if subject is None:
        return False
    return subject.dep_ == "nsubjpass" or _kind(subject) in {"persons", "forces"}


def _has_own_number(verb: Token, exclude: set[int]) -> bool:
    vague = load_rules("figure_number_words")["vague"]
    return any((t.like_num or t.lower_ in vague) and t.i not in exclude
               for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"} for t in c.subtree)


def _governing_metric(np_head: Token, kind: str, exclude: set[int]) -> tuple[str, Token, Token | None] | None:
    """Climb from the noun phrase through its clause (not into another noun's clause) to a metric word.

    Through "the number" the metric is the count's told before, but the evidence stays in the count's
    own clause: "the number could rise to 4 million" is quoted, and read for a forecast, on its own.
    """
    through: list[Token] = []
    found = _climb_to_metric(np_head, kind, exclude, through)
    if found is None:
        return None
    if through:
        return found[0], through[0], found[1]
    return found[0], found[1], None


def _climb_to_metric(np_head: Token, kind: str, exclude: set[int], through: list[Token]) -> tuple[str, Token] | None:
    report = set(claimant_data()["report_verbs"])
    token = np_head
    steps = 0
    while steps < 8:
        parent, dep = token.head, token.dep_
        if parent.i == token.i:
            return None
        if dep in {"acl", "relcl", "appos"} and token is not np_head:
            return None
        if parent.pos_ in {"NOUN", "PROPN", "PRON", "NUM"}:
            if dep in {"conj", "compound", "nummod", "nmod", "quantmod"} or (dep == "appos" and token is np_head):
                token = parent
                steps += dep != "conj"  # a list of any length is one step: "lost 838 tanks, ..., 76 trucks"
                continue
            return None
        steps += 1
        if parent.lower_ == "including" and parent.head.pos_ in {"NOUN", "PROPN", "PRON"}:
            # "targets ..., including nearly 10 airfields": the part takes the whole's verb
            token = parent.head
            continue
        if parent.pos_ == "ADP":
            governor = parent.head
            if governor.pos_ in {"NOUN", "PROPN"}:
                if parent.lower_ != "of":
                    return None
                metric = _noun_metric(governor, kind) or _metric_of(governor, "nouns", kind)
                if metric is not None and metric != "deployed":
                    return metric, governor
                groups = load_rules("figure_metrics")["collective_nouns"]["nouns"] + load_rules("figure_metrics")["partitive_nouns"]["nouns"]
                if _lemma(governor) in groups or governor.lower_ in groups:
                    # "a convoy of 30 buses left", "a quarter of the 41,000 Ukrainians granted visas":
                    # the group's or the part's verb is the count's
                    token = governor
                    continue
            token = parent
            continue
        if parent.pos_ in {"VERB", "AUX", "ADJ"}:
            if dep == "nsubj" and _agent_of(parent, kind):
                return None  # "one holding a picture", "50 soldiers captured the airport": the count did it
            found = _verb_metric(parent, kind, exclude | {token.i})
            if found:
                return found
            if _lemma(parent) in report and parent.pos_ == "VERB":
                return None
            subject = _subject_of(parent) if parent.dep_ in _CLAUSE_DEPS else None
            if subject is not None and _anaphor(subject):
                through.append(subject)
            elif subject is not None:
                # "..., and 13 million people have been affected", "as thousands await passage":
                # the count's own clause has said what it is about; the clause above is another statement.
                # "Estimates of deaths vary, but even conservative figures are in the low thousands": the
                # figures are the estimates, so the clause above still says what is counted.
                return None
            if parent.pos_ == "AUX" or parent.dep_ in {"aux", "auxpass", "xcomp", "conj", "ccomp", "advcl", "pcomp", "prep"}:
                token = parent
                continue
            return None
        token = parent
    return None


def _quantity_noun(head: Token, kind: str, previous: str | None = None) -> tuple[str, Token] | None:
    """ "the death toll rose to 352": the noun a verb of quantity sets the number against, with its metric.

    A bare "the number" ("there were 2.2 million refugees and the number could rise to 4 million")
    stands for the count told just before it, whose metric is ``previous``.
    """
    verbs = set(load_rules("figure_metrics")["quantity_verbs"]["verbs"])
    token = head
    if token.dep_ == "pobj" and token.head.pos_ == "ADP":
        token = token.head
    if token.dep_ == "prep" and token.head.pos_ == "ADJ" and token.head.dep_ in {"acomp", "advmod"}:
        token = token.head  # "could reach as high as 10 million"
    verb = token.head
    if token.dep_ not in {"dobj", "attr", "prep", "npadvmod", "oprd", "acomp", "advmod"} or _lemma(verb) not in verbs:
        return None
    candidates = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if verb.dep_ in {"acl", "relcl"}:
        candidates.append(verb.head)
    if not candidates and verb.dep_ == "xcomp":
        # "the number of refugees is expected to reach 1.5 million": the subject of the verb it completes
        candidates = [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    table = load_rules("figure_metrics")["population_metric"]
    for noun in candidates:
        for candidate in [noun] + _of_objects(noun) + [c for c in noun.children if c.dep_ == "compound"]:
            metric = _noun_metric(candidate, "persons") or _lookup(table, candidate)
            if metric is not None:
                return metric, candidate
        for people in _of_objects(noun):
            # "the number of people who have fled the country has reached 1.45 million"
            for clause in people.children:
                if clause.dep_ in {"relcl", "acl"} and clause.pos_ == "VERB":
                    found = _verb_metric(clause, _kind(people), set())
                    if found is not None:
                        return found[0], people
    for noun in candidates:
        if previous is not None and _anaphor(noun):
            return previous, noun
    return None


def _next_predicate(doc: Doc, i: int, kind: str) -> tuple[str, Token] | None:
    auxiliaries = {"were", "was", "are", "is", "have", "has", "had", "been", "be", "being", "reportedly", "also", "all"}
    while i < len(doc) and doc[i].lower_ in auxiliaries:
        i += 1
    if i < len(doc) and doc[i].pos_ in {"VERB", "ADJ"}:
        metric = _metric_of(doc[i], "verbs", kind) or _metric_of(doc[i], "adjectives", kind)
        if metric is not None:
            return metric, doc[i]
    return None


def _money_for_aid(doc: Doc, mention: NumberMention, head: Token) -> Token | None:
    """The aid or weapons a sum is "in", "of" or "for", or the country at war it is for ("$33 billion for Ukraine")."""
    after = mention.end + 1 if mention.end < len(doc) and doc[mention.end].lower_ in {"more", "worth"} else mention.end
    owners = list(doc[mention.start : after]) + ([head.head] if head.head.pos_ == "NOUN" else [])
    preps = [p for owner in owners for p in owner.children if p.dep_ == "prep"]
    if after < len(doc) and doc[after].dep_ == "prep":
        preps.append(doc[after])  # the parse may hang "in military aid" on the verb
    home = set(load_rules("figure_metrics")["home_country"]["names"])
    for prep in preps:
        if prep.lower_ not in {"in", "of", "for", "to"}:
            continue
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            if prep.lower_ != "to" and (_lookup(_lexicon()["nouns"], obj) == "aid" or _kind(obj) == "materiel"):
                return obj
            if prep.lower_ in {"for", "to"} and obj.text in home:
                return obj
    return None


def _currency(doc: Doc, mention: NumberMention) -> str | None:
    """What a sum is counted in: "$" is dollars, "£100m" pounds, "5 million euros" euros."""
    names = load_rules("figure_metrics")["currency_populations"]
    before = doc[mention.start - 1].text if mention.start > 0 else ""
    after = doc[mention.end].lower_ if mention.end < len(doc) else ""
    return names.get(before) or names.get(after)


def _word_before(doc: Doc, mention: NumberMention) -> str:
    """ "mother of two": a count after "of" belongs to the noun before it."""
    return doc[mention.start - 1].lower_ if mention.start > 0 else ""


def _past_parenthetical(doc: Doc, i: int) -> int:
    """The index after an aside set off by dashes or commas ("at least 10 - including six doctors - were injured")."""
    if i + 1 >= len(doc) or doc[i].text not in {"-", "—", "–", ","} or doc[i + 1].lower_ != "including":
        return i
    for j in range(i + 2, min(len(doc), i + 12)):
        if doc[j].text == doc[i].text or doc[j].text in {"-", "—", "–"} and doc[i].text in {"-", "—", "–"}:
            return j + 1
    return i


def _participle_after(doc: Doc, i: int, kind: str) -> tuple[str, Token] | None:
    """ "25 killed", "17 more injured", "3 million more have fled": a participle right after a count with no noun is its metric."""
    if i < len(doc) and doc[i].lower_ == "more":
        i += 1
    i = _past_parenthetical(doc, i)
    while i < len(doc) and (doc[i].lower_ in {"have", "has", "had", "were", "was", "are", "been", "being"}
                            or doc[i].tag_ == "RB" and i + 1 < len(doc) and doc[i + 1].tag_ == "VBN"):
        i += 1  # "7 million were internally displaced"
    if i >= len(doc) or doc[i].tag_ not in {"VBN", "JJ", "VBD"}:
        return None
    token = doc[i]
    if any(_without(c) for c in token.children):
        return ("affected", token) if kind in {"persons", "elided"} else None
    metric = _metric_of(token, "adjectives", kind) or _metric_of(token, "verbs", kind)
    if metric == "fled" and _left_home_only(token):
        return "displaced", token  # "10 million have fled their homes"
    if metric in {"killed", "injured", "missing", "captured", "detained", "fled", "displaced", "evacuated", "affected"}:
        return metric, token
    return None


def _read(doc: Doc, mention: NumberMention, previous: str | None = None) -> _Reading | None:
    """The meaning of the count at ``mention``; ``previous`` is the metric of the figure told just before it."""
    reading = _read_metric(doc, mention, previous)
    if reading is not None and reading.metric == "captured" and reading.noun is not None \
            and _lemma(reading.noun) in load_rules("figure_metrics")["detainees"]["nouns"]:
        return replace(reading, metric="detained")  # "police held more than 900 demonstrators"
    return reading


@dataclass(frozen=True, slots=True)
class _Count:
    """One number and what every reading strategy starts from."""

    doc: Doc
    mention: NumberMention
    head: Token  # head of the number's own words
    noun: Token | None  # the counted noun, None when elided
    kind: str  # what is counted: persons, forces, elided, materiel, transport, money
    np_head: Token  # head of the noun phrase holding the number
    exclude: frozenset[int]  # the number's own tokens
    previous: str | None  # the metric of the figure told just before


def _count(doc: Doc, mention: NumberMention, previous: str | None) -> _Count | None:
    """The number at ``mention`` with its counted noun and kind, or None when it counts nothing of the war."""
    head = _span_head(doc, mention)
    noun = _counted_noun(doc, mention, head)
    kind = "money" if mention.money else _kind(noun)
    if noun is None and head.dep_ in {"appos", "npadvmod"}:
        # "Six F-35s will arrive ..., two to each country": a share of the noun it stands beside
        whole = head.head if head.head.pos_ in {"NOUN", "PROPN"} else _subject_of(head.head)
        if whole is not None and whole.pos_ in {"NOUN", "PROPN"} and _kind(whole) != "other":
            kind = _kind(whole)
    if kind == "other" or (noun is not None and (_in_a_name(doc, mention, noun) or _own_family(noun, mention))):
        return None
    partitive = noun is not None and noun.i >= mention.end and any(t.lower_ == "of" for t in doc[mention.end - 1 : noun.i])
    np_head = head if noun is None or partitive else noun
    if _returning(np_head):
        return None  # "870,000 people who fled had returned to Ukraine": returnees are no toll
    return _Count(doc, mention, head, noun, kind, np_head, frozenset(range(mention.start, mention.end)), previous)


def _reading(count: _Count, metric: str, evidence: Token, named_by: Token | None = None) -> _Reading:
    return _Reading(count.noun, count.np_head, metric, evidence, count.kind, named_by)


def _toll_noun(count: _Count) -> _Reading | None:
    """The noun names the toll: "406 civilian deaths", "3 million refugees"."""
    if count.noun is None:
        return None
    metric = _noun_metric(count.noun, count.kind)
    if metric is not None and metric in _tables().by_kind.get(count.kind, frozenset()) | {"killed", "injured", "casualties", "fled"}:
        return _reading(count, metric, count.noun)
    return None


def _modifier(count: _Count) -> _Reading | None:
    """A verb or adjective modifying the noun: "children displaced", "people trapped", "soldiers who died"."""
    noun, doc, mention = count.noun, count.doc, count.mention
    if noun is None:
        return None
    for child in list(noun.children) + [c for t in doc[mention.start : mention.end] for c in t.children]:
        if _without(child) and count.kind == "persons":
            return _reading(count, "affected", child)
        if child.dep_ in {"acl", "relcl", "amod"} and child.pos_ in {"VERB", "ADJ"}:
            found = _verb_metric(child, count.kind, set(count.exclude))
            if found and found[0] == "deployed":
                # "wiped out the 13 soldiers stationed there": what befell the force is the figure
                governed = _governing_metric(count.np_head, count.kind, set(count.exclude))
                if governed is not None and governed[0] != "deployed":
                    return _reading(count, governed[0], governed[1], governed[2])
            if found:
                return _reading(count, found[0], found[1])
    return None


def _own_clause(count: _Count) -> _Reading | None:
    """A count with no noun and a clause of its own: "9,000 who have entered", "forced millions to flee"."""
    if count.noun is not None:
        return None
    for child in count.head.children:
        if child.dep_ in {"acl", "relcl"} and child.pos_ == "VERB":
            found = _verb_metric(child, count.kind, set(count.exclude))
            if found:
                return _reading(count, found[0], found[1])
    return None


def _aid_money(count: _Count) -> _Reading | None:
    """Money given as aid or weapons: "$800 million in military aid", "£100m for anti-tank weapons"."""
    if count.kind != "money":
        return None
    found = _money_for_aid(count.doc, count.mention, count.head)
    return _reading(count, "aid", found) if found is not None else None


def _bare_participle(count: _Count) -> _Reading | None:
    """A bare count with its participle: "25 killed and 102 wounded", "another 45 wounded"."""
    if count.noun is not None or _word_before(count.doc, count.mention) == "of":
        return None
    found = _participle_after(count.doc, count.mention.end, count.kind)
    return _reading(count, found[0], found[1]) if found is not None else None


def _governing_verb(count: _Count) -> _Reading | None:
    """The verbs governing the phrase, up to the reporting verb: "have been killed", "downed dozens of aircraft"."""
    governed = _governing_metric(count.np_head, count.kind, set(count.exclude))
    return _reading(count, governed[0], governed[1], governed[2]) if governed is not None else None


def _quantity_setter(count: _Count) -> _Reading | None:
    """A count set against a noun by a verb of quantity: "the number of immigrants now surpassing a million"."""
    if count.noun is not None:
        return None
    found = _quantity_noun(count.head, count.kind, count.previous)
    if found is None:
        return None
    if _anaphor(found[1]):
        return _reading(count, found[0], found[1])
    return _Reading(found[1], count.np_head, found[0], found[1], _kind(found[1]))


def _predicate_after(count: _Count) -> _Reading | None:
    """The words right after the phrase, when the parse lost them: "227 Ukrainian civilians were killed"."""
    if count.noun is None or count.kind not in {"persons", "forces"}:
        return None
    found = _next_predicate(count.doc, count.noun.i + 1, count.kind)
    return _reading(count, found[0], found[1]) if found is not None else None


def _noun_alone(count: _Count) -> _Reading | None:
    """The noun alone says what is counted: "some 2,000 Ukrainian fighters", "more than 100 missiles";
    "two soldiers", "ten planes" in a story are people and things, not forces in place."""
    if count.noun is None or count.mention.value <= 1:
        return None
    metric = _lookup(load_rules("figure_metrics")["population_metric"], count.noun)
    if metric is None or metric == "deployed" and count.mention.value < 20:
        return None
    return _reading(count, metric, count.noun)


# The ways to read a count's metric, tried in this order; the first that reads one wins.
_STRATEGIES = (
    _toll_noun,
    _modifier,
    _own_clause,
    _aid_money,
    _bare_participle,
    _governing_verb,
    _quantity_setter,
    _predicate_after,
    _noun_alone,
)


def _read_metric(doc: Doc, mention: NumberMention, previous: str | None = None) -> _Reading | None:
    count = _count(doc, mention, previous)
    if count is None:
        return None
    for strategy in _STRATEGIES:
        reading = strategy(count)
        if reading is not None:
            return reading
    return None


def _qualifier(doc: Doc, mention: NumberMention, sent: Span) -> tuple[str, int]:
    """The qualifier written before (or just after) the number, and where its words start."""
    phrases = load_rules("figure_qualifiers")
    best, best_start = "exact", mention.start
    number_start = mention.start
    if number_start - 1 >= sent.start and doc[number_start - 1].lower_ == "between":
        number_start -= 1
    for qualifier, words in phrases["before"].items():
        for phrase in words:
            tokens = phrase.split()
            start = number_start - len(tokens)
            if start < sent.start:
                continue
            written = [t.lower_ for t in doc[start:number_start]]
            if written == tokens and start < best_start:
                best, best_start = qualifier, start
    if best == "exact":
        for qualifier, words in phrases["after"].items():
            for phrase in words:
                tokens = phrase.split()
                written = [t.lower_ for t in doc[mention.end : mention.end + len(tokens)]]
                if written == tokens:
                    best = qualifier
    if best == "exact" and mention.vague:
        best = "vague"
    return best, best_start


def _side_lookup() -> dict[str, str]:
    words = load_rules("figure_metrics")["side_words"]
    return {w: side for side, ws in words.items() for w in ws}


def _np_side(noun: Token, claimant: str | None) -> str | None:
    """A side written in the noun phrase: "Russian soldiers", "Ukrainians", "Russia's 150,000-strong force", "its soldiers"."""
    lookup = _side_lookup()
    for token in [noun] + [t for t in noun.subtree if t.i < noun.i]:
        for part in token.lower_.replace("-", " ").split():
            if part in lookup:
                return lookup[part]
        if token.lower_ in {"its", "their"} and token.dep_ == "poss" and claimant:
            return _side_of_text(claimant, lookup)
    return None


def _side(reading: _Reading, claimant: str | None) -> str | None:
    lookup = _side_lookup()
    nouns = [reading.noun] if reading.noun is not None else []
    if reading.evidence.pos_ in {"NOUN", "PROPN"} and (reading.noun is None or reading.evidence.i != reading.noun.i):
        nouns.append(reading.evidence)
    if reading.named_by is not None and reading.named_by.pos_ in {"NOUN", "PROPN"}:
        nouns.append(reading.named_by)  # "estimates of Russian deaths vary, but even conservative figures ..."
    for noun in nouns:
        side = _np_side(noun, claimant)
        if side:
            return side
    if reading.metric == "aid":
        return _recipient_side(reading.head.sent, lookup)
    evidence = reading.evidence
    if reading.metric == "deployed" and evidence.pos_ == "VERB" and not any(c.dep_ in {"nsubjpass", "auxpass"} for c in evidence.children):
        subject = _verb_subject(evidence)
        if subject is not None and subject.i != reading.head.i:
            return _side_of_text(" ".join(t.lower_ for t in subject.subtree), lookup)
    if _lemma(evidence) in _LOSE or evidence.lower_ == "lost":
        subjects = [c for c in evidence.children if c.dep_ in {"nsubj", "poss"}]
        for subject in subjects:
            if subject.lower_ in claimant_data()["pronouns"] and claimant:
                return _side_of_text(claimant, lookup)
            side = _side_of_text(" ".join(t.lower_ for t in subject.subtree), lookup)
            if side:
                return side
    if reading.kind in {"forces", "materiel"} and reading.metric != "aid" and not _foreign(reading.noun, lookup):
        # "7,000 extra troops have arrived", "93 warplanes shot down" in a sentence about Russia's
        # forces or losses: forces and materiel belong to the one side the sentence names
        agents = _agent_tokens(reading.evidence) if reading.metric in {"killed", "injured", "casualties", "captured"} else set()
        if reading.head.i in agents:
            agents = set()  # "1,026 soldiers from Ukraine's brigade surrendered": they did it themselves
        other = {"russian": "ukrainian", "ukrainian": "russian"}
        named = {other[lookup[t.lower_]] if t.i in agents else _named_side(t, lookup)
                 for t in reading.head.sent if t.lower_ in lookup} - {None}
        if len(named) == 1:
            return named.pop()
    return None


def _agent_tokens(verb: Token) -> set[int]:
    """The words of who did what ``verb`` says: "Russian warships fired and wiped out the 13 soldiers"."""
    if verb.pos_ != "VERB" or any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
        return set()
    subject = _verb_subject(verb)
    return {t.i for t in subject.subtree} if subject is not None else set()


def _named_side(token: Token, lookup: dict[str, str]) -> str | None:
    """The side a side word speaks for in its sentence: none for a place ("on Ukraine's border"),
    the other side for whoever did it ("killed by Ukrainian forces" counts Russians)."""
    for ancestor in token.ancestors:
        if ancestor.pos_ in {"VERB", "AUX"}:
            break
        if ancestor.dep_ == "agent" or ancestor.dep_ == "prep" and ancestor.lower_ == "by":
            return {"russian": "ukrainian", "ukrainian": "russian"}[lookup[token.lower_]]
        if ancestor.dep_ == "prep" and ancestor.lower_ in _PLACE_PREPS and not (ancestor.lower_ == "from" and ancestor.head.pos_ == "NOUN"):
            return None  # a place, but "soldiers from Ukraine's 36th brigade" are Ukraine's
    return lookup[token.lower_]


def _foreign(noun: Token | None, lookup: dict[str, str]) -> bool:
    """ "nine Chinese aircraft", "thousands of U.S. troops": the counted phrase names a country at neither side."""
    if noun is None:
        return False
    return any(t.ent_type_ in {"NORP", "GPE"} and t.lower_ not in lookup for t in noun.subtree if t.i < noun.i)


def _recipient_side(sent: Span, lookup: dict[str, str]) -> str | None:
    """Aid is counted for the side it goes to: "$800 million in military aid to Ukraine", "weapons for Kyiv".

    The side named after "to" or "for" in the sentence, else the only side the sentence names.
    """
    for token in sent:
        if token.dep_ == "pobj" and token.head.lower_ in {"to", "for"} and token.lower_ in lookup:
            return lookup[token.lower_]
    named = {lookup[t.lower_] for t in sent if t.lower_ in lookup}
    return named.pop() if len(named) == 1 else None


_ACTIVE_SUBJECT = frozenset({"nsubj"})
_SHARED_SUBJECT = syntax.through({"xcomp", "conj"})


def _verb_subject(verb: Token) -> Token | None:
    """The active subject of ``verb``, or of the verb it completes or is conjoined to."""
    return syntax.subject(verb, _ACTIVE_SUBJECT, _SHARED_SUBJECT, steps=2)


def _side_of_text(text: str, lookup: dict[str, str]) -> str | None:
    for part in text.lower().replace("’", "'").replace("'s", "").replace("-", " ").split():
        if part in lookup:
            return lookup[part]
    return None


def _host_place(verb: Token) -> str | None:
    """The country or city a verb of taking people in has as its subject: "Romania has taken in", "Poland, which received"."""
    if _lemma(verb) not in load_rules("figure_metrics")["host_verbs"]["verbs"]:
        return None
    if _lemma(verb) == "take" and not any(c.dep_ in {"prt", "prep"} and c.lower_ == "in" for c in verb.children):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.lower_ in claimant_data()["relative_pronouns"] and verb.dep_ == "relcl":
        subject = verb.head
    if subject is not None and syntax.is_place(subject, "in"):
        return syntax.entity_text(subject)
    return None


def _host(reading: _Reading) -> str | None:
    """ "Romania has taken in 600,000 refugees": the place that took them in."""
    head = reading.head
    if reading.metric not in {"fled", "evacuated"} or head.dep_ not in {"dobj", "pobj"}:
        return None
    verb = head.head.head if head.dep_ == "pobj" and head.head.lower_ == "in" else head.head
    return _host_place(verb)


def _place(reading: _Reading, sent: Span) -> str | None:
    """Where it happened or where they went: the country that took them in, else a place named in a phrase of the clause."""
    host = _host(reading)
    if host is not None:
        return host
    anchors = [reading.head, reading.evidence]
    candidates: list[tuple[int, str]] = []
    seen: set[int] = set()
    for anchor in anchors:
        for token in [anchor] + list(anchor.ancestors)[:2]:
            if token.i in seen:
                continue
            seen.add(token.i)
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in _PLACE_PREPS:
                    for obj in child.children:
                        if obj.dep_ == "pobj" and syntax.is_place(obj, child.lower_):
                            rank = 0 if child.lower_ in _DEST_PREPS else 1
                            candidates.append((rank, syntax.entity_text(obj)))
                elif child.dep_ == "dobj" and child.ent_type_ in _PLACE_LABELS:
                    candidates.append((2, syntax.entity_text(child)))
    if not candidates:
        return None
    return sorted(candidates, key=lambda c: c[0])[0][1]




def _quote_span(doc: Doc, sent: Span, reading: _Reading, mention: NumberMention, qualifier_start: int) -> Span:
    if mention.money and qualifier_start == mention.start > sent.start and not doc[mention.start - 1].is_alpha:
        qualifier_start -= 1  # the currency sign: "$800 million"
    ids = [qualifier_start, mention.start, mention.end - 1, reading.head.i, reading.evidence.i]
    if reading.noun is not None:
        ids.append(reading.noun.i)
    evidence = reading.evidence
    if evidence.pos_ in {"NOUN", "PROPN"} and evidence.i < mention.start:
        ids.append(_phrase_start(evidence))  # "the number could rise to 4 million", not "number could ..."
    agents = [c for c in evidence.children if c.dep_ == "agent" and c.i > evidence.i]
    if agents and agents[0].right_edge.i - agents[0].i < 6:
        ids.append(agents[0].right_edge.i)  # "13 million people have been affected by the war"
    start = max(sent.start, min(ids))
    end = min(sent.end, max(ids) + 1)
    if end - start > 30:
        start, end = max(sent.start, qualifier_start), min(sent.end, max(mention.end, reading.head.i + 1))
    span = doc[start:end]
    while len(span) > 1 and span[-1].is_punct:
        span = span[:-1]
    return span


def _phrase_start(noun: Token) -> int:
    """Where the noun phrase of ``noun`` starts, taking "the number of refugees" and "the refugee number" whole."""
    if noun.dep_ == "compound" and noun.head.pos_ in {"NOUN", "PROPN"}:
        noun = noun.head  # "the refugee number"
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN" and noun.head.head.i < noun.i:
        noun = noun.head.head
    lefts = [c.i for c in noun.lefts if c.dep_ in {"det", "amod", "compound", "poss", "nmod"}]
    return min(lefts + [noun.i])


def _population(reading: _Reading, mention: NumberMention) -> str | None:
    noun = reading.noun
    if noun is None:
        return "people"
    lemma = _lemma(noun)
    if _lexicon()["nouns"].get(lemma) in {"killed", "injured", "casualties"} and lemma not in {"corpse", "body", "grave"}:
        adjectives = load_rules("figure_metrics")["people_adjectives"]
        for left in noun.lefts:
            if _lemma(left) in adjectives or left.lower_ in adjectives:
                return adjectives.get(_lemma(left)) or adjectives[left.lower_]
        return "people"
    words = [t.lower_ for t in noun.lefts
             if t.dep_ == "compound" and not t.like_num and t.i == noun.i - 1 and not mention.start <= t.i < mention.end]
    return " ".join(words + [noun.lower_])


def _is_question(sent: Span) -> bool:
    tail = sent.text.rstrip().rstrip("\"”’'")
    return tail.endswith("?")


def _forecast(reading: _Reading) -> bool:
    """ "could rise to 4 million", "is expected to reach", "will top": a count told as what is yet to come.

    Read on the verbs above the word that gave the metric, up to a reporting verb, and on the verb of
    quantity that sets the count ("the number of refugees is expected to reach 1.5 million"). A count
    inside a hypothetical clause is not itself a forecast: "hope that more of the 160,000 civilians
    trapped would be evacuated" still counts 160,000 trapped.
    """
    data = claimant_data()
    modals, future, verbs = set(data["forecast_modals"]), set(data["future_modals"]), set(data["forecast_verbs"])
    quantity = set(load_rules("figure_metrics")["quantity_verbs"]["verbs"])
    starts = [reading.evidence]
    setter = next((t for t in list(reading.head.ancestors)[:4] if t.pos_ in {"VERB", "AUX"}), None)
    if setter is not None and _lemma(setter) in quantity:
        starts.append(setter)
    for start in starts:
        below = start
        for candidate in [start] + list(start.ancestors)[:3]:
            auxiliaries = [c for c in candidate.children if c.dep_ in {"aux", "auxpass"}]
            if any(c.lower_ in modals for c in auxiliaries):
                # "may have been killed" is a hedge on the past, "could still be stuck" on the present: no forecast
                still = any(c.dep_ == "advmod" and c.lower_ == "still" for c in candidate.children)
                return not still and not any(_lemma(c) == "have" for c in auxiliaries)
            if any(c.lower_ in future for c in auxiliaries) and (
                _lemma(candidate) in quantity or reading.metric in _tables().person
            ):
                # "the toll will top 1,000", "8.3 million people will have to flee";
                # "will send 100 tanks" is a pledge, not a forecast
                return True
            if _lemma(candidate) in verbs and below.dep_ == "xcomp" and below.head.i == candidate.i:
                return True  # "is expected to reach", "is projected to hit"
            if candidate.pos_ == "VERB" and candidate.i != start.i and _lemma(candidate) in data["report_verbs"]:
                break
            below = candidate
    return False


@dataclass
class _Context:
    """What earlier sentences of the article established, for pronouns and carried attributions."""

    last_claimant: str | None = None
    last_claimant_sent: int = -10


def _resolve_pronoun(claim: Claim, sent_index: int, context: _Context, doc: Doc, sent: Span, anchor: Token) -> str | None:
    """ "it says", "she warned": the speaker the quotes component resolved, else the last claimant or named source."""
    for quote in doc._.quotes or () if Doc.has_extension("quotes") else ():
        if quote.speaker and quote.start <= anchor.idx < quote.end:
            return quote.speaker
    personal = claim.text is not None and claim.text.lower() in {"he", "she", "i"}
    if not personal and context.last_claimant and sent_index - context.last_claimant_sent <= 3:
        return context.last_claimant
    labels = {"PERSON"} if personal else {"ORG", "GPE", "NORP"}
    before = [e for e in doc.ents if e.end <= sent.start and e.label_ in labels]
    subjects = [e for e in before if any(t.dep_ in {"nsubj", "nsubjpass"} for t in e)]
    for pool in (subjects, before):
        if pool:
            return pool[-1].text
    return None


def _hedged(reading: _Reading, claim: Claim | None) -> bool:
    """ "soldiers said to have died", "who was said to have been killed": the clause itself names no source.

    A source named above the hedge still stands: "the UN said ..., with 102
    civilians said to have been injured".
    """
    hedges = set(claimant_data()["passive_hedges"])
    token = reading.evidence
    for _ in range(3):
        if token.i == reading.head.i or token.i == token.head.i:
            break
        if _lemma(token) in hedges and (token.dep_ in {"acl", "relcl"} or any(c.dep_ == "auxpass" for c in token.children)):
            hedged = reading.head.dep_ in {"dobj", "pobj", "appos"} or token.dep_ in {"acl", "relcl"}
            if hedged and claim is not None and claim.text is not None and claim.verb is not None:
                # the claim is this verb's own ("the agency estimated that ...", parsed as "agency [who was] estimated")
                return claim.verb != token.i and not any(a.i == claim.verb for a in token.ancestors)
            return hedged
        token = token.head
    return False


def _carried_claimant(sent: Span) -> str | None:
    """An "according to X" closing a sentence covers the figures of the next one when that names no source."""
    claim = claimant_according_to(sent)
    if claim is None or claim.text is None or claim.pronoun:
        return None
    roots = [t for t in sent if t.dep_ == "ROOT"]
    according = next((t for t in sent if t.lower_ == "according"), None)
    if according is None or not roots or according.i < roots[0].i:
        return None
    return claim.text


def _part_of_previous(sent: Span, previous: Figure | None, sentences: list[Span], index: int) -> Figure | None:
    """ "The UN said it had recorded 835,928 refugees. Of those, more than 450,000 have entered Poland.":
    a sentence opening on a part of the count told just before carries that count's source and day."""
    if previous is None or len(sent) < 3 or sent[0].lower_ != "of":
        return None
    if sent[1].lower_ not in claimant_data()["partitive_anaphors"]:
        return None
    if not index or not sentences[index - 1].start_char <= previous.number_start < sent.start_char:
        return None
    return previous


def _sentences(doc: Doc) -> list[Span]:
    if doc.has_annotation("SENT_START"):
        return syntax.sentences(doc)
    return [doc[:]] if len(doc) else []


def _words(span: Span) -> set[str]:
    return {t.lower_ for t in span}


def _about_the_war(sentences: list[Span]) -> bool:
    """Most figures in an article about a bus crash are not the war's; ask that a share of its sentences speak of the war."""
    topic = load_rules("figure_topic")
    conflict = set(topic["conflict"])
    if not sentences:
        return False
    share = sum(1 for sent in sentences if _words(sent) & conflict) / len(sentences)
    return share >= topic["min_conflict_share"]


def _words_and_parts(span: Span) -> set[str]:
    """Lower-case words, and the parts of hyphenated ones ("covid-19-related" gives "covid")."""
    words = _words(span)
    return words | {part for word in words if "-" in word for part in word.split("-")}


def _history(reading: _Reading) -> bool:
    """A toll of an earlier war: "the site where Nazis killed thousands of Jews", "killed ... in September 1941".

    Read on the clause that gives the metric, with the noun phrase it describes ("the siege of the city
    where 1.5 million people died"); a comparison ("the largest exodus since World War II") is no history.
    """
    topic = load_rules("figure_topic")
    clause = reading.evidence
    while clause.dep_ in {"relcl", "acl"} or clause.dep_ in {"pobj", "prep"} and clause.head.pos_ in {"NOUN", "PROPN", "ADP"}:
        clause = clause.head
    tokens = [t for t in clause.subtree if not any(a.lower_ == "since" for a in t.ancestors if a.i >= clause.i or a in clause.subtree)]
    words = {t.lower_ for t in tokens}
    text = " ".join(t.lower_ for t in tokens)
    if any(word in words or " " in word and word in text for word in topic["past_wars"]):
        return True
    return any(len(t.text) == 4 and t.text.isdigit() and 1800 <= int(t.text) < topic["first_year"] for t in tokens)


def _other_cause(sentences: list[Span], index: int) -> bool:
    """The toll of a crash or a flood told next to the war: the sentence or the one before names that cause."""
    topic = load_rules("figure_topic")
    here = _words_and_parts(sentences[index])
    conflict = set(topic["conflict"])
    if any(t.lower_ in conflict and not t.ent_type_ for t in sentences[index]):
        return False  # a word of the war itself; the country's name alone does not make a covid toll the war's
    window = here | (_words_and_parts(sentences[index - 1]) if index > 0 else set())
    return bool(window & set(topic["other_causes"]))


def find_figures(doc: Doc, reference: date | None = None, since_event: str | None = None) -> list[Figure]:
    """Every figure in ``doc``, one per statement, in text order."""
    if reference is None:
        reference = doc._.reference_date if Doc.has_extension("reference_date") else None
    timexes = doc._.timexes if Doc.has_extension("timexes") else None
    mentions = find_numbers(doc)
    if not mentions:
        return []
    sentences = _sentences(doc)
    if not _about_the_war(sentences):
        return []
    sent_of = {}
    for index, sent in enumerate(sentences):
        for i in range(sent.start, sent.end):
            sent_of[i] = index
    context = _Context()
    figures: list[Figure] = []
    last_in_sentence: dict[int, tuple[str | None, str | None]] = {}
    previous: tuple[int, str] | None = None  # sentence index and metric of the figure told last
    for mention in mentions:
        if reason_not_count(doc, mention) is not None:
            continue
        index = sent_of.get(mention.start)
        if index is None:
            continue
        sent = sentences[index]
        if _is_question(sent) or _other_cause(sentences, index):
            continue
        told_before = previous[1] if previous is not None and index - previous[0] <= 1 else None
        reading = _read(doc, mention, told_before)
        if reading is None or _history(reading):
            continue
        number_ids = set(range(mention.start, mention.end))
        claim = find_claimant(sent, reading.head, number_ids | {t.i for t in reading.head.subtree if t.like_num})
        if claim is not None and claim.pronoun:
            claimant = _resolve_pronoun(claim, index, context, doc, sent, reading.head)
        elif claim is not None and not claim.hedged and not _hedged(reading, claim):
            claimant = claim.text
        elif claim is None and index > 0 and not _hedged(reading, None):
            claimant = _carried_claimant(sentences[index - 1])
        else:
            claimant = None
        carried = _part_of_previous(sent, figures[-1] if figures else None, sentences, index)
        if claimant is None and carried is not None and not _hedged(reading, None):
            claimant = carried.claimant
        if claimant is not None:
            context.last_claimant, context.last_claimant_sent = claimant, index
        forecast = _forecast(reading)
        qualifier, qualifier_start = _qualifier(doc, mention, sent)
        if forecast:
            if claimant is None:
                continue
            if qualifier in {"exact", "vague"}:
                qualifier = "up_to"
        as_of, since = as_of_and_since(sent, mention.start, timexes, reference, since_event)
        if carried is not None and reference is not None and as_of == reference.isoformat():
            as_of = carried.as_of  # "Of those, 450,000 have entered Poland": the total's day
        span = _quote_span(doc, sent, reading, mention, qualifier_start)
        number = doc[mention.start : mention.end]
        population, side = _population(reading, mention), _side(reading, claimant)
        if mention.money:
            population = _currency(doc, mention) or population
        if reading.noun is None and index in last_in_sentence:
            # "352 Ukrainian civilians have been killed ... and more than 1,000 wounded"
            population, side = last_in_sentence[index][0] or population, side or last_in_sentence[index][1]
        elif reading.noun is not None:
            last_in_sentence[index] = (population, side)
        previous = (index, reading.metric)
        figures.append(
            Figure(
                start=span.start_char,
                end=span.end_char,
                quote=span.text,
                number_start=number.start_char,
                number_end=number.end_char,
                value=mention.value,
                qualifier=qualifier,
                metric=reading.metric,
                population=population,
                low=mention.low,
                high=mention.high,
                side=side,
                place=_place(reading, sent),
                as_of=as_of,
                claimant=claimant,
                forecast=forecast,
                since=since,
                sentence_start=sent.start_char,
                sentence_end=sent.end_char,
            )
        )
    return _one_per_statement(figures)


def _one_per_statement(figures: list[Figure]) -> list[Figure]:
    """Drop repeats of a statement (a headline line, a recap), keeping the first and any claimant a repeat names."""
    kept: dict[tuple[int, str], int] = {}
    result: list[Figure] = []
    for figure in figures:
        key = (figure.value, figure.metric)
        if key in kept:
            first = result[kept[key]]
            if first.claimant is None and figure.claimant is not None:
                first = replace(first, claimant=figure.claimant)
            result[kept[key]] = first
            continue
        kept[key] = len(result)
        result.append(figure)
    return result


class FigureExtractor:
    """spaCy component: writes ``doc._.figures`` and ``doc.spans["figures"]``.

    ``since_event`` is the day "since the invasion" counts from (the ``reference_event`` setting). An
    article the reader fails on is not hidden here: the runner rejects it with the reason.
    """

    def __init__(self, since_event: str) -> None:
        self.since_event = since_event

    def __call__(self, doc: Doc) -> Doc:
        figures = find_figures(doc, since_event=self.since_event)
        doc._.figures = figures
        write_record_spans(doc, "figures", figures, "figure", lambda f: f.metric)
        return doc
