"""`newsledger watch`: a feed on 127.0.0.1 that changes between cycles, and a folder that grows."""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from collections import Counter

import pytest
from typer.testing import CliRunner

import newsledger
from newsledger.cli import app
from newsledger.alerts import Rule, Rules
from newsledger.readers import ReadOptions
from newsledger.watch import Watcher
from conftest import SlowServer  # noqa: E402

pytestmark = pytest.mark.model

ENTRIES = {
    "kharkiv": ("Shelling hits Kharkiv", "Officials said at least 10 people were killed in Kharkiv on Tuesday."),
    "lviv": ("Refugees reach Lviv", "More than 200,000 people have fled to Lviv, the city's mayor said on Monday."),
    "kyiv": ("Convoy near Kyiv", "A Russian convoy stretched 40 miles north of Kyiv, satellite images showed."),
    "kyiv-again": ("Convoy near Kyiv (update)", "A Russian convoy stretched 40 miles north of Kyiv, satellite images showed."),
    "broken": ("Empty entry", ""),
}
UPDATED_KHARKIV = "Officials said at least 14 people were killed in Kharkiv on Tuesday, in the latest count."


def rss(*names: str, texts: dict[str, str] | None = None) -> bytes:
    texts = texts or {}
    items = "".join(
        f"<item><title>{ENTRIES[n][0]}</title><link>https://wire.example.com/{n}</link><guid>{n}</guid>"
        f"<pubDate>Tue, 01 Mar 2022 10:00:00 GMT</pubDate><description>{texts.get(n, ENTRIES[n][1])}</description>"
        "</item>"
        for n in names
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>{items}'
            "</channel></rss>").encode()


