"""Throughput: newsledger against bare spaCy, and ingest in 1 process, 2 worker processes and on Dask.

    .venv/bin/python benchmarks/throughput.py [--articles 500] [--corpus PATH]

Prints one JSON object. Every figure comes from this run, on the same first
N articles of ../shared/corpus/ukraine-2022/articles.jsonl:

- ``bare_spacy_docs_per_s``: ``spacy.load`` + ``nlp.pipe`` over the texts, one process,
  with the batch size newsledger uses (spaCy's default of 1,000 docs holds
  them all in memory: over 3 GB for 500 articles, and no faster);
- ``newsledger_docs_per_s``: ``extract_many`` (the same model plus newsledger's
  components, records built), one process; ``ratio`` = newsledger / bare;
- ``ingest_s``: end-to-end ``newsledger.ingest`` into a new SQLite store with
  1 worker, 2 worker processes and a 2-worker Dask LocalCluster (model loading,
  writes and the cross-source update included); ``workers2_speedup`` and
  ``dask2_speedup`` are the 1-worker time over theirs, and the ``_pipeline``
  variants leave out the serial cross-source update that follows the last write;
- ``peak_rss_mb_per_worker``: the largest peak resident memory of a process
  that ran the pipeline (the one process, a pool worker or a Dask worker).

Each measurement runs in a fresh process, so one does not warm another and
each has its own memory peak. Before them, the place gazetteer newsledger
builds from GeoNames on first use (then reads from its cache) is loaded once,
so its one-time build is not charged to whichever run comes first; that
load is reported as ``gazetteer``. The machine's load average is recorded too:
on shared machines other work slows every figure, so ``ratio_cpu`` (CPU
seconds of bare spaCy over newsledger's) is given beside the wall-time ratio.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import itertools
import json
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"
WARM_UP = 3  # articles run before timing, so lazy loading is not counted
BATCH_SIZE = 16  # nlp.pipe batch, for bare spaCy and newsledger alike (extract_many's default)


def _peak_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


def _articles(path: str):
    from newsledger.models import Article
    from newsledger.readers import read_sources

    return [a for a in read_sources([path]) if isinstance(a, Article)]


def _bare_spacy(path: str, model: str) -> dict:
    import spacy

    texts = [a.text for a in _articles(path)]
    nlp = spacy.load(model)
    list(nlp.pipe(texts[:WARM_UP]))
    start, cpu = time.perf_counter(), time.process_time()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=BATCH_SIZE))
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "tokens": tokens,
        "peak_rss_mb": _peak_mb(resource.RUSAGE_SELF),
    }


def _newsledger_extract(path: str, model: str) -> dict:
    from newsledger.nlp.pipeline import extract_many, load_pipeline

    articles = _articles(path)
    nlp = load_pipeline(model)
    list(extract_many(nlp, articles[:WARM_UP]))
    start, cpu = time.perf_counter(), time.process_time()
    records = sum(
        len(x.figures) + len(x.quotes) + len(x.timexes) + len(x.events) + len(x.entities)
        for x in extract_many(nlp, articles, batch_size=BATCH_SIZE)
    )
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "records": records,
        "peak_rss_mb": _peak_mb(resource.RUSAGE_SELF),
    }


def _load_gazetteer() -> dict:
    from newsledger.places.gazetteer import _cache_path, load_gazetteer

    cached = _cache_path().exists()
    start = time.perf_counter()
    load_gazetteer()
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "was_cached": cached,
        "peak_rss_mb": _peak_mb(resource.RUSAGE_SELF),
    }


def _ingest(path: str, db: str, model: str, workers: int, dask: str | None) -> dict:
    import newsledger

    last_event = 0.0

    def on_progress(event: str, item: object) -> None:
        nonlocal last_event
        last_event = time.perf_counter()

    start = time.perf_counter()
    report = newsledger.ingest([path], db=db, model=model, workers=workers, dask=dask, on_progress=on_progress)
    end = time.perf_counter()
    return {
        "seconds": end - start,
        "pipeline_seconds": last_event - start,
        "ingested": report.ingested,
        "rejected": len(report.rejected),
        "peak_rss_mb": _peak_mb(resource.RUSAGE_SELF),
        "peak_rss_mb_children": _peak_mb(resource.RUSAGE_CHILDREN),
    }


def _in_fresh_process(function, *args) -> dict:
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as executor:
        return executor.submit(function, *args).result()


def _store_rows(db: str) -> dict[str, list[tuple]]:
    """Every row of every table but timestamps, sorted: what two stores must share to be the same."""
    engine = sa.create_engine(db)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    rows = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if not isinstance(c.type, (sa.DateTime, sa.TIMESTAMP))]
            rows[table.name] = sorted((tuple(r) for r in connection.execute(sa.select(*columns))), key=repr)
    engine.dispose()
    return rows


def run(count: int, corpus: Path, model: str) -> dict:
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "slice.jsonl")
        with corpus.open(encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
            out.writelines(itertools.islice(src, count))
        articles = len(_articles(path))

        gazetteer = _in_fresh_process(_load_gazetteer)
        bare = _in_fresh_process(_bare_spacy, path, model)
        extract = _in_fresh_process(_newsledger_extract, path, model)
        runs = {
            "workers1": (1, None),
            "workers2": (2, None),
            "dask2": (1, "local:2"),
        }
        ingests, stores = {}, {}
        for name, (workers, dask) in runs.items():
            db = f"sqlite:///{Path(tmp) / f'{name}.db'}"
            ingests[name] = _in_fresh_process(_ingest, path, db, model, workers, dask)
            stores[name] = _store_rows(db)

    one, two, on_dask = ingests["workers1"], ingests["workers2"], ingests["dask2"]
    bare_rate = articles / bare["seconds"]
    extract_rate = articles / extract["seconds"]
    per_worker = [extract["peak_rss_mb"], one["peak_rss_mb"], two["peak_rss_mb_children"], on_dask["peak_rss_mb_children"]]
    return {
        "articles": articles,
        "tokens": bare["tokens"],
        "model": model,
        "bare_spacy_docs_per_s": round(bare_rate, 2),
        "bare_spacy_tokens_per_s": round(bare["tokens"] / bare["seconds"]),
        "newsledger_docs_per_s": round(extract_rate, 2),
        "newsledger_tokens_per_s": round(bare["tokens"] / extract["seconds"]),
        "ratio": round(extract_rate / bare_rate, 3),
        "ratio_cpu": round(bare["cpu_seconds"] / extract["cpu_seconds"], 3),  # steadier than wall time under load
        "records": extract["records"],
        "ingest_s": {name: round(r["seconds"], 1) for name, r in ingests.items()},
        "ingest_docs_per_s": {name: round(articles / r["seconds"], 2) for name, r in ingests.items()},
        "crossdoc_s": {name: round(r["seconds"] - r["pipeline_seconds"], 1) for name, r in ingests.items()},
        "workers2_speedup": round(one["seconds"] / two["seconds"], 2),
        "dask2_speedup": round(one["seconds"] / on_dask["seconds"], 2),
        "workers2_speedup_pipeline": round(one["pipeline_seconds"] / two["pipeline_seconds"], 2),
        "dask2_speedup_pipeline": round(one["pipeline_seconds"] / on_dask["pipeline_seconds"], 2),
        "peak_rss_mb_per_worker": max(per_worker),
        "peak_rss_mb": {
            "bare_spacy": bare["peak_rss_mb"],
            "newsledger_extract": extract["peak_rss_mb"],
            "workers1": one["peak_rss_mb"],
            "workers2_client": two["peak_rss_mb"],
            "workers2_worker": two["peak_rss_mb_children"],
            "dask2_client": on_dask["peak_rss_mb"],
            "dask2_worker": on_dask["peak_rss_mb_children"],
        },
        "gazetteer": gazetteer,
        "ingested": {name: r["ingested"] for name, r in ingests.items()},
        "rows": {table: len(rows) for table, rows in stores["workers1"].items() if rows},
        "stores_identical": stores["workers1"] == stores["workers2"] == stores["dask2"],
        "cpus": os.cpu_count(),
        "load_avg_before": [round(x, 2) for x in load_before],
        "load_avg_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500, help="How many articles from the start of the corpus.")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="JSONL corpus to read them from.")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: newsledger's model setting).")
    args = parser.parse_args()
    from newsledger import settings

    print(json.dumps(run(args.articles, args.corpus, args.model or str(settings.get("model"))), indent=2))


if __name__ == "__main__":
    main()
