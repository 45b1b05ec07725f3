"""Direct quotes on a gold file: newsledger beside textacy, on the same parsed docs, in one run.

    python benchmarks/quotes.py [GOLD.jsonl]    (default ../shared/gold/dev.jsonl)

Every article that annotates quotes is parsed once by newsledger's pipeline
(en_core_web_sm plus newsledger's components); both extractors then read the
same `Doc`s:

- newsledger: `newsledger.nlp.quotes.find_quotes` (what `doc._.quotes` holds);
- textacy: `textacy.extract.triples.direct_quotations`, each triple a direct
  quote whose content is the quoted span, speaker the speaker tokens joined
  with spaces, cue the cue tokens joined. An article on which it raises
  predicts nothing (its quotes count as misses) and is counted as crashed.

Both are scored by the SPEC section 7 scorer (`newsledger.evaluation.scoring`).
textacy finds direct quotes only, so its speaker accuracy is compared with
newsledger's on direct matches (``speaker_direct``). Prints one JSON object.
Needs the `bench` extra (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from spacy.tokens import Doc

from newsledger.evaluation import gold_to_article, load_gold, score
from newsledger.models import Extraction, Quote
from newsledger.nlp.pipeline import load_pipeline
from newsledger.nlp.quotes import find_quotes

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev.jsonl"


def _textacy_quotes(doc: Doc) -> list[Quote]:
    from textacy.extract.triples import direct_quotations

    quotes = []
    for triple in direct_quotations(doc):
        content = triple.content
        speaker = " ".join(t.text for t in triple.speaker) or None
        cue = " ".join(t.text for t in triple.cue) or None
        quotes.append(Quote(content.start_char, content.end_char, "direct", content.text, speaker, cue))
    return quotes


def _run(gold, docs, find: Callable[[Doc], list[Quote]]) -> tuple[dict[str, Extraction], Counter, float]:
    """Predictions of ``find`` per article id, why it crashed on which articles (counted), and seconds."""
    predictions, crashes = {}, Counter()
    started = time.perf_counter()
    for g, doc in zip(gold, docs):
        try:
            quotes = tuple(find(doc))
        except Exception as exc:  # a crash on one article counts as predicting nothing there
            quotes = ()
            crashes[f"{type(exc).__name__}: {re.sub(r'[0-9]+', 'N', str(exc).split(';')[0])[:90]}"] += 1
        predictions[g.id] = Extraction(article=gold_to_article(g), quotes=quotes)
    return predictions, crashes, time.perf_counter() - started


def _report(gold, predictions: dict[str, Extraction], crashes: Counter, seconds: float) -> dict:
    quotes = score(gold, predictions)["quotes"]
    direct_only = {
        key: Extraction(article=ex.article, quotes=tuple(q for q in ex.quotes if q.kind == "direct"))
        for key, ex in predictions.items()
    }
    return {
        "direct": quotes["direct"],
        "indirect": quotes["indirect"],
        "speaker": quotes["speaker"],
        "speaker_direct": score(gold, direct_only)["quotes"]["speaker"],
        "predicted_direct": sum(q.kind == "direct" for ex in predictions.values() for q in ex.quotes),
        "crashed_articles": sum(crashes.values()),
        "crashes": dict(crashes),
        "seconds": round(seconds, 2),
    }


def main(argv: list[str]) -> None:
    gold_path = Path(argv[0]) if argv else GOLD
    gold = [g for g in load_gold(gold_path) if g.annotates("quotes")]
    result: dict = {
        "gold_file": str(gold_path),
        "articles": len(gold),
        "gold_direct": sum(q.kind == "direct" for g in gold for q in g.quotes),
    }

    nlp = load_pipeline()
    started = time.perf_counter()
    docs = []
    for g in gold:
        doc = nlp.make_doc(g.text)
        doc._.published = g.published
        docs.append(doc)
    docs = list(nlp.pipe(docs))
    result["parse_seconds"] = round(time.perf_counter() - started, 2)  # shared by both: model + components

    result["newsledger"] = _report(gold, *_run(gold, docs, find_quotes))
    try:
        import textacy
        from textacy.extract.triples import direct_quotations  # noqa: F401
    except Exception as exc:  # report why the peer could not run, never skip silently
        result["textacy"] = {"error": f"textacy did not import: {type(exc).__name__}: {exc}"}
    else:
        result["textacy"] = {"version": textacy.__version__, **_report(gold, *_run(gold, docs, _textacy_quotes))}
        del result["textacy"]["indirect"]  # textacy has no indirect quotes
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
