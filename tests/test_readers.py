"""newsledger.readers: every reader, boilerplate removal, ids, sniffing and bad input."""

from __future__ import annotations

import functools
import gzip
import http.server
import random
import tempfile
import threading
import time
import tracemalloc
import unicodedata
import zlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsledger.readers import ReadOptions, article_id, clean_text, read_sources
from newsledger.readers.dates import parse_date
from newsledger.readers.htmlpage import html_to_text
from newsledger.readers.sniffing import sniff_format
from newsledger.readers.sources import UNEXPECTED
from newsledger.models import Article, Rejected
from conftest import SlowServer  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
SEED_000 = SEEDS / "000_97f9c52ff10dc940.txt"
SEED_002 = SEEDS / "002_1fcdc2a48f4510a7.txt"
CORPUS = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds is not here")


def read(*paths, **options) -> tuple[list[Article], list[Rejected]]:
    items = list(read_sources(paths, ReadOptions(**options)))
    assert all(isinstance(item, (Article, Rejected)) for item in items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Rejected)]


def only_rejection(path, **options) -> Rejected:
    articles, rejected = read(path, **options)
    assert articles == []
    assert len(rejected) == 1, rejected
    return rejected[0]


# --- plain text and the seeds ------------------------------------------------


def test_seed_format_date_prefix_is_published_date_not_text():
    [article], rejected = read(FIXTURES / "seed_format.txt")
    assert rejected == []
    assert article.published == date(2022, 3, 5)
    assert article.text.startswith("Ukrainian officials said on Saturday")
    assert "date 2022" not in article.text
    assert "\n\nMore than 1.3 million" in article.text  # paragraph break kept
    assert article.origin == str(FIXTURES / "seed_format.txt")


def test_text_without_prefix_has_no_date_and_loses_share_lines():
    [article], _ = read(FIXTURES / "no_date.txt")
    assert article.published is None
    assert "Share this article" not in article.text
    assert "Sign up for our newsletter" not in article.text
    assert "at least 34 civilians had been killed" in article.text


@needs_seeds
def test_seed_000_prefix_becomes_published_2022_03_03():
    raw = SEED_000.read_text(encoding="utf-8")
    [article], _ = read(SEED_000)
    assert article.published == date(2022, 3, 3)
    assert article.text == raw.removeprefix(" date 2022-03-03 ")  # nothing else touched
    assert article.text.startswith("As Russia’s burgeoning war")


@needs_seeds
def test_seed_002_loses_read_also_block_and_repeated_headline_keeps_every_sentence():
    raw = SEED_002.read_text(encoding="utf-8")
    [article], _ = read(SEED_002)
    block = [
        "READ ALSO:",
        "Russia-Ukraine crisis: Guterres warns against use of nuclear weapons",
        "NATO, US position forces around Ukraine as Russia attempts Kyiv takeover",
        "WAR: Contrasting fortunes of Russian and Ukrainian embassies in Abuja",
    ]
    for line in block:
        assert line not in article.text
    sentences = [line for line in raw.split("\n") if line and line not in block]
    assert article.text.split("\n") == sentences
    assert article.published is None  # no prefix: no known date


# --- JSON, JSONL, CSV ---------------------------------------------------------


def test_jsonl_broken_line_is_rejected_and_the_other_lines_ingest():
    path = FIXTURES / "articles.jsonl"
    articles, rejected = read(path)
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:4", f"{path}:6"]
    first = articles[0]
    assert (first.source, first.url, first.title, first.published) == (
        "www.example.com",
        "https://www.example.com/a",
        "Invasion begins",
        date(2022, 2, 24),
    )
    assert articles[1].published is None  # "not a date": still ingested
    assert articles[2].published == date(2022, 2, 26)  # RFC 2822
    reasons = {r.item: r.reason for r in rejected}
    assert reasons[f"{path}:2"].startswith("invalid JSON:")
    assert "text" in reasons[f"{path}:5"] and "missing" in reasons[f"{path}:5"]


def test_json_array_and_single_object():
    array = FIXTURES / "array.json"
    articles, rejected = read(array, FIXTURES / "single.json")
    assert [a.origin for a in articles] == [f"{array}[0]", f"{array}[1]", str(FIXTURES / "single.json")]
    assert [a.published for a in articles] == [date(2022, 3, 1), date(2022, 3, 2), date(2022, 3, 7)]
    assert articles[2].title == "Corridors"
    assert [(r.item, "not a JSON object" in r.reason) for r in rejected] == [(f"{array}[2]", True)]


