"""The store: schema, engine, the one writer, and queries."""

from newsledger.store.engine import normalise_url, open_engine
from newsledger.store.queries import ArticleInfo, EntitySummary, Ledger, ResolvedPlace, SearchHit, SpeakerSummary
from newsledger.store.writer import Writer

__all__ = ["open_engine", "normalise_url", "Ledger", "Writer", "ArticleInfo", "EntitySummary", "ResolvedPlace", "SearchHit", "SpeakerSummary"]
