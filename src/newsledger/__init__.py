"""newsledger: turn conflict news into a sourced record.

    import newsledger
    report = newsledger.ingest(["articles.jsonl"], db="sqlite:///newsledger.db")
    ledger = newsledger.open("sqlite:///newsledger.db")
    for figure in ledger.figures(metric="fled"):
        print(figure.value, figure.claimant, figure.quote)
"""

from newsledger.jobs import IngestReport, examples_path, ingest, open
from newsledger.models import (
    Article,
    Entity,
    Event,
    Extraction,
    Figure,
    PublishedInference,
    Quote,
    Rejected,
    Timex,
)
from newsledger.ledger import Ledger
from newsledger.store import ArticleInfo, EntitySummary, SearchHit

__version__ = "0.1.0"

__all__ = [
    "ingest",
    "open",
    "examples_path",
    "IngestReport",
    "Ledger",
    "Article",
    "ArticleInfo",
    "Entity",
    "EntitySummary",
    "Event",
    "Extraction",
    "Figure",
    "PublishedInference",
    "Quote",
    "Rejected",
    "SearchHit",
    "Timex",
]