def test_csv_with_custom_field_names_and_semicolons():
    path = FIXTURES / "custom_fields.csv"
    articles, rejected = read(
        path, text_field="body", date_field="published_at", title_field="headline", url_field="link", source_field="outlet"
    )
    talks, aid = articles
    assert talks.origin == f"{path}:2" and aid.origin == f"{path}:6"
    assert talks.text == (
        "Delegations met near the Belarus border on Monday; talks lasted about five hours.\n\n"
        "A second round was discussed, officials said."
    )
    assert (talks.title, talks.url, talks.source, talks.published) == (
        "Talks in Belarus",
        "https://news.example.com/talks",
        "News Example",
        date(2022, 2, 28),
    )
    assert aid.published == date(2022, 3, 1)  # "01 March 2022"
    [empty] = rejected
    assert empty.item == f"{path}:5" and "'body' is empty" in empty.reason


def test_csv_without_text_column_is_rejected_naming_its_columns():
    rejection = only_rejection(FIXTURES / "no_text_column.csv")
    assert "no 'text' column" in rejection.reason and "'title'" in rejection.reason


# --- HTML and feeds ---------------------------------------------------------------


def test_html_page_gives_title_date_text_and_never_script_content():
    [article], _ = read(FIXTURES / "page.html")
    assert article.title == "Refugees cross into Poland"
    assert article.published == date(2022, 3, 2)
    assert article.text.startswith("Long queues formed at the Medyka border crossing")
    assert "more than 450,000 people had crossed" in article.text
    assert "\n" in article.text  # one paragraph per line
    for hostile in ("SCRIPT-IN-HEAD", "SCRIPT-IN-BODY", "IFRAME-TEXT", "NOSCRIPT-TEXT", "color: red"):
        assert hostile not in article.text


def test_rss_entries_become_articles_with_link_date_and_clean_text():
    articles, rejected = read(FIXTURES / "feed.rss")
    assert [a.origin for a in articles] == ["https://wire.example.com/kharkiv", "https://wire.example.com/convoy"]
    kharkiv = articles[0]
    assert kharkiv.title == "Shelling hits Kharkiv" and kharkiv.source == "Example Wire"
    assert kharkiv.published == date(2022, 3, 1)
    assert kharkiv.text == (
        "A missile struck the regional administration building in Kharkiv.\n"
        "Officials said at least 10 people were killed."
    )
    assert [(r.item, "no text" in r.reason) for r in rejected] == [("https://wire.example.com/empty", True)]


def test_atom_entry_keeps_its_local_date_and_drops_iframe_text():
    [article], _ = read(FIXTURES / "feed.atom")
    assert article.published == date(2022, 3, 4)
    assert article.url == "https://atom.example.com/zaporizhzhia"
    assert "ATOM-IFRAME" not in article.text
    assert article.text.endswith("Radiation levels were unchanged, the regulator said.")


def test_broken_feed_xml_is_rejected():
    assert only_rejection(FIXTURES / "broken_feed.xml").reason.startswith("broken feed XML")


@pytest.fixture(scope="module")
def fixture_server():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feed_from_http_url(fixture_server):
    articles, rejected = read(f"{fixture_server}/feed.rss")
    assert [a.title for a in articles] == ["Shelling hits Kharkiv", "Convoy near Kyiv"]
    assert len(rejected) == 1


def test_feed_url_over_max_bytes_or_missing_is_rejected(fixture_server):
    too_big = only_rejection(f"{fixture_server}/feed.rss", max_bytes=100)
    assert "max_bytes" in too_big.reason
    missing = only_rejection(f"{fixture_server}/nope.rss")
    assert missing.item == f"{fixture_server}/nope.rss" and "HTTP 404" in missing.reason


@pytest.mark.parametrize("url", ["ftp://example.com/feed.xml", "file:///etc/passwd", "gopher://example.com/"])
def test_unsupported_url_scheme_is_rejected(url):
    rejection = only_rejection(url)
    assert rejection.item == url and "unsupported URL scheme" in rejection.reason


