"""Who an article says a number comes from.

``find_claimant`` reads the claimant of the clause around a token off the
parse: the subject of a reporting verb above it ("the UN said ..."), of a
verb that records the number ("The U.N. has recorded 406 deaths"), or the
object of "according to". Claimants are kept as written ("the UN Refugee
Agency"); a pronoun ("it says") is resolved to the claimant named before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from newsledger.nlp import syntax
from newsledger.nlp.rules import load_rules

__all__ = ["Claim", "find_claimant", "claimant_according_to", "claimant_of_noun", "claimant_data"]

_CUT_DEPS = {"relcl", "acl", "appos", "advcl"}
_KEPT_PREPS = {"of", "from", "for", "at", "in", "on"}
_STOPS = {",", "(", ")", "“", "”", '"', ";", "—", "–"}


@dataclass(frozen=True, slots=True)
class Claim:
    """A claimant as written, or an explicit "no one": ``hedged`` for "are said to ...", ``pronoun`` to resolve."""

    text: str | None
    pronoun: bool = False
    hedged: bool = False
    verb: int | None = None  # token index of the verb (or noun) that makes the claim


def claimant_data() -> dict:
    return load_rules("figure_claimants")


def _phrase(token: Token) -> str:
    """The noun phrase headed by ``token``: modifiers and "of"/"from" phrases, no clauses or appositions."""
    excluded: set[int] = set()
    for child in token.children:
        if child.dep_ in _CUT_DEPS or (child.dep_ == "prep" and child.lower_ not in _KEPT_PREPS):
            excluded.update(t.i for t in child.subtree)
    ids = {t.i for t in token.subtree} - excluded
    doc = token.doc
    start = end = token.i
    while start - 1 in ids and doc[start - 1].text not in _STOPS:
        start -= 1
    while end + 1 in ids and doc[end + 1].text not in _STOPS:
        end += 1
    return doc[start : end + 1].text.strip(" ,;:-—–'\"“”")


_REPORTER = frozenset({"nsubj", "csubj"})
_SHARED_SUBJECT = syntax.through({"conj", "xcomp"}, verbal_heads=True)


def _subject(verb: Token) -> Token | None:
    """Who reports: the verb's subject, or that of the verb it is conjoined to or completes."""
    return syntax.subject(verb, _REPORTER, _SHARED_SUBJECT, steps=len(verb.doc))


def _unparsed_subject(verb: Token) -> Token | None:
    """A reporting verb's subject that the parse attached elsewhere.

    "The UN refugee agency estimated on Sunday that 368,000 had fled" read as a
    reduced relative ("agency [that was] estimated"): a verb with a reported
    clause and no passive or agent of its own is what its noun did. "with the
    United Nations now saying that ...": the "with" phrase just before the verb
    holds its subject.
    """
    children = list(verb.children)
    reports = any(c.dep_ == "ccomp" for c in children)
    passive = any(c.dep_ in {"auxpass", "agent", "nsubjpass"} for c in children)
    if not reports or passive:
        return None
    if verb.dep_ == "acl" and verb.tag_ in {"VBD", "VBN"} and verb.head.pos_ in {"NOUN", "PROPN"} and verb.head.i < verb.i:
        return verb.head
    if verb.tag_ == "VBG":
        i = verb.i - 1
        while i >= 0 and verb.doc[i].dep_ == "advmod" and verb.doc[i].head.i == verb.i:
            i -= 1
        before = verb.doc[i] if i >= 0 else None
        if before is not None and before.dep_ == "pobj" and before.head.lower_ == "with":
            return before
    return None


def _with_reporting(anchor: Token, report: set[str]) -> Claim | None:
    """ "with the United Nations estimating over 3.8 million have fled", parsed as a "with" phrase of the
    number's own verb: the one doing the reporting is the source of the clause it hangs from."""
    token = anchor
    for _ in range(4):
        if token.head.i == token.i:
            break
        token = token.head
        if token.pos_ not in {"VERB", "AUX"}:
            continue
        for prep in token.children:
            if prep.dep_ != "prep" or prep.lower_ != "with" or prep.i > anchor.i:
                continue
            for verb in prep.children:
                subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                if verb.dep_ == "pcomp" and verb.lemma_.lower() in report and subject is not None:
                    text = _named(_phrase(subject))
                    return Claim(text, verb=verb.i) if text else None
        break
    return None


