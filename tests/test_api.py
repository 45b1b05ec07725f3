"""The Python API: newsledger.ingest() and newsledger.open() with frozen records."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import newsledger

from conftest import corpus_slice

pytestmark = pytest.mark.model


def test_ingest_then_open_returns_frozen_records(nlp, tmp_path):
    db = f"sqlite:///{tmp_path / 'api.db'}"
    report = newsledger.ingest([newsledger.examples_path()], db=db)
    assert (report.ingested, report.duplicates, report.rejected) == (2, 0, ())
    assert report.summary() == "ingested 2, skipped 0 duplicates, rejected 0"
    ledger = newsledger.open(db)
    figures = ledger.figures(metric="fled")
    assert figures and all(isinstance(f, newsledger.Figure) for f in figures)
    with pytest.raises(dataclasses.FrozenInstanceError):
        figures[0].value = 1
    extraction = ledger.article(figures[0].article_id)
    assert extraction.article.text[figures[0].start:figures[0].end] == figures[0].quote


def test_a_dateless_article_gets_an_inferred_date_shown_as_inferred(nlp, tmp_path):
    db = f"sqlite:///{tmp_path / 'api.db'}"
    newsledger.ingest([newsledger.examples_path()], db=db)
    infos = {i.origin.rsplit("/", 1)[-1]: i for i in newsledger.open(db).articles()}
    dated, dateless = infos["000_97f9c52ff10dc940.txt"], infos["002_1fcdc2a48f4510a7.txt"]
    assert str(dated.published) == "2022-03-03" and dated.published_inferred is None
    assert dateless.published is None
    inferred = dateless.published_inferred
    assert inferred is not None and inferred.first <= inferred.date <= inferred.last
    assert 0 < inferred.confidence <= 1


def test_two_workers_store_exactly_what_one_process_stores(nlp, tmp_path):
    articles = corpus_slice(tmp_path / "slice.jsonl", 24)
    stores = {}
    for workers in (1, 2):
        db = f"sqlite:///{tmp_path / f'w{workers}.db'}"
        report = newsledger.ingest([articles], db=db, workers=workers, batch_size=5)
        assert report.ingested == 24
        ledger = newsledger.open(db)
        stores[workers] = sorted(
            (info.id, ledger.article(info.id)) for info in ledger.articles()
        )
    assert stores[1] == stores[2]
