"""Alert rules: checked when loaded, raised once over what a watch cycle stored, POSTed to a webhook."""

from __future__ import annotations

import http.server
import json
import threading
import time
from datetime import datetime, timezone

import pytest

import newsledger
from newsledger.alerts import Alert, deliver, load_rules, raise_alerts
from newsledger.errors import RulesError
from newsledger.store import open_engine
from newsledger.watch import Watcher

RULES = """
webhook = "{webhook}"

[[rule]]
name = "refugees cross 750,000"
kind = "series_crosses"
metric = "fled"
claimant = "refugee agency"
value = 750000

[[rule]]
kind = "series_moves"
metric = "fled"
percent = 50

[[rule]]
name = "deaths in Kharkiv"
kind = "new_figure"
metric = "killed"
place = "Kharkiv"

[[rule]]
kind = "quote"
speaker = "Lavrov"
"""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[[rule]]\nkind = 'rumour'\n", "kind must be one of"),
        ("[[rule]]\nkind = 'series_crosses'\nmetric = 'fled'\n", "value is required"),
        ("[[rule]]\nkind = 'quote'\nspeaker = 'Lavrov'\ncolour = 'red'\n", "unknown field(s) colour"),
        ("[[rule]]\nkind = 'series_moves'\nmetric = 'killed'\npercent = -5\n", "percent must be a number above 0"),
        ("[[rule]\nkind = 'quote'\n", "not valid TOML"),
        ("webhook = 'file:///etc/passwd'\n[[rule]]\nkind = 'quote'\nspeaker = 'X'\n", "only http and https"),
        ("title = 'no rules'\n", "no [[rule]] tables"),
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_rule_and_the_field(tmp_path, text, reason):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as error:
        load_rules(path)
    assert reason in str(error.value) and str(path) in str(error.value)


class Hook:
    """A webhook on 127.0.0.1 that keeps every JSON body POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                hook.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.mark.model
def test_rules_raise_each_alert_once_over_new_articles_and_post_it(nlp, tmp_path):
    hook = Hook()
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text(RULES.format(webhook=hook.url), encoding="utf-8")
    rules = load_rules(rules_file)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = f"sqlite:///{tmp_path / 'alerts.db'}"
    watcher = Watcher([str(inbox)], db=db, every=1, rules=rules)

    (inbox / "2022-03-01-a.txt").write_text(
        "2022-03-01\nMore than 500,000 people have fled Ukraine since the invasion began, "
        "the UN refugee agency said on Tuesday.", encoding="utf-8")
    first = watcher.cycle()
    assert first.new == 1 and first.alerts == ()  # a first point: nothing to cross or move from

    (inbox / "2022-03-03-b.txt").write_text(
        "2022-03-03\nMore than 1,000,000 people have fled Ukraine since the invasion began, "
        "the UN refugee agency said on Thursday. Officials said at least 34 civilians were killed in Kharkiv "
        "on Wednesday. \"The West will pay for this,\" Sergei Lavrov said.", encoding="utf-8")
    second = watcher.cycle()
    raised = {a.rule: a for a in second.alerts}
    assert set(raised) == {"refugees cross 750,000", "series_moves metric=fled, percent=50", "deaths in Kharkiv",
                           "quote speaker=Lavrov"}
    assert "1,000,000" in raised["refugees cross 750,000"].message
    assert "500,000" in raised["refugees cross 750,000"].message
    assert "+100%" in raised["series_moves metric=fled, percent=50"].message
    assert "34 killed" in raised["deaths in Kharkiv"].message and "Kharkiv" in raised["deaths in Kharkiv"].message
    assert raised["quote speaker=Lavrov"].message.startswith("Sergei Lavrov:")
    assert "4 alerts" in second.line()

    assert sorted(b["rule"] for b in hook.bodies) == sorted(raised)
    stored = newsledger.open(db).alerts()
    assert len(stored) == 4 and all(a.delivered for a in stored)

    assert watcher.cycle().alerts == ()  # unchanged folder: nothing new, nothing raised again
    again = raise_alerts(watcher.engine, rules, [a.id for a in newsledger.open(db).articles()])
    assert again == [] and len(newsledger.open(db).alerts()) == 4  # one alert per rule and subject, ever
    hook.server.shutdown()
    hook.server.server_close()


@pytest.mark.parametrize("mode", ["headers", "silent"])
def test_a_webhook_without_an_answer_in_time_holds_delivery_for_one_deadline_not_one_per_alert(
        slow_server, tmp_path, mode):
    hook = slow_server(mode, b"")
    now = datetime.now(timezone.utc)
    alerts = [Alert(f"alert-{n}", "rule", "quote", "Sergei Lavrov: ...", "article", f"quote-{n}", now)
              for n in range(3)]
    started = time.monotonic()
    assert deliver(open_engine(f"sqlite:///{tmp_path / 'a.db'}"), hook.url, alerts, seconds=1) == 0
    assert 1 <= time.monotonic() - started < 2.5
    assert hook.connections == 1  # the other two alerts were kept back, not each given a deadline


def test_a_rule_claimant_matches_the_same_source_however_it_is_written():
    from types import SimpleNamespace

    from newsledger.alerts import _claimant_matches

    row = SimpleNamespace(claimant="the U.N.", metric="fled", side=None)
    assert _claimant_matches("refugee agency", row)  # the UN counting refugees is UNHCR
    assert _claimant_matches("UNHCR", row)
    assert _claimant_matches(None, row)
    assert not _claimant_matches("Red Cross", row)
    assert not _claimant_matches("refugee agency", SimpleNamespace(claimant="the U.N.", metric="killed", side=None))
