"""Saved HTML pages through trafilatura, and a safe HTML-to-text for fragments.

Active and embedded content (scripts, styles, iframes, objects, forms) is
dropped from the tree before trafilatura sees it, because its fallback
extractors can otherwise pass such text through.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from urllib.parse import urlsplit

import trafilatura
from lxml import etree

from newsledger.errors import EmptyInput, MalformedInput
from newsledger.readers.articles import build_article
from newsledger.readers.dates import parse_date
from newsledger.readers.options import ReadOptions
from newsledger.models import Article, Rejected

__all__ = ["read_html", "html_to_text", "UNSAFE_TAGS"]

UNSAFE_TAGS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
        "template", "svg", "math", "form", "button", "input", "select", "textarea", "canvas",
    }
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
        "table", "tr", "section", "article", "header", "footer", "aside", "figure", "figcaption", "hr", "dd", "dt",
    }
)  # fmt: skip
# Unreadable pages become rejections with a reason; without a handler of
# their own, trafilatura's and htmldate's log records would also reach stderr.
for _logger in ("trafilatura", "htmldate"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())

# Only the date the page itself declares, never one guessed from its body text.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _fragment_parser() -> etree.HTMLParser:
    # A parser per call: an lxml parser must not be shared between threads (the web app ingests in several).
    return etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one paragraph per line, no script or embed content.

    libxml2 parses it in time linear in its length; Python's ``html.parser``
    took minutes over a feed entry of a few hundred KB of unfinished tags
    (``<a b='<a b='...``), rescanning the rest of the text at each one.
    """
    if "<" not in fragment and "&" not in fragment:
        parts = [fragment]
    else:
        root = etree.fromstring(fragment.encode("utf-8", "replace"), _fragment_parser())
        parts = [] if root is None else list(_visible_parts(root))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _visible_parts(root) -> Iterator[str]:
    """Text and tails in document order, a newline around each block, unsafe elements skipped whole."""
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in UNSAFE_TAGS:
                walk.skip_subtree()  # its "end" still comes, for the tail
                continue
            if tag in _BLOCK_TAGS:
                yield "\n"
            if element.text:
                yield element.text
        else:
            if tag in _BLOCK_TAGS:
                yield "\n"
            if element.tail:
                yield element.tail


def _drop_unsafe(tree) -> None:
    for element in list(tree.iter(*UNSAFE_TAGS)):
        element.drop_tree()


def _without_title_line(text: str, title: str | None) -> str:
    """trafilatura repeats the headline as the first line; it is metadata here."""
    if not title:
        return text
    first, _, rest = text.partition("\n")
    if " ".join(first.split()).casefold() == " ".join(title.split()).casefold() and rest.strip():
        return rest
    return text


def read_html(item: str, html: str, options: ReadOptions, *, page_url: str | None = None) -> Iterator[Article | Rejected]:
    tree = trafilatura.load_html(html)
    if tree is None:
        raise MalformedInput(item, "not parseable as HTML")
    _drop_unsafe(tree)
    document = trafilatura.bare_extraction(
        tree,
        url=page_url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=_DATE_PARAMS,
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        raise EmptyInput(item, "no article text found in the HTML page")
    title = document.title
    url = document.url or page_url
    source = document.sitename or (urlsplit(url).hostname if url else None)
    yield build_article(
        _without_title_line(text, title),
        origin=item,
        options=options,
        source=source,
        url=url,
        title=title,
        published=parse_date(document.date),
    )
