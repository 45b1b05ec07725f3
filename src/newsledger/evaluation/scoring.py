"""Score predicted records against gold articles (SPEC.md section 7).

``score`` is pure: gold articles and predictions in, the SPEC report out.
Matching is one-to-one within an article; when a gold item could pair with
several predictions (or the other way round) the pairing that matches the
most items wins, and among those the better pairs (more overlap, more
attributes right) are preferred.

Only the layers an article annotates are scored for that article; its
predictions in the other layers are ignored. Every ratio with an empty
denominator is 0.0.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta

from newsledger.evaluation.gold import GoldArticle, GoldEvent, GoldFigure, GoldQuote, GoldTimex

__all__ = [
    "score",
    "names_match",
    "normalize_name",
    "token_f1",
    "values_agree",
    "QUOTE_OVERLAP",
]

QUOTE_OVERLAP = 0.5  # content token-overlap F1 a predicted quote needs to match a gold one
FIGURE_ATTRIBUTES = ("metric", "qualifier", "as_of", "side", "claimant")
TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr"})
# A pronoun names nobody on its own: it never matches a name by containment.
PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "his", "its", "their"})
DIGITS = 4

Span = tuple[int, int]


# --- names -----------------------------------------------------------------


def normalize_name(name: str | None) -> tuple[str, ...]:
    """Lower-cased words of a name without punctuation, a leading "the" or titles.

    Apostrophes (straight or typographic) and periods join their neighbours
    ("Ukraine’s" -> "ukraines", "U.N." -> "un"); other punctuation separates
    words ("Jean-Yves" -> "jean yves").
    """
    if not name:
        return ()
    chars = []
    for ch in unicodedata.normalize("NFKC", name).lower():
        if ch in "'’‘`´." or ch == "ʼ":
            continue
        chars.append(" " if unicodedata.category(ch)[0] in "PS" else ch)
    words = "".join(chars).split()
    if words and words[0] == "the":
        words = words[1:]
    return tuple(w for w in words if w not in TITLES)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _one_name_matches(predicted: str, gold: str) -> bool:
    p, g = normalize_name(predicted), normalize_name(gold)
    if not p or not g:
        return False
    if p == g:
        return True
    if set(p) <= PRONOUNS or set(g) <= PRONOUNS:
        return False
    return _contains(p, g) or _contains(g, p)


def names_match(predicted: str | None, gold: str | None, aliases: Iterable[str] = ()) -> bool:
    """SPEC's name rule: after normalising, one contains the other (word-wise).

    ``aliases`` are other names of the gold speaker; matching one counts. A
    null gold name matches only a null prediction, and the other way round.
    """
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return any(_one_name_matches(predicted, name) for name in (gold, *aliases))


# --- quotes ----------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _tokens(text: str | None) -> Counter:
    return Counter(_WORD.findall(unicodedata.normalize("NFKC", text or "").lower()))


def token_f1(predicted: str | None, gold: str | None) -> float:
    """Overlap F1 of the two texts' word tokens (lower-cased, punctuation dropped)."""
    p, g = _tokens(predicted), _tokens(gold)
    common = sum((p & g).values())
    if not common:
        return 0.0
    return 2 * common / (sum(p.values()) + sum(g.values()))


