"""Placeholder until the events component lands."""

from spacy.tokens import Doc


class EventExtractor:
    def __init__(self, **config) -> None:
        self.config = config

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = []
        return doc
