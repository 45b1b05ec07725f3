"""Quotes with resolved speakers: who said what, as the article reports it (SPEC section 3).

`find_quotes` reads a parsed doc and returns `Quote` records in reading order:

- direct quotes: passages inside quotation marks of four words or more
  (`quote_marks` finds them), joined when one quotation is split around its
  cue ("A," he said, "B.") or runs over several paragraphs; the cue is the
  reporting verb next to the marks, the speaker its subject;
- indirect quotes: the clause a reporting verb governs ("Lavrov said that
  ..."), a request reported with an infinitive ("urged the West to close the
  sky"), and "according to X, <clause>" in either order. A reported clause
  holding a quotation of four words or more is recorded once, as the direct
  quote.

Speakers go through `speakers.SpeakerResolver` in reading order, so "he
said" continues the previous attribution.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.attrs import IDX, LOWER, POS
from spacy.strings import get_string_id
from spacy.symbols import AUX, VERB
from spacy.tokens import Doc, Span, Token

from newsledger.models import Quote
from newsledger.nlp.quote_marks import Passage, find_passages
from newsledger.nlp.rules import load_rules
from newsledger.nlp.spans import text_of
from newsledger.nlp.speakers import SpeakerResolver

__all__ = ["QuoteExtractor", "find_quotes", "quote_spans"]

MIN_QUOTE_WORDS = 4  # SPEC: three words or fewer inside marks is a term, not a quote
_AFTER_WINDOW = 40  # tokens searched for a cue after a closing mark
_BEFORE_WINDOW = 40
_CUE_RIGHT_AFTER = 6  # a quotation ending its sentence takes a cue only this close ("?" she asked)
_SENTENCE_FINAL = {".", "!", "?"}
_HEADLINE = re.compile(r"\s*:\s*([^\n.:;]{2,60}?)\s*(?:\n|$)")
_BYLINE = re.compile(r"[ \t]*[―—–][ \t]*([^\n:;,]{2,60}?)[ \t.]*(?:\n|$)")  # “...” ― Oscar P. Quintero
_WORD = re.compile(r"\w+")
_VERB_POS = {VERB, AUX}
_ACCORDING = get_string_id("according")


@lru_cache(maxsize=1)
def _cues() -> dict:
    raw = load_rules("quote_cues")
    return {
        "speech": frozenset(raw["speech"]),
        "request": frozenset(raw["request"]),
        "needs_particle": {k: set(v.split("|")) for k, v in raw["needs_particle"].items()},
        "quotation_only": frozenset(raw["quotation_only"]),
        "sources": frozenset(raw["according_to_sources"]),
    }


@dataclass(slots=True)
class _Attribution:
    cue: Token | None  # the reporting verb, or "according"
    subject: Token | None  # head of the speaker as written
    written: str | None = None  # speaker text when there is no subject token (colon headline, dash byline)


@dataclass(slots=True)
class _Direct:
    parts: list[Passage]
    attribution: _Attribution | None
    position: int = 0  # token index the speaker is resolved at


@dataclass(slots=True)
class _Indirect:
    start: int  # token span of the reported clause
    end: int
    attribution: _Attribution


@dataclass(slots=True)
class _Context:
    doc: Doc
    passages: list[Passage]
    text: str  # doc.text joins every token on each call: read it once
    starts: list[int] = field(default_factory=list)  # token idx, for char -> token lookups
    quoted: list[tuple[int, int]] = field(default_factory=list)  # char ranges from mark to mark

    def __post_init__(self) -> None:
        self.starts = self.doc.to_array([IDX]).reshape(-1).tolist()
        for p in self.passages:
            close = p.close_mark if p.close_mark is not None else p.end
            self.quoted.append((p.open_mark, close + 1))

    def token_at(self, char: int) -> int:
        """Index of the token holding (or first starting after) ``char``."""
        i = bisect_right(self.starts, char) - 1
        if i < 0:
            return 0
        tok = self.doc[i]
        return i if char < tok.idx + len(tok.text) else min(i + 1, len(self.doc) - 1)

    def in_quote(self, token: Token) -> bool:
        i = bisect_right(self.quoted, (token.idx, float("inf"))) - 1
        return i >= 0 and self.quoted[i][0] <= token.idx < self.quoted[i][1]


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_cue(token: Token, ctx: _Context, quotation: bool) -> bool:
    if ctx.in_quote(token):
        return False
    if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
        return True
    cues = _cues()
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in cues["speech"]:
        return False
    if not quotation and token.lemma_.lower() in cues["quotation_only"]:
        return False
    particles = cues["needs_particle"].get(token.lemma_.lower())
    if particles and not any(c.lower_ in particles for c in token.children if c.dep_ in ("prt", "prep")):
        return quotation and token.lemma_.lower() != "point"
    return True


def _subject(cue: Token, ctx: _Context) -> Token | None:
    """Head of who is reported as speaking: the cue's subject, or the source after "according to"."""
    if cue.lower_ == "according":
        to = cue.nbor()
        for child in to.children:
            if child.dep_ == "pobj":
                return _source_of(child)
        return to.nbor() if to.i + 1 < len(cue.doc) and to.nbor().pos_ in ("PROPN", "NOUN", "PRON", "DET") else None
    verb = cue
    for _ in range(4):
        subjects = [
            c
            for c in verb.children
            if c.dep_ in ("nsubj", "nsubjpass")
            and not ctx.in_quote(c)
            and "\n" not in ctx.text[min(c.idx, verb.idx) : max(c.idx, verb.idx)]
        ]
        for child in sorted(subjects, key=lambda c: abs(c.i - verb.i))[:1]:
            if True:
                if child.lower_ in ("who", "that", "which") and verb.dep_ in ("relcl", "acl"):
                    return verb.head
                if child.dep_ == "nsubjpass" or child.lower_ in ("it", "there"):
                    return None if child.lower_ == "there" or child.dep_ == "nsubjpass" else child
                return child
        if verb.dep_ in ("advcl", "xcomp", "conj", "acl", "relcl", "pcomp", "ccomp") and verb.head.i != verb.i:
            if verb.dep_ in ("acl", "relcl"):
                return verb.head
            verb = verb.head
        else:
            break
    return None


