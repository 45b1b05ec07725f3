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
