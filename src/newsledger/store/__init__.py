"""The store: schema, engine, the one writer, and queries over its rows (it imports only models and errors)."""

from newsledger.store.engine import normalise_url, open_engine
from newsledger.store.queries import ArticleInfo, EntitySummary, ResolvedPlace, SearchHit, SpeakerSummary, Store
from newsledger.store.writer import Writer

__all__ = ["open_engine", "normalise_url", "Store", "Writer", "ArticleInfo", "EntitySummary", "ResolvedPlace", "SearchHit", "SpeakerSummary"]