class Feed:
    """Serves one RSS document with an ETag; counts full answers and 304s."""

    def __init__(self) -> None:
        self.body = b""
        self.answers: Counter[int] = Counter()
        feed = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                etag = '"' + hashlib.sha1(feed.body).hexdigest() + '"'
                if self.headers.get("If-None-Match") == etag:
                    feed.answers[304] += 1
                    self.send_response(304)
                    self.end_headers()
                    return
                feed.answers[200] += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(feed.body)))
                self.end_headers()
                self.wfile.write(feed.body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/feed.rss"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def feed():
    served = Feed()
    yield served
    served.close()


def test_each_cycle_ingests_only_what_is_new_and_an_unchanged_feed_is_not_fetched_again(nlp, feed, tmp_path):
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    rules = Rules((Rule(name="deaths in Kharkiv", kind="new_figure", metric="killed", place="Kharkiv"),))
    watcher = Watcher([feed.url], db=db, every=1, rules=rules)

    feed.body = rss("kharkiv", "lviv")
    first = watcher.cycle()
    assert (first.new, first.duplicates, len(first.rejected), first.unchanged) == (2, 0, 0, 0)
    assert [a.message.split(" (")[0] for a in first.alerts] == ["at least 10 killed"]

    second = watcher.cycle()  # nothing changed: one conditional request, answered 304
    assert (second.new, second.duplicates, len(second.rejected), second.unchanged) == (0, 0, 0, 1)
    assert feed.answers == {200: 1, 304: 1}

    feed.body = rss("kharkiv", "lviv", "kyiv", "kyiv-again", "broken")  # new, a copy of it, a broken entry
    third = watcher.cycle()
    assert (third.new, third.duplicates) == (1, 3)  # kyiv; kharkiv and lviv again, kyiv-again is kyiv's text
    assert third.alerts == ()  # the Kharkiv toll was told before: no second alert
    assert [r.item for r in third.rejected] == ["https://wire.example.com/broken"]
    assert "no text" in third.rejected[0].reason

    titles = sorted(a.title for a in newsledger.open(db).articles())
    assert titles == ["Convoy near Kyiv", "Refugees reach Lviv", "Shelling hits Kharkiv"]
    assert "4 new" not in third.line() and third.line().startswith("cycle 3 ")

    restarted = Watcher([feed.url], db=db, every=1).cycle()  # a restart goes on from the stored state
    assert (restarted.new, restarted.unchanged) == (0, 1)
    assert feed.answers == {200: 2, 304: 2}

    feed.body = rss("kharkiv", "lviv", "kyiv", texts={"kharkiv": UPDATED_KHARKIV})  # an entry rewritten in place
    updated = Watcher([feed.url], db=db, every=1, rules=rules).cycle()
    assert (updated.new, updated.duplicates) == (1, 2)
    assert [a.message.split(" (")[0] for a in updated.alerts] == ["at least 14 killed"]
    figures = newsledger.open(db).figures(article=updated.article_ids[0])
    assert [(f.value, f.metric, f.place) for f in figures] == [(14, "killed", "Kharkiv")]


def test_a_failing_feed_backs_off_and_never_stops_a_folder(nlp, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(ENTRIES["kharkiv"][1], encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    missing = "http://127.0.0.1:9/feed.rss"  # nothing listens on the discard port
    watcher = Watcher([missing, str(folder)], db=db, every=30)

    first = watcher.cycle()
    assert first.new == 1 and first.failing == 1
    assert "cannot fetch" in first.rejected[0].reason and "retrying in 60 s" in first.rejected[0].reason

    (folder / "b.txt").write_text(ENTRIES["lviv"][1], encoding="utf-8")
    second = watcher.cycle()  # the feed waits for its retry; the folder goes on; a.txt is not read again
    assert (second.new, second.unchanged, second.failing, second.rejected) == (1, 1, 1, ())

    (folder / "a.txt").write_text(ENTRIES["kharkiv"][1], encoding="utf-8")  # touched, same content
    third = watcher.cycle()
    assert (third.new, third.duplicates, third.unchanged) == (0, 0, 2)


DEADLINE = 2  # fetch_seconds in these tests
MARGIN = 3  # seconds past the deadline for the good feed's ingest and a busy machine; one by one would be 6 s past


def test_feeds_that_trickle_or_hang_cost_a_cycle_one_deadline_and_back_off_while_a_good_feed_is_ingested(
        nlp, feed, slow_server, tmp_path):
    feed.body = rss("kharkiv", "lviv")
    slow = [slow_server(mode, rss("kyiv")) for mode in SlowServer.MODES]  # headers, body, silent
    watcher = Watcher([s.url for s in slow] + [feed.url], db=f"sqlite:///{tmp_path / 'watch.db'}", every=30,
                      options=ReadOptions(fetch_seconds=DEADLINE))

    started = time.monotonic()
    first = watcher.cycle()
    assert time.monotonic() - started < DEADLINE + MARGIN  # fetched side by side, not one deadline after another
    assert (first.new, first.failing) == (2, 3)
    assert sorted(a.title for a in newsledger.open(watcher.db).articles()) == ["Refugees reach Lviv",
                                                                              "Shelling hits Kharkiv"]
    assert sorted((r.item, r.reason) for r in first.rejected) == sorted(
        (s.url, "cannot fetch: no complete answer in 2 s (retrying in 60 s)") for s in slow)

    started = time.monotonic()
    second = watcher.cycle()  # the slow feeds wait for their retry: not fetched, no wait
    assert time.monotonic() - started < DEADLINE
    assert (second.new, second.unchanged, second.failing, second.rejected) == (0, 1, 3, ())
    assert [s.connections for s in slow] == [1, 1, 1]


def test_watch_command_goes_on_cycling_beside_a_feed_that_never_answers(nlp, feed, slow_server, tmp_path):
    feed.body = rss("kharkiv")
    silent = slow_server("silent", b"")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    started = time.monotonic()
    result = CliRunner().invoke(app, ["watch", silent.url, feed.url, "--db", db, "--every", "1.5s", "--cycles", "2",
                                      "--fetch-seconds", str(DEADLINE)])  # the silent feed retried 3 s after it failed
    assert time.monotonic() - started < DEADLINE + MARGIN
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("cycle ")]
    assert "1 new, 0 duplicate, 1 rejected, 0 unchanged, 1 failing" in lines[0]
    assert "0 new, 0 duplicate, 0 rejected, 1 unchanged, 1 failing" in lines[1]
    assert "cannot fetch: no complete answer in 2 s" in result.output


def test_ingest_command_rejects_a_url_that_trickles_and_ingests_the_next(nlp, feed, slow_server, tmp_path):
    feed.body = rss("kharkiv", "lviv")
    slow = slow_server("body", rss("kyiv"))
    started = time.monotonic()
    result = CliRunner().invoke(app, ["ingest", slow.url, feed.url, "--db", f"sqlite:///{tmp_path / 'x.db'}"],
                                env={"NEWSLEDGER_FETCH_SECONDS": str(DEADLINE)})
    assert time.monotonic() - started < DEADLINE + MARGIN
    assert result.exit_code == 0, result.output
    assert "ingested 2, skipped 0 duplicates, rejected 1" in result.output
    assert f"{slow.url}: cannot fetch: no complete answer in 2 s" in result.output


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_ctrl_c_or_a_stop_ends_the_watch_cleanly_and_a_restart_goes_on(feed, tmp_path, stop):
    import signal
    import subprocess
    import sys
    import time

    def as_from_a_terminal():  # a background job (CI) starts children with SIGINT ignored
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    feed.body = rss("kharkiv", "lviv")
    db = f"sqlite:///{tmp_path / 'stopped.db'}"
    command = [sys.executable, "-m", "newsledger", "watch", feed.url, "--db", db, "--every", "0.5s"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=as_from_a_terminal)
    deadline = time.monotonic() + 120
    while feed.answers[304] < 1 and time.monotonic() < deadline:  # the first cycle done, the second under way
        time.sleep(0.1)
    process.send_signal(getattr(signal, stop))
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.splitlines()[0].startswith("cycle 1 ") and "2 new" in out.splitlines()[0]
    assert "stopped after" in out and "Traceback" not in err
    again = subprocess.run(command[:-2] + ["--cycles", "1"], capture_output=True, text=True, timeout=120)
    assert "0 new, 0 duplicate, 0 rejected, 1 unchanged" in again.stdout


def test_watch_command_runs_its_cycles_and_prints_a_line_each(nlp, feed, tmp_path):
    feed.body = rss("kharkiv")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(app, ["watch", feed.url, "--db", db, "--every", "0.1s", "--cycles", "2"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("cycle ")]
    assert len(lines) == 2
    assert "1 new, 0 duplicate, 0 rejected, 0 unchanged, 0 failing" in lines[0]
    assert "0 new, 0 duplicate, 0 rejected, 1 unchanged, 0 failing" in lines[1]
    bad = CliRunner().invoke(app, ["watch", feed.url, "--db", db, "--every", "soon"])
    assert bad.exit_code == 2 and "'soon'" in bad.output


def test_url_not_modified_a_feed_answering_304_to_its_first_request_is_a_failing_source_not_a_crash(
        raw_server, tmp_path):
    # The cycle read the digest of a last answer there never was (AttributeError): the watch stopped.
    server = raw_server(lambda request: iter([b"HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n"]))
    watcher = Watcher([server.url], db=f"sqlite:///{tmp_path / 'watch.db'}", every=60)
    report = watcher.cycle()
    assert (report.new, report.failing) == (0, 1)
    assert [r.reason for r in report.rejected] == [
        "cannot fetch: HTTP 304 Not Modified, though the request asked for no comparison (retrying in 120 s)"]
