"""Entities: one canonical name per person and body inside an article."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from newsledger.nlp.entities import clean_name, find_entities, load_lexicon, strip_titles


def _by_text(entities):
    return {e.text: e for e in entities}


def _hand_doc(words: list[str], ents: list[tuple[int, int, str]]) -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=words)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


def test_possessive_and_leading_the_are_dropped():
    assert clean_name("the Kremlin’s") == "Kremlin"
    assert clean_name("Vladimir Putin 's") == "Vladimir Putin"


def test_titles_are_stripped_from_person_names():
    lexicon = load_lexicon()
    assert strip_titles("Foreign Minister Sergei Lavrov", lexicon) == "Sergei Lavrov"
    assert strip_titles("President Vladimir V. Putin", lexicon) == "Vladimir Putin"
    assert strip_titles("Mr", lexicon) == "Mr"  # never strips a name away entirely


def test_surname_joins_the_full_name_on_a_hand_built_doc():
    doc = _hand_doc(
        ["Senator", "Lindsey", "Graham", "spoke", ".", "Later", "Graham", "left", "."],
        [(1, 3, "PERSON"), (6, 7, "PERSON")],
    )
    assert {e.canonical for e in find_entities(doc)} == {"Lindsey Graham"}


def test_alias_table_joins_spelling_variants_and_fixes_labels():
    doc = _hand_doc(
        ["Zelenskyy", "met", "Zelenskiy", "in", "Kiev", "and", "Nato", "."],
        [(0, 1, "PERSON"), (2, 3, "ORG"), (4, 5, "PERSON"), (6, 7, "NORP")],
    )
    found = _by_text(find_entities(doc))
    assert found["Zelenskyy"].canonical == found["Zelenskiy"].canonical == "Volodymyr Zelensky"
    assert found["Zelenskiy"].label == "person"  # spaCy's ORG corrected by the alias table
    assert (found["Kiev"].canonical, found["Kiev"].label) == ("Kyiv", "place")
    assert (found["Nato"].canonical, found["Nato"].label) == ("NATO", "organisation")


def test_near_spelling_of_an_unknown_name_is_joined():
    doc = _hand_doc(
        ["Oleksandr", "Starukh", "and", "Oleksandr", "Starukha", "."],
        [(0, 2, "PERSON"), (3, 5, "PERSON")],
    )
    assert {e.canonical for e in find_entities(doc)} == {"Oleksandr Starukh"}


def test_entities_do_not_change_doc_ents_and_skip_other_labels():
    doc = _hand_doc(["On", "Monday", "Kyiv", "."], [(1, 2, "DATE"), (2, 3, "GPE")])
    before = [(e.start, e.end, e.label_) for e in doc.ents]
    assert [e.text for e in find_entities(doc)] == ["Kyiv"]
    assert [(e.start, e.end, e.label_) for e in doc.ents] == before


def test_empty_doc_has_no_entities():
    assert find_entities(spacy.blank("en")("")) == []


@pytest.mark.model
def test_title_and_surname_mentions_join_the_full_name(nlp):
    doc = nlp(
        "Russian Foreign Minister Sergei Lavrov said the talks would go on. "
        "Lavrov also met President Vladimir Putin. Putin's spokesman Dmitri S. Peskov declined to comment."
    )
    canon = {e.text: e.canonical for e in doc._.entities}
    assert canon["Lavrov"] == "Sergei Lavrov"
    assert canon["Vladimir Putin"] == canon["Putin"] == "Vladimir Putin"
    assert canon["Dmitri S. Peskov"] == "Dmitry Peskov"


@pytest.mark.model
def test_country_as_actor_is_government_and_as_location_is_place(nlp):
    doc = nlp("Russia demanded guarantees from NATO. Thousands of refugees fled to Poland from Ukraine.")
    labels = {e.text: e.label for e in doc._.entities}
    assert labels["Russia"] == "government"
    assert labels["Poland"] == "place"
    assert labels["Ukraine"] == "place"


@pytest.mark.model
def test_moscow_demands_is_the_government(nlp):
    doc = nlp("Lavrov said that Moscow’s demands to Ukraine cannot be qualified as capitulation.")
    moscow = next(e for e in doc._.entities if e.canonical == "Moscow")
    assert moscow.label == "government"
