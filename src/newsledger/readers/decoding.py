"""Bytes to text, or a rejection that names the encoding problem.

The order is fixed: UTF-8 (with or without BOM), UTF-16 with a BOM, then
cp1252 only when every byte decodes cleanly. NUL bytes outside UTF-16 and
text that is mostly control characters are binary.
"""

from __future__ import annotations

import codecs
import re

from newsledger.errors import BinaryInput

__all__ = ["decode_bytes"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
MAX_CONTROL_SHARE = 0.05  # real text has next to none; random bytes ~12% in cp1252
_SAMPLE_CHARS = 100_000


def _decode_with_bom(item: str, data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        encoding, label = "utf-8-sig", "UTF-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, label = "utf-16", "UTF-16"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BinaryInput(
            item, f"wrong encoding: starts with a {label} byte-order mark but {exc.reason} at byte {exc.start}"
        ) from exc


def decode_bytes(item: str, data: bytes) -> str:
    """The decoded text with newlines normalised to "\\n"; ``BinaryInput`` if it is not text."""
    text = _decode_with_bom(item, data)
    if text is None:
        if b"\x00" in data:
            raise BinaryInput(item, "binary data: contains NUL bytes")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as utf8_error:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise BinaryInput(
                    item,
                    f"wrong encoding: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}), "
                    f"not UTF-16 with a byte-order mark, and not cp1252 (byte 0x{data[exc.start]:02x} undefined)",
                ) from exc
    sample = text[:_SAMPLE_CHARS]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > MAX_CONTROL_SHARE:
        raise BinaryInput(item, "binary data: mostly control characters, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")
