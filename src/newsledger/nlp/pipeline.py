"""Load the spaCy pipeline with newsledger's components and turn articles into records."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsledger import settings
from newsledger.errors import ModelError
from newsledger.models import Article, Extraction
from newsledger.nlp.factories import COMPONENTS
from newsledger.nlp.spans import TEXT_KEY
from newsledger.nlp.token_attributes import speed_up

__all__ = ["COMPONENT_SETTINGS", "component_config", "load_pipeline", "extract", "extract_many", "doc_to_extraction"]


# Which setting fills which entry of a component's config: the one place settings reach the components.
COMPONENT_SETTINGS = {
    "newsledger_timexes": {"day_first": "day_first", "reference_event": "reference_event"},
    "newsledger_figures": {"reference_event": "reference_event"},
    "newsledger_events": {"detector": "events"},
}


def component_config(component: str) -> dict:
    """The config a newsledger component gets, filled from the settings (``COMPONENT_SETTINGS``)."""
    return {entry: settings.get(setting) for entry, setting in COMPONENT_SETTINGS.get(component, {}).items()}


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None) -> Language:
    """The named spaCy pipeline with every newsledger component appended.

    Its attribute ruler and rule lemmatizer, when it has them, are swapped for
    faster equivalents that give the same tokens (``token_attributes``).
    Cached per process, so workers and test sessions load the model once.
    """
    name = model or str(settings.get("model"))
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(f"cannot load spaCy pipeline {name!r}: {exc}") from exc
    speed_up(nlp)
    for component in COMPONENTS:
        nlp.add_pipe(component, config=component_config(component))
    nlp.max_length = max(nlp.max_length, int(settings.get("max_article_chars")) + 1)
    return nlp


def _make_doc(nlp: Language, article: Article) -> Doc:
    doc = nlp.make_doc(article.text)
    doc.user_data[TEXT_KEY] = article.text  # spaCy's tokens keep every character: this is doc.text
    doc._.published = article.published
    doc._.article_id = article.id
    return doc


def _stamp(records, article_id: str) -> tuple:
    return tuple(dataclasses.replace(r, article_id=article_id) for r in (records or ()))


def doc_to_extraction(doc: Doc, article: Article) -> Extraction:
    """Collect what the components wrote on ``doc`` as records of ``article``."""
    return Extraction(
        article=article,
        figures=_stamp(doc._.figures, article.id),
        quotes=_stamp(doc._.quotes, article.id),
        timexes=_stamp(doc._.timexes, article.id),
        events=_stamp(doc._.events, article.id),
        entities=_stamp(doc._.entities, article.id),
        published_inferred=doc._.published_inferred,
    )


def extract(nlp: Language, article: Article) -> Extraction:
    """Run the pipeline over one article."""
    return doc_to_extraction(nlp(_make_doc(nlp, article)), article)


def extract_many(nlp: Language, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Extraction]:
    """Run the pipeline over many articles, streaming, in input order."""
    pending: list[Article] = []

    def docs() -> Iterator[Doc]:
        for article in articles:
            pending.append(article)
            yield _make_doc(nlp, article)

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        yield doc_to_extraction(doc, pending.pop(0))
