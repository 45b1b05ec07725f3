"""Who a speaker is, resolved within one article.

The quotes module hands over the speaker *as written* near each cue ("he",
"the Russian diplomat", "Lavrov", "the Kremlin") in reading order; a
`SpeakerResolver` turns it into the name a reader would file it under:

- a person by the fullest name the article gives ("Lavrov" -> "Sergei Lavrov"),
  without titles ("RUSSIAN President Vladimir Putin" -> "Vladimir Putin");
- a pronoun by the speaker it continues (the subject of the previous
  attribution), else the last person named before it;
- a role ("the Russian diplomat", "the President", "the official") by the
  person last introduced with that role, else the last person quoted;
- a body as written, without a leading article ("the Kremlin" -> "Kremlin").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from newsledger.nlp.rules import load_rules

__all__ = ["SpeakerResolver", "clean_name", "speaker_words", "written_words"]

_BODY_LABELS = {"ORG", "GPE", "NORP", "FAC", "LOC"}
_RELATIVE = {"who", "that", "which"}
_SPELLINGS = {"advisor": "adviser", "adviser": "advisor"}  # one role, two spellings
_SENTENCE_WINDOW = 3  # a pronoun continues a speaker quoted at most this many sentences back


@lru_cache(maxsize=1)
def speaker_words() -> dict:
    raw = load_rules("quote_speakers")
    return {
        "titles": frozenset(raw["titles"]),
        "roles": frozenset(raw["roles"]),
        "pronouns": dict(raw["pronouns"]),
        "determiners": frozenset(raw["determiners"]),
        "bodies": frozenset(raw["bodies"]),
    }


def _bare(word: str) -> str:
    return word.lower().strip(".,")


def written_words(tokens: list[Token]) -> list[str]:
    """The words of ``tokens`` as the text spaces them: "Holtz-Eakin" is one word, not three."""
    words: list[str] = []
    for n, tok in enumerate(tokens):
        glued = n > 0 and not tokens[n - 1].whitespace_ and tokens[n - 1].i + 1 == tok.i
        if glued and tok.text not in ("'s", "’s", "'", "’"):
            words[-1] += tok.text
        else:
            words.append(tok.text)
    return words


def clean_name(words: list[str]) -> str:
    """A person's name without leading titles, roles, shouted nationality words or possessive."""
    titles = speaker_words()["titles"] | speaker_words()["determiners"]
    words = [w for w in words if w.strip()]
    while len(words) > 1 and (_bare(words[0]) in titles or (words[0].isupper() and len(words[0]) > 2)):
        words = words[1:]
    if words and words[-1] in ("'s", "’s", "'", "’"):
        words = words[:-1]
    if words and (words[-1].endswith("'s") or words[-1].endswith("’s")):
        words[-1] = words[-1][:-2]
    return " ".join(words).strip(" ,")


@dataclass(slots=True)
class _Said:
    sentence: int
    speaker: str
    written: str
    is_person: bool
    plural: bool = False  # "Western leaders said": no "she" continues it