# --- the fetch deadline: a server that trickles or never answers ----------------------

DEADLINE = 2  # fetch_seconds in these tests
MARGIN = 1.5  # seconds past the deadline a rejection may take on a busy machine
ONE_ITEM_FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Shelling hits '
                 b'Kharkiv</title><link>https://wire.example.com/k</link><description>Officials said at least 10 '
                 b'people were killed in Kharkiv on Tuesday.</description></item></channel></rss>')


@pytest.mark.parametrize("mode", SlowServer.MODES)
def test_a_url_without_a_complete_answer_in_time_is_rejected_and_the_next_url_is_read(
        slow_server, fixture_server, mode):
    slow = slow_server(mode, (FIXTURES / "feed.rss").read_bytes())
    started = time.monotonic()
    articles, rejected = read(slow.url, f"{fixture_server}/feed.rss", fetch_seconds=DEADLINE)
    elapsed = time.monotonic() - started
    assert rejected[0] == Rejected(slow.url, "cannot fetch: no complete answer in 2 s")
    assert DEADLINE <= elapsed < DEADLINE + MARGIN
    assert [a.title for a in articles] == ["Shelling hits Kharkiv", "Convoy near Kyiv"]  # the next URL
    assert len(rejected) == 2  # and that feed's own broken entry


def test_a_slow_answer_complete_within_the_deadline_is_read(slow_server):
    slow = slow_server("headers", ONE_ITEM_FEED, interval=0.002)  # about 1 s, one byte at a time
    started = time.monotonic()
    articles, rejected = read(slow.url, fetch_seconds=10)
    assert rejected == [] and [a.title for a in articles] == ["Shelling hits Kharkiv"]
    assert time.monotonic() - started > 0.002 * len(ONE_ITEM_FEED)  # it did trickle


def test_a_request_past_its_deadline_is_cut_off_not_left_running(slow_server):
    slow = slow_server("body", ONE_ITEM_FEED)
    assert only_rejection(slow.url, fetch_seconds=1).reason == "cannot fetch: no complete answer in 1 s"
    give_up = time.monotonic() + MARGIN  # its socket was shut: the thread reading it ends now, not in 20 s
    while any(t.name == f"fetch {slow.url}" for t in threading.enumerate()) and time.monotonic() < give_up:
        time.sleep(0.05)
    assert not any(t.name == f"fetch {slow.url}" for t in threading.enumerate())


def test_the_fetch_deadline_is_a_setting_and_must_be_positive(monkeypatch):
    assert ReadOptions().fetch_seconds == 30
    monkeypatch.setenv("NEWSLEDGER_FETCH_SECONDS", "7")
    assert ReadOptions().fetch_seconds == 7
    with pytest.raises(ValueError, match="fetch_seconds"):
        ReadOptions(fetch_seconds=0)


# --- ids, walking, sniffing, options -------------------------------------------------


def test_article_id_is_stable_across_whitespace_case_and_unicode_form():
    text = "Kyiv’s mayor said the café stayed open.\n\nMore later."
    assert article_id(text) == article_id("  KYIV’S mayor  said the café\tstayed open. More later.\n")
    assert article_id(text) == article_id(unicodedata.normalize("NFD", text))
    assert article_id(text) != article_id("Kyiv’s mayor said the cafe stayed open. More later.")


def test_same_article_read_twice_gets_the_same_id(tmp_path):
    (tmp_path / "a.txt").write_text("Shelling resumed in Kharkiv.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("shelling  resumed in KHARKIV.", encoding="utf-8")
    first, second = read(tmp_path)[0]
    assert first.id == second.id


def test_directory_walk_is_sorted_and_skips_hidden_files(tmp_path):
    for name in ["b.txt", "a.txt", ".hidden.txt", "sub/c.txt", ".git/d.txt"]:
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"Article text of {name}.", encoding="utf-8")
    articles, rejected = read(tmp_path)
    assert rejected == []
    assert [Path(a.origin).relative_to(tmp_path).as_posix() for a in articles] == ["a.txt", "b.txt", "sub/c.txt"]


