"""newsledger's exceptions.

    NewsledgerError
    ├── InputError            an input item cannot be read as an article
    │   ├── EmptyInput        nothing but whitespace or boilerplate
    │   ├── TooLarge          over the configured size limit
    │   ├── BinaryInput       not text (NUL bytes, undecodable)
    │   ├── MalformedInput    broken JSON, CSV without a text column, bad XML
    │   └── FetchTimeout      a URL gave no complete answer within fetch_seconds
    ├── StoreError            the database cannot be opened or written
    ├── ModelError            the spaCy pipeline cannot be loaded
    └── GoldError             a gold file does not follow SPEC.md

Readers never let an ``InputError`` escape a batch: they turn it into a
``models.Rejected`` that names the item and the reason, and go on.
"""

from __future__ import annotations

__all__ = [
    "NewsledgerError",
    "InputError",
    "EmptyInput",
    "TooLarge",
    "BinaryInput",
    "MalformedInput",
    "FetchTimeout",
    "StoreError",
    "ModelError",
    "GoldError",
]


class NewsledgerError(Exception):
    """Base of every error newsledger raises on purpose."""


class InputError(NewsledgerError):
    """An input item cannot be read; ``item`` names it, the message says why."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason


class EmptyInput(InputError):
    pass


class TooLarge(InputError):
    pass


class BinaryInput(InputError):
    pass


class MalformedInput(InputError):
    pass


class FetchTimeout(InputError):
    """The whole answer (connect, headers, body) did not arrive within the fetch deadline."""


class StoreError(NewsledgerError):
    pass


class ModelError(NewsledgerError):
    pass


class GoldError(NewsledgerError):
    pass


class RulesError(NewsledgerError):
    """An alert rules file that cannot be used; the message names the rule and the field."""
