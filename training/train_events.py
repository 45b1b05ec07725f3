"""Train the event model (``src/newsledger/nlp/data/event_model.json``).

    .venv/bin/python training/train_events.py [--train GOLD ...] [--score GOLD ...] [--write]

Each training article is parsed by the newsledger pipeline. In each sentence,
every verb and noun outside quotation marks is a candidate anchor
(``events.anchor_candidates``); a candidate is labelled with a gold event's
type when it is the word of that event's evidence the trigger tables give
that type, or else the evidence's highest word in the parse (nearest the
sentence root), and ``none`` otherwise. An averaged perceptron
(``event_model.train``) learns the labels from the candidates' features.

The training sets default to ``../shared/gold/dev.jsonl`` and
``training/events.jsonl``. ``--score`` runs the events part of SPEC section 7
on other gold files (default ``tests/gold/heldout.jsonl``) with the trained
model and with the hand-written rules, side by side; it never trains on them.
``--write`` saves the model into the package. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_TRAIN = [SHARED / "gold" / "dev.jsonl", ROOT / "training" / "events.jsonl"]
DEFAULT_SCORE = [ROOT / "tests" / "gold" / "heldout.jsonl"]
OUT = ROOT / "src" / "newsledger" / "nlp" / "data" / "event_model.json"


def _parsed(paths):
    """(gold article, parsed doc) for every article of ``paths`` that annotates events."""
    from newsledger.evaluation.gold import load_gold
    from newsledger.evaluation.run import gold_to_article
    from newsledger.nlp.pipeline import _make_doc, load_pipeline

    nlp = load_pipeline()
    found = []
    for path in paths:
        gold = [g for g in load_gold(path) if g.annotates("events")]
        docs = nlp.pipe((_make_doc(nlp, gold_to_article(g)) for g in gold), batch_size=16)
        found.extend(zip(gold, docs))
    return found


def _depth(token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 100:
        token, depth = token.head, depth + 1
    return depth


def _examples(article, doc, triggers):
    """(features, label) for every candidate anchor of ``doc``."""
    from newsledger.nlp.event_model import NONE, DocContext, anchor_features
    from newsledger.nlp.events import _quoted, anchor_candidates

    quoted = _quoted(doc)
    context = DocContext.of(doc)
    anchors = [(a, sent) for sent in doc.sents for a in anchor_candidates(sent, quoted, triggers)]
    labels = {}
    for event in article.events:
        if not event.spans:
            continue
        start, end = event.spans[0]
        inside = [a for a, _ in anchors if start <= a.token.idx < end and a.token.i not in labels]
        # the word the tables give the event's type ("said it would send weapons": send, for aid),
        # else the highest word of the evidence
        typed = [a for a in inside if a.table_type == event.type] or inside
        if typed:
            labels[min(typed, key=lambda a: (_depth(a.token), a.token.i)).token.i] = event.type
    return [
        (anchor_features(a.token, sent, a.table_type, triggers.lemma_types, context), labels.get(a.token.i, NONE))
        for a, sent in anchors
    ]


def _pruned(examples, min_count: int):
    """``examples`` without the features seen fewer than ``min_count`` times, which only fit noise."""
    if min_count <= 1:
        return examples
    counts = collections.Counter(f for features, _ in examples for f in features)
    return [([f for f in features if counts[f] >= min_count], label) for features, label in examples]


def _score(parsed, model, triggers) -> dict:
    from newsledger.evaluation.scoring import score
    from newsledger.evaluation.run import gold_to_article
    from newsledger.nlp.events import find_events
    from newsledger.nlp.pipeline import doc_to_extraction

    predictions = {}
    for article, doc in parsed:
        doc._.events = find_events(doc, triggers, model)
        predictions[article.id] = doc_to_extraction(doc, gold_to_article(article))
    return score([a for a, _ in parsed], predictions)["events"]


def _tuned_offset(training, triggers, epochs: int, folds: int, seed: int, min_count: int) -> tuple[float, dict]:
    """The offset with the best events F1 over ``folds``-fold cross-validation on the
    training articles: each fold is scored by a model trained on the others."""
    from dataclasses import replace

    from newsledger.nlp.event_model import NONE, train
    from newsledger.nlp.events import EVENT_TYPES

    order = list(range(len(training)))
    random.Random(seed).shuffle(order)
    fold_of = {index: n % folds for n, index in enumerate(order)}
    models = []
    for fold in range(folds):
        examples = _pruned([
            example
            for index, (article, doc) in enumerate(training)
            if fold_of[index] != fold
            for example in _examples(article, doc, triggers)
        ], min_count)
        models.append(train(examples, (*EVENT_TYPES, NONE), epochs=epochs, shuffle=random.Random(seed).shuffle))
    by_offset = {}
    for offset in [x / 2 for x in range(0, 41)]:
        from newsledger.evaluation.run import gold_to_article
        from newsledger.evaluation.scoring import score
        from newsledger.nlp.events import find_events
        from newsledger.nlp.pipeline import doc_to_extraction

        predictions = {}
        for index, (article, doc) in enumerate(training):
            doc._.events = find_events(doc, triggers, replace(models[fold_of[index]], offset=offset))
            predictions[article.id] = doc_to_extraction(doc, gold_to_article(article))
        by_offset[offset] = score([a for a, _ in training], predictions)["events"]
    best = max(by_offset, key=lambda offset: (by_offset[offset]["f1"], -abs(offset)))
    return best, by_offset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, nargs="+", default=DEFAULT_TRAIN)
    parser.add_argument("--score", type=Path, nargs="*", default=DEFAULT_SCORE)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20221205)
    parser.add_argument("--min-count", type=int, default=2, help="drop features seen fewer times in training")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds that choose the offset")
    parser.add_argument("--write", action="store_true", help="save the model into the package")
    args = parser.parse_args(argv)
    os.environ["NEWSLEDGER_EVENTS"] = "rules"  # parse without a model, which may not exist yet

    from newsledger.nlp.event_model import NONE, train
    from newsledger.nlp.events import EVENT_TYPES, load_triggers

    triggers = load_triggers()
    training = _parsed(args.train)
    examples = [example for article, doc in training for example in _examples(article, doc, triggers)]
    rng = random.Random(args.seed)
    offset, by_offset = _tuned_offset(training, triggers, args.epochs, args.folds, args.seed, args.min_count)
    model = train(_pruned(examples, args.min_count), (*EVENT_TYPES, NONE), epochs=args.epochs, shuffle=rng.shuffle)
    model = dataclasses.replace(model, offset=offset)
    report = {
        "train": {"files": [str(p) for p in args.train], "articles": len(training), "candidates": len(examples),
                  "events": sum(1 for _, label in examples if label != NONE)},
        "features": len(model.weights),
        "epochs": args.epochs,
        "min_count": args.min_count,
        "offset": offset,
        "cross_validation": {str(k): v for k, v in by_offset.items()},
        "scores": {},
    }
    for path in args.score:
        parsed = _parsed([path])
        report["scores"][str(path)] = {"model": _score(parsed, model, triggers), "rules": _score(parsed, None, triggers)}
    report["scores"]["train"] = {"model": _score(training, model, triggers), "rules": _score(training, None, triggers)}
    if args.write:
        OUT.write_text(json.dumps(model.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        report["written"] = str(OUT.relative_to(ROOT))
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
