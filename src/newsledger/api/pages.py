"""The HTML side: the Jinja2 environment (autoescaped everywhere) and its helpers."""

from __future__ import annotations

import re

import jinja2
from fastapi.templating import Jinja2Templates

from newsledger.api import highlight

__all__ = ["templates", "snippet_parts", "web_url"]


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, matched) pieces; the store marks matches with [ and ]."""
    parts = []
    for piece in re.split(r"(\[[^\[\]]*\])", snippet or ""):
        if piece.startswith("[") and piece.endswith("]") and len(piece) > 2:
            parts.append((piece[1:-1], True))
        elif piece:
            parts.append((piece, False))
    return parts


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None: no javascript: or data: links."""
    if url and re.match(r"^https?://[^\s]+$", url.strip(), flags=re.IGNORECASE):
        return url.strip()
    return None


def qualifier_words(qualifier: str | None) -> str:
    """A figure's qualifier as words before its number ("more_than" -> "more than"; "exact" says nothing)."""
    return "" if not qualifier or qualifier == "exact" else qualifier.replace("_", " ")


def _article_view(extraction):
    marks = highlight.marks(extraction)
    return {
        "marks": marks,
        "segments": highlight.segments(extraction.article.text, marks),
        "records": {m.ref: {"layer": m.layer, "label": m.label, "fields": m.fields} for m in marks},
    }


_environment = jinja2.Environment(
    loader=jinja2.PackageLoader("newsledger.api", "templates"),
    autoescape=True,  # every template, whatever its name: article text is untrusted
    undefined=jinja2.StrictUndefined,
)
_environment.globals.update(layers=highlight.LAYERS, article_view=_article_view, snippet_parts=snippet_parts)
_environment.filters.update(web_url=web_url, qualifier=qualifier_words)
templates = Jinja2Templates(env=_environment)
