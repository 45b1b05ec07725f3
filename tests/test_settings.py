"""Settings are declared once; the README's table and the environment follow that declaration."""

from pathlib import Path

from newsledger import settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_documents_every_setting_with_its_default():
    text = README.read_text(encoding="utf-8")
    for setting in settings.SETTINGS.values():
        default = str(setting.default).lower() if isinstance(setting.default, bool) else str(setting.default)
        assert f"| {setting.name} | " in text, setting.name
        assert default in text, (setting.name, default)


def test_environment_overrides_a_default(monkeypatch):
    monkeypatch.setenv("NEWSLEDGER_BATCH_SIZE", "7")
    monkeypatch.setenv("NEWSLEDGER_DAY_FIRST", "yes")
    assert settings.get("batch_size") == 7
    assert settings.get("day_first") is True
    assert settings.get("db") == "sqlite:///newsledger.db"


def test_the_workers_setting_reaches_ingest_from_the_command_line(monkeypatch, tmp_path):
    """NEWSLEDGER_WORKERS is honoured when --workers is not given, and --workers wins over it."""
    from typer.testing import CliRunner

    from newsledger import jobs
    from newsledger.cli import app

    seen = []

    def run_pipeline(articles, *, model=None, workers=1, dask=None, **_):
        seen.append(workers)
        return iter(())

    monkeypatch.setattr(jobs, "run_pipeline", run_pipeline)
    article = tmp_path / "a.txt"
    article.write_text("Russian shelling killed 12 civilians in Kharkiv on Monday, officials said.", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("NEWSLEDGER_WORKERS", "2")
    assert CliRunner().invoke(app, ["ingest", str(article), "--db", db]).exit_code == 0
    assert CliRunner().invoke(app, ["ingest", str(article), "--db", db, "--workers", "1"]).exit_code == 0
    assert seen == [2, 1]


def test_each_component_gets_its_settings_through_its_config(monkeypatch):
    from newsledger.nlp.pipeline import COMPONENT_SETTINGS, component_config

    monkeypatch.setenv("NEWSLEDGER_REFERENCE_EVENT", "2014-04-06")
    monkeypatch.setenv("NEWSLEDGER_EVENTS", "rules")
    assert component_config("newsledger_figures") == {"reference_event": "2014-04-06"}
    assert component_config("newsledger_events") == {"detector": "rules"}
    assert all(setting in settings.SETTINGS for entries in COMPONENT_SETTINGS.values() for setting in entries.values())
