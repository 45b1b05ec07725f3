"""The rule tables of the components: small JSON files in ``nlp/data/``, read once."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = ["load_rules"]


@lru_cache(maxsize=None)
def load_rules(name: str) -> dict:
    """The parsed ``nlp/data/<name>.json``; shared between callers, so never mutate it."""
    path = resources.files("newsledger.nlp") / "data" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))