def _trailing_attribution(verb: Token, anchor: Token) -> bool:
    """ "... have fled since Feb. 24, with most in Poland – the UNHCR reported Thursday.": an attribution closing
    the sentence that the parse joined as a clause of its own: a verb after the number with a subject and nothing it reports."""
    if verb.dep_ != "conj" or verb.pos_ != "VERB" or verb.i < anchor.i:
        return False
    children = list(verb.children)
    return any(c.dep_ == "nsubj" for c in children) and not any(c.dep_ in {"dobj", "ccomp", "xcomp", "prep", "conj"} for c in children)


def _named(text: str) -> str | None:
    """A claimant must hold a word: stray quote marks and initials parsed as a subject are no one."""
    return text if re.search(r"[^\W\d_]{2,}", text) else None


def _claim_of(verb: Token, number_ids: set[int]) -> Claim | None:
    data = claimant_data()
    if verb.lemma_.lower() == "claim" and any(
        t.i in number_ids for c in verb.children if c.dep_ == "dobj" for t in c.subtree
    ):
        return None  # "a conflict that has claimed more than 14,000 lives": the claiming is the killing
    subject = _subject(verb)
    if subject is None:
        subject = _unparsed_subject(verb)
        if subject is not None and subject.i == verb.head.i:
            text = _named(_phrase(subject))  # the verb hangs from its subject, so the number is in its subtree
            return Claim(text, verb=verb.i) if text else None
    if subject is None:
        if syntax.is_passive(verb) and verb.lemma_.lower() in data["passive_hedges"]:
            return Claim(None, hedged=True, verb=verb.i)
        return None
    if subject.i in number_ids or any(t.i in number_ids for t in subject.subtree):
        # "... killed at least 21 people, regional governor Oleg Synegubov said" parsed with the source as an apposition
        appositions = [c for c in subject.children if c.dep_ == "appos" and c.i > max(number_ids)]
        if appositions:
            text = _named(_phrase(appositions[-1]))
            return Claim(text, verb=verb.i) if text else None
        return None
    if subject.lower_ in data["relative_pronouns"] and verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        # "said Haidai, who added that 15 residents had been abducted": the one the clause is about
        subject = verb.head
    if subject.lower_ in data["pronouns"]:
        return Claim(subject.text, pronoun=True, verb=verb.i)
    text = _named(_phrase(subject))
    return Claim(text, verb=verb.i) if text else None


def _is_report_content(verb: Token, child: Token) -> bool:
    """Whether the clause of ``child`` is what ``verb`` reports.

    A conjoined clause ("X reported heavy shelling, and 25 civilians were
    killed") is the outlet's own statement unless the verb reports a clause
    before it ("X said 102 were killed, and 304 were injured"). A number that
    is the verb's plain object ("to admit 100,000 refugees") is not reported
    by it either.
    """
    if child.dep_ == "conj":
        return any(c.dep_ == "ccomp" and c.i < child.i for c in verb.children)
    if child.dep_ == "dobj" and child.pos_ in {"NUM", "NOUN", "PROPN", "PRON"}:
        return any(c.dep_ in {"ccomp", "xcomp"} for c in verb.children)
    return True


def claimant_of_noun(anchor: Token) -> Claim | None:
    """ "reports of 30 civilians killed", "estimates of 20,000 deaths": the source noun the number hangs from."""
    nouns = set(claimant_data()["source_nouns"])
    token = anchor
    for _ in range(3):
        parent = token.head
        if parent.i == token.i:
            return None
        if parent.pos_ == "ADP" and parent.lower_ == "of" and parent.head.pos_ == "NOUN":
            source = parent.head
            if source.lemma_.lower() in nouns or source.lower_ in nouns:
                words = [t for t in source.lefts if t.dep_ in {"amod", "compound", "nmod", "poss"} and t.i == source.i - 1]
                start = words[0].i if words else source.i
                return Claim(anchor.doc[start : source.i + 1].text, verb=source.i)
            return None
        if token.dep_ not in {"nummod", "quantmod", "compound", "amod", "pobj"}:
            return None
        token = parent
    return None