class SpeakerResolver:
    """Resolves speakers of one doc; call `resolve` in reading order."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.words = speaker_words()
        self._sent_index = {}
        for n, sent in enumerate(doc.sents):
            self._sent_index[sent.start] = n
        self.persons: list[tuple[int, str]] = []  # (token index of the name's head, clean name)
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                name = clean_name(written_words(list(ent)))
                if name and any(ch.isupper() for ch in name):
                    self.persons.append((ent.root.i, name))
        named = {i for i, _ in self.persons}
        for tok in doc:
            # names the tagger missed: a capitalised proper noun acting as a participant
            if (
                tok.i not in named
                and tok.pos_ == "PROPN"
                and not tok.ent_type_
                and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "appos")
                and tok.text[:1].isupper()
                and tok.text.isalpha()
                and not tok.text.isupper()
                and tok.lower_ not in self.words["titles"]
                and tok.lower_ not in self.words["roles"]
            ):
                compounds = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
                name = clean_name(written_words([*compounds, tok]))
                self.persons.append((tok.i, name))
        self.persons.sort()
        self.full_names: dict[str, str] = {}
        for _, name in self.persons:
            self._learn(name)
        self.history: list[_Said] = []

    def _learn(self, name: str) -> None:
        parts = name.split()
        if not parts:
            return
        key = parts[-1].lower()
        known = self.full_names.get(key)
        if known is None or len(parts) > len(known.split()):
            self.full_names[key] = name

    def canonical(self, name: str) -> str:
        parts = name.split()
        if not parts:
            return name
        full = self.full_names.get(parts[-1].lower())
        if full and len(full.split()) > len(parts):
            return full
        return name

    def sentence_of(self, token: Token) -> int:
        return self._sent_index.get(token.sent.start, 0)

    def resolve(
        self, head: Token | None, span: list[Token], written: str | None, described: list[Token] | None = None
    ) -> tuple[str | None, str | None]:
        """The speaker for a subject headed by ``head`` (its words ``span``), and remember it.

        ``described`` adds words that describe the speaker without naming it as
        written (appositions: "the special master, retired Judge Barbara Jones").
        """
        if head is None or not span:
            written = (written or "").strip()
            if written:
                return self._remember(None, written.strip(), written.strip(), False)
            return None, None
        written = self.doc[span[0].i : span[-1].i + 1].text
        speaker, is_person = self._identify(head, span, described or span)
        return self._remember(head, speaker, written, is_person)

    def _remember(self, head: Token | None, speaker: str | None, written: str, is_person: bool):
        if speaker:
            sentence = self.sentence_of(head) if head is not None else (self.history[-1].sentence if self.history else 0)
            plural = head is not None and head.tag_ in ("NNS", "NNPS")
            self.history.append(_Said(sentence, speaker, written, is_person, plural))
        return speaker, written

    def _identify(self, head: Token, span: list[Token], described: list[Token]) -> tuple[str | None, bool]:
        word = head.lower_
        if len(span) == 1 and word in self.words["pronouns"]:
            return self._pronoun(head)
        positions = {t.i for t in described} | {t.i for t in span}
        inside = [(i, n) for i, n in self.persons if i in positions]
        if inside:
            # the person nearest the head: "Adviser to ... Mikhail Podolyak", "Mr. Graham"
            i, name = min(inside, key=lambda p: abs(p[0] - head.i))
            return self.canonical(name), True
        if head.ent_type_ in _BODY_LABELS:
            return self._as_written(span), False
        if head.pos_ == "PROPN" and head.lemma_.lower() not in self.words["roles"]:
            propn = [t for t in span if t.i <= head.i and (t.pos_ == "PROPN" or t.dep_ == "compound")]
            if propn and all(t.pos_ == "PROPN" for t in propn) and head.ent_type_ in ("", "PERSON"):
                name = clean_name(written_words(propn))
                if name in self.full_names.values() or name.split()[-1].lower() in self.full_names:
                    return self.canonical(name), True
                if head.ent_type_ == "PERSON" or any(_bare(t.text) in self.words["titles"] for t in propn):
                    self._learn(name)
                    return name, True
            return self._as_written(span), False
        role = self._role_of(head)
        if role:
            found = self._antecedent(head, role)
            if found:
                return found
        return self._as_written(span), head.lemma_.lower() in self.words["roles"]

    def _role_of(self, head: Token) -> str | None:
        lemma = head.lemma_.lower()
        if lemma not in self.words["roles"] and lemma not in self.words["bodies"]:
            return None
        if head.tag_ in ("NNS", "NNPS"):
            return None  # "officials", "sources": a group, not someone named elsewhere
        det = [c.lower_ for c in head.children if c.dep_ in ("det", "poss")]
        has_named_modifier = any(c.dep_ in ("prep", "appos") for c in head.children)
        if has_named_modifier or (det and det[0] not in ("the", "this", "that", "his", "her", "their")):
            return None  # "a senior US defense official", "head of Roscosmos": a speaker in its own right
        if not det and head.i > 0 and head.sent.start != head.i:
            return None
        return lemma

    def _antecedent(self, head: Token, role: str) -> tuple[str, bool] | None:
        """The last speaker or named person introduced with ``role``, else the last person quoted."""
        best: tuple[int, str, bool] | None = None
        sentence = self.sentence_of(head)
        if role in self.words["bodies"]:
            for ent in reversed([e for e in self.doc.ents if e.label_ == "ORG" and e.end <= head.i]):
                return self._as_written(list(ent)), False
            return None
        for said in reversed(self.history):
            if role in said.written.lower().split():
                best = (said.sentence, said.speaker, said.is_person)
                break
        for i, name in reversed(self.persons):
            if i >= head.i:
                continue
            if role in self._title_words(i) or role in self._apposed_words(i):
                n = self.sentence_of(self.doc[i])
                if best is None or n >= best[0]:
                    best = (n, self.canonical(name), True)
                break
        if best is None:
            # a role introduced earlier without a name: "A senior US defense official told ..."
            for tok in reversed(self.doc[: head.i]):
                if tok.lemma_.lower() == role and tok.tag_ in ("NN", "NNP") and any(
                    c.dep_ in ("amod", "compound") for c in tok.children
                ):
                    words = [t for t in sorted(tok.subtree, key=lambda t: t.i) if t.i <= tok.i]
                    return self._as_written(words), True
            # or named just after: "the mayor said ... Mayor Ihor Terekhov said"
            for i, name in self.persons:
                if i > head.i and self.sentence_of(self.doc[i]) - sentence <= 2:
                    if role in self._title_words(i):
                        return self.canonical(name), True
        if best:
            return best[1], best[2]
        for said in reversed(self.history):
            if said.is_person and sentence - said.sentence <= 8:
                return said.speaker, True
        return None

    def _apposed_words(self, i: int) -> set[str]:
        """Role words set beside the name at ``i`` by apposition: "Petro Andriushchenko, an adviser to the mayor",
        "the mayor's adviser, Petro Andriushchenko"."""
        token = self.doc[i]
        nouns = [c for c in token.children if c.dep_ == "appos"]
        if token.dep_ == "appos":
            nouns.append(token.head)
        words = {n.lemma_.lower() for n in nouns if n.pos_ == "NOUN"}
        return words | {_SPELLINGS.get(w, w) for w in words}

    def _title_words(self, i: int) -> set[str]:
        """Lower-cased words right before the name at ``i``: "Foreign Minister", "the mayor"."""
        j = i
        while j > 0 and self.doc[j - 1].pos_ == "PROPN" and self.doc[j - 1].dep_ in ("compound", "flat"):
            j -= 1
        words: set[str] = set()
        k = j - 1
        while k >= 0 and j - k <= 5 and self.doc[k].pos_ in ("PROPN", "NOUN", "ADJ") and self.doc[k].text != ",":
            words.add(self.doc[k].lower_.strip("."))
            k -= 1
        return words

    def _pronoun(self, head: Token) -> tuple[str | None, bool]:
        kind = self.words["pronouns"].get(head.lower_, "any")
        sentence = self.sentence_of(head)
        mentioned = [
            (i, n) for i, n in self.persons if i < head.i and self.doc[i].dep_ in ("nsubj", "nsubjpass", "dobj", "appos", "ROOT")
        ]
        if self.history:
            last = self.history[-1]
            newer = [(i, n) for i, n in mentioned if self.sentence_of(self.doc[i]) > last.sentence]
            if kind == "person" and newer:
                return self.canonical(newer[-1][1]), True  # a person introduced after the last speaker
            singular = head.lower_ in ("he", "she", "him", "her")
            if sentence - last.sentence <= _SENTENCE_WINDOW and (kind != "person" or last.is_person) \
                    and not (singular and last.plural):
                return last.speaker, last.is_person
        if kind in ("person", "any"):
            before = [(i, n) for i, n in self.persons if i < head.i]
            if before:
                return self.canonical(before[-1][1]), True
        for said in reversed(self.history):
            if kind != "person" or said.is_person:
                return said.speaker, said.is_person
        for tok in reversed(self.doc[: head.i]):
            # nobody named yet: the person last described ("The man, who has not been identified")
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.lemma_.lower() in self.words["roles"] and tok.tag_ == "NN":
                return self._as_written([t for t in sorted(tok.subtree, key=lambda t: t.i) if t.i <= tok.i]), True
        return None, False

    def _as_written(self, span: list[Token]) -> str:
        words = list(span)
        while len(words) > 1 and words[0].lower_ in self.words["determiners"]:
            words = words[1:]
        return self.doc[words[0].i : words[-1].i + 1].text.strip(" ,")