# --- dates -----------------------------------------------------------------

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def _period(value: str) -> tuple[str, date, date] | None:
    """The granularity and first/last day of an ISO day, week, month or year."""
    try:
        if m := _DAY.match(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return "day", day, day
        if m := _WEEK.match(value):
            first = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return "week", first, first + timedelta(days=6)
        if m := _MONTH.match(value):
            first = date(int(m[1]), int(m[2]), 1)
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return "month", first, following - timedelta(days=1)
        if m := _YEAR.match(value):
            return "year", date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def values_agree(predicted: str | None, gold: str | None, window: tuple[date, date] | None = None) -> bool:
    """Whether a predicted date value (as_of, timex value) counts as the gold one.

    Equal values agree. In an article given no date, whose true publication
    date lies in ``window``, two values also agree when both fall in the
    window: a day inside it, or a week/month/year overlapping it, both of
    the same granularity (SPEC 7: "what the gold value would be for some
    publication date inside the window").
    """
    if predicted == gold:
        return True
    if window is None or predicted is None or gold is None:
        return False
    p, g = _period(predicted), _period(gold)
    if p is None or g is None or p[0] != g[0]:
        return False
    first, last = window
    return all(start <= last and first <= end for _, start, end in (p, g))


# --- matching ----------------------------------------------------------------


def _match(candidates: Sequence[Sequence[tuple[float, int]]]) -> dict[int, int]:
    """One-to-one pairing of gold items to predictions, as many pairs as possible.

    ``candidates[g]`` lists (preference, prediction index) pairs gold item
    ``g`` may match. Gold items with the best candidates pick first and try
    their candidates best first, so without conflicts every gold item gets
    its preferred prediction; augmenting paths then make the pairing maximal.
    """
    ranked = [sorted(c, key=lambda sp: (-sp[0], sp[1])) for c in candidates]
    order = sorted(range(len(ranked)), key=lambda g: -ranked[g][0][0] if ranked[g] else 0.0)
    owner: dict[int, int] = {}  # prediction -> gold

    def claim(g: int, visited: set[int]) -> bool:
        for _, p in ranked[g]:
            if p in visited:
                continue
            visited.add(p)
            if p not in owner or claim(owner[p], visited):
                owner[p] = g
                return True
        return False

    for g in order:
        if ranked[g]:
            claim(g, set())
    return {g: p for p, g in owner.items()}


def _overlaps(start: int, end: int, spans: Iterable[Span]) -> int:
    """The longest overlap of [start, end) with any of the spans (0: none)."""
    return max((min(end, e) - max(start, s) for s, e in spans), default=0)


def _inside(start: int, end: int, spans: Iterable[Span]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


# --- predictions -------------------------------------------------------------


def _get(record: object, name: str, default=None):
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _layer(prediction: object, layer: str) -> list:
    if prediction is None:
        return []
    return list(_get(prediction, layer) or ())


def _inferred_date(prediction: object) -> date | None:
    inferred = _get(prediction, "published_inferred") if prediction is not None else None
    if inferred is None:
        return None
    day = inferred if isinstance(inferred, date) else _get(inferred, "date")
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return None
    return day if isinstance(day, date) else None


def _as_dict(record: object) -> dict:
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        data = dataclasses.asdict(record)
    elif isinstance(record, Mapping):
        data = dict(record)
    else:
        data = {"value": repr(record)}
    data.pop("article_id", None)
    return data


def _gold_dict(item: object) -> dict:
    data = dataclasses.asdict(item)
    spans = data.pop("spans", None)
    if spans:
        data["start"] = spans[0][0] if len(spans) == 1 else [s for s, _ in spans]
    return data


# --- tallies -----------------------------------------------------------------


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, DIGITS) if whole else 0.0


def _prf(matched: int, gold: int, predicted: int) -> dict[str, float]:
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, DIGITS), "recall": round(recall, DIGITS), "f1": round(f1, DIGITS)}


@dataclasses.dataclass(slots=True)
class _Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    correct: Counter = dataclasses.field(default_factory=Counter)

    def prf(self) -> dict[str, float]:
        return _prf(self.matched, self.gold, self.predicted)

    def accuracy(self, attribute: str) -> float:
        return _ratio(self.correct[attribute], self.matched)


@dataclasses.dataclass(slots=True)
class _LayerResult:
    """One article's outcome in one layer."""

    pairs: list[tuple[object, object, dict[str, bool]]]  # gold, predicted, attribute -> correct
    misses: list[object]
    false_alarms: list[object]

    def add_to(self, tally: _Tally, gold: int, predicted: int) -> None:
        tally.gold += gold
        tally.predicted += predicted
        tally.matched += len(self.pairs)
        for _, _, checks in self.pairs:
            tally.correct.update(name for name, ok in checks.items() if ok)

    def details(self) -> dict:
        return {
            "misses": [_gold_dict(g) for g in self.misses],
            "false_alarms": [_as_dict(p) for p in self.false_alarms],
            "wrong": [
                {"gold": _gold_dict(g), "predicted": _as_dict(p), "fields": [n for n, ok in checks.items() if not ok]}
                for g, p, checks in self.pairs
                if not all(checks.values())
            ],
        }


def _pair_up(
    gold: Sequence,
    predicted: Sequence,
    candidate: Callable[[object, object], float | None],
    checks: Callable[[object, object], dict[str, bool]],
) -> _LayerResult:
    """Match gold items to predictions; ``candidate`` gives a preference or None (no match)."""
    candidates = []
    for g in gold:
        row = []
        for i, p in enumerate(predicted):
            preference = candidate(g, p)
            if preference is not None:
                row.append((preference, i))
        candidates.append(row)
    pairing = _match(candidates)
    matched_predictions = set(pairing.values())
    return _LayerResult(
        pairs=[(gold[g], predicted[p], checks(gold[g], predicted[p])) for g, p in sorted(pairing.items())],
        misses=[item for g, item in enumerate(gold) if g not in pairing],
        false_alarms=[item for i, item in enumerate(predicted) if i not in matched_predictions],
    )


# --- layers ------------------------------------------------------------------


def _score_figures(article: GoldArticle, predicted: list) -> _LayerResult:
    window = article.published_window if article.dateless else None

    def checks(g: GoldFigure, p) -> dict[str, bool]:
        return {
            "metric": _get(p, "metric") == g.metric,
            "qualifier": _get(p, "qualifier") == g.qualifier,
            "as_of": values_agree(_get(p, "as_of"), g.as_of, window),
            "side": _get(p, "side") == g.side,
            "claimant": names_match(_get(p, "claimant"), g.claimant),
        }

    def candidate(g: GoldFigure, p) -> float | None:
        start, end = _int(_get(p, "number_start")), _int(_get(p, "number_end"))
        if start is None or end is None or _int(_get(p, "value")) != g.value:
            return None
        if not _inside(start, end, g.spans):
            return None
        return sum(checks(g, p).values())

    return _pair_up(article.figures, predicted, candidate, checks)


