"""What every runner shares: chunks of articles as tasks, one chunk's extraction, results in order.

Internal to ``newsledger.runner``.
"""

from __future__ import annotations

import contextlib
import itertools
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from newsledger import settings
from newsledger.models import Article, Extraction, Rejected
from newsledger.nlp.pipeline import extract, extract_many, load_pipeline

__all__ = ["Result", "TimeLimit", "chunks", "extract_chunk", "in_order", "reject_chunk", "time_limit"]

Result = Extraction | Rejected
Handle = TypeVar("Handle")


def chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of ``size`` articles, read lazily."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def reject_chunk(chunk: list[Article], reason: str) -> list[Rejected]:
    return [Rejected(article.origin or article.id, reason) for article in chunk]


class TimeLimit(Exception):
    """Raised in the pipeline when an article (or a chunk) has run out of time."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise ``TimeLimit`` in this thread after ``seconds``. Works in a process's main thread
    (this process, a pool worker); elsewhere (a Dask worker's task thread) it sets no limit."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_chunk(chunk: list[Article], model: str | None, item_seconds: float | None = None) -> list[Result]:
    """Extract a chunk in one ``nlp.pipe`` call; on failure or overtime, article by article.

    Runs wherever the runner sends it; the pipeline is loaded once per process.
    Each article has ``item_seconds`` (the ``item_seconds`` setting by default):
    one that takes longer is rejected and its neighbours are extracted again alone
    (an article alone in its chunk is rejected at once, not run a second time).
    """
    nlp = load_pipeline(model)
    limit = float(settings.get("item_seconds")) if item_seconds is None else item_seconds
    overtime = f"extraction took over {limit:g} s (item_seconds)"
    try:
        with time_limit(limit * len(chunk)):
            return list(extract_many(nlp, chunk, batch_size=len(chunk)))
    except TimeLimit:
        if len(chunk) == 1:  # alone and over its time: a second run would only take as long again
            return reject_chunk(chunk, overtime)
    except Exception:  # noqa: BLE001 - one bad article must not sink its neighbours
        pass
    results: list[Result] = []  # so each article is run again alone
    for article in chunk:
        try:
            with time_limit(limit):
                results.append(extract(nlp, article))
        except TimeLimit:
            results.append(reject_chunk([article], overtime)[0])
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
