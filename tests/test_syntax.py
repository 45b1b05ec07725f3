"""nlp/syntax.py on hand-built docs: what every extractor asks of the parse."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from newsledger.nlp import syntax

VOCAB = spacy.blank("en").vocab


def make_doc(rows: str, ents: list[str] | None = None) -> Doc:
    """One token a line: ``word head dep pos`` (head as a token index)."""
    cells = [line.split() for line in rows.strip().splitlines()]
    return Doc(VOCAB, words=[c[0] for c in cells], heads=[int(c[1]) for c in cells], deps=[c[2] for c in cells],
               pos=[c[3] for c in cells], ents=ents)


# "Officials said troops would stay and fight"
STAY_AND_FIGHT = """
Officials 1 nsubj NOUN
said 1 ROOT VERB
troops 4 nsubj NOUN
would 4 aux AUX
stay 1 ccomp VERB
and 4 cc CCONJ
fight 4 conj VERB
"""

# "The city was shelled by Russian forces"
SHELLED = """
The 1 det DET
city 3 nsubjpass NOUN
was 3 auxpass AUX
shelled 3 ROOT VERB
by 3 agent ADP
Russian 6 amod ADJ
forces 4 pobj NOUN
"""


def test_a_verb_takes_its_own_subject_and_a_conjoined_verb_only_when_told_to_climb():
    doc = make_doc(STAY_AND_FIGHT)
    stay, fight = doc[4], doc[6]
    assert syntax.subject(stay).text == "troops"
    assert syntax.subject(fight) is None
    assert syntax.subject(fight, climb=syntax.through({"conj"})).text == "troops"
    assert syntax.subject(fight, climb=syntax.through({"xcomp"})) is None  # not the dependency it hangs by


def test_climbing_stops_after_its_steps():
    doc = make_doc(STAY_AND_FIGHT.replace("troops 4 nsubj NOUN", "troops 4 dobj NOUN"))
    fight = doc[6]
    climb = syntax.through({"conj", "ccomp"})
    assert syntax.subject(fight, climb=climb, steps=1) is None  # stay has none of its own
    assert syntax.subject(fight, climb=climb, steps=2).text == "Officials"


def test_a_passive_verb_and_its_agent():
    doc = make_doc(SHELLED)
    shelled = doc[3]
    assert syntax.is_passive(shelled)
    assert syntax.agent(shelled).text == "forces"
    assert not syntax.is_passive(make_doc(STAY_AND_FIGHT)[1])


def test_places_and_the_entity_holding_a_word():
    doc = make_doc("""
shelling 0 ROOT NOUN
in 0 prep ADP
Kryvyi 3 compound PROPN
Rih 1 pobj PROPN
near 0 prep ADP
Avdiivka 4 pobj PROPN
""", ents=["O", "O", "B-GPE", "I-GPE", "O", "O"])
    assert syntax.is_place(doc[3], "in")
    assert syntax.entity_text(doc[2]) == "Kryvyi Rih"
    assert syntax.is_place(doc[5], "near")  # a capitalised name the model left untagged, after "near"
    assert not syntax.is_place(doc[5], "with")
    assert syntax.entity_text(doc[5]) == "Avdiivka"
