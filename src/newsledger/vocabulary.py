"""The metrics a figure can have and the types an event can have, each declared once.

``nlp/data/metrics.json`` declares every metric (SPEC section 2) with its help
text, the kinds of counted nouns it suits, whether it is a toll of people,
whether its counts only grow, and the words that give it; ``types`` in
``nlp/data/event_triggers.json`` declares every event type (SPEC section 5).
The figure and event extractors, the figure series, the web app, the API and
the CLI all read these tables through this module, which imports no spaCy, so
the read-only parts of newsledger start without loading a language model.

The ``metrics_table`` setting points at another metrics table of the same
form, to add a metric or give one more words without editing the package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsledger import settings

__all__ = ["Metric", "event_types", "metric", "metric_names", "metrics"]

_DATA = Path(__file__).parent / "nlp" / "data"
KINDS = ("persons", "forces", "elided", "materiel", "transport", "money")  # what a counted noun can be


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    help: str
    kinds: frozenset[str]  # the counted nouns it suits: "persons", "forces", "elided", "materiel", ...
    person: bool  # a toll of people
    cumulative: bool  # its counts only grow: a claimant's drop is flagged
    overview: bool  # shown on the web app's front page
    verbs: tuple[str, ...]
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]


def _table_path() -> Path:
    own = str(settings.get("metrics_table") or "")
    return Path(own) if own else _DATA / "metrics.json"


@lru_cache(maxsize=4)
def _metrics_from(path: Path) -> dict[str, Metric]:
    raw = json.loads(path.read_text(encoding="utf-8"))["metrics"]
    found = {}
    for name, entry in raw.items():
        kinds = frozenset(entry["kinds"])
        unknown = kinds - set(KINDS)
        if unknown:
            raise ValueError(f"{path}: metric {name!r} has unknown kinds {sorted(unknown)} (known: {', '.join(KINDS)})")
        found[name] = Metric(
            name=name,
            help=entry.get("help", ""),
            kinds=kinds,
            person=bool(entry.get("person", False)),
            cumulative=bool(entry.get("cumulative", False)),
            overview=bool(entry.get("overview", False)),
            verbs=tuple(entry.get("verbs", ())),
            nouns=tuple(entry.get("nouns", ())),
            adjectives=tuple(entry.get("adjectives", ())),
        )
    return found


def metrics() -> dict[str, Metric]:
    """Every metric, in the table's order."""
    return _metrics_from(_table_path())


def metric_names() -> tuple[str, ...]:
    return tuple(metrics())


def metric(name: str) -> Metric:
    return metrics()[name]


@lru_cache(maxsize=1)
def _event_table() -> dict[str, str]:
    return json.loads((_DATA / "event_triggers.json").read_text(encoding="utf-8"))["types"]


def event_types() -> tuple[str, ...]:
    """Every event type (SPEC section 5), in the table's order."""
    return tuple(_event_table())


def event_type_help(name: str) -> str:
    return _event_table()[name]
