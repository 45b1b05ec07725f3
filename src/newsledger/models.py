"""The records newsledger keeps, as frozen dataclasses.

Every extracted record carries ``start``/``end`` character offsets into its
article's text, so it links back to the exact words that support it.
Extractors fill ``article_id`` with an empty string; the pipeline stamps the
article's id before anything is stored.

Dates are ``datetime.date`` on articles; extracted values (timex values,
as-of dates, event dates) are ISO strings, because they may be a day
(``2022-02-24``), a week (``2022-W09``), a month (``2022-02``) or a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "Article",
    "PublishedInference",
    "Timex",
    "Figure",
    "Quote",
    "Event",
    "Entity",
    "Extraction",
    "Rejected",
    "Place",
]


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from a source, before extraction."""

    id: str
    text: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    origin: str | None = None  # where it was read from: "path", "path:line", a URL


@dataclass(frozen=True, slots=True)
class PublishedInference:
    """A publication date inferred from the text, never presented as known."""

    date: date
    first: date
    last: date
    confidence: float
    evidence: str


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    value: str | None  # ISO day, week, month or year; None when it cannot be resolved
    article_id: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    start: int  # span of the words holding the number and its noun
    end: int
    quote: str
    number_start: int  # span of the number itself
    number_end: int
    value: int
    qualifier: str
    metric: str
    population: str | None = None
    low: int | None = None
    high: int | None = None
    side: str | None = None
    place: str | None = None
    as_of: str | None = None
    claimant: str | None = None
    forecast: bool = False
    article_id: str = ""
    since: str | None = None  # the date the count runs from ("since Feb. 24"), when stated
    sentence_start: int | None = None  # the sentence that states the figure
    sentence_end: int | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # span of `content`
    end: int
    kind: str  # "direct" | "indirect"
    content: str
    speaker: str | None
    cue: str | None
    content_full: str | None = None
    speaker_text: str | None = None  # the speaker as written near the cue ("he", "the Kremlin")
    article_id: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    start: int  # span of `evidence`
    end: int
    type: str
    evidence: str
    date: str | None = None
    place: str | None = None
    actors: tuple[str, ...] = ()
    article_id: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    """One mention of a named entity, with the canonical name it refers to."""

    start: int
    end: int
    text: str
    label: str  # person | organisation | government | place | group
    canonical: str
    article_id: str = ""


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the pipeline found in one article."""

    article: Article
    figures: tuple[Figure, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timexes: tuple[Timex, ...] = ()
    events: tuple[Event, ...] = ()
    entities: tuple[Entity, ...] = ()
    published_inferred: PublishedInference | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input item that could not be read, and why."""

    item: str  # "path", "path:line" or a URL
    reason: str


@dataclass(frozen=True, slots=True)
class Place:
    """A place text resolved offline to a GeoNames record.

    ``relation`` keeps a spatial qualifier found in the text ("near",
    "south of", "outskirts of", ...); ``anchor`` names the place it was said
    of when that is not the resolved place ("Chuhuiv, south of Kharkiv").
    ``feature`` is "populated place", "admin1" or "country".
    """

    text: str
    name: str
    country_code: str
    admin1: str | None
    latitude: float
    longitude: float
    geonames_id: int | None
    feature: str
    relation: str | None = None
    anchor: str | None = None
