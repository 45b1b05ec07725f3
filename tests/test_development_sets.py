"""Accuracy floors on the development sets the rules are written against besides dev.

``training/events.jsonl`` (173 articles, figures and events) and ``training/quotes.jsonl`` (40 of them,
quotes) are where figure, quote and speaker rules are developed; ``tests/test_heldout.py`` judges them
on articles no rule was written against. A floor here catches a change that undoes what a rule fixed.
The event model is trained on ``training/events.jsonl``, so its events are not pinned here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TRAINING = Path(__file__).resolve().parents[1] / "training"

FLOORS = {
    ("events.jsonl", "figures", "f1"): 0.87,
    ("events.jsonl", "figures", "precision"): 0.92,
    ("events.jsonl", "figures", "recall"): 0.83,
    ("events.jsonl", "figures", "side"): 0.85,
    ("events.jsonl", "figures", "claimant"): 0.88,
    ("quotes.jsonl", "quotes", "f1"): 0.86,
    ("quotes.jsonl", "quotes", "speaker"): 0.83,
}


@pytest.fixture(scope="module")
def reports(nlp):
    from newsledger.evaluation.run import evaluate

    return {name: evaluate(TRAINING / name, nlp=nlp) for name in sorted({path[0] for path in FLOORS})}


@pytest.mark.model
@pytest.mark.parametrize("path", sorted(FLOORS), ids=lambda p: ".".join(p))
def test_development_set_accuracy_floor(reports, path):
    value = reports[path[0]]
    for key in path[1:]:
        value = value[key]
    assert value >= FLOORS[path], (path, value)
