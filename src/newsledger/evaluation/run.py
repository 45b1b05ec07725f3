"""Run the pipeline over a gold file and score it."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from newsledger.evaluation.gold import GoldArticle, load_gold
from newsledger.evaluation.scoring import score
from newsledger.models import Article

__all__ = ["evaluate", "gold_to_article"]


def gold_to_article(gold: GoldArticle) -> Article:
    """The article the pipeline sees: the gold text and metadata, without the answers."""
    return Article(
        id=gold.id,
        text=gold.text,
        source=gold.source,
        url=gold.url,
        title=gold.title,
        published=gold.published,
        origin=f"gold:{gold.line}" if gold.line is not None else None,
    )


def evaluate(
    gold_path: str | Path,
    nlp: Language | None = None,
    model: str | None = None,
    details: bool = False,
) -> dict:
    """The SPEC section 7 report of the pipeline on the gold file at ``gold_path``.

    ``nlp`` is a loaded pipeline; without one, ``load_pipeline(model)`` loads
    it. With ``details``, the report adds per-article misses and false alarms.
    """
    from newsledger.nlp.pipeline import extract_many, load_pipeline

    gold = load_gold(gold_path)
    if nlp is None:
        nlp = load_pipeline(model)
    predictions = {ex.article.id: ex for ex in extract_many(nlp, (gold_to_article(g) for g in gold))}
    return score(gold, predictions, details=details)
