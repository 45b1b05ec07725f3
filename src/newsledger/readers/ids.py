"""Content-hash article ids: the same article read twice gets the same id."""

from __future__ import annotations

import hashlib
import unicodedata

__all__ = ["article_id", "normalise_for_id"]

ID_HEX_DIGITS = 16  # 64 bits: no collision in any corpus newsledger will hold


def normalise_for_id(text: str) -> str:
    """NFC, whitespace runs collapsed to one space, casefolded."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def article_id(text: str) -> str:
    """Hash of the normalised text, so layout and case changes keep the id."""
    digest = hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()
    return digest[:ID_HEX_DIGITS]