def _per_source(token: Token) -> Claim | None:
    """ "per UNHCR data", "per figures from the UN": "per" naming a source, never a rate ("per day")."""
    objects = [c for c in token.children if c.dep_ == "pobj"]
    if not objects:
        return None
    head = objects[0]
    sources = set(claimant_data()["per_sources"])
    if head.lemma_.lower() in sources or head.lower_ in sources or head.ent_type_ in {"ORG", "PERSON"}:
        return Claim(_phrase(head) or head.text, verb=token.i)
    return None


def claimant_according_to(sent: Span) -> Claim | None:
    """The X of "according to X" (or "per X data") in ``sent``, or None."""
    for token in sent:
        if token.lower_ == "per" and token.pos_ == "ADP":
            claim = _per_source(token)
            if claim is not None:
                return claim
        if token.lower_ == "according" and token.i + 1 < sent.end and token.nbor(1).lower_ == "to":
            objects = [c for c in token.nbor(1).children if c.dep_ == "pobj"] or [
                c for c in token.children if c.dep_ == "pobj"
            ]
            if not objects and token.i + 2 < sent.end:
                objects = [token.nbor(2)]
            if objects:
                head = objects[0]
                if head.lower_ in claimant_data()["pronouns"]:
                    return Claim(head.text, pronoun=True)
                return Claim(_phrase(head) or head.text)
    return None


def find_claimant(sent: Span, anchor: Token, number_ids: set[int]) -> Claim | None:
    """The claimant of the number at ``anchor`` read from its sentence, or None when none is written."""
    data = claimant_data()
    report = set(data["report_verbs"])
    object_report = set(data["object_report_verbs"])
    # A verb that records the number as its object: "The U.N. has recorded 406 deaths".
    token, steps = anchor, 0
    while token.head.i != token.i and steps < 8:
        parent = token.head
        if parent.pos_ in {"VERB", "AUX"} and parent.lemma_.lower() in object_report and token.dep_ in {"dobj", "attr", "pobj", "oprd"}:
            claim = _claim_of(parent, number_ids)
            if claim is not None:
                return claim
        token, steps = parent, steps + 1
    # "There were reports of 30 civilians killed": the source is the noun itself.
    source_noun = claimant_of_noun(anchor)
    if source_noun is not None:
        return source_noun
    # A reporting verb above the number: "X said (that) ...", "a UN report showed".
    # A hedge ("were reported", "are believed to") is kept only if no one is named above it.
    hedge: Claim | None = None
    token, steps = anchor, 0
    while token.head.i != token.i and steps < 12:
        child, token, steps = token, token.head, steps + 1
        if token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in report:
            if not _is_report_content(token, child):
                if child.dep_ == "conj":
                    return hedge
                continue
            claim = _claim_of(token, number_ids)
            if claim is not None and claim.hedged:
                hedge = hedge or claim
            elif claim is not None:
                return claim
    according = claimant_according_to(sent)
    if according is not None:
        return according  # "are believed to have fled ..., according to the UN": the UN is named
    with_claim = _with_reporting(anchor, report)
    if with_claim is not None:
        return hedge or with_claim
    # A reporting verb hanging off the sentence root: "..., officials said."
    roots = [t for t in sent if t.dep_ == "ROOT"]
    for root in roots:
        candidates = [root] + [c for c in root.children if c.dep_ == "parataxis" or _trailing_attribution(c, anchor)]
        candidates.sort(key=lambda t: abs(t.i - anchor.i))
        for verb in candidates:
            if verb.pos_ in {"VERB", "AUX"} and verb.lemma_.lower() in report:
                towards = next((c for c in verb.children if c.left_edge.i <= anchor.i <= c.right_edge.i), None)
                if towards is not None and not _is_report_content(verb, towards):
                    continue
                claim = _claim_of(verb, number_ids)
                if claim is not None and not claim.hedged:
                    return claim
    return hedge
