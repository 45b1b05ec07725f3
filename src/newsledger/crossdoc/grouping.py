"""Grouping by symmetric links, so that the groups do not depend on the order
in which items arrived: an incremental update equals a full recompute."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

__all__ = ["UnionFind", "regroup", "store_links"]


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for item in self.parent:
            out.setdefault(self.find(item), []).append(item)
        return out


def regroup(existing: Mapping[str, str], links: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Merge new ``links`` into ``existing`` (member -> group id) groups.

    Returns only the groups the links touched, each as its members, keyed by
    the group's smallest member, which is its id.
    """
    members_of: dict[str, list[str]] = {}
    for member, group in existing.items():
        members_of.setdefault(group, []).append(member)
    forest = UnionFind()
    touched: set[str] = set()
    for a, b in links:
        for item in (a, b):
            group = existing.get(item)
            if group is not None and group not in touched:
                touched.add(group)
                for member in members_of[group]:
                    forest.union(member, group)
        forest.union(a, b)
    return {min(members): sorted(members) for members in forest.groups().values() if len(members) > 1}


def store_links(connection: Connection, table: sa.Table, links: Iterable[tuple[str, str]]) -> int:
    """Merge ``links`` into the groups kept in ``table`` (columns: member, group id);
    rewrites only the groups they touch and returns how many that is."""
    member, group = table.c[0], table.c[1]
    existing = {row[0]: row[1] for row in connection.execute(sa.select(member, group))}
    groups = regroup(existing, links)
    if groups:
        members = [m for ms in groups.values() for m in ms]
        connection.execute(table.delete().where(member.in_(members)))
        connection.execute(table.insert(), [{member.name: m, group.name: gid} for gid, ms in groups.items() for m in ms])
    return len(groups)