@pytest.mark.parametrize(
    ("suffix", "content", "expected"),
    [
        (".csv", "anything", "csv"),
        (".txt", '{"text": "json in a .txt file stays text"}', "text"),
        ("", '{"text": "x"}', "jsonl"),
        ("", '[{"text": "x"}]', "jsonl"),
        ("", '<?xml version="1.0"?><rss version="2.0"></rss>', "rss"),
        ("", '<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "rss"),
        ("", "<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("", "<html><body>x</body></html>", "html"),
        ("", "title,text,date\nA,B,2022-03-01\n", "csv"),
        ("", "Kyiv, Ukraine, text and commas, but no header\n", "text"),
        (".md", "Plain prose.", "text"),
    ],
)
def test_sniff_format(suffix, content, expected):
    assert sniff_format(suffix, content) == expected


def test_sniffed_jsonl_without_extension_ingests(tmp_path):
    path = tmp_path / "export"
    path.write_text('{"text": "First."}\n{"text": "Second."}\n', encoding="utf-8")
    articles, _ = read(path)
    assert [a.origin for a in articles] == [f"{path}:1", f"{path}:2"]


def test_forced_format_overrides_the_extension():
    [article], _ = read(FIXTURES / "single.json", format="text")
    assert article.text.lstrip().startswith("{")


def test_unknown_format_is_a_usage_error():
    with pytest.raises(ValueError, match="unknown format"):
        ReadOptions(format="pdf")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-02-20", date(2022, 2, 20)),
        ("2022-02-20T10:00:00Z", date(2022, 2, 20)),
        ("2022-02-20T23:30:00-05:00", date(2022, 2, 20)),  # the day as written, not shifted to UTC
        ("Sun, 20 Feb 2022 10:00:00 GMT", date(2022, 2, 20)),
        ("February 20, 2022", date(2022, 2, 20)),
        ("Monday, February 28, 2022 10:00 AM", date(2022, 2, 28)),
        ("2/20/2022", date(2022, 2, 20)),
        ("yesterday", None),
        ("2022-02-30", None),
        ("", None),
        (None, None),
        (20220220, None),
    ],
)
def test_parse_date_is_lenient_and_none_when_unreadable(raw, expected):
    assert parse_date(raw) == expected


# --- boilerplate -----------------------------------------------------------------------


def test_clean_text_removes_read_also_block_and_repeated_line():
    [article], _ = read(FIXTURES / "read_also.txt")
    assert article.text == (
        "Ukraine's president called for a no-fly zone on Sunday.\n"
        "Allies said a no-fly zone could draw NATO into direct conflict with Russia.\n"
    )


def test_clean_text_leaves_text_without_boilerplate_untouched():
    text = " Kyiv — Sirens sounded.\n\nSign up for the Homes for Ukraine scheme opened on Friday, officials said.\n"
    assert clean_text(text) == text


def test_clean_text_keeps_real_sentences_that_start_like_boilerplate():
    text = "Twitter said it would label state media.\nFollow-up talks were held in Istanbul.\nRelated talks stalled."
    assert clean_text(text) == text


def test_clean_text_single_line_related_link_and_paragraphs():
    text = "First paragraph.\n\nRelated: Putin warns West over sanctions\n\nSecond paragraph."
    assert clean_text(text) == "First paragraph.\n\nSecond paragraph."


# --- bad input ---------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "reason_part"),
    [
        ("nul.txt", b"Some text\x00with a NUL byte", "NUL"),
        ("random.bin", random.Random(7).randbytes(4096), "binary"),
        ("controls.txt", bytes(range(1, 9)) * 50 + b"a few letters", "control characters"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n   \n", "whitespace"),
        ("boilerplate.txt", b"Share this article\nFollow us on Twitter\nAdvertisement\n", "empty after boilerplate"),
        ("bad-encoding.txt", b"Kyiv caf\xc3 and \x81\x8d", "wrong encoding"),
        ("bad-bom.txt", b"\xef\xbb\xbfKyiv \xff\xfe", "UTF-8 byte-order mark"),
        ("empty.jsonl", b"\n\n", "empty"),
        ("broken.json", b'{"text": "unclosed', "invalid JSON"),
        ("scalar.json", b"42", "not an object"),
    ],
)
def test_bad_file_is_rejected_with_a_reason(tmp_path, name, data, reason_part):
    path = write(tmp_path, name, data)
    rejection = only_rejection(path)
    assert rejection.item == str(path)
    assert reason_part in rejection.reason
    assert not rejection.reason.startswith(UNEXPECTED)


