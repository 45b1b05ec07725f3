"""Figure series: one source however it is written, one series however the place is left out,
each point with the day it was true and the day it was reported. No model needed."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from newsledger import crossdoc
from newsledger.cli import app
from newsledger.crossdoc.claimants import canonical_claimant
from newsledger.crossdoc.series import series_key
from newsledger.models import Article, Extraction, Figure
from newsledger.ledger import Ledger
from newsledger.store import Writer, open_engine


@pytest.mark.parametrize(
    "written, metric, side, key",
    [
        ("UNHCR", "fled", None, "unhcr"),
        ("the UN refugee agency", "fled", None, "unhcr"),
        ("The U.N.'s refugee agency", "fled", None, "unhcr"),
        ("The United Nations’ refugee agency", "fled", None, "unhcr"),
        ("the United Nations High Commissioner for Refugees", "fled", None, "unhcr"),
        ("UN High Commissioner for Refugees Filippo Grandi", "fled", None, "unhcr"),
        ("Grandi", "fled", None, "unhcr"),
        ("a tracker from the United Nations refugee agency", "fled", None, "unhcr"),
        # the UN as a whole: the body that keeps that count
        ("the U.N.", "fled", None, "unhcr"),
        ("according to the United Nations", "fled", None, "unhcr"),
        ("figures from the United Nations", "fled", None, "unhcr"),
        ("a UN report", "killed", None, "ohchr"),
        ("The UN", "injured", None, "ohchr"),
        ("UN figures", "displaced", None, "iom"),
        ("the United Nations", "deployed", None, "united nations"),
        # the longest phrase wins
        ("The Office of the UN High Commissioner for Human Rights", "killed", None, "ohchr"),
        ("the United Nations Human Rights Council", "killed", None, "un human rights council"),
        ("The United Nations Children's Fund", "fled", None, "unicef"),
        ("the U.N.-affiliated Organization for Migration in Geneva", "fled", None, "iom"),
        # a government's count of the enemy's dead is its military's
        ("Ukraine", "killed", "russian", "ukrainian general staff"),
        ("Ukrainian officials", "killed", "russian", "ukrainian general staff"),
        ("The General Staff of the Armed Forces of Ukraine", "killed", "russian", "ukrainian general staff"),
        ("Ukrainian officials", "killed", None, "ukrainian government"),
        ("Moscow", "killed", "russian", "russian defence ministry"),
        ("Russia's Ministry of Defence", "killed", "russian", "russian defence ministry"),
        # people by their curated name, titles off
        ("Ukrainian President Volodymyr Zelenskyy", "killed", None, "volodymyr zelensky"),
        ("Zelensky", "killed", None, "volodymyr zelensky"),
        # anyone else by their own words
        ("the Polish Border Guard", "fled", None, "polish border guard"),
        ("Reuters", "fled", None, "reuters"),
        ("the city's mayor", "killed", None, "city mayor"),
    ],
)
def test_a_claimant_is_one_source_however_it_is_written(written, metric, side, key):
    assert canonical_claimant(written, metric, side).key == key


def test_no_claimant_is_no_source():
    assert canonical_claimant(None, "fled") is None
    assert canonical_claimant("  ", "fled") is None


def test_a_figure_naming_no_place_counts_in_the_theatre_and_its_people_keep_no_side():
    assert series_key("fled", "refugees", "ukrainian", None) == series_key("fled", "people", None, "Ukraine")
    assert series_key("fled", "people", None, "Poland") != series_key("fled", "people", None, None)
    assert series_key("killed", "troops", "russian", None) == series_key("killed", "soldiers", "russian", "Ukraine")
    assert series_key("killed", "soldiers", "russian", None) != series_key("killed", "soldiers", None, None)


def _article(article_id: str, published: str, sentence: str, number: str, value: int, claimant: str, as_of: str,
             place: str | None = None, side: str | None = None, qualifier: str = "more_than") -> Extraction:
    start = sentence.index(number)
    figure = Figure(start=start, end=start + len(number), quote=number, number_start=start,
                    number_end=start + len(number), value=value, qualifier=qualifier, metric="fled",
                    population="refugees", side=side, place=place, as_of=as_of, claimant=claimant,
                    sentence_start=0, sentence_end=len(sentence))
    return Extraction(Article(id=article_id, text=sentence, source=f"outlet-{article_id}", title=article_id,
                              published=date.fromisoformat(published)), figures=(figure,))


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'series.db'}"
    engine = open_engine(url)
    Writer(engine).write([
        _article("a1", "2022-03-03", "More than 1 million refugees have fled, the UN refugee agency said.",
                 "1 million", 1_000_000, "the UN refugee agency", "2022-03-03"),
        _article("a2", "2022-03-08", "The U.N. said on Tuesday that 2 million Ukrainians have fled.",
                 "2 million", 2_000_000, "The U.N.", "2022-03-08", side="ukrainian"),
        # restated five days later: true as of 8 March, reported on the 13th
        _article("a3", "2022-03-13", "Grandi said on March 8 that 2 million refugees had fled Ukraine.",
                 "2 million", 2_000_000, "Grandi", "2022-03-08", place="Ukraine"),
        _article("a4", "2022-03-13", "A misreading: 20 million refugees have fled, the UNHCR said.",
                 "20 million", 20_000_000, "the UNHCR", "2022-03-08", place="Ukraine"),
        _article("a5", "2022-03-09", "Poland's border guard said 1.2 million refugees had crossed into Poland.",
                 "1.2 million", 1_200_000, "Poland's border guard", "2022-03-09", place="Poland"),
    ])
    crossdoc.update(engine)
    return url


def test_one_line_per_source_over_spellings_places_and_sides(store):
    [series] = Ledger(open_engine(store)).series("fled", claimant="refugee")
    [line] = series.lines
    assert series.key == "fled|people||ukraine"
    assert line.claimant == "UNHCR (UN Refugee Agency)"
    assert {name for name, _ in line.names} == {"the UN refugee agency", "The U.N.", "Grandi", "the UNHCR"}
    # each day's value is the one most reports give: the misread 20 million is outvoted
    assert line.days == (("2022-03-03", 1_000_000), ("2022-03-08", 2_000_000))


def test_a_restated_figure_keeps_its_own_day_and_shows_when_it_was_first_reported(store):
    [line] = Ledger(open_engine(store)).series("fled", claimant="Grandi")[0].lines
    point = next(p for p in line.points if p.value == 2_000_000)
    assert point.as_of == "2022-03-08"
    assert point.reported == "2022-03-08"
    assert sorted(r.published for r in point.reports) == ["2022-03-08", "2022-03-13"]


def test_the_claimant_filter_takes_any_spelling_or_words_of_the_name(store):
    ledger = Ledger(open_engine(store))
    for query in ("UNHCR", "the United Nations High Commissioner for Refugees", "Filippo Grandi", "refugee agency"):
        assert [line.key for s in ledger.series("fled", claimant=query) for line in s.lines] == ["unhcr"], query
    assert ledger.series("fled", claimant="Red Cross") == []


def test_the_sources_of_a_metric_are_listed_with_their_points(store):
    rows = Ledger(open_engine(store)).series_claimants("fled")
    assert [(r.claimant, r.series, r.days, r.points, r.reports) for r in rows] == [
        ("UNHCR (UN Refugee Agency)", "fled|people||ukraine", 2, 3, 4),
        ("Polish Border Guard", "fled|people||poland", 1, 1, 1),
    ]


def test_series_without_a_claimant_lists_the_sources_and_with_one_shows_both_dates(store):
    runner = CliRunner()
    listed = runner.invoke(app, ["series", "fled", "--db", store, "--json"])
    assert listed.exit_code == 0, listed.output
    assert [row["claimant"] for row in json.loads(listed.stdout)] == ["UNHCR (UN Refugee Agency)", "Polish Border Guard"]
    shown = runner.invoke(app, ["series", "fled", "--db", store, "--claimant", "refugee", "--json"])
    [series] = json.loads(shown.stdout)
    [line] = series["lines"]
    assert line["days"] == [["2022-03-03", 1_000_000], ["2022-03-08", 2_000_000]]
    assert {(p["as_of"], p["reported"]) for p in line["points"]} == {
        ("2022-03-03", "2022-03-03"), ("2022-03-08", "2022-03-08"), ("2022-03-08", "2022-03-13")}  # the 20 million: restated late
    table = runner.invoke(app, ["series", "fled", "--db", store, "--claimant", "refugee"], env={"COLUMNS": "200"})
    assert "reported" in table.stdout and "written as: " in table.stdout


def test_the_web_chart_draws_one_line_per_source_with_its_daily_values(store):
    import warnings

    from newsledger.api import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    body = TestClient(create_app(store)).get("/api/figures", params={"metric": "fled", "claimant": "refugee"}).json()
    [line] = body["chart"]["lines"]
    assert line["label"] == "UNHCR (UN Refugee Agency)"
    assert [(p["x"], p["y"], p["reports"]) for p in line["points"]] == [
        ("2022-03-03", 1_000_000, 1), ("2022-03-08", 2_000_000, 3)]
    assert all(p["href"].startswith("/articles/") for p in line["points"])
