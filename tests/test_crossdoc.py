"""Across sources: a small corpus with known copies, a known contradiction and a
known series; incremental updates equal a full rebuild."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from newsledger import crossdoc
from newsledger.models import Article, Event, Extraction, Figure, Quote
from newsledger.ledger import Ledger
from newsledger.store import Writer, open_engine, schema

BODY = (
    "The United Nations refugee agency said on Tuesday that more than 500,000 refugees have fled Ukraine since the "
    "invasion began, most of them into Poland, Hungary, Slovakia, Romania and Moldova. Long queues formed at the "
    "border crossings overnight as temperatures fell below freezing, and volunteers handed out food, blankets and "
    "tea to families who had waited for more than a day. Officials in Warsaw said reception centres were full and "
    "asked for more help from the European Union."
)
COPY = BODY.replace("Long queues formed", "Long lines formed") + " Updated at 10:00."
OTHER = (
    "At least one million people have fled Ukraine since the invasion, the UNHCR said on Thursday. Delegations from "
    "Ukraine and Russia met at the Belarus border on Monday. UN Secretary-General Antonio Guterres said the war must "
    "stop now and civilians must be protected at all times."
)
BORDER = (
    "Poland's border guard said 100,000 people have fled Ukraine into Poland since the invasion. Ukrainian and "
    "Russian delegations held talks at the border with Belarus on Monday, officials said. Guterres said the war must "
    "stop now and civilians must be protected at all times, in a statement."
)


def fled(text: str, number: str, value: int, qualifier: str, as_of: str, claimant: str) -> Figure:
    start = text.index(number)
    end = text.index("Ukraine", start) + len("Ukraine")
    return Figure(start=start, end=end, quote=text[start:end], number_start=start, number_end=start + len(number),
                  value=value, qualifier=qualifier, metric="fled", population="refugees", as_of=as_of,
                  claimant=claimant, sentence_start=0, sentence_end=text.index(".") + 1)


def quote(text: str, speaker: str) -> Quote:
    start = text.index("the war must")
    end = text.index("all times") + len("all times")
    return Quote(start=start, end=end, kind="indirect", content=text[start:end], speaker=speaker, cue="said")


def talks(text: str, phrase: str, place: str) -> Event:
    start = text.index(phrase)
    return Event(start=start, end=start + len(phrase), type="talks", evidence=phrase, date="2022-02-28",
                 place=place, actors=("Ukraine", "Russia"))


def corpus() -> dict[str, Extraction]:
    def article(article_id, text, source, day, **records):
        return Extraction(Article(id=article_id, text=text, source=source, title=article_id,
                                  published=date.fromisoformat(day)), **records)

    return {
        "a1": article("a1", BODY, "outlet-x", "2022-03-01",
                      figures=(fled(BODY, "500,000", 500_000, "more_than", "2022-03-01", "The United Nations refugee agency"),)),
        "a2": article("a2", COPY, "outlet-y", "2022-03-02",
                      figures=(fled(COPY, "500,000", 500_000, "more_than", "2022-03-01", "The United Nations refugee agency"),)),
        "a3": article("a3", OTHER, "outlet-z", "2022-03-03",
                      figures=(fled(OTHER, "one million", 1_000_000, "at_least", "2022-03-03", "the UNHCR"),),
                      quotes=(quote(OTHER, "Antonio Guterres"),),
                      events=(talks(OTHER, "Delegations from Ukraine and Russia met at the Belarus border", "the Belarus border"),)),
        "a4": article("a4", BORDER, "outlet-w", "2022-03-03",
                      figures=(fled(BORDER, "100,000", 100_000, "exact", "2022-03-03", "Poland's border guard"),),
                      quotes=(quote(BORDER, "Guterres"),),
                      events=(talks(BORDER, "Ukrainian and Russian delegations held talks at the border with Belarus", "Belarus"),)),
    }


def crossdoc_state(engine) -> dict[str, list]:
    tables = (schema.article_signatures, schema.duplicate_clusters, schema.quote_groups, schema.event_clusters,
              schema.figure_flags)
    with engine.connect() as connection:
        return {t.name: sorted(tuple(r) for r in connection.execute(sa.select(t))) for t in tables}


def test_known_copies_contradiction_series_and_groups_are_found_and_nothing_else(db_url):
    engine = open_engine(db_url)
    Writer(engine).write(list(corpus().values()))
    report = crossdoc.update(engine)
    assert report.articles == 4
    ledger = Ledger(engine)

    [cluster] = ledger.duplicates()
    assert cluster.original.article_id == "a1"  # the earlier of the two copies
    assert [c.article_id for c in cluster.copies] == ["a2"]

    [conflict] = ledger.conflicts()
    assert conflict.kind == "far_apart"
    assert {conflict.figure.figure.article_id, conflict.other.figure.article_id} == {"a3", "a4"}
    assert all(e.sentence and e.outlet for e in (conflict.figure, conflict.other))

    [unhcr] = ledger.series("fled", claimant="UN Refugee Agency")[0].lines[:1]
    assert [(p.as_of, p.value) for p in unhcr.points] == [("2022-03-01", 500_000), ("2022-03-03", 1_000_000)]
    assert {r.figure.article_id for r in unhcr.points[0].reports} == {"a1", "a2"}

    [statement] = ledger.statements(min_outlets=2)
    assert (len(statement.reports), statement.outlets) == (2, 2)
    [entry] = [t for t in ledger.timeline() if t.event.type == "talks"]
    assert (len(entry.reports), entry.outlets, entry.independent) == (2, 2, 2)


def test_copies_count_once_as_independent_reports(db_url):
    engine = open_engine(db_url)
    items = corpus()
    a1, a2 = items["a1"], items["a2"]
    same_event = talks(BODY, "The United Nations refugee agency said", None)
    Writer(engine).write([
        Extraction(a1.article, events=(same_event,)),
        Extraction(a2.article, events=(talks(COPY, "The United Nations refugee agency said", None),)),
    ])
    crossdoc.update(engine)
    [entry] = Ledger(engine).timeline()
    assert (len(entry.reports), entry.outlets, entry.independent) == (2, 2, 1)


def test_incremental_updates_equal_a_full_rebuild(db_url, tmp_path):
    items = corpus()
    incremental = open_engine(db_url)
    writer = Writer(incremental)
    for batch in (["a3", "a1"], ["a4"], ["a2"]):
        writer.write([items[i] for i in batch])
        crossdoc.update(incremental)
    full = open_engine(f"sqlite:///{tmp_path / 'full.db'}")
    Writer(full).write(list(items.values()))
    crossdoc.rebuild(full)
    assert crossdoc_state(incremental) == crossdoc_state(full)
    assert crossdoc.update(incremental).articles == 0  # nothing left to do


def test_a_drop_in_one_claimants_running_total_is_flagged_beyond_rounding(db_url):
    text = "The toll so far: 2,000 civilians have been killed in Ukraine, officials said."
    engine = open_engine(db_url)

    def toll(article_id, number, value, day):
        body = text.replace("2,000", number)
        start = body.index(number)
        figure = Figure(start=start, end=start + len(number), quote=f"The toll so far: {number}", number_start=start,
                        number_end=start + len(number), value=value, qualifier="exact", metric="killed",
                        population="civilians", as_of=day, claimant="Ukraine's Emergency Services")
        return Extraction(Article(id=article_id, text=body, source=article_id), figures=(figure,))

    Writer(engine).write([toll("t1", "2,000", 2000, "2022-03-02"), toll("t2", "1,950", 1950, "2022-03-03"),
                          toll("t3", "1,200", 1200, "2022-03-04")])
    crossdoc.update(engine)
    flags = Ledger(engine).conflicts()
    assert [(f.kind, f.figure.figure.value, f.other.figure.value) for f in flags] == [("drop", 1200, 1950)]


def test_concurrent_updates_process_each_article_once(db_url):
    import threading

    engine = open_engine(db_url)
    Writer(engine).write(list(corpus().values()))
    reports, errors = [], []

    def run():
        try:
            reports.append(crossdoc.update(engine))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.articles for r in reports) == [0, 0, 4]


def test_a_bare_surname_in_one_article_counts_under_the_full_name_of_others(db_url):
    from newsledger.models import Entity

    def mentions(article_id, names):
        text = " and ".join(names)
        entities, at = [], 0
        for name in names:
            entities.append(Entity(start=at, end=at + len(name), text=name, label="person", canonical=name))
            at += len(name) + len(" and ")
        return Extraction(Article(id=article_id, text=text, source=f"outlet-{article_id}"), entities=tuple(entities))

    engine = open_engine(db_url)
    Writer(engine).write([mentions("p1", ["Dmytro Kuleba", "Dmytro Kuleba", "Dmytro Kuleba"]),
                          mentions("p2", ["Kuleba"]), mentions("p3", ["Dymtro Kuleba"])])
    crossdoc.update(engine)
    [kuleba] = Ledger(engine).entities(search="kuleba")
    assert (kuleba.canonical, kuleba.mentions, kuleba.articles, kuleba.outlets) == ("Dmytro Kuleba", 5, 3, 3)


def test_the_revision_changes_with_every_write_and_update_and_only_then(db_url):
    engine = open_engine(db_url)
    ledger, items = Ledger(engine), corpus()
    empty = ledger.revision()
    Writer(engine).write([items["a1"]])
    stored = ledger.revision()
    assert stored != empty
    crossdoc.update(engine)
    updated = ledger.revision()
    assert updated != stored
    crossdoc.update(engine)  # nothing new
    assert ledger.revision() == updated
    crossdoc.rebuild(engine)  # recomputed: answers may differ, so the revision moves
    assert ledger.revision() != updated
