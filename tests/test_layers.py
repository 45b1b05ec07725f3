"""The layers of the package hold (pyproject.toml [tool.importlinter]) and the read side starts without spaCy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_package_the_web_app_and_the_command_line_load_without_spacy():
    probe = (
        "import sys, newsledger, newsledger.api.app, newsledger.cli, newsledger.ledger, newsledger.vocabulary\n"
        "loaded = sorted(m for m in sys.modules if m == 'spacy' or m.startswith('newsledger.nlp'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
