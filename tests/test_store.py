"""The store on SQLite and PostgreSQL: one write path, idempotent, queryable, migrated."""

from __future__ import annotations

import dataclasses
from datetime import date

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from newsledger.models import Article, Entity, Event, Extraction, Figure, PublishedInference, Quote, Timex
from newsledger.ledger import Ledger
from newsledger.store import Writer, open_engine
from newsledger.store.schema import metadata

TEXT = (
    "More than 500,000 refugees have fled Ukraine, according to the UN Refugee Agency. "
    "Sergei Lavrov said talks would go on. Lavrov met envoys on Monday in Minsk."
)


def make_extraction(article_id: str = "a1", text: str = TEXT, **article_fields) -> Extraction:
    article = Article(id=article_id, text=text, source="example.org", title="Refugees flee", **article_fields)
    start = text.index("More than")
    figure = Figure(
        start=start, end=text.index(" Ukraine") + len(" Ukraine"), quote="More than 500,000 refugees have fled Ukraine",
        number_start=text.index("500,000"), number_end=text.index("500,000") + 7, value=500000,
        qualifier="more_than", metric="fled", population="refugees", place="Ukraine", as_of="2022-03-01",
        claimant="the UN Refugee Agency", since="2022-02-24", sentence_start=0,
        sentence_end=text.index(" Sergei"), article_id=article_id,
    )
    quote = Quote(
        start=text.index("talks"), end=text.index(" go on") + 6, kind="indirect", content="talks would go on",
        speaker="Sergei Lavrov", cue="said", article_id=article_id,
    )
    timex = Timex(start=text.index("Monday"), end=text.index("Monday") + 6, text="Monday", value="2022-02-28",
                  article_id=article_id)
    event = Event(start=text.index("Lavrov met"), end=text.index(" on Monday"), type="talks",
                  evidence="Lavrov met envoys", date="2022-02-28", place="Minsk", actors=("Lavrov",),
                  article_id=article_id)
    entities = (
        Entity(start=text.index("Sergei"), end=text.index(" said"), text="Sergei Lavrov", label="person",
               canonical="Sergei Lavrov", article_id=article_id),
        Entity(start=text.index("Lavrov met"), end=text.index(" met"), text="Lavrov", label="person",
               canonical="Sergei Lavrov", article_id=article_id),
    )
    return Extraction(article=article, figures=(figure,), quotes=(quote,), timexes=(timex,), events=(event,),
                      entities=entities)


