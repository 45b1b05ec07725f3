"""What every runner shares: chunks of articles as tasks, one chunk's extraction, results in order.

Internal to ``newsledger.runner``.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from newsledger.models import Article, Extraction, Rejected
from newsledger.nlp.pipeline import extract, extract_many, load_pipeline

__all__ = ["Result", "chunks", "extract_chunk", "in_order", "reject_chunk"]

Result = Extraction | Rejected
Handle = TypeVar("Handle")


def chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of ``size`` articles, read lazily."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def reject_chunk(chunk: list[Article], reason: str) -> list[Rejected]:
    return [Rejected(article.origin or article.id, reason) for article in chunk]


def extract_chunk(chunk: list[Article], model: str | None) -> list[Result]:
    """Extract a chunk in one ``nlp.pipe`` call; on failure, article by article.

    Runs wherever the runner sends it; the pipeline is loaded once per process.
    """
    nlp = load_pipeline(model)
    try:
        return list(extract_many(nlp, chunk, batch_size=len(chunk)))
    except Exception:  # one bad article must not sink its neighbours: retry them one by one
        results: list[Result] = []
        for article in chunk:
            try:
                results.append(extract(nlp, article))
            except Exception as exc:
                results.append(reject_chunk([article], f"extraction failed: {type(exc).__name__}: {exc}")[0])
        return results


def in_order(
    work: Iterable[list[Article]],
    submit: Callable[[list[Article]], Handle],
    collect: Callable[[list[Article], Handle], list[Result]],
    in_flight: int,
) -> Iterator[Result]:
    """Submit chunks, keeping at most ``in_flight`` pending, and yield their results in input order.

    The bound is what keeps memory flat: the input is read only as fast as
    results are consumed.
    """
    pending: deque[tuple[list[Article], Handle]] = deque()
    for chunk in work:
        pending.append((chunk, submit(chunk)))
        if len(pending) >= max(1, in_flight):
            yield from collect(*pending.popleft())
    while pending:
        yield from collect(*pending.popleft())
