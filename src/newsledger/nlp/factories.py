"""Every newsledger spaCy component, registered in one place.

Import this module (``newsledger.nlp`` does) and any spaCy pipeline can add
them by name::

    nlp.add_pipe("newsledger_timexes")

Each component finds its records with a pure function and writes them to its
own ``Doc`` extension (``doc._.timexes``, ``doc._.figures`` ...). Before a doc
runs through the pipeline, set ``doc._.published`` to the article's
publication date when it is known; ``doc._.reference_date`` is that date, or
the one the timex component inferred from the text.

Figures are also spans in ``doc.spans["figures"]``, labelled with their
metric, each carrying its record as ``span._.figure``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

COMPONENTS = (
    "newsledger_entities",
    "newsledger_timexes",
    "newsledger_quotes",
    "newsledger_figures",
    "newsledger_events",
)


def _reference_date(doc: Doc):
    if doc._.published is not None:
        return doc._.published
    inferred = doc._.published_inferred
    return inferred.date if inferred is not None else None


for _name in ("published", "published_inferred", "article_id"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name in ("entities", "timexes", "quotes", "figures", "events"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name in ("figure", "timex", "event"):  # the record behind each span of doc.spans[...]
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("reference_date"):
    Doc.set_extension("reference_date", getter=_reference_date)
# the quotes component also writes doc.spans["quotes"]: each content span carries these
for _name in ("speaker", "cue", "kind"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


@Language.factory(
    "newsledger_entities",
    assigns=["doc._.entities"],
    requires=["doc.ents"],
    default_config={},
)
def make_entities(nlp: Language, name: str):
    from newsledger.nlp.entities import EntityResolver

    return EntityResolver()


@Language.factory(
    "newsledger_timexes",
    assigns=["doc._.timexes", "doc._.published_inferred", "doc.spans"],
    default_config={"day_first": False, "reference_event": "2022-02-24"},
)
def make_timexes(nlp: Language, name: str, day_first: bool, reference_event: str):
    from newsledger.nlp.timexes import TimexTagger

    return TimexTagger(day_first=day_first, reference_event=reference_event)


@Language.factory(
    "newsledger_quotes",
    assigns=["doc._.quotes", "doc.spans"],
    requires=["doc.sents", "doc.ents"],
    default_config={},
)
def make_quotes(nlp: Language, name: str):
    from newsledger.nlp.quotes import QuoteExtractor

    return QuoteExtractor()


@Language.factory(
    "newsledger_figures",
    assigns=["doc._.figures", "doc.spans"],
    requires=["doc.sents", "doc._.timexes"],
    default_config={"reference_event": "2022-02-24"},
)
def make_figures(nlp: Language, name: str, reference_event: str):
    from newsledger.nlp.figures import FigureExtractor

    return FigureExtractor(since_event=reference_event)


@Language.factory(
    "newsledger_events",
    assigns=["doc._.events", "doc.spans"],
    requires=["doc.sents", "doc._.timexes"],
    default_config={"detector": "model"},
)
def make_events(nlp: Language, name: str, detector: str):
    from newsledger.nlp.events import EventExtractor

    return EventExtractor(detector)


# Faster equivalents of spaCy's attribute_ruler and rule lemmatizer, built from
# the component named ``source`` (see ``token_attributes.speed_up``).
@Language.factory(
    "newsledger_token_attributes",
    assigns=["token.pos", "token.morph", "token.lemma"],
    requires=["token.tag", "token.dep"],
    default_config={"source": "attribute_ruler"},
)
def make_token_attributes(nlp: Language, name: str, source: str):
    from newsledger.nlp.token_attributes import TokenAttributes

    return TokenAttributes(nlp.get_pipe(source))


@Language.factory(
    "newsledger_lemmas",
    assigns=["token.lemma"],
    requires=["token.pos", "token.morph"],
    default_config={"source": "lemmatizer"},
)
def make_lemmas(nlp: Language, name: str, source: str):
    from newsledger.nlp.token_attributes import CachedLemmas

    return CachedLemmas(nlp.get_pipe(source))