def _source_of(noun: Token) -> Token:
    """"X's latest report" names X as the source."""
    if noun.lemma_.lower() in _cues()["sources"]:
        for child in noun.children:
            if child.dep_ == "poss":
                return child
    return noun


def _speaker_tokens(head: Token) -> list[Token]:
    """The words naming the speaker: the head and its modifiers, not appositions or clauses."""
    keep = [head]
    for child in head.children:
        if child.dep_ in ("appos", "relcl", "acl", "punct", "cc", "conj", "advmod", "case") and child.i > head.i:
            continue
        if child.dep_ in ("punct",):
            continue
        keep.extend(child.subtree)
    keep.sort(key=lambda t: t.i)
    # stop at a comma: "Rep. Byron Donalds, R-Fla." names Byron Donalds
    span: list[Token] = []
    for tok in keep:
        if tok.i > head.i and tok.text == ",":
            break
        if span and tok.i != span[-1].i + 1 and tok.i > head.i:
            break
        span.append(tok)
    left = [t for t in span if t.i <= head.i]
    cut = 0
    for n, tok in enumerate(left):
        if tok.text == ",":
            cut = n + 1
    span = span[cut:] or [head]
    if span[-1].text in ("'s", "’s") and len(span) > 1:
        span = span[:-1]
    return span


def _described(head: Token) -> list[Token]:
    """The speaker's words with its appositions ("the Kremlin's spokesman, Dmitri S. Peskov")."""
    tokens = list(_speaker_tokens(head))
    for child in head.children:
        if child.dep_ == "appos":
            tokens.extend(child.subtree)
    return sorted(tokens, key=lambda t: t.i)


def _cue_text(cue: Token) -> str:
    doc = cue.doc
    if cue.lower_ == "according":
        return doc[cue.i : cue.i + 2].text
    start = cue.i
    while start > 0 and doc[start - 1].dep_ in ("aux", "auxpass", "advmod", "neg") and doc[start - 1].head.i == cue.i:
        start -= 1
    end = cue.i + 1
    if cue.lemma_.lower() == "tell":
        for child in cue.children:
            if child.dep_ in ("dobj", "dative") and child.i > cue.i:
                end = max(end, max(t.i for t in child.subtree) + 1)
                break
    else:
        for child in cue.children:
            if child.dep_ == "prt" and child.i == end:
                end += 1
    return doc[start:end].text


# direct quotes ----------------------------------------------------------------------------


