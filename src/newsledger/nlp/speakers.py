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

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import DEP, ENT_TYPE, POS
from spacy.symbols import PROPN
from spacy.tokens import Doc, Token

from newsledger.nlp import syntax
from newsledger.nlp.rules import load_rules

__all__ = ["SpeakerResolver", "clean_name", "speaker_words", "written_words"]

_BODY_LABELS = syntax.BODY_LABELS
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
        "synonyms": {role: frozenset(words) for role, words in raw["role_synonyms"].items() if not role.startswith("_")},
        "documents": frozenset(raw["documents"]["nouns"]),
        "male": frozenset(raw["gender_words"]["male"]),
        "female": frozenset(raw["gender_words"]["female"]),
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


@dataclass(frozen=True, slots=True)
class _Words:
    """Words describing someone, with the nationalities and countries among them kept apart."""

    words: frozenset[str] = frozenset()
    nations: frozenset[str] = frozenset()

    @classmethod
    def of(cls, tokens) -> _Words:
        def forms(t: Token) -> set[str]:
            return {w.strip(".").replace("’s", "").replace("'s", "") for w in (t.lower_, t.lemma_.lower())} - {""}

        words = {w for t in tokens for w in forms(t)}
        nations = {w[:4] for t in tokens if t.ent_type_ in ("NORP", "GPE") for w in forms(t)}  # Russia ~ Russian
        return cls(frozenset(words), frozenset(nations))

    def __or__(self, other: _Words) -> _Words:
        return _Words(self.words | other.words, self.nations | other.nations)

    def overlap(self, described: _Words) -> int:
        return len(self.words & described.words)

    def fit(self, described: _Words, strict: bool = False) -> bool:
        """Whether someone ``described`` so can be the one these qualifiers name: a name or noun among
        them must be in the description ("the DoD spokesperson"); a nationality must not clash with
        another one there ("the Austrian leader" is not "the Russian leader"), and with ``strict``
        must be there."""
        plain = self.words - {w for w in self.words if w[:4] in self.nations}
        if plain and not plain & described.words:
            return False
        if self.nations and (described.nations or strict) and not self.nations & described.nations:
            return False
        return True


@dataclass(slots=True)
class _Said:
    sentence: int
    speaker: str
    written: str
    is_person: bool
    plural: bool = False  # "Western leaders said": no "she" continues it
    head: Token | None = None  # the head of the speaker's words, where there are any
    tokens: tuple[Token, ...] = ()  # the speaker's words


