"""The ledger a user reads: one store's rows, the views across sources, and the alerts raised over them.

``newsledger.open(url)`` returns a ``Ledger``. It adds to the store's own
queries (``store.queries.Store``) what needs more than one table or a curated
name: speakers counted under one name however they are spelled
(``newsledger.aliases``), the views the cross-source layer keeps up to date
(``newsledger.crossdoc.views``: timeline, statements, figure series,
conflicts, places, duplicates) and the alerts of watch rules
(``newsledger.alerts``). None of it imports spaCy, so the web app and the
read-only commands start without a language model.
"""

from __future__ import annotations

from newsledger.aliases import known_person
from newsledger.alerts import Alert
from newsledger.crossdoc import views
from newsledger.store.engine import read_snapshot
from newsledger.store.queries import SpeakerSummary, Store

__all__ = ["Ledger"]


class Ledger(Store):
    """Queries over one store. Open it with ``newsledger.open(url)``."""

    def speakers(self, *, search: str | None = None, limit: int | None = None) -> list[SpeakerSummary]:
        """Who is quoted most: quotes, articles and distinct outlets per speaker.

        Spellings the alias table knows are one speaker ("Biden", "Zelenskyy"
        and "Volodymyr Zelensky" count under the curated full name)."""
        tallies: dict[str, list] = {}
        for speaker, article_id, outlet in self.quote_speakers(search=search):
            name = known_person(speaker) or speaker
            quotes, articles, outlets = tallies.setdefault(name, [0, set(), set()])
            tallies[name][0] = quotes + 1
            articles.add(article_id)
            outlets.add(outlet)
        ranked = sorted(tallies.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [SpeakerSummary(name, n, len(arts), len(outs - {None})) for name, (n, arts, outs) in ranked]

    def alerts(self, *, rule: str | None = None, since: str | None = None, limit: int | None = None) -> list[Alert]:
        """Alerts raised by watch rules, newest first."""
        return [Alert(**row) for row in self.alert_rows(rule=rule, since=since, limit=limit)]

    # --- across sources (kept up to date by newsledger.crossdoc) ------------

    def _view(self, name: str, *args, **kwargs):
        with read_snapshot(self.engine) as connection:  # a view reads several statements: one state for all
            return getattr(views, name)(connection, *args, **kwargs)

    def timeline(self, *, type: str | None = None, place: str | None = None, since: str | None = None,
                 until: str | None = None, limit: int | None = None):
        """Dated events, oldest first, each with its reports across articles (``TimelineEntry``)."""
        return self._view("timeline", type=type, place=place, since=since, until=until, limit=limit)

    def statements(self, *, speaker: str | None = None, search: str | None = None, min_outlets: int = 1,
                   limit: int | None = None):
        """Quotes grouped into statements with every outlet that reported them (``Statement``)."""
        return self._view("statements", speaker=speaker, search=search, min_outlets=min_outlets, limit=limit)

    def series(self, metric: str, *, population: str | None = None, side: str | None = None,
               place: str | None = None, claimant: str | None = None):
        """Figure series of ``metric``, one line per source however its name is written (``Series``)."""
        return self._view("series", metric, population=population, side=side, place=place, claimant=claimant)

    def series_claimants(self, metric: str, *, population: str | None = None, side: str | None = None,
                         place: str | None = None):
        """The sources found for ``metric``, a row per series they have a line in (``SeriesClaimant``)."""
        return self._view("claimants", metric, population=population, side=side, place=place)

    def conflicts(self, *, metric: str | None = None, kind: str | None = None, limit: int | None = None):
        """Flagged figures, each with the figure it disagrees with (``Conflict``)."""
        return self._view("conflicts", metric=metric, kind=kind, limit=limit)

    def places(self, *, search: str | None = None, limit: int | None = None):
        """Resolved places with mention, figure and event counts (``PlaceSummary``)."""
        return self._view("places", search=search, limit=limit)

    def geojson(self) -> dict:
        """Places with their figures and events as a GeoJSON FeatureCollection."""
        return self._view("geojson")

    def duplicates(self):
        """Clusters of near-identical articles, each with its original (``DuplicateCluster``)."""
        return self._view("duplicate_clusters")