def _attribution(p: Passage, ctx: _Context) -> _Attribution | None:
    """The cue of one quoted passage: right after its closing mark, else before its opening mark."""
    doc = ctx.doc
    if p.close_mark is not None and len(doc):
        inside_end = ctx.text[p.start : p.end].rstrip()
        ends_sentence = inside_end[-1:] in ("." ,"!", "?", "…")
        first = ctx.token_at(p.close_mark + 1)
        if first < len(doc) and doc[first].idx > p.close_mark:
            for n, i in enumerate(range(first, min(first + _AFTER_WINDOW, len(doc)))):
                tok = doc[i]
                if ctx.in_quote(tok) or (ends_sentence and n >= _CUE_RIGHT_AFTER):
                    break
                if n == 0 and tok.dep_ == "cc":
                    break  # '“A,” and noted “B”': a second fragment with its own cue, not an attribution
                if _is_cue(tok, ctx, quotation=True):
                    if n == 0 and tok.dep_ == "cc" or _reports_own_clause(tok, ctx) or (ends_sentence and _goes_on(tok, ctx)):
                        break  # "... ." He added that ...: the next sentence's own cue
                    return _Attribution(tok, _subject(tok, ctx) or _person_between(doc, p.close_mark, tok.idx))
                if tok.text in _SENTENCE_FINAL:
                    break
        headline = _HEADLINE.match(ctx.text, p.close_mark + 1)
        if headline and _words(headline.group(1)) <= 4 and headline.group(1)[:1].isupper():
            return _Attribution(None, None, headline.group(1))
        byline = _BYLINE.match(ctx.text, p.close_mark + 1)
        if byline and _is_name(byline.group(1)):
            return _Attribution(None, None, byline.group(1))
    opening = ctx.token_at(p.open_mark)
    for i in range(opening - 1, max(opening - 1 - _BEFORE_WINDOW, -1), -1):
        tok = doc[i]
        if ctx.in_quote(tok) or tok.text in _SENTENCE_FINAL:
            break
        if _is_cue(tok, ctx, quotation=True) and not (tok.tag_ == "VBN" and tok.dep_ == "acl"):
            return _Attribution(tok, _subject(tok, ctx) or _person_between(doc, tok.idx, p.open_mark))
    return None


