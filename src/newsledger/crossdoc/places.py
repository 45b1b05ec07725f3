"""Resolve the place texts of new articles (place entities, figure and event
places) to GeoNames records, each distinct text once."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsledger.store import schema
from newsledger.store.writer import row_id

__all__ = ["place_id", "update_places"]


def place_id(place) -> str:
    if place.geonames_id is not None:
        return f"gn:{place.geonames_id}"
    return "pt:" + row_id(place.name, place.country_code, round(place.latitude, 4), round(place.longitude, 4))[:20]


def _texts(connection: Connection, article_ids: Sequence[str]) -> set[str]:
    f, e, m, ent = schema.figures, schema.events, schema.mentions, schema.entities
    ids = list(article_ids)
    texts: set[str] = set()
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        texts.update(connection.execute(sa.select(f.c.place).where(f.c.article_id.in_(part))).scalars())
        texts.update(connection.execute(sa.select(e.c.place).where(e.c.article_id.in_(part))).scalars())
        texts.update(
            connection.execute(
                sa.select(ent.c.canonical).join(m, m.c.entity_id == ent.c.id)
                .where(m.c.article_id.in_(part), ent.c.label == "place")
            ).scalars()
        )
    return {t for t in texts if t and t.strip()}


def update_places(connection: Connection, new_article_ids: Sequence[str]) -> int:
    """Geocode the place texts not seen before; returns how many were resolved."""
    texts = _texts(connection, new_article_ids)
    if not texts:
        return 0
    pt = schema.place_texts
    known = set()
    for chunk in range(0, len(texts), 500):
        part = sorted(texts)[chunk : chunk + 500]
        known.update(connection.execute(sa.select(pt.c.text).where(pt.c.text.in_(part))).scalars())
    fresh = sorted(texts - known)
    if not fresh:
        return 0
    from newsledger.places import geocode_many  # loads the gazetteer: only when there is work

    places, rows = {}, []
    for text, result in zip(fresh, geocode_many(fresh)):
        place = result.place
        if place is None:
            rows.append({"text": text, "place_id": None, "relation": None, "reason": result.reason})
            continue
        pid = place_id(place)
        places[pid] = {"id": pid, "name": place.name, "country_code": place.country_code, "admin1": place.admin1,
                       "latitude": place.latitude, "longitude": place.longitude,
                       "geonames_id": place.geonames_id, "feature": place.feature}
        rows.append({"text": text, "place_id": pid, "relation": place.relation, "reason": None})
    if places:
        existing = set(connection.execute(sa.select(schema.places.c.id).where(schema.places.c.id.in_(list(places)))).scalars())
        new_places = [row for pid, row in places.items() if pid not in existing]
        if new_places:
            connection.execute(schema.places.insert(), new_places)
    connection.execute(pt.insert(), rows)
    return sum(1 for r in rows if r["place_id"])
