"""Runners: where the NLP pipeline runs (this process, worker processes, or Dask).

The runner modules load spaCy; importing this package does not, so the read-only
parts of newsledger (the web app, the query commands) start without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from newsledger.models import Article, Extraction, Rejected

__all__ = ["run_pipeline"]


def run_pipeline(articles: Iterable[Article], **options) -> Iterator[Extraction | Rejected]:
    """Extract every article, in order (``runner.local.run_pipeline``, which takes the same options)."""
    from newsledger.runner.local import run_pipeline as run

    return run(articles, **options)
