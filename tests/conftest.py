"""Shared fixtures. The trained spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD_DEV = SHARED / "gold" / "dev.jsonl"


@pytest.fixture(scope="session")
def nlp():
    """en_core_web_sm with every newsledger component (tests using it are `model` tests)."""
    from newsledger.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def gold_dev() -> list[dict]:
    """The hand-annotated dev articles of ../shared/gold/dev.jsonl."""
    with GOLD_DEV.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
