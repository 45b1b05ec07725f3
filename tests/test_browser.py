"""The pages in a real browser: Playwright driving Debian's /usr/bin/chromium (never a downloaded one).

uvicorn serves the app on 127.0.0.1 from a thread, over the seed articles, one
hostile article whose text and metadata carry script payloads, and the first
articles of the ukraine-2022 corpus.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (.ci/run installs it)", allow_module_level=True)

uvicorn = pytest.importorskip("uvicorn")
sync_api = pytest.importorskip("playwright.sync_api")

import newsledger  # noqa: E402
from newsledger.api import create_app  # noqa: E402
from conftest import corpus_slice  # noqa: E402
from test_api_web import PAGES, build_store  # noqa: E402

CORPUS_ARTICLES = 12

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path("/tmp")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    url = build_store(folder)
    report = newsledger.ingest([corpus_slice(folder / "slice.jsonl", CORPUS_ARTICLES)], db=url)
    assert report.ingested == CORPUS_ARTICLES, report
    port = free_port()
    config = uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not running.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", newsledger.open(url)
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A page that records console errors and uncaught exceptions; none may happen."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.problems = []
    opened.on("console", lambda m: opened.problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: opened.problems.append(str(e)))
    yield opened
    context.close()


def hostile_id(ledger) -> str:
    return next(a.id for a in ledger.articles() if a.title and "Shelling" in a.title)


def assert_clean(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", "a script payload ran"
    assert page.problems == []


def test_every_page_loads_without_errors_and_runs_no_payload(server, page):
    base, ledger = server
    for path in PAGES + [f"/articles/{hostile_id(ledger)}", "/search?q=Shelling"]:
        response = page.goto(base + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert_clean(page)


def test_article_view_highlights_match_offsets_and_payloads_stay_text(server, page):
    base, ledger = server
    article_id = hostile_id(ledger)
    extraction = ledger.article(article_id)
    page.goto(f"{base}/articles/{article_id}")
    assert page.locator("#legend .legend-item").count() == 5
    assert page.locator("#article-text img, #article-text script, #article-text a").count() == 0
    assert "<script>window.__pwned=1</script>" in page.locator("#article-text").inner_text()
    # every record's highlighted text, read back from the DOM, is the text at its stored offsets
    shown = page.evaluate("""() => {
        const parts = {};
        document.querySelectorAll('#article-text .hl').forEach(span => {
            span.dataset.refs.split(' ').forEach(ref => { parts[ref] = (parts[ref] || '') + span.textContent; });
        });
        return parts;
    }""")
    layers = {"figure": extraction.figures, "quote": extraction.quotes, "timex": extraction.timexes,
              "entity": extraction.entities, "event": extraction.events}
    assert {ref.split("-")[0] for ref in shown} >= {"figure", "quote", "entity"}
    for ref, text in shown.items():
        layer, index = ref.split("-")
        record = layers[layer][int(index)]
        assert text == extraction.article.text[record.start : record.end], ref
    # a click shows the highlight's fields
    figure = extraction.figures[0]
    page.locator(f"#article-text .hl[data-refs~='figure-0']").first.click()
    details = page.locator("#details").inner_text()
    assert "metric" in details and figure.metric in details and f"{figure.value}" in details
    page.screenshot(path=str(SCREENSHOTS / "newsledger-article.png"), full_page=True)
    assert_clean(page)


def test_figures_chart_draws_a_line_per_claimant_and_points_open_their_sentence(server, page):
    base, _ = server
    page.goto(f"{base}/figures")
    page.select_option("select[name=metric]", "fled")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/figures?*metric=fled*")
    canvas = page.locator("canvas#figures-chart")
    canvas.wait_for()
    page.wait_for_function("document.getElementById('figures-chart').dataset.rendered !== undefined")
    assert int(canvas.get_attribute("data-rendered")) >= 1
    painted = page.evaluate("""() => {
        const c = document.getElementById('figures-chart');
        const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) n++;
        return n;
    }""")
    assert painted > 1000
    assert page.locator("table.ledger tbody tr").count() >= 2
    page.screenshot(path=str(SCREENSHOTS / "newsledger-figures.png"), full_page=True)
    # click the first point: it opens the article at the figure's sentence
    x, y = page.evaluate("""() => {
        const chart = Chart.getChart('figures-chart');
        const point = chart.getDatasetMeta(0).data[0];
        return [point.x, point.y];
    }""")
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/articles/*#figure-*")
    anchor = page.url.split("#")[1]
    assert page.locator(f"#{anchor}").count() == 1
    assert_clean(page)


def test_overview_charts_and_map_outline_render(server, page):
    base, _ = server
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator("canvas.series-chart[data-rendered]").count() >= 1
    page.goto(base + "/map")
    page.wait_for_selector("svg#map[data-rendered]")
    assert page.locator("svg#map path.country").count() > 10
    assert page.locator("svg#map path.ukraine").count() == 1
    assert_clean(page)


def test_search_facet_narrows_to_one_outlet(server, page):
    base, _ = server
    page.goto(base + "/search?q=Ukraine")
    before = page.locator("ol.hits li").count()
    page.locator(".facets a").first.click()
    page.wait_for_url("**outlet=*")
    assert 1 <= page.locator("ol.hits li").count() <= before
    assert_clean(page)


def test_alerts_arrive_without_a_reload_and_the_nav_marks_them_until_seen(server, page):
    from newsledger.alerts import Rule, Rules, raise_alerts

    base, ledger = server
    page.clock.install()
    page.goto(base + "/alerts")
    assert page.locator("#alerts tr.new").count() == 0
    rules = Rules((Rule(name="figures in the corpus slice", kind="new_figure"),))
    raised = raise_alerts(ledger.engine, rules, [a.id for a in ledger.articles()])
    assert raised
    page.clock.run_for(16_000)  # the page's next poll
    page.wait_for_selector("#alerts tr.new")
    assert page.locator("#alerts tr.new").count() == min(len(raised), 50)
    assert_clean(page)  # alert texts come from articles: shown as text, never run

    page.goto(base + "/figures")  # elsewhere, the nav says how many arrived since /alerts was last seen
    page.wait_for_selector("#alerts-link.has-new")
    assert f"({min(len(raised), 50)} new)" in page.locator("#alerts-link").inner_text()
    page.goto(base + "/alerts")  # seeing them clears the marker
    page.goto(base + "/figures")
    page.wait_for_load_state("networkidle")
    assert page.locator("#alerts-link.has-new").count() == 0
    assert_clean(page)


def test_a_newly_stored_article_appears_on_the_articles_page_without_a_reload(server, page, tmp_path):
    base, ledger = server
    page.clock.install()
    page.goto(base + "/articles")
    assert page.locator("#articles tr.new").count() == 0
    fresh = tmp_path / "fresh.txt"
    fresh.write_text("2022-03-09\nAt least 17 people were injured in Mariupol on Wednesday, officials said.",
                     encoding="utf-8")
    url = str(ledger.engine.url)
    assert newsledger.ingest([fresh], db=url).ingested == 1
    page.clock.run_for(16_000)
    page.wait_for_selector("#articles tr.new")
    assert page.locator("#articles tr.new").count() == 1
    assert "injured in Mariupol" in page.locator("#articles tr.new").inner_text() or \
        page.locator("#articles tr.new a").count() == 1
    assert_clean(page)