def test_missing_path_is_rejected_and_the_rest_goes_on(tmp_path):
    good = write(tmp_path, "good.txt", b"Shelling resumed.")
    articles, rejected = read(tmp_path / "missing.txt", good)
    assert [a.origin for a in articles] == [str(good)]
    assert [(r.item, r.reason) for r in rejected] == [(str(tmp_path / "missing.txt"), "no such file or directory")]


def test_permission_denied_is_rejected(tmp_path, monkeypatch):
    locked = write(tmp_path, "locked.txt", b"Secret.")
    real_open = Path.open

    def deny(self, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)  # root ignores chmod, so simulate it
    assert only_rejection(locked).reason == "permission denied"


def test_file_over_max_bytes_is_rejected_before_reading(tmp_path, monkeypatch):
    big = write(tmp_path, "big.txt", b"word " * 100)
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("read a file over the limit"))
    rejection = only_rejection(big, max_bytes=100)
    assert "500 bytes, over max_bytes (100)" in rejection.reason


def test_text_over_max_article_chars_is_rejected(tmp_path):
    path = write(tmp_path, "long.txt", b"Long article. " * 20)
    assert "over max_article_chars (100)" in only_rejection(path, max_article_chars=100).reason


def test_html_huge_paragraph_text_over_the_default_max_article_chars_never_reaches_the_pipeline(tmp_path):
    # 900,000 characters of one paragraph took the pipeline to 5 GB; the default is now 200,000.
    rejection = only_rejection(write(tmp_path, "long.txt", b"Shelling continued overnight. " * 10_000))
    assert rejection.reason == "text is 300,000 characters, over max_article_chars (200,000)"


def test_jsonl_row_over_max_article_chars_rejects_only_that_row(tmp_path):
    path = write(tmp_path, "rows.jsonl", b'{"text": "short"}\n{"text": "' + b"x" * 200 + b'"}\n')
    articles, rejected = read(path, max_article_chars=100)
    assert [a.text for a in articles] == ["short"]
    assert [r.item for r in rejected] == [f"{path}:2"]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("\ufeffKyiv held out.".encode("utf-8"), "Kyiv held out."),
        ("Kyiv held out, “we stay”.".encode("utf-16"), "Kyiv held out, “we stay”."),
        (b"\x93We stay,\x94 the caf\xe9 owner said.", "“We stay,” the café owner said."),
        (b"Line one.\r\nLine two.\r\n", "Line one.\nLine two.\n"),
    ],
)
def test_encodings_that_decode_cleanly_are_read(tmp_path, data, text):
    [article], _ = read(write(tmp_path, "enc.txt", data))
    assert article.text == text


# --- hostile input found by benchmarks/robustness.py ----------------------------------------
# Each test names the generated case (family and kind in benchmarks/hostile.py) that found it.


def one_item_feed(description: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>Wire</title><item><title>Kharkiv</title>'
            f"<link>https://wire.example.com/k</link><description>{description}</description></item></channel>"
            "</rss>").encode()


def test_feed_html_bait_a_description_of_unfinished_tags_is_read_in_linear_time(tmp_path):
    # Python's html.parser rescanned the rest of the text at each unfinished tag: minutes for this.
    bait = "<![CDATA[Shelling continued in Kharkiv. " + "<a b='" * 50_000 + "]]>"
    started = time.perf_counter()
    [article], _ = read(write(tmp_path, "bait.xml", one_item_feed(bait)))
    assert time.perf_counter() - started < 3
    assert article.text == "Shelling continued in Kharkiv."


def test_html_to_text_keeps_what_follows_a_form_input_and_drops_unsafe_content():
    assert html_to_text("<p>Before <input type=text> after</p>") == "Before after"
    assert html_to_text("<p>Kept</p><iframe>IFRAME-TEXT</iframe><script>x()</script>tail &amp; more") == "Kept\ntail & more"
    assert html_to_text("5 <3 hearts, a < b") == "5 <3 hearts, a < b"


def test_csv_sniffer_bait_quotes_and_newlines_are_read_in_linear_time(tmp_path):
    # csv.Sniffer's quote-guessing regular expressions backtracked for over a minute on this.
    started = time.perf_counter()
    articles, rejected = read(write(tmp_path, "bait.csv", b"text,date\n" + b'"\n' * 32_768))
    assert time.perf_counter() - started < 3
    assert not articles and rejected and all(r.reason and not r.reason.startswith(UNEXPECTED) for r in rejected)