def _score_quotes(article: GoldArticle, predicted: list) -> _LayerResult:
    def checks(g: GoldQuote, p) -> dict[str, bool]:
        return {"speaker": names_match(_get(p, "speaker"), g.speaker, g.speaker_aliases)}

    def candidate(g: GoldQuote, p) -> float | None:
        if _get(p, "kind") != g.kind:
            return None
        overlap = token_f1(_get(p, "content"), g.content)
        return overlap if overlap >= QUOTE_OVERLAP else None

    return _pair_up(article.quotes, predicted, candidate, checks)


def _span_candidate(gold_spans: tuple[Span, ...], p) -> float | None:
    start, end = _int(_get(p, "start")), _int(_get(p, "end"))
    if start is None or end is None:
        return None
    overlap = _overlaps(start, end, gold_spans)
    return float(overlap) if overlap > 0 else None


def _score_timexes(article: GoldArticle, predicted: list) -> _LayerResult:
    window = article.published_window if article.dateless else None

    def checks(g: GoldTimex, p) -> dict[str, bool]:
        return {"value": values_agree(_get(p, "value"), g.value, window)}

    def candidate(g: GoldTimex, p) -> float | None:
        overlap = _span_candidate(g.spans, p)
        return None if overlap is None else overlap + 0.5 * checks(g, p)["value"]

    return _pair_up(article.timexes, predicted, candidate, checks)


def _score_events(article: GoldArticle, predicted: list) -> _LayerResult:
    def checks(g: GoldEvent, p) -> dict[str, bool]:
        return {"date": _get(p, "date") == g.date}

    def candidate(g: GoldEvent, p) -> float | None:
        if _get(p, "type") != g.type:
            return None
        overlap = _span_candidate(g.spans, p)
        return None if overlap is None else overlap + 0.5 * checks(g, p)["date"]

    return _pair_up(article.events, predicted, candidate, checks)


# --- report ------------------------------------------------------------------


def score(
    gold_articles: Sequence[GoldArticle],
    predictions: Mapping[str, object],
    details: bool = False,
) -> dict:
    """The SPEC section 7 report for ``predictions`` against ``gold_articles``.

    ``predictions`` maps an article id to that article's ``models.Extraction``
    (or any object or mapping with ``figures``, ``quotes``, ``timexes``,
    ``events`` and ``published_inferred``); an article without one predicted
    nothing. With ``details``, the report gains a ``details`` list giving,
    per article and layer, the gold items missed, the predictions that
    matched nothing, and the matched pairs with a wrong attribute.
    """
    figures, quotes, timexes, events = _Tally(), _Tally(), _Tally(), _Tally()
    kinds = {"direct": _Tally(), "indirect": _Tally()}
    dateless = dated_right = 0
    article_details = []

    for article in gold_articles:
        prediction = predictions.get(article.id)
        found = {}
        if article.annotates("figures"):
            predicted = _layer(prediction, "figures")
            found["figures"] = result = _score_figures(article, predicted)
            result.add_to(figures, len(article.figures), len(predicted))
        if article.annotates("quotes"):
            predicted = _layer(prediction, "quotes")
            found["quotes"] = result = _score_quotes(article, predicted)
            result.add_to(quotes, len(article.quotes), len(predicted))
            for kind, tally in kinds.items():
                tally.gold += sum(1 for g in article.quotes if g.kind == kind)
                tally.predicted += sum(1 for p in predicted if _get(p, "kind") == kind)
                tally.matched += sum(1 for g, _, _ in result.pairs if g.kind == kind)
        if article.annotates("timexes"):
            predicted = _layer(prediction, "timexes")
            found["timexes"] = result = _score_timexes(article, predicted)
            result.add_to(timexes, len(article.timexes), len(predicted))
        if article.annotates("events"):
            predicted = _layer(prediction, "events")
            found["events"] = result = _score_events(article, predicted)
            result.add_to(events, len(article.events), len(predicted))

        entry: dict = {"id": article.id}
        if article.dateless:
            inferred = _inferred_date(prediction)
            first, last = article.published_window
            right = inferred is not None and first <= inferred <= last
            dateless += 1
            dated_right += right
            entry["published"] = {
                "window": [first.isoformat(), last.isoformat()],
                "inferred": inferred.isoformat() if inferred else None,
                "correct": right,
            }
        if details:
            entry.update({layer: result.details() for layer, result in found.items()})
            article_details.append(entry)

    report = {
        "articles": len(gold_articles),
        "figures": {
            **figures.prf(),
            "gold": figures.gold,
            "predicted": figures.predicted,
            "matched": figures.matched,
            **{name: figures.accuracy(name) for name in FIGURE_ATTRIBUTES},
        },
        "quotes": {
            **quotes.prf(),
            "direct": kinds["direct"].prf(),
            "indirect": kinds["indirect"].prf(),
            "speaker": quotes.accuracy("speaker"),
        },
        "timexes": {**timexes.prf(), "value": timexes.accuracy("value")},
        "events": {**events.prf(), "date": events.accuracy("date")},
        "published": {"articles": dateless, "accuracy": _ratio(dated_right, dateless)},
    }
    if details:
        report["details"] = article_details
    return report
