"""The command line end to end: ingest, query, export, bad input, and a killed ingest resumed."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsledger.cli import app

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
from conftest import corpus_slice  # noqa: E402

pytestmark = pytest.mark.model
runner = CliRunner()


def run(*args: str, ok: bool = True):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def seeded(nlp, db_url):
    """A store holding the two seed articles."""
    run("ingest", str(SEEDS), "--db", db_url)
    return db_url


def figures_json(db: str) -> list[dict]:
    return json.loads(run("figures", "--db", db, "--json", "--limit", "1000").stdout)


def test_seed_refugee_figures_are_listed_with_claimant_and_span(seeded):
    figures = figures_json(seeded)
    by_value = {f["value"]: f for f in figures}
    assert by_value[520000]["claimant"] == "Associated Press"
    assert by_value[520000]["metric"] == "fled"
    assert "refugee agency" in by_value[500000]["claimant"].lower()
    articles = {a["id"]: a for a in json.loads(run("articles", "--db", seeded, "--json").stdout)}
    for value in (520000, 500000):
        figure = by_value[value]
        text = json.loads(run("show", figure["article_id"], "--db", seeded, "--json").stdout)["article"]["text"]
        assert figure["article_id"] in articles
        assert text[figure["start"]:figure["end"]] == figure["quote"]
        assert text[figure["number_start"]:figure["number_end"]] in figure["quote"]


def test_ingesting_again_adds_nothing(seeded):
    result = run("ingest", str(SEEDS), "--db", seeded)
    assert "ingested 0, skipped 2 duplicates, rejected 0" in result.stdout
    assert len(json.loads(run("articles", "--db", seeded, "--json").stdout)) == 2


def test_query_commands_answer_in_tables_and_json(seeded):
    quotes = json.loads(run("quotes", "--db", seeded, "--json", "--speaker", "Lavrov").stdout)
    assert quotes and all("Lavrov" in q["speaker"] for q in quotes)
    timeline = json.loads(run("timeline", "--db", seeded, "--json").stdout)
    assert timeline and all(t["reports"] and t["outlets"] >= 0 for t in timeline)
    assert [t["event"]["date"] for t in timeline] == sorted(t["event"]["date"] for t in timeline)
    entities = json.loads(run("entities", "--db", seeded, "--json").stdout)
    lavrov = next(e for e in entities if e["canonical"] == "Sergei Lavrov")
    assert lavrov["mentions"] >= 2 and lavrov["outlets"] == 0  # the seeds name no outlet
    hits = json.loads(run("search", "Podolyak consultations", "--db", seeded, "--json").stdout)
    assert len(hits) == 1 and "[" in hits[0]["snippet"]
    for command in ("articles", "figures", "quotes", "speakers", "statements", "timeline", "entities", "conflicts",
                    "duplicates"):
        assert run(command, "--db", seeded).stdout.strip()


def test_show_prints_the_article_and_its_extractions(seeded):
    article_id = json.loads(run("articles", "--db", seeded, "--json").stdout)[0]["id"]
    out = run("show", article_id[:8], "--db", seeded).stdout
    assert "Figures" in out and "Quotes" in out and "Places" in out
    shown = json.loads(run("show", article_id, "--db", seeded, "--json").stdout)
    assert any(p["name"] == "Ukraine" and p["latitude"] for p in shown["places"])
    assert run("show", "nope", "--db", seeded, ok=False).exit_code == 1


def test_export_jsonl_and_csv(seeded, tmp_path):
    out = tmp_path / "articles.jsonl"
    run("export", "--db", seeded, "--out", str(out))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 2 and all("figures" in line and "article" in line for line in lines)
    result = run("export", "--db", seeded, "--format", "csv", "--what", "figures")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {int(r["value"]) for r in rows} >= {520000, 500000}
    assert all(r["outlet"] == "" or r["outlet"] for r in rows)


def test_bad_items_are_rejected_with_reasons_and_the_rest_goes_on(nlp, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text((SEEDS / "000_97f9c52ff10dc940.txt").read_text())
    (inbox / "empty.txt").write_text("   \n")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inbox / "broken.jsonl").write_text('{"text": "Russian forces shelled Kharkiv on Monday, officials said."}\n{not json\n')
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = run("ingest", str(inbox), "--db", db)
    assert "ingested 2, skipped 0 duplicates, rejected 3" in result.stdout
    for name in ("empty.txt", "binary.txt", "broken.jsonl:2"):
        assert name in result.stderr
    strict = run("ingest", str(inbox), "--db", db, "--strict", ok=False)
    assert strict.exit_code == 1
    assert run("ingest", str(inbox), "--db", db, "--format", "yaml", ok=False).exit_code == 2


def test_demo_ingests_the_examples_and_says_how_to_look_further(nlp, tmp_path):
    result = run("demo", "--db", f"sqlite:///{tmp_path / 'demo.db'}")
    assert "ingested 2" in result.stdout
    assert "520,000" in result.stdout
    assert "newsledger figures" in result.stdout


def test_python_dash_m_is_the_same_cli():
    result = subprocess.run([sys.executable, "-m", "newsledger", "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "ingest" in result.stdout and "evaluate" in result.stdout


def _corpus_slice(path: Path, n: int) -> int:
    """Write the first ``n`` corpus lines to ``path``; how many distinct articles they hold."""
    from newsledger.readers import read_sources

    corpus_slice(path, n)
    return len({a.id for a in read_sources([path])})


def _count(db_file: Path, table: str) -> int:
    """Rows in ``table``; 0 while the store is still being created."""
    with closing(sqlite3.connect(db_file)) as connection:
        try:
            return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return 0
            raise


def test_an_ingest_killed_mid_run_resumes_without_loss_or_duplicates(nlp, tmp_path):
    articles = tmp_path / "slice.jsonl"
    n = _corpus_slice(articles, 48)
    db_file = tmp_path / "killed.db"
    command = [sys.executable, "-m", "newsledger", "ingest", str(articles), "--db", f"sqlite:///{db_file}",
               "--batch-size", "4"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for _ in range(2):  # kill it twice, at different points
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before = _count(db_file, "articles") if db_file.exists() else 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if db_file.exists() and _count(db_file, "articles") > before:
                break
        process.send_signal(signal.SIGKILL)
        process.wait()
    partial = _count(db_file, "articles")
    assert 0 < partial < n
    with closing(sqlite3.connect(db_file)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = connection.execute("SELECT count(*) FROM figures WHERE article_id NOT IN (SELECT id FROM articles)")
        assert orphans.fetchone()[0] == 0
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"ingested {n - partial}," in resumed.stdout
    assert _count(db_file, "articles") == n
    assert _count(db_file, "articles_fts") == n


def test_evaluate_prints_the_spec_report_and_a_table(nlp):
    gold = Path(__file__).parent / "fixtures" / "evaluation" / "mini.jsonl"
    report = json.loads(run("evaluate", str(gold)).stdout)
    assert set(report) >= {"articles", "figures", "quotes", "timexes", "events", "published"}
    assert report["articles"] == 3
    assert "figures" in run("evaluate", str(gold), "--table").stdout
    assert run("evaluate", "missing.jsonl", ok=False).exit_code == 2


def test_series_prints_claimant_lines_and_draws_a_png(seeded, tmp_path):
    sources = json.loads(run("series", "fled", "--db", seeded, "--json").stdout)
    assert any("Refugee Agency" in row["claimant"] for row in sources)
    series = json.loads(run("series", "fled", "--db", seeded, "--claimant", "refugee", "--json").stdout)
    lines = {line["claimant"]: line for s in series for line in s["lines"]}
    assert any("Refugee Agency" in name for name in lines)
    assert all(s["latest_range"][0] <= s["latest_range"][1] for s in series)
    png = tmp_path / "fled.png"
    run("series", "fled", "--db", seeded, "--plot", str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "processed 0 articles" in run("crossdoc", "--db", seeded).stdout
    assert "processed 2 articles" in run("crossdoc", "--db", seeded, "--rebuild").stdout


def test_geocode_prints_one_json_object_a_line_with_reasons_for_misses(tmp_path):
    listing = tmp_path / "places.txt"
    listing.write_text("Kiev\n\nnowhere land xyz\n", encoding="utf-8")
    out = run("geocode", "Chuhuiv, south of Kharkiv", "--file", str(listing)).stdout.splitlines()
    chuhuiv, kyiv, nowhere = (json.loads(line) for line in out)
    assert (chuhuiv["country_code"], chuhuiv["relation"]) == ("UA", "south of")
    assert abs(chuhuiv["latitude"] - 49.84) < 0.1 and chuhuiv["geonames_id"]
    assert kyiv["name"] == "Kyiv"
    assert nowhere["name"] is None and nowhere["reason"]
    assert run("geocode", ok=False).exit_code == 2


def test_places_and_geojson_export(seeded):
    places = json.loads(run("places", "--db", seeded, "--json").stdout)
    by_name = {p["name"]: p for p in places}
    assert {"Ukraine", "Poland"} <= set(by_name)
    assert by_name["Poland"]["figures"] >= 1  # 5,20,000 civilians fled into Poland
    collection = json.loads(run("export", "--db", seeded, "--format", "geojson").stdout)
    assert collection["type"] == "FeatureCollection"
    poland = next(f for f in collection["features"] if f["properties"]["name"] == "Poland")
    lon, lat = poland["geometry"]["coordinates"]
    assert 14 < lon < 25 and 49 < lat < 55
    assert any(f["value"] == 520000 for f in poland["properties"]["figures"])