def test_csv_delimiter_is_the_one_whose_header_has_the_text_column(tmp_path):
    path = write(tmp_path, "pipes.csv", b"title|text\nA|Shelling resumed near Kharkiv.\n")
    [article], _ = read(path)
    assert (article.title, article.text) == ("A", "Shelling resumed near Kharkiv.")


@pytest.mark.parametrize(
    ("kind", "line", "reason"),
    [
        ("deep_nesting", "[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply"),
        ("huge_number", '{"text": "Numbers.", "n": ' + "9" * 5000 + "}",
         "invalid JSON: Exceeds the limit (4300 digits) for integer string conversion"),
    ],
)
def test_jsonl_line_json_cannot_read_rejects_that_line_and_the_next_lines_are_read(tmp_path, kind, line, reason):
    # RecursionError and ValueError escaped the line: "unexpected error", and the rest of the file was lost.
    path = write(tmp_path, f"{kind}.jsonl", ('{"text": "Before."}\n' + line + '\n{"text": "After."}\n').encode())
    articles, rejected = read(path)
    assert [a.text for a in articles] == ["Before.", "After."]
    assert [r.item for r in rejected] == [f"{path}:2"] and rejected[0].reason.startswith(reason)


def test_json_document_with_a_huge_number_is_rejected_with_its_reason(tmp_path):
    rejection = only_rejection(write(tmp_path, "number.json", b'[{"text": "x", "n": ' + b"9" * 5000 + b"}]"))
    assert rejection.reason.startswith("invalid JSON: Exceeds the limit")


def test_jsonl_bad_escapes_nul_and_lone_surrogates_become_storable_text(tmp_path):
    # "\ud800" made article_id's UTF-8 encoding fail (the rest of the file lost); in a title it
    # failed the write; "\u0000" failed every write to PostgreSQL (see test_store).
    path = write(tmp_path, "escapes.jsonl",
                 b'{"text": "Kyiv \\u0000held \\ud800out.", "title": "T\\u0000 \\udfff", "source": "\\ud83d"}\n'
                 b'{"text": "After."}\n')
    articles, rejected = read(path)
    assert rejected == []
    assert (articles[0].text, articles[0].title, articles[0].source) == ("Kyiv held \ufffdout.", "T \ufffd", "\ufffd")
    assert articles[0].id == article_id("Kyiv held \ufffdout.")


SECRET = "TOP-SECRET-LOCAL-FILE-CONTENT"


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>',
        '<!DOCTYPE rss [<!ENTITY xxe PUBLIC "-//X//Y" "file://{secret}">]>',
        '<!DOCTYPE rss [<!ENTITY % pe SYSTEM "file://{secret}"> %pe;]>',
        '<!DOCTYPE rss SYSTEM "file://{secret}">',
    ],
    ids=["system", "public", "parameter", "external-dtd"],
)
def test_feed_xxe_an_external_entity_never_reads_a_local_file(tmp_path, doctype):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    feed = one_item_feed("Officials said 10 people were killed. Leaked: &xxe; end.", doctype.format(secret=secret))
    items = list(read_sources([write(tmp_path, "xxe.xml", feed)]))
    assert items and all(SECRET not in repr(item) for item in items)


def test_html_xxe_an_xhtml_page_with_an_external_entity_never_reads_a_local_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    page = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body><article>'
            "<p>Officials said at least 10 people were killed in Kharkiv on Tuesday. Leaked: &xxe; end.</p>"
            "</article></body></html>")
    items = list(read_sources([write(tmp_path, "xxe.xhtml", page.encode())]))
    assert items and all(SECRET not in repr(item) for item in items)


# --- hostile answers of a feed server (benchmarks/hostile.py, family url) -----------------


def answer(status: str, headers: dict[str, str], body: bytes):
    def respond(request: bytes):
        head = f"HTTP/1.1 {status}\r\nConnection: close\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        yield head.encode("latin-1") + b"\r\n" + body
    return respond


