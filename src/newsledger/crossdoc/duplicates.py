"""Near-duplicate articles: syndicated and lightly edited copies of one article.

Each article gets a MinHash signature of its word 5-shingles; MinHash LSH
finds the candidates, and two articles are copies when their estimated
Jaccard similarity reaches ``THRESHOLD``. A cluster's original is its
earliest article (by publication date, known or inferred, then id).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from datasketch import MinHashLSH
from sqlalchemy.engine import Connection

from newsledger.crossdoc.grouping import regroup
from newsledger.crossdoc.similarity import NUM_PERM, article_minhash, minhash_from_bytes, minhash_to_bytes
from newsledger.store import schema

__all__ = ["THRESHOLD", "sign_articles", "update_duplicates"]

THRESHOLD = 0.7


def sign_articles(connection: Connection, article_ids: Sequence[str]) -> None:
    """Store the MinHash signature of each article."""
    a = schema.articles
    rows = []
    for chunk_start in range(0, len(article_ids), 500):
        chunk = article_ids[chunk_start : chunk_start + 500]
        for row in connection.execute(sa.select(a.c.id, a.c.text).where(a.c.id.in_(chunk))):
            rows.append({"article_id": row.id, "signature": minhash_to_bytes(article_minhash(row.text))})
    if rows:
        connection.execute(schema.article_signatures.insert(), rows)


def update_duplicates(connection: Connection, new_ids: Sequence[str]) -> int:
    """Link the newly signed articles to their copies; returns how many clusters changed."""
    if not new_ids:
        return 0
    signatures = {
        row.article_id: minhash_from_bytes(row.signature)
        for row in connection.execute(sa.select(schema.article_signatures))
    }
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    for article_id, minhash in signatures.items():
        lsh.insert(article_id, minhash)
    links = []
    for article_id in new_ids:
        minhash = signatures[article_id]
        for other in lsh.query(minhash):
            if other != article_id and minhash.jaccard(signatures[other]) >= THRESHOLD:
                links.append((article_id, other))
    d = schema.duplicate_clusters
    existing = {row.article_id: row.cluster_id for row in connection.execute(sa.select(d.c.article_id, d.c.cluster_id))}
    # Existing rows are keyed by their original, regroup() by the smallest member: translate.
    smallest = {}
    for member, cluster in existing.items():
        smallest[cluster] = min(smallest.get(cluster, member), member)
    groups = regroup({m: smallest[c] for m, c in existing.items()}, links)
    if not groups:
        return 0
    members = [m for group in groups.values() for m in group]
    a = schema.articles
    day = sa.func.coalesce(a.c.published, a.c.published_inferred)
    dated = {
        row.id: (row.day is None, str(row.day or ""), row.id)
        for row in connection.execute(sa.select(a.c.id, day.label("day")).where(a.c.id.in_(members)))
    }
    connection.execute(d.delete().where(d.c.article_id.in_(members)))
    rows = []
    for group in groups.values():
        original = min(group, key=lambda m: dated[m])
        for member in group:
            similarity = 1.0 if member == original else signatures[member].jaccard(signatures[original])
            rows.append({"article_id": member, "cluster_id": original, "similarity": round(float(similarity), 4)})
    connection.execute(d.insert(), rows)
    return len(groups)
