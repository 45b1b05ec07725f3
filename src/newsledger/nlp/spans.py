"""Records as spaCy spans (``doc.spans[key]``, each span carrying its record), and the doc's text read once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacy.tokens import Doc

__all__ = ["TEXT_KEY", "text_of", "write_record_spans"]

TEXT_KEY = "newsledger.text"  # where text_of keeps the doc's text in doc.user_data


def text_of(doc: Doc) -> str:
    """``doc.text``, kept in ``doc.user_data``: spaCy joins every token again on each ``doc.text``.

    The pipeline puts the article's text there when it makes the doc.
    """
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def write_record_spans(doc: Doc, key: str, records: Sequence, attribute: str, label: Callable[[object], str]) -> None:
    """Write ``records`` (with ``start``/``end`` character offsets) to ``doc.spans[key]``;
    each span is labelled by ``label(record)`` and holds the record as ``span._.<attribute>``."""
    spans = []
    for record in records:
        span = doc.char_span(record.start, record.end, label=label(record), alignment_mode="expand")
        if span is not None:
            span._.set(attribute, record)
            spans.append(span)
    doc.spans[key] = spans
