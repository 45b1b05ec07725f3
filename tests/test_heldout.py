"""Accuracy floors on the held-out gold (tests/gold/heldout.jsonl, 70 articles no rule was written against).

The per-extractor floors on ../shared/gold/dev.jsonl live beside each extractor's tests; these pin what
carries to articles nobody tuned on. A floor is lowered only on purpose, with the reason in the commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HELDOUT = Path(__file__).parent / "gold" / "heldout.jsonl"

FLOORS = {
    ("figures", "f1"): 0.90,
    ("figures", "precision"): 0.92,
    ("figures", "recall"): 0.87,
    ("figures", "metric"): 0.90,
    ("figures", "qualifier"): 0.95,
    ("figures", "as_of"): 0.80,
    ("figures", "side"): 0.89,
    ("figures", "claimant"): 0.77,
    ("quotes", "direct", "f1"): 0.88,
    ("quotes", "indirect", "f1"): 0.82,
    ("quotes", "speaker"): 0.84,
    ("timexes", "f1"): 0.96,
    ("timexes", "value"): 0.87,
    ("events", "f1"): 0.47,  # the trained event model (the rules score 0.39)
    ("events", "date"): 0.76,
}


@pytest.fixture(scope="module")
def heldout_report(nlp):
    from newsledger.evaluation.run import evaluate

    return evaluate(HELDOUT, nlp=nlp)


def test_the_heldout_file_is_valid_gold():
    import subprocess
    import sys

    validator = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "validate_gold.py"
    result = subprocess.run([sys.executable, str(validator), str(HELDOUT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "70 articles, 0 problems" in result.stdout


@pytest.mark.model
@pytest.mark.parametrize("path", sorted(FLOORS), ids=lambda p: ".".join(p))
def test_heldout_accuracy_floor(heldout_report, path):
    value = heldout_report
    for key in path:
        value = value[key]
    assert value >= FLOORS[path], (path, value)
