"""The figure reader's strategies one by one, on hand-built docs (no trained pipeline needed).

Each strategy reads a count's metric one way; ``figures._STRATEGIES`` tries them in order. A doc here
carries exactly the words, heads, dependencies, parts of speech and lemmas a strategy reads, as spaCy's
own tests build theirs, so each case pins one rule whatever a model would parse.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from newsledger.nlp import figures
from newsledger.nlp.numbers import find_numbers

VOCAB = spacy.blank("en").vocab


def make_doc(rows: str) -> Doc:
    """One token a line: ``word head dep pos tag lemma`` (head as a token index)."""
    cells = [line.split() for line in rows.strip().splitlines()]
    words = [c[0] for c in cells]
    return Doc(
        VOCAB,
        words=words,
        heads=[int(c[1]) for c in cells],
        deps=[c[2] for c in cells],
        pos=[c[3] for c in cells],
        tags=[c[4] for c in cells],
        lemmas=[c[5] for c in cells],
        sent_starts=[True] + [False] * (len(words) - 1),
    )


def count_of(doc: Doc, value: int) -> figures._Count:
    mention = next(m for m in find_numbers(doc) if m.value == value)
    count = figures._count(doc, mention, None)
    assert count is not None
    return count


TOLL_NOUN = """
406 2 nummod NUM CD 406
civilian 2 amod ADJ JJ civilian
deaths 2 ROOT NOUN NNS death
"""

MODIFIER = """
500 1 nummod NUM CD 500
children 1 ROOT NOUN NNS child
displaced 1 acl VERB VBN displace
"""

OWN_CLAUSE = """
9,000 0 ROOT NUM CD 9,000
who 3 nsubj PRON WP who
have 3 aux AUX VBP have
entered 0 relcl VERB VBN enter
"""

AID_MONEY = """
$ 2 quantmod SYM $ $
800 2 compound NUM CD 800
million 2 ROOT NUM CD million
in 2 prep ADP IN in
military 5 amod ADJ JJ military
aid 3 pobj NOUN NN aid
"""

BARE_PARTICIPLE = """
25 0 ROOT NUM CD 25
killed 0 dep VERB VBN kill
"""

GOVERNING_VERB = """
12 1 nummod NUM CD 12
soldiers 4 nsubjpass NOUN NNS soldier
have 4 aux AUX VBP have
been 4 auxpass AUX VBN be
killed 4 ROOT VERB VBN kill
"""

QUANTITY_SETTER = """
the 2 det DET DT the
death 2 compound NOUN NN death
toll 3 nsubj NOUN NN toll
rose 3 ROOT VERB VBD rise
to 3 prep ADP IN to
352 4 pobj NUM CD 352
"""

PREDICATE_AFTER = """
227 2 nummod NUM CD 227
Ukrainian 2 amod ADJ JJ ukrainian
civilians 2 ROOT NOUN NNS civilian
were 2 dep AUX VBD be
killed 2 dep VERB VBN kill
"""

NOUN_ALONE = """
some 1 advmod DET DT some
2,000 3 nummod NUM CD 2,000
Ukrainian 3 amod ADJ JJ ukrainian
fighters 3 ROOT NOUN NNS fighter
"""


@pytest.mark.parametrize(
    "strategy, rows, value, metric",
    [
        (figures._toll_noun, TOLL_NOUN, 406, "killed"),
        (figures._modifier, MODIFIER, 500, "displaced"),
        (figures._own_clause, OWN_CLAUSE, 9000, "fled"),
        (figures._aid_money, AID_MONEY, 800000000, "aid"),
        (figures._bare_participle, BARE_PARTICIPLE, 25, "killed"),
        (figures._governing_verb, GOVERNING_VERB, 12, "killed"),
        (figures._quantity_setter, QUANTITY_SETTER, 352, "killed"),
        (figures._predicate_after, PREDICATE_AFTER, 227, "killed"),
        (figures._noun_alone, NOUN_ALONE, 2000, "deployed"),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_each_strategy_reads_its_form(strategy, rows, value, metric):
    reading = strategy(count_of(make_doc(rows), value))
    assert reading is not None and reading.metric == metric


@pytest.mark.parametrize(
    "strategy, rows, value",
    [
        (figures._toll_noun, GOVERNING_VERB, 12),  # soldiers name no toll
        (figures._own_clause, TOLL_NOUN, 406),  # a count with a noun has no clause of its own here
        (figures._aid_money, TOLL_NOUN, 406),  # no money
        (figures._bare_participle, GOVERNING_VERB, 12),  # a count with its noun
        (figures._governing_verb, TOLL_NOUN, 406),  # no verb governs it
        (figures._noun_alone, NOUN_ALONE.replace("2,000", "two"), 2),  # two fighters are no force in place
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_each_strategy_leaves_other_forms_alone(strategy, rows, value):
    assert strategy(count_of(make_doc(rows), value)) is None


def test_the_strategies_run_in_order_and_the_first_reading_wins():
    # "500 children displaced" is read by the modifier before the noun alone could say anything
    doc = make_doc(MODIFIER)
    mention = next(m for m in find_numbers(doc) if m.value == 500)
    assert figures._read(doc, mention).evidence.lemma_ == "displace"
    assert figures._STRATEGIES.index(figures._modifier) < figures._STRATEGIES.index(figures._noun_alone)
