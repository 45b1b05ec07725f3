"""Runners: in-process, worker processes and Dask store the same records, stream, and keep order."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

import newsledger
from newsledger.errors import NewsledgerError
from newsledger.models import Article, Extraction, Rejected
from newsledger.runner import run_pipeline
from newsledger.runner.chunks import in_order
from newsledger.runner.dask import DaskTarget, parse_target

from conftest import corpus_slice


def _store_rows(db: str) -> dict[str, list[tuple]]:
    """Every row of every table, timestamps left out, in a stable order."""
    engine = sa.create_engine(db)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    rows = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if not isinstance(c.type, (sa.DateTime, sa.TIMESTAMP))]
            result = connection.execute(sa.select(*columns))
            rows[table.name] = sorted((tuple(row) for row in result), key=repr)
    engine.dispose()
    return rows


def _articles(count: int) -> list[Article]:
    return [Article(id=f"a{i}", text=f"Officials said {i + 2} people were killed on Monday.") for i in range(count)]


@pytest.mark.model
def test_dask_local_cluster_stores_row_for_row_what_the_local_runner_stores(nlp, tmp_path):
    pytest.importorskip("distributed")
    articles = corpus_slice(tmp_path / "slice.jsonl", 16)
    local_db, dask_db = f"sqlite:///{tmp_path / 'local.db'}", f"sqlite:///{tmp_path / 'dask.db'}"

    local = newsledger.ingest([articles], db=local_db, workers=1, batch_size=5)
    on_dask = newsledger.ingest([articles], db=dask_db, dask="local:2", batch_size=5)

    assert local.ingested == on_dask.ingested == 16 and not on_dask.rejected
    assert local.article_ids == on_dask.article_ids
    local_rows, dask_rows = _store_rows(local_db), _store_rows(dask_db)
    assert local_rows.keys() == dask_rows.keys()
    assert local_rows["figures"] and local_rows["quotes"] and local_rows["events"]
    for table in local_rows:
        assert local_rows[table] == dask_rows[table], table


@pytest.mark.model
def test_worker_processes_read_the_input_lazily_and_keep_its_order(nlp):
    consumed = 0

    def stream():
        nonlocal consumed
        for article in _articles(400):
            consumed += 1
            yield article

    results = run_pipeline(stream(), workers=2, chunk_size=4)
    first = list(itertools.islice(results, 6))
    results.close()
    assert [r.article.id for r in first] == [f"a{i}" for i in range(6)]
    assert all(isinstance(r, Extraction) for r in first)
    assert consumed <= 4 * (2 * 2 + 1)  # the chunks in flight and the one being handed out, not the whole input


def test_in_order_bounds_pending_chunks_and_yields_in_input_order():
    pending: list[int] = []
    high_water = 0

    def submit(chunk):
        nonlocal high_water
        pending.append(chunk[0])
        high_water = max(high_water, len(pending))
        return chunk

    def collect(chunk, handle):
        pending.remove(chunk[0])
        return [a.id for a in handle]

    chunks = ([article] for article in _articles(50))
    assert list(in_order(chunks, submit, collect, in_flight=3)) == [f"a{i}" for i in range(50)]
    assert high_water == 3


@pytest.mark.parametrize(
    ("spec", "target"),
    [("local:2", DaskTarget(local_workers=2)), ("tcp://scheduler:8786", DaskTarget(address="tcp://scheduler:8786"))],
)
def test_dask_target_reads_local_n_and_scheduler_addresses(spec, target):
    assert parse_target(spec) == target


@pytest.mark.parametrize("spec", ["local:0", "local:two", "scheduler:8786", "tcp://"])
def test_dask_target_rejects_what_it_cannot_run_on(spec):
    with pytest.raises(NewsledgerError, match="--dask"):
        parse_target(spec)


def test_an_article_over_its_time_limit_is_rejected_and_its_neighbours_are_extracted(nlp, monkeypatch):
    from newsledger.runner import chunks as chunk_module

    def stall(article):
        if "STALL" in article.text:
            time.sleep(30)  # a pathological article: the limit must cut it short

    def extract_many(nlp, articles, batch_size):
        for article in articles:
            stall(article)
            yield from real_extract_many(nlp, [article])

    def extract(nlp, article):
        stall(article)
        return real_extract(nlp, article)

    real_extract_many, real_extract = chunk_module.extract_many, chunk_module.extract
    monkeypatch.setattr(chunk_module, "extract_many", extract_many)
    monkeypatch.setattr(chunk_module, "extract", extract)
    chunk = [
        Article(id="a1", text="More than 500,000 refugees have fled Ukraine, the UN said."),
        Article(id="a2", text="STALL " * 50),
        Article(id="a3", text="At least 12 civilians were killed in Kharkiv on Friday."),
    ]
    started = time.monotonic()
    results = chunk_module.extract_chunk(chunk, None, item_seconds=1.0)
    assert time.monotonic() - started < 15
    assert [type(r).__name__ for r in results] == ["Extraction", "Rejected", "Extraction"]
    assert "item_seconds" in results[1].reason
    assert results[0].figures[0].value == 500_000 and results[2].figures[0].value == 12


def test_text_combining_flood_an_article_alone_over_its_time_limit_is_rejected_without_a_second_run(monkeypatch):
    # A chunk of one slow article (a hostile text of combining marks) ran it again alone: twice item_seconds.
    from newsledger.runner import chunks as chunk_module

    runs = []

    def stall(*args, **kwargs):
        runs.append(time.monotonic())
        time.sleep(30)
        yield from ()

    monkeypatch.setattr(chunk_module, "load_pipeline", lambda model: None)
    monkeypatch.setattr(chunk_module, "extract_many", stall)
    monkeypatch.setattr(chunk_module, "extract", lambda nlp, article: list(stall()))
    [result] = chunk_module.extract_chunk([Article(id="a1", text="Z\u0336" * 1000)], None, item_seconds=0.5)
    assert isinstance(result, Rejected) and result.reason == "extraction took over 0.5 s (item_seconds)"
    assert len(runs) == 1