def test_schema_matches_migrations(db_url):
    engine = open_engine(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    # Full-text search lives outside the Core schema (an FTS5 table, a GIN expression index).
    assert [d for d in diff if "fts" not in repr(d)] == []


def test_written_article_reads_back_with_all_extractions(db_url):
    engine = open_engine(db_url)
    original = make_extraction(published=date(2022, 3, 1))
    assert Writer(engine).write([original]) == ["a1"]
    stored = Ledger(engine).article("a1")
    assert stored == original


def test_writing_the_same_article_twice_stores_it_once(db_url):
    engine = open_engine(db_url)
    writer = Writer(engine)
    assert writer.write([make_extraction()]) == ["a1"]
    assert writer.write([make_extraction(), make_extraction("a2", TEXT + " More.")]) == ["a2"]
    counts = Ledger(engine).counts()
    assert counts["articles"] == 2
    assert counts["figures"] == 2
    assert counts["entities"] == 1  # Sergei Lavrov, shared by both articles
    assert counts["mentions"] == 4


def test_inferred_publication_date_is_kept_apart_from_a_known_one(db_url):
    engine = open_engine(db_url)
    inferred = PublishedInference(date(2022, 2, 28), date(2022, 2, 28), date(2022, 3, 1), 0.6, "last Thursday")
    Writer(engine).write([dataclasses.replace(make_extraction(), published_inferred=inferred)])
    info = Ledger(engine).articles()[0]
    assert info.published is None
    assert info.published_inferred == inferred
    assert (info.figures, info.quotes, info.timexes, info.events) == (1, 1, 1, 1)


def test_queries_filter_records(db_url):
    engine = open_engine(db_url)
    Writer(engine).write([make_extraction()])
    ledger = Ledger(engine)
    assert [f.value for f in ledger.figures(metric="fled", claimant="refugee agency")] == [500000]
    assert ledger.figures(metric="killed") == []
    assert ledger.figures(since="2022-03-02") == []
    assert [q.speaker for q in ledger.quotes(speaker="lavrov")] == ["Sergei Lavrov"]
    assert [e.place for e in ledger.events(type="talks")] == ["Minsk"]
    [lavrov] = ledger.entities(search="lavrov")
    assert (lavrov.canonical, lavrov.mentions, lavrov.articles) == ("Sergei Lavrov", 2, 1)
    assert ledger.article("a") is not None  # a unique prefix is enough
    assert ledger.article("zz") is None


def test_full_text_search_finds_words_in_any_order(db_url):
    engine = open_engine(db_url)
    shelling = Extraction(article=Article(id="b2", text="Shelling hit Kharkiv overnight.", title="Kharkiv"))
    Writer(engine).write([make_extraction(), shelling])
    ledger = Ledger(engine)
    assert [h.article_id for h in ledger.search("refugees Lavrov")] == ["a1"]
    assert [h.article_id for h in ledger.search("kharkiv")] == ["b2"]
    assert ledger.search('"unbalanced AND OR (') == []  # user text never breaks the query syntax
    assert ledger.search("") == []


def test_a_failed_batch_leaves_nothing_half_written(db_url):
    engine = open_engine(db_url)
    bad = dataclasses.replace(make_extraction("b1"), figures=(dataclasses.replace(make_extraction().figures[0], metric=None),))
    try:
        Writer(engine).write([make_extraction(), bad])
    except sa.exc.IntegrityError:
        pass
    else:
        raise AssertionError("a NOT NULL violation should fail the batch")
    assert Ledger(engine).counts()["articles"] == 0
    assert Writer(engine).write([make_extraction()]) == ["a1"]


def test_sqlite_store_uses_wal(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_bare_path_and_postgres_scheme_are_accepted():
    from newsledger.store import normalise_url

    assert normalise_url("x.db") == "sqlite:///x.db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_a_figure_comes_with_the_sentence_that_states_it(db_url):
    engine = open_engine(db_url)
    Writer(engine).write([make_extraction()])
    ledger = Ledger(engine)
    [sentence] = ledger.sentences(ledger.figures())
    assert sentence == "More than 500,000 refugees have fled Ukraine, according to the UN Refugee Agency."


def test_speakers_are_counted_by_quotes_articles_and_outlets(db_url):
    engine = open_engine(db_url)
    Writer(engine).write([make_extraction(), make_extraction("a2", TEXT + " Again.")])
    [lavrov] = Ledger(engine).speakers()
    assert (lavrov.speaker, lavrov.quotes, lavrov.articles, lavrov.outlets) == ("Sergei Lavrov", 2, 2, 1)


def test_two_writers_with_overlapping_batches_at_once_store_each_article_once(db_url):
    import threading

    open_engine(db_url)  # migrated once, before the writers race
    items = [make_extraction(f"a{i}", f"{TEXT} Item {i}.") for i in range(40)]
    first, second = items[:30], items[10:]  # 20 articles in both
    stored: list[list[str]] = []
    errors: list[BaseException] = []

    def write(extractions) -> None:
        try:
            writer, ids = Writer(open_engine(db_url)), []
            for start in range(0, len(extractions), 5):
                ids += writer.write(extractions[start : start + 5])
            stored.append(ids)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(batch,)) for batch in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(stored[0] + stored[1]) == sorted(e.article.id for e in items)  # each claimed by one writer
    counts = Ledger(open_engine(db_url)).counts()
    assert (counts["articles"], counts["figures"], counts["quotes"], counts["mentions"]) == (40, 40, 40, 80)


def test_reads_go_on_while_an_ingest_writes(db_url):
    import threading

    engine = open_engine(db_url)
    Writer(engine).write([make_extraction("seed")])
    done, errors = threading.Event(), []

    def write() -> None:
        try:
            writer = Writer(open_engine(db_url))
            for i in range(30):
                writer.write([make_extraction(f"w{i}", f"{TEXT} Write {i}.")])
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    reader, reads = Ledger(open_engine(db_url)), 0
    while not done.is_set() or reads < 5:
        assert reader.counts()["articles"] >= 1
        assert reader.figures(limit=5)
        reads += 1
    thread.join(timeout=120)
    assert errors == []
    assert reader.counts()["articles"] == 31 and reads >= 5


def test_processes_opening_one_new_store_at_once_all_succeed(db_url):
    import subprocess
    import sys

    code = "import sys; from newsledger.store import open_engine; open_engine(sys.argv[1])"
    processes = [subprocess.Popen([sys.executable, "-c", code, db_url], stderr=subprocess.PIPE, text=True)
                 for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], errors
    engine = open_engine(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert [d for d in diff if "fts" not in repr(d)] == []


def test_jsonl_bad_escapes_an_article_read_from_nul_and_lone_surrogate_escapes_is_written(db_url, tmp_path):
    # "\u0000" failed every write to PostgreSQL ("text fields cannot contain NUL"), "\ud800"
    # in a title every write to SQLite: the whole batch, and the ingest, with it.
    from newsledger.readers import read_sources

    path = tmp_path / "escapes.jsonl"
    path.write_bytes(b'{"text": "Kyiv \\u0000held \\ud800out.", "title": "T\\u0000 \\udfff", "source": "\\ud83d"}\n')
    [article] = read_sources([path])
    engine = open_engine(db_url)
    assert Writer(engine).write([Extraction(article=article)]) == [article.id]
    assert Ledger(engine).article(article.id).article == article


def test_concurrent_writers_a_view_reads_one_state_while_a_cross_source_update_commits(db_url, monkeypatch):
    # The timeline read its groups, then their members; an update clustering two events that
    # committed in between (a concurrent ingest) left a group without members: KeyError, HTTP 500.
    from newsledger.crossdoc import views
    from newsledger.ledger import Ledger as FullLedger
    from newsledger.store import schema

    engine = open_engine(db_url)
    Writer(engine).write([make_extraction("a1"), make_extraction("a2", text=TEXT + " More talks were planned.")])
    with engine.connect() as connection:
        event_ids = sorted(connection.execute(sa.select(schema.events.c.id)).scalars())
    real_grouped_page = views._grouped_page

    def update_commits_in_between(*args, **kwargs):
        groups = real_grouped_page(*args, **kwargs)
        with open_engine(db_url).begin() as other:
            other.execute(schema.event_clusters.insert(), [{"event_id": i, "cluster_id": event_ids[0]} for i in event_ids])
        return groups

    monkeypatch.setattr(views, "_grouped_page", update_commits_in_between)
    entries = FullLedger(engine).timeline()
    assert sorted(len(entry.reports) for entry in entries) == [1, 1]  # the state before the update, whole