def _is_name(text: str) -> bool:
    """Two to five capitalised words or initials: "Oscar P. Quintero"."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words)


def _reports_own_clause(cue: Token, ctx: _Context) -> bool:
    """A cue after a closing mark that governs a clause of its own ("He added that ...")."""
    doc = cue.doc
    if cue.i + 1 < len(doc) and doc[cue.i + 1].lower_ in ("that", ":"):
        return True
    return any(c.dep_ in ("ccomp", "xcomp") and c.i > cue.i and not ctx.in_quote(c) for c in cue.children)


def _goes_on(cue: Token, ctx: _Context) -> bool:
    """After a quotation that ends its sentence, a cue whose sentence goes on to report more."""
    if cue.lower_ == "according":
        return cue.text[0].isupper()
    for tok in cue.doc[cue.i + 1 : cue.sent.end]:
        if tok.text in _SENTENCE_FINAL or ctx.in_quote(tok):
            return False
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass", "amod"):
            return True
    return False


def _person_between(doc: Doc, start: int, end: int) -> Token | None:
    """When the parse gives a cue no subject: the person named between the marks and the cue."""
    for ent in doc.ents:
        if ent.label_ == "PERSON" and start <= ent.start_char and ent.end_char <= end:
            return ent.root
    return None


def _token_i(token: Token | None) -> int | None:
    return token.i if token is not None else None


def _continues(quote: _Direct, p: Passage, own: _Attribution | None, ctx: _Context) -> bool:
    """Does passage ``p`` carry on ``quote`` (next paragraph, or the part after the cue)?"""
    last = quote.parts[-1]
    has_cue = own is not None and (quote.attribution is None or _token_i(own.cue) != _token_i(quote.attribution.cue))
    if has_cue and quote.attribution is not None:
        return False
    if last.close_mark is None:
        return last.reopened
    between = ctx.text[last.close_mark + 1 : p.open_mark]
    if not between.strip(" \t"):
        return not has_cue  # back-to-back quotations: one runs on unless the second has its own cue
    if "\n" in between.strip():
        return False  # a new paragraph without reopening marks: a quote of its own
    if quote.attribution is None or quote.attribution.cue is None:
        return False
    cue = quote.attribution.cue
    if not (last.close_mark < cue.idx < p.open_mark):
        return False
    # only the attribution sentence between the parts: "A," he said, "B." / "A," he said. "B."
    after_cue = ctx.text[cue.idx : p.open_mark].rstrip()
    return not any(ch in after_cue[:-1] for ch in ".!?")


def _direct_quotes(ctx: _Context) -> list[_Direct]:
    quotes: list[_Direct] = []
    for p in ctx.passages:
        inside = ctx.text[p.start : p.end].rstrip()
        if p.close_mark is not None and _words(inside) < MIN_QUOTE_WORDS and not inside.endswith(","):
            continue  # a term in marks ("Russophobic") neither starts nor continues a quotation;
            # '"I survived," he told ...' may still open a split quotation
        own = _attribution(p, ctx)
        if quotes and _continues(quotes[-1], p, own, ctx):
            quotes[-1].parts.append(p)
            if quotes[-1].attribution is None and own is not None:
                quotes[-1].attribution = own
            continue
        quotes.append(_Direct([p], own))
    kept = []
    for q in quotes:
        text = " ".join(ctx.text[p.start : p.end] for p in q.parts)
        if _words(text) < MIN_QUOTE_WORDS:
            continue
        if q.parts[0].single and q.attribution is None:
            continue  # single marks without a cue are titles and terms far more often than speech
        q.position = q.attribution.cue.i if q.attribution and q.attribution.cue is not None else ctx.token_at(q.parts[0].start)
        kept.append(q)
    return kept


# indirect quotes --------------------------------------------------------------------------


def _clause(cue: Token) -> tuple[int, int] | None:
    """Token span of the clause ``cue`` reports, or None."""
    doc = cue.doc

    def preference(child: Token) -> tuple[int, int]:
        # a clause right after the verb ("pressed that ...") over one before it, unless a comma
        # separates them ("..., officials said Thursday, even though ...")
        follows = child.i > cue.i and not any(t.text == "," for t in doc[cue.i : min(child.subtree, key=lambda t: t.i).i])
        return (0 if follows else 1, child.i)

    for child in sorted(cue.children, key=preference):
        if child.dep_ == "ccomp":
            tokens = sorted(child.subtree, key=lambda t: t.i)
            while tokens and (tokens[0].dep_ == "mark" and tokens[0].lower_ in ("that", "whether", "if") or tokens[0].is_punct):
                tokens = tokens[1:]
            return (tokens[0].i, tokens[-1].i + 1) if tokens else None
    if cue.lemma_.lower() in _cues()["request"]:
        for child in cue.children:
            if child.dep_ in ("xcomp", "advcl") and child.i > cue.i and any(c.lower_ == "to" for c in child.children):
                start = cue.i + 1
                while start < child.i and cue.doc[start].dep_ in ("prt", "advmod"):
                    start += 1
                objects = [c for c in cue.children if c.dep_ in ("dobj", "prep") and cue.i < c.i < child.i]
                if not objects and not any(c.dep_ == "nsubj" for c in child.children):
                    return None  # "pledged to help": an intention, not a reported request
                end = max(t.i for t in child.subtree) + 1
                return start, end
    return None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in ")]") or doc[end - 1].is_space:
        end -= 1
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].lower_ in ("that",) and doc[start].dep_ == "mark"):
        start += 1
    return start, end


def _overlaps_quote(doc: Doc, start: int, end: int, direct: list[_Direct]) -> bool:
    a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    for q in direct:
        for p in q.parts:
            if p.open_mark < b and a <= (p.close_mark if p.close_mark is not None else p.end):
                return True
    return False


def _according_clause(cue: Token) -> tuple[int, int] | None:
    doc = cue.doc
    sent = cue.sent
    to = cue.nbor()
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    phrase_end = max(t.i for t in pobj.subtree) + 1 if pobj is not None else to.i + 2
    before = _trim(doc, sent.start, cue.i)
    after = _trim(doc, phrase_end, sent.end)
    before_len, after_len = before[1] - before[0], after[1] - after[0]
    if after_len >= 3 and doc[after[0]].dep_ == "cc":
        after_len = 0
    if before_len <= 3 and after_len >= 3:
        return after
    if before_len >= 3 and before_len >= after_len:
        return before
    return after if after_len >= 3 else None


def _possible_cues(doc: Doc) -> list[Token]:
    """The tokens ``_is_cue`` can accept (verbs, auxiliaries and "according"), picked from attribute arrays."""
    return [
        doc[i]
        for i, (pos, lower) in enumerate(doc.to_array([POS, LOWER]).tolist())
        if pos in _VERB_POS or lower == _ACCORDING
    ]


def _indirect_quotes(ctx: _Context, direct: list[_Direct]) -> list[_Indirect]:
    doc = ctx.doc
    found: list[_Indirect] = []
    cues = _possible_cues(doc)
    for tok in cues:
        if not _is_cue(tok, ctx, quotation=False) or tok.lower_ == "according":
            continue
        if any(c.dep_ == "neg" for c in tok.children):
            continue
        span = _clause(tok)
        if span is None:
            continue
        start, end = _trim(doc, *span)
        if end - start < 3 or _words(doc[start:end].text) < 3 or start <= tok.i < end:
            continue
        subject = _subject(tok, ctx)
        if subject is None:
            line_start = ctx.text.rfind("\n", 0, tok.idx) + 1
            subject = _person_between(doc, line_start, tok.idx)
        if subject is None or start <= subject.i < end:
            continue
        if _overlaps_quote(doc, start, end, direct) or "\n" in doc[start:end].text:
            continue
        if end <= tok.i and any(t.is_sent_start or t.text in _SENTENCE_FINAL for t in doc[end : subject.i if subject.i > end else tok.i]):
            continue  # the clause belongs to an earlier sentence
        if end <= tok.i and _overlaps_quote(doc, end - 1, tok.i + 1, direct):
            continue
        found.append(_Indirect(start, end, _Attribution(tok, subject)))
    for tok in cues:
        if tok.lower_ != "according" or not _is_cue(tok, ctx, quotation=False):
            continue
        span = _according_clause(tok)
        if span is None:
            continue
        start, end = span
        if _overlaps_quote(doc, start, end, direct):
            continue
        if any(f.start < end and start < f.end for f in found):
            continue  # the sentence has its own reporting verb ("According to her report, Jones agreed ...")
        subject = _subject(tok, ctx)
        if subject is None:
            continue
        found.append(_Indirect(start, end, _Attribution(tok, subject)))
    return found


# assembling -------------------------------------------------------------------------------


def find_quotes(doc: Doc) -> list[Quote]:
    """Every direct and indirect quote of ``doc``, speakers resolved, in reading order."""
    if not len(doc) or not doc.has_annotation("DEP"):
        return []
    text = text_of(doc)
    ctx = _Context(doc, find_passages(text), text)
    direct = _direct_quotes(ctx)
    indirect = _indirect_quotes(ctx, direct)
    items: list[tuple[int, object]] = [(q.position, q) for q in direct]
    items += [(q.attribution.cue.i, q) for q in indirect]
    items.sort(key=lambda item: item[0])
    reported = sorted((q.start, q.end) for q in indirect)

    def in_content(token: Token) -> bool:
        """Inside quotation marks or a reported clause: words said, not who says them."""
        i = bisect_right(reported, (token.i, float("inf"))) - 1
        return ctx.in_quote(token) or (i >= 0 and reported[i][0] <= token.i < reported[i][1])

    resolver = SpeakerResolver(doc, in_content)
    quotes: list[Quote] = []
    last_speaker: tuple[str | None, str | None] = (None, None)
    for _, item in items:
        attribution = item.attribution
        if attribution is None:
            speaker, written, cue = (*last_speaker, None)  # a continuation paragraph
        elif attribution.cue is None:
            speaker, written = resolver.resolve(None, [], attribution.written)
            cue = None
        else:
            head = attribution.subject
            span = _speaker_tokens(head) if head is not None else []
            speaker, written = resolver.resolve(head, span, None, _described(head) if head is not None else None)
            cue = _cue_text(attribution.cue)
        if speaker is not None:
            last_speaker = (speaker, written)
        quotes.append(_record(doc, text, item, speaker, written, cue))
    return sorted(quotes, key=lambda q: q.start)


def _record(doc: Doc, text: str, item, speaker, written, cue) -> Quote:
    if isinstance(item, _Direct):
        first = item.parts[0]
        parts = [text[p.start : p.end].strip() for p in item.parts]
        full = " ".join(parts) if len(parts) > 1 else None
        return Quote(first.start, first.end, "direct", text[first.start : first.end], speaker, cue, full, written)
    span = doc[item.start : item.end]
    return Quote(span.start_char, span.end_char, "indirect", span.text, speaker, cue, None, written)


def quote_spans(doc: Doc, quotes: list[Quote]) -> list[Span]:
    """The content span of each quote, carrying ``span._.speaker``, ``span._.cue`` and ``span._.kind``."""
    spans = []
    for quote in quotes:
        span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        span._.speaker, span._.cue, span._.kind = quote.speaker, quote.cue, quote.kind
        spans.append(span)
    return spans


class QuoteExtractor:
    """spaCy component: writes `find_quotes` to ``doc._.quotes`` and their spans to ``doc.spans["quotes"]``."""

    def __init__(self, **config) -> None:
        self.config = config

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = find_quotes(doc)
        doc.spans["quotes"] = quote_spans(doc, doc._.quotes)
        return doc