def test_url_gzip_feed_a_gzip_encoded_feed_is_read(raw_server):
    # It was rejected as "binary data: contains NUL bytes": the compressed bytes were read as the feed.
    server = raw_server(answer("200 OK", {"Content-Encoding": "gzip"}, gzip.compress(ONE_ITEM_FEED)))
    articles, rejected = read(server.url)
    assert rejected == [] and [a.title for a in articles] == ["Shelling hits Kharkiv"]
    assert b"accept-encoding: gzip" in server.requests[0].lower()


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
def test_url_deflate_feed_a_deflate_encoded_feed_is_read(raw_server, wbits):
    packer = zlib.compressobj(wbits=wbits)
    server = raw_server(answer("200 OK", {"Content-Encoding": "deflate"}, packer.compress(ONE_ITEM_FEED) + packer.flush()))
    assert [a.title for a in read(server.url)[0]] == ["Shelling hits Kharkiv"]


def test_url_gzip_bomb_is_refused_at_max_bytes_without_inflating_it(raw_server):
    def bomb(request: bytes):  # 2 GB of spaces, gzip-compressed as it is sent (about 2 MB on the wire)
        yield b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n"
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = b" " * (1 << 20)
        for _ in range(2048):
            if packed := packer.compress(block):
                yield packed

    server = raw_server(bomb)
    tracemalloc.start()
    try:
        started = time.perf_counter()
        rejection = only_rejection(server.url, max_bytes=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rejection.reason == "over max_bytes (1,000,000 bytes) once gzip-decompressed"
    assert time.perf_counter() - started < 5
    assert peak < 16_000_000  # a few copies of max_bytes at most, not the 2 GB it inflates to


@pytest.mark.parametrize(
    ("headers", "body", "reason"),
    [
        ({"Content-Encoding": "br"}, b"\x1b\x00", "cannot fetch: the body is 'br'-encoded; only gzip and deflate are read"),
        ({"Content-Encoding": "gzip"}, gzip.compress(ONE_ITEM_FEED)[:40], "cannot fetch: the gzip-encoded body is cut short"),
        ({"Content-Encoding": "gzip"}, b"\x1f\x8b" + b"x" * 50, "cannot fetch: the gzip-encoded body is corrupt"),
    ],
    ids=["unknown_encoding", "gzip_broken-cut", "gzip_broken-corrupt"],
)
def test_url_a_body_that_cannot_be_decompressed_is_rejected_with_its_reason(raw_server, headers, body, reason):
    assert only_rejection(raw_server(answer("200 OK", headers, body)).url).reason.startswith(reason)


def test_url_not_modified_a_304_to_a_request_without_validators_is_rejected(raw_server):
    # ingest raised AssertionError ("unexpected error"), watch crashed on it (see test_watch).
    server = raw_server(answer("304 Not Modified", {}, b""))
    assert only_rejection(server.url).reason == (
        "cannot fetch: HTTP 304 Not Modified, though the request asked for no comparison")


# --- properties and the real corpus --------------------------------------------------------


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.sampled_from([b"{", b"[", b"<rss", b"<html><body>", b"text,date\n", b"<?xml "]).flatmap(
            lambda head: st.binary(max_size=300).map(lambda tail: head + tail)
        ),
    ),
    suffix=st.sampled_from(["", ".txt", ".jsonl", ".json", ".csv", ".html", ".xml"]),
)
def test_any_bytes_give_articles_or_rejections_never_an_exception(data, suffix):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"input{suffix}"
        path.write_bytes(data)
        items = list(read_sources([path]))
    assert items
    for item in items:
        assert isinstance(item, (Article, Rejected))
        if isinstance(item, Rejected):
            assert item.reason and not item.reason.startswith(UNEXPECTED), item
        else:
            assert item.text.strip() and item.id == article_id(item.text)


@pytest.mark.skipif(not CORPUS.is_file(), reason="../shared/corpus/ukraine-2022 is not here")
def test_whole_ukraine_2022_corpus_reads_as_3400_articles_quickly():
    started = time.perf_counter()
    articles, rejected = read(CORPUS)
    elapsed = time.perf_counter() - started
    assert rejected == []
    assert len(articles) == 3400
    assert len({a.id for a in articles}) == 3400  # measured: no two articles share a normalised text
    assert all(a.published is not None and a.source for a in articles)
    assert elapsed < 10
