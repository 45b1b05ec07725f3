"""Shared fixtures. The trained spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD_DEV = SHARED / "gold" / "dev.jsonl"
CORPUS = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"


def corpus_slice(path: Path, n: int, skip: int = 0) -> Path:
    """Write corpus lines ``skip`` to ``skip + n`` (JSONL, one article each) to ``path``."""
    with CORPUS.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= skip + n:
                break
            if i >= skip:
                dst.write(line)
    return path


@pytest.fixture(scope="session")
def nlp():
    """en_core_web_sm with every newsledger component (tests using it are `model` tests)."""
    from newsledger.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def gold_dev() -> list[dict]:
    """The hand-annotated dev articles of ../shared/gold/dev.jsonl."""
    with GOLD_DEV.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def postgres_url():
    """A new, empty PostgreSQL database on the local server, dropped afterwards."""
    import uuid

    import sqlalchemy as sa

    name = f"newsledger_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh store URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_url")