class SpeakerResolver:
    """Resolves speakers of one doc; call `resolve` in reading order."""

    def __init__(self, doc: Doc, in_quote: Callable[[Token], bool] | None = None) -> None:
        self.doc = doc
        self.in_quote = in_quote or (lambda token: False)  # words quoted or reported name no speaker
        self.words = speaker_words()
        self._sentences = syntax.sentences(doc)
        self._sentence_number = [0] * len(doc)  # per token, the number of its sentence
        for n, sent in enumerate(self._sentences):
            self._sentence_number[sent.start : sent.end] = [n] * len(sent)
        self.persons: list[tuple[int, str]] = []  # (token index of the name's head, clean name)
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                name = clean_name(written_words(list(ent)))
                if name and any(ch.isupper() for ch in name):
                    self.persons.append((ent.root.i, name))
        named = {i for i, _ in self.persons}
        strings = doc.vocab.strings
        participant = {strings.add(dep) for dep in ("nsubj", "nsubjpass", "dobj", "appos")}
        # the proper nouns outside entities that act as participants, picked from the attribute arrays
        # so that only they become tokens
        picked = [i for i, (pos, ent, dep) in enumerate(doc.to_array([POS, ENT_TYPE, DEP]).tolist())
                  if pos == PROPN and not ent and dep in participant]
        for tok in (doc[i] for i in picked):
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
        self.genders = self._genders()
        self.history: list[_Said] = []

    def _genders(self) -> dict[str, str]:
        """Whether "he" or "she" can stand for each person, keyed by surname, from what the article says:
        a title or role beside the name ("Ms", "spokeswoman"), or a sentence naming only that person
        and using only one gender's pronouns."""
        votes: dict[str, list[int]] = {}
        for i, name in self.persons:
            words = self._title_words(i) | self._apposed_words(i)
            vote = votes.setdefault(name.split()[-1].lower(), [0, 0])
            vote[0] += 2 * bool(words & self.words["male"])
            vote[1] += 2 * bool(words & self.words["female"])
        by_sentence: dict[int, set[str]] = {}
        for i, name in self.persons:
            if not self.in_quote(self.doc[i]):
                by_sentence.setdefault(self._sentence_number[i], set()).add(name.split()[-1].lower())
        for number, sent in enumerate(self._sentences):
            named = by_sentence.get(number, set())
            if len(named) != 1:
                continue
            # a subject pronoun says more than a possessive: "Greene attacked Biden over his tweet"
            pronouns = [t for t in sent if t.pos_ == "PRON" and not self.in_quote(t)]
            male = sum(2 if t.lower_ == "he" else 1 for t in pronouns if t.lower_ in ("he", "his", "him"))
            female = sum(2 if t.lower_ == "she" else 1 for t in pronouns if t.lower_ in ("she", "her", "hers"))
            if bool(male) != bool(female):
                votes[next(iter(named))][0 if male else 1] += male or female
        return {key: "male" if m > f else "female" for key, (m, f) in votes.items() if m != f}

    def _agrees(self, name: str, pronoun: Token) -> bool:
        """Whether ``pronoun`` can stand for the person ``name`` ("she" never for a man the article calls "he")."""
        gender = self.genders.get(name.split()[-1].lower()) if name.split() else None
        if pronoun.lower_ in ("he", "him"):
            return gender != "female"
        if pronoun.lower_ in ("she", "her"):
            return gender != "male"
        return True

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
        return self._sentence_number[token.i]

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
        return self._remember(head, speaker, written, is_person, tuple(span))

    def _remember(self, head: Token | None, speaker: str | None, written: str, is_person: bool, tokens: tuple = ()):
        if speaker:
            sentence = self.sentence_of(head) if head is not None else (self.history[-1].sentence if self.history else 0)
            plural = head is not None and head.tag_ in ("NNS", "NNPS")
            self.history.append(_Said(sentence, speaker, written, is_person, plural, head, tokens))
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
        owned = self._owned_by_body(head, span)
        if owned is not None:
            return owned, head.lemma_.lower() in self.words["roles"]
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
        author = self._author(head, span)
        if author is not None:
            return author
        role = self._role_of(head)
        if role:
            found = self._antecedent(head, role, self._qualifiers(head, span))
            if found:
                return found
        found = self._described_person(head, span)
        if found is not None:
            return found, True
        body = self._named_body(head, span)
        if body is not None:
            return body, False
        return self._as_written(span), head.lemma_.lower() in self.words["roles"]

    def _owned_by_body(self, head: Token, span: list[Token]) -> str | None:
        """ "Its ambassador said" after "Brazil voted ...": "Brazil's ambassador", the country or body last named."""
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in ("its", "their")), None)
        if owner is None or head.pos_ != "NOUN":
            return None
        bodies = [e for e in self.doc.ents if e.label_ in ("GPE", "ORG") and e.end <= owner.i and not self.in_quote(e[0])]
        if not bodies:
            return None
        subjects = [e for e in bodies if e.root.dep_ in ("nsubj", "nsubjpass")]
        if subjects and self.sentence_of(subjects[-1].root) >= self.sentence_of(bodies[-1].root) - 1:
            bodies = subjects  # "Brazil voted for it and condemned Russia's aggression. Its ambassador said": Brazil's
        rest = [t for t in span if t.i > owner.i]
        return f"{self._as_written(list(bodies[-1]))}'s {self.doc[rest[0].i : rest[-1].i + 1].text}" if rest else None

    def _author(self, head: Token, span: list[Token]) -> tuple[str | None, bool] | None:
        """Who issued a document that "said" something: "Oryx's figures", "the Pentagon statement", or the
        speaker who "said in a statement" shortly before "the statement said"."""
        if head.lemma_.lower() not in self.words["documents"] and head.lower_ not in self.words["documents"]:
            return None
        for child in head.children:
            if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN") and child.ent_type_ not in ("DATE", "TIME"):
                owner = [t for t in child.subtree if t.text not in ("'s", "’s", "'", "’")]
                return self._identify(child, owner, owner)
        names = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if names:
            return self._identify(names[-1], names, names)
        sentence = self.sentence_of(head)
        word = head.lower_
        for said in reversed(self.history):
            if sentence - said.sentence > _SENTENCE_WINDOW:
                break
            if said.head is not None and word in {t.lower_ for t in said.head.sent}:
                return said.speaker, said.is_person
        return None

    def _descriptions(self, i: int) -> _Words:
        """Words that describe the person named at ``i``: a title before the name ("Armed Forces Minister"),
        an apposition ("Oleksiy Arestovych, an adviser to the president")."""
        token = self.doc[i]
        chain = list(self.doc[self._name_start(i) : i])  # "Rep. Marjorie Taylor Greene", "Austrian Chancellor Karl ..."
        tokens = self._title_tokens(i) + chain
        for noun in [c for c in token.children if c.dep_ == "appos"] + ([token.head] if token.dep_ == "appos" else []):
            tokens += [t for t in noun.subtree if t.pos_ in ("NOUN", "PROPN", "ADJ")]
        return _Words.of(tokens)

    def _qualifiers(self, head: Token, span: list[Token]) -> _Words:
        """What qualifies a role: names, nouns and nationalities ("the Austrian leader", "the DoD
        spokesperson"), not a judgement ("the controversial lawmaker")."""
        return _Words.of([t for t in span if t.i != head.i and (t.pos_ in ("NOUN", "PROPN") or t.pos_ == "ADJ" and t.ent_type_)
                          and t.lower_ not in self.words["determiners"]])

    def _described_person(self, head: Token, span: list[Token]) -> str | None:
        """The person the article names with the role a speaker is described by: "Britain's armed forces
        minister" is "Armed Forces Minister James Heappey", "the head of the CIA" is "CIA Director William Burns".

        The role must match, or name the same post in other words ("the Russian leader" is "Russian President
        Vladimir Putin"), and so must a word that qualifies it. An indefinite phrase ("a Ukrainian official")
        brings in someone new and stays as written.
        """
        lemma = head.lemma_.lower()
        if head.tag_ in ("NNS", "NNPS") or head.pos_ not in ("NOUN", "PROPN") or lemma not in self.words["roles"]:
            return None
        if any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in head.children):
            return None  # "its ambassador": the country's, whoever the article named before
        determiners = [c.lower_ for c in head.children if c.dep_ == "det"]
        if determiners and determiners[0] in ("a", "an", "one", "another"):
            return None  # "a former NASA astronaut told ...": someone new, not the astronaut named before
        wanted = {lemma} | set(self.words["synonyms"].get(lemma, ()))
        qualifiers = self._qualifiers(head, span)
        best: tuple[int, int, str] | None = None
        for i, name in self.persons:
            if self.in_quote(self.doc[i]):
                continue
            described = self._descriptions(i)
            if not described.words & wanted or not qualifiers.fit(described, strict=True):
                continue
            overlap = qualifiers.overlap(described)
            distance = head.i - i if i < head.i else 10_000 + i - head.i  # before the speaker first
            if best is None or (overlap, -distance) > (best[0], -best[1]):
                best = (overlap, distance, self.canonical(name))
        return best[2] if best is not None else None

    def _named_body(self, head: Token, span: list[Token]) -> str | None:
        """The organisation a common-noun speaker stands for: "the country's air force" is "Ukraine's Air
        Force Command" when the article names it, nearest before the speaker first."""
        if head.pos_ != "NOUN" or head.tag_ in ("NNS",) or head.lemma_.lower() in self.words["roles"]:
            return None
        words = {head.lower_} | {t.lower_ for t in span if t.dep_ in ("compound", "amod") and t.head.i == head.i and t.pos_ != "ADJ"}
        found: list[tuple[int, str]] = []
        for ent in self.doc.ents:
            if ent.label_ == "ORG" and words <= {t.lower_ for t in ent} and not (ent.start <= head.i < ent.end):
                distance = head.i - ent.start if ent.start < head.i else 10_000 + ent.start - head.i
                found.append((distance, self._as_written(list(ent))))
        return min(found)[1] if found else None

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

    def _antecedent(self, head: Token, role: str, qualifiers: _Words) -> tuple[str, bool] | None:
        """The last speaker or named person introduced with ``role``, else the last person quoted.

        A qualified role ("the Austrian leader", "the DoD spokesperson") only continues someone introduced
        with a qualifier of its own, and never falls back on whoever was quoted last.
        """
        best: tuple[int, str, bool] | None = None
        sentence = self.sentence_of(head)
        if role in self.words["bodies"]:
            for ent in reversed([e for e in self.doc.ents if e.label_ == "ORG" and e.end <= head.i]):
                return self._as_written(list(ent)), False
            return None
        for said in reversed(self.history):
            written = _Words.of(said.tokens) | self._words_for(said.speaker)
            if role in written.words and qualifiers.fit(written):
                best = (said.sentence, said.speaker, said.is_person)
                break
        for i, name in reversed(self.persons):
            if i >= head.i:
                continue
            if (role in self._title_words(i) or role in self._apposed_words(i)) and qualifiers.fit(self._descriptions(i)):
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
                    if role in self._title_words(i) and qualifiers.fit(self._descriptions(i)):
                        return self.canonical(name), True
        if best:
            return best[1], best[2]
        for said in reversed(self.history):
            if said.is_person and sentence - said.sentence <= 8:
                # "the Russian diplomat" continues Lavrov, unless he was introduced as someone else's
                return (said.speaker, True) if qualifiers.fit(self._words_for(said.speaker)) else None
        return None

    def _words_for(self, name: str) -> _Words:
        """Every word the article describes a person by, over all the mentions of their surname."""
        key = name.split()[-1].lower() if name.split() else ""
        words = _Words()
        for i, other in self.persons:
            if other.split() and other.split()[-1].lower() == key:
                words |= self._descriptions(i)
        return words

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
        return {t.lower_.strip(".") for t in self._title_tokens(i)}

    def _name_start(self, i: int) -> int:
        """Where the run of proper nouns ending in the name at ``i`` starts ("Foreign Minister Sergei Lavrov")."""
        j = i
        while j > 0 and self.doc[j - 1].pos_ == "PROPN" and self.doc[j - 1].dep_ in ("compound", "flat"):
            j -= 1
        return j

    def _title_tokens(self, i: int) -> list[Token]:
        """The words before the run of proper nouns of the name at ``i`` ("the mayor", "the country's")."""
        j = self._name_start(i)
        tokens: list[Token] = []
        k = j - 1
        while k >= 0 and j - k <= 5 and self.doc[k].pos_ in ("PROPN", "NOUN", "ADJ") and self.doc[k].text != ",":
            tokens.append(self.doc[k])
            k -= 1
        return tokens

    def _pronoun(self, head: Token) -> tuple[str | None, bool]:
        kind = self.words["pronouns"].get(head.lower_, "any")
        sentence = self.sentence_of(head)
        # a person named inside a quotation or a reported clause is talked about, not talking:
        # '"Putin lied," she said', 'She said Putin is testing the West. She said ...'
        outside = [(i, n) for i, n in self.persons
                   if i < head.i and not self.in_quote(self.doc[i]) and self._agrees(self.canonical(n), head)]
        mentioned = [(i, n) for i, n in outside if self.doc[i].dep_ in ("nsubj", "nsubjpass", "dobj", "appos", "ROOT")]
        history = [said for said in self.history if not said.is_person or self._agrees(said.speaker, head)]
        if history:
            last = history[-1]
            newer = [(i, n) for i, n in mentioned if self.sentence_of(self.doc[i]) > last.sentence]
            if kind == "person" and newer:
                return self.canonical(newer[-1][1]), True  # a person introduced after the last speaker
            singular = head.lower_ in ("he", "she", "him", "her")
            if sentence - last.sentence <= _SENTENCE_WINDOW and (kind != "person" or last.is_person) \
                    and not (singular and last.plural):
                return last.speaker, last.is_person
        if kind in ("person", "any") and outside:
            return self.canonical(outside[-1][1]), True
        for said in reversed(history):
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
