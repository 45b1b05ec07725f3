"""Figures on a gold file: newsledger beside two peer baselines, in one run.

    python benchmarks/figures.py [GOLD.jsonl]    (default ../shared/gold/dev.jsonl)

Baselines, scored by the same SPEC section 7 scorer:
- quantulum3: every dimensionless or counted quantity it parses is a figure
  (it gives a value and a span, no metric, claimant or date);
- spaCy: every CARDINAL/QUANTITY/MONEY entity of en_core_web_sm is a figure,
  its value read from the entity text, with the nearest following noun as the
  population.

Prints one JSON object: the figures block of the report for each system, and
wall time. Needs the `bench` extra (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import json
import re
import sys
import time
import warnings
from pathlib import Path

import spacy

from newsledger import settings
from newsledger.evaluation import gold_to_article, load_gold, score
from newsledger.models import Extraction, Figure
from newsledger.nlp.pipeline import extract_many, load_pipeline

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev.jsonl"
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}


def _entity_value(text: str) -> int | None:
    """The integer an entity's text states, or None (a deliberately plain reader)."""
    words = text.lower().replace(",", "").split()
    value, scale = None, 1
    for word in words:
        if re.fullmatch(r"\d+(\.\d+)?", word):
            value = float(word)
        elif word in WORDS:
            value = WORDS[word]
        elif word in SCALES:
            scale = SCALES[word]
    return int(value * scale) if value is not None else None


def _figure(start: int, end: int, text: str, value: int, population: str | None = None) -> Figure:
    return Figure(start=start, end=end, quote=text, number_start=start, number_end=end, value=value,
                  qualifier="exact", metric=None, population=population)


def spacy_baseline(gold) -> dict[str, Extraction]:
    base = spacy.load(str(settings.get("model")))
    predictions = {}
    for g, doc in zip(gold, base.pipe(g.text for g in gold)):
        figures = []
        for ent in doc.ents:
            if ent.label_ not in {"CARDINAL", "QUANTITY", "MONEY"}:
                continue
            value = _entity_value(ent.text)
            if value is None:
                continue
            noun = next((t.lemma_ for t in doc[ent.end : ent.end + 4] if t.pos_ == "NOUN"), None)
            figures.append(_figure(ent.start_char, ent.end_char, ent.text, value, noun))
        predictions[g.id] = Extraction(article=gold_to_article(g), figures=tuple(figures))
    return predictions


def quantulum_baseline(gold) -> dict[str, Extraction] | str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser
    except Exception as exc:  # report why the peer could not run, never skip silently
        return f"quantulum3 did not import: {type(exc).__name__}: {exc}"
    predictions = {}
    for g in gold:
        figures = []
        try:
            quantities = parser.parse(g.text)
        except Exception:
            quantities = []  # a crash on one article counts as predicting nothing there
        for q in quantities:
            if q.unit.name not in {"dimensionless", "count"} and q.unit.entity.name not in {"dimensionless", "count"}:
                continue
            try:
                value = int(q.value)
            except (OverflowError, ValueError):
                continue
            start, end = q.span
            figures.append(_figure(start, end, g.text[start:end], value))
        predictions[g.id] = Extraction(article=gold_to_article(g), figures=tuple(figures))
    return predictions


def main(argv: list[str]) -> None:
    warnings.filterwarnings("ignore")  # quantulum3's classifier pickles warn on every load
    gold_path = Path(argv[0]) if argv else GOLD
    gold = [g for g in load_gold(gold_path) if g.annotates("figures")]
    result = {"gold_file": str(gold_path), "articles": len(gold)}

    nlp = load_pipeline()
    started = time.perf_counter()
    ours = {ex.article.id: ex for ex in extract_many(nlp, (gold_to_article(g) for g in gold))}
    result["newsledger"] = {**score(gold, ours)["figures"], "seconds": round(time.perf_counter() - started, 2)}

    started = time.perf_counter()
    peer = quantulum_baseline(gold)
    if isinstance(peer, str):
        result["quantulum3"] = {"error": peer}
    else:
        result["quantulum3"] = {**score(gold, peer)["figures"], "seconds": round(time.perf_counter() - started, 2)}

    started = time.perf_counter()
    result["spacy_entities"] = {
        **score(gold, spacy_baseline(gold))["figures"], "seconds": round(time.perf_counter() - started, 2)
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
