"""The faster attribute ruler and lemmatizer give exactly the tokens spaCy's own give."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.lang.en import English
from spacy.tokens import Doc

import newsledger.nlp.factories  # noqa: F401  (registers the components)
from newsledger import settings
from newsledger.nlp.token_attributes import CachedLemmas, TokenAttributes, speed_up

from conftest import CORPUS

# Every kind of rule en_core_web_sm's attribute ruler has: the multi-token ones
# ("gonna", "y'all", "there are" ...), lower-form exceptions, whitespace tokens.
TRICKY = (
    "Y'all gonna see it, c'mon!  Let's go: there are 3 tanks and there's one more.\n\n"
    "He ain't here, they gotta leave. Something gets done; nobody got hurt. "
    "I'd say it's over, but whether it lasts... who knows?\tThe U.S. and E.U. said so."
)


def _token_view(doc: Doc) -> list[tuple]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc
    ]


def _texts(count: int) -> list[str]:
    texts = [TRICKY]
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            if len(texts) > count:
                break
    return texts


@pytest.fixture(scope="module")
def stock():
    """The trained pipeline as spaCy ships it, loaded once for this module."""
    return spacy.load(str(settings.get("model")))


@pytest.mark.model
def test_the_fast_pipeline_tags_corpus_articles_exactly_as_spacy_does(nlp, stock):
    assert {"attribute_ruler", "lemmatizer"} <= set(stock.pipe_names)
    assert {"newsledger_token_attributes", "newsledger_lemmas"} <= set(nlp.pipe_names)
    assert not {"attribute_ruler", "lemmatizer"} & set(nlp.pipe_names)
    texts = _texts(30)
    for text, theirs, mine in zip(texts, stock.pipe(texts), nlp.pipe(texts)):
        assert _token_view(mine) == _token_view(theirs), text[:80]


def _ruler_pipeline() -> spacy.Language:
    """A blank pipeline whose attribute ruler has rules of every supported form."""
    nlp = English()
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN", "MORPH": "Number=Sing"})
    ruler.add([[{"TAG": "NN", "LOWER": {"IN": ["something", "nobody"]}}]], {"POS": "PRON"})  # a later rule wins
    ruler.add([[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], {"LEMMA": "you"})
    ruler.add([[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]], {"POS": "VERB"}, index=1)
    ruler.add([[{"TAG": {"NOT_IN": ["NN", "_SP"]}}]], {"MORPH": "Foo=Bar"})
    ruler.add([[{"IS_SPACE": True}]], {"TAG": "_SP", "POS": "SPACE"})
    return nlp


def _tagged(nlp: spacy.Language, words: list[str], tags: list[str], deps: list[str]) -> Doc:
    spaces = [True] * len(words)
    return Doc(nlp.vocab, words=words, spaces=spaces, tags=tags, deps=deps, heads=[0] * len(words))


def test_every_rule_form_gives_what_the_attribute_ruler_gives():
    nlp = _ruler_pipeline()
    ruler = nlp.get_pipe("attribute_ruler")
    fast = TokenAttributes(ruler)
    words = ["y'", "all", "say", "there", "are", "something", "\n", "and", "nobody", "tank"]
    tags = ["PRP", "DT", "VBP", "EX", "VBP", "NN", "XX", "CC", "NN", "NN"]
    deps = ["nsubj", "det", "ROOT", "expl", "ccomp", "dobj", "dep", "cc", "conj", "dobj"]
    expected, got = ruler(_tagged(nlp, words, tags, deps)), fast(_tagged(nlp, words, tags, deps))
    assert [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in got] == [
        (t.tag_, t.pos_, str(t.morph), t.lemma_) for t in expected
    ]
    assert got[0].lemma_ == "you" and got[4].pos_ == "VERB" and got[5].pos_ == "PRON" and got[9].pos_ == "NOUN"


@pytest.mark.model
def test_cached_lemmas_answer_a_repeated_token_as_spacy_does(stock):
    lemmatizer = stock.get_pipe("lemmatizer")
    cached = CachedLemmas(lemmatizer)

    def doc() -> Doc:
        return Doc(
            lemmatizer.vocab,
            words=["tanks", "attacks", "shelled", "tanks", "fled", "Kyiv"],
            pos=["NOUN", "NOUN", "VERB", "NOUN", "VERB", "PROPN"],
            morphs=["Number=Plur", "Number=Plur", "Tense=Past|VerbForm=Part", "Number=Plur",
                    "Tense=Past|VerbForm=Fin", "Number=Sing"],
        )

    assert [t.lemma_ for t in cached(doc())] == ["tank", "attack", "shell", "tank", "flee", "Kyiv"]
    assert [t.lemma_ for t in cached(doc())] == [t.lemma_ for t in lemmatizer(doc())]


def test_speed_up_leaves_a_pipeline_it_cannot_reproduce_as_it_is():
    nlp = English()
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "Kyiv"}]], {"NORM": "kyiv"})  # NORM is not an attribute the fast ruler writes
    speed_up(nlp)
    assert nlp.pipe_names == ["attribute_ruler"]
    assert speed_up(English()).pipe_names == []
