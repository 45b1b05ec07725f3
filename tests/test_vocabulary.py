"""Metrics and event types are declared once (nlp/data/metrics.json, event_triggers.json "types") and flow
from there to the extractors, the series, the web app, the API and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsledger import vocabulary

BUILT_IN = Path(vocabulary.__file__).parent / "nlp" / "data" / "metrics.json"


def test_every_metric_of_the_spec_is_declared_with_kinds_and_words():
    spec = {"killed", "injured", "casualties", "missing", "captured", "detained", "fled", "displaced", "evacuated",
            "deployed", "affected", "materiel", "aid"}
    assert set(vocabulary.metric_names()) == spec
    for metric in vocabulary.metrics().values():
        assert metric.kinds and metric.help and (metric.verbs or metric.nouns or metric.adjectives), metric.name


def test_every_event_type_of_the_spec_is_declared_and_every_trigger_names_one():
    from newsledger.nlp.events import EVENT_TYPES, _undeclared_types
    from newsledger.nlp.rules import load_rules

    assert EVENT_TYPES == vocabulary.event_types()
    assert set(EVENT_TYPES) == {"attack", "talks", "statement", "sanction", "aid", "cyberattack", "investigation",
                                "evacuation", "movement", "other"}
    raw = load_rules("event_triggers")
    assert _undeclared_types(raw) == set()
    assert _undeclared_types({**raw, "verbs": {**raw["verbs"], "hack": "espionage"}}) == {"espionage"}


def test_an_unknown_kind_in_a_metrics_table_is_refused_with_its_name(tmp_path, monkeypatch):
    table = json.loads(BUILT_IN.read_text(encoding="utf-8"))
    table["metrics"]["killed"]["kinds"].append("vegetables")
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    monkeypatch.setenv("NEWSLEDGER_METRICS_TABLE", str(path))
    with pytest.raises(ValueError, match="vegetables"):
        vocabulary.metrics()


@pytest.mark.model
def test_a_metric_added_in_a_table_flows_to_the_figures_command(nlp, tmp_path, monkeypatch):
    from newsledger.cli import app

    table = json.loads(BUILT_IN.read_text(encoding="utf-8"))
    table["metrics"]["poisoned"] = {"help": "people poisoned", "kinds": ["persons", "elided"], "person": True,
                                    "cumulative": True, "verbs": ["poison"], "nouns": [], "adjectives": ["poisoned"]}
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    article = tmp_path / "kharkiv.txt"
    article.write_text(" date 2022-04-12 Six people were poisoned in Kharkiv after the Russian strike on a chemical "
                       "plant, officials said. The war goes on.", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    runner = CliRunner()

    before = runner.invoke(app, ["ingest", str(article), "--db", db], catch_exceptions=False)
    assert before.exit_code == 0, before.output
    listed = json.loads(runner.invoke(app, ["figures", "--db", db, "--metric", "poisoned", "--json"]).stdout)
    assert listed == []  # the built-in table has no such metric

    monkeypatch.setenv("NEWSLEDGER_METRICS_TABLE", str(path))
    db = f"sqlite:///{tmp_path / 'second.db'}"
    after = runner.invoke(app, ["ingest", str(article), "--db", db], catch_exceptions=False)
    assert after.exit_code == 0, after.output
    listed = json.loads(runner.invoke(app, ["figures", "--db", db, "--metric", "poisoned", "--json"]).stdout)
    assert [(f["value"], f["metric"], f["place"]) for f in listed] == [(6, "poisoned", "Kharkiv")]
