"""The SPEC section 7 scorer, on small hand-made gold and hand-made predictions."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from newsledger.errors import GoldError
from newsledger.evaluation import evaluate, format_table, load_gold, names_match, parse_gold_article, score, values_agree
from newsledger.evaluation.__main__ import main
from newsledger.models import Event, Extraction, Figure, PublishedInference, Quote, Timex

GOLD_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev.jsonl"
FIXTURES = Path(__file__).parent / "fixtures" / "evaluation"
MINI = FIXTURES / "mini.jsonl"

REPORT_KEYS = {
    "articles": None,
    "figures": {"precision", "recall", "f1", "gold", "predicted", "matched", "metric", "qualifier", "as_of", "side", "claimant"},
    "quotes": {"precision", "recall", "f1", "direct", "indirect", "speaker"},
    "timexes": {"precision", "recall", "f1", "value"},
    "events": {"precision", "recall", "f1", "date"},
    "published": {"articles", "accuracy"},
}


# --- building predictions ------------------------------------------------------


def perfect(gold) -> Extraction:
    """What a flawless pipeline would predict for a gold article."""
    from newsledger.evaluation import gold_to_article

    figures = tuple(
        Figure(
            start=f.spans[0][0], end=f.spans[0][1], quote=f.quote,
            number_start=f.spans[0][0], number_end=f.spans[0][1],
            value=f.value, qualifier=f.qualifier, metric=f.metric, side=f.side,
            as_of=f.as_of, claimant=f.claimant,
        )
        for f in gold.figures
    )
    quotes = tuple(
        Quote(start=0, end=0, kind=q.kind, content=q.content, speaker=q.speaker, cue=q.cue) for q in gold.quotes
    )
    timexes = tuple(Timex(start=t.spans[0][0], end=t.spans[0][1], text=t.text, value=t.value) for t in gold.timexes)
    events = tuple(
        Event(start=e.spans[0][0], end=e.spans[0][1], type=e.type, evidence=e.evidence, date=e.date) for e in gold.events
    )
    inferred = None
    if gold.dateless:
        first, last = gold.published_window
        inferred = PublishedInference(date=first, first=first, last=last, confidence=0.9, evidence="test")
    return Extraction(
        article=gold_to_article(gold), figures=figures, quotes=quotes, timexes=timexes, events=events,
        published_inferred=inferred,
    )


def figure(text: str, quote: str, number: str, value: int, at: int = 0, **attrs) -> Figure:
    """A predicted figure whose number is the first `number` inside the `at`-th occurrence of `quote`."""
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    start = starts[at]
    number_start = text.index(number, start)
    fields = {"qualifier": "exact", "metric": "killed", **attrs}
    return Figure(
        start=start, end=start + len(quote), quote=quote, number_start=number_start,
        number_end=number_start + len(number), value=value, **fields,
    )


def timex(text: str, needle: str, value: str | None, at: int = 0) -> Timex:
    start = [m.start() for m in re.finditer(re.escape(needle), text)][at]
    return Timex(start=start, end=start + len(needle), text=needle, value=value)


def quote(kind: str, content: str, speaker: str | None = None) -> Quote:
    return Quote(start=0, end=len(content), kind=kind, content=content, speaker=speaker, cue="said")


def article(text: str, published: str | None = "2022-03-03", window=None, **layers) -> object:
    obj = {"id": "t:1", "text": text, "published": published, "published_window": window}
    obj.update(layers)
    return parse_gold_article(obj)


def gold_figure(quote_text: str, value: int, **attrs) -> dict:
    base = {"quote": quote_text, "value": value, "qualifier": "exact", "metric": "killed", "side": None,
            "as_of": None, "claimant": None}
    return {**base, **attrs}


def run(gold, **predicted) -> dict:
    return score([gold], {gold.id: predicted})


# --- perfect predictions ---------------------------------------------------------


def test_perfect_predictions_score_one_everywhere():
    gold = load_gold(MINI)
    report = score(gold, {g.id: perfect(g) for g in gold})
    assert report["articles"] == 3
    for layer in ("figures", "quotes", "timexes", "events"):
        assert report[layer]["precision"] == report[layer]["recall"] == report[layer]["f1"] == 1.0
    assert {report["figures"][a] for a in ("metric", "qualifier", "as_of", "side", "claimant")} == {1.0}
    assert report["quotes"]["direct"]["f1"] == report["quotes"]["indirect"]["f1"] == report["quotes"]["speaker"] == 1.0
    assert report["timexes"]["value"] == report["events"]["date"] == 1.0
    assert report["published"] == {"articles": 1, "accuracy": 1.0}
    assert report["figures"]["gold"] == report["figures"]["predicted"] == report["figures"]["matched"] == 3


def test_perfect_predictions_score_one_on_the_dev_gold():
    gold = load_gold(GOLD_DEV)
    report = score(gold, {g.id: perfect(g) for g in gold})
    assert report["figures"]["f1"] == report["quotes"]["f1"] == report["timexes"]["f1"] == report["events"]["f1"] == 1.0
    assert report["quotes"]["speaker"] == report["figures"]["claimant"] == 1.0


def test_report_has_exactly_the_spec_keys_even_when_nothing_is_predicted():
    report = score(load_gold(MINI), {})
    assert set(report) == set(REPORT_KEYS)
    for key, subkeys in REPORT_KEYS.items():
        if subkeys:
            assert set(report[key]) == subkeys
    assert report["figures"]["precision"] == 0.0 and report["figures"]["recall"] == 0.0
    assert report["published"] == {"articles": 1, "accuracy": 0.0}


def test_empty_gold_and_no_predictions_do_not_divide_by_zero():
    report = score([], {})
    assert report["articles"] == 0
    assert report["quotes"]["direct"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert report["published"] == {"articles": 0, "accuracy": 0.0}


# --- figures -------------------------------------------------------------------

TEXT_TWICE = "Officials said 40 people were killed in Kharkiv. Later, 40 people were killed in Sumy, and 40 soldiers died."


def test_figure_matches_when_its_number_lies_inside_the_gold_quote():
    gold = article(TEXT_TWICE, figures=[gold_figure("40 people were killed in Kharkiv", 40)])
    inside = figure(TEXT_TWICE, "40 people were killed in Kharkiv", "40", 40)
    assert run(gold, figures=[inside])["figures"]["matched"] == 1


def test_figure_with_its_number_outside_the_gold_quote_does_not_match():
    gold = article(TEXT_TWICE, figures=[gold_figure("40 people were killed in Kharkiv", 40)])
    elsewhere = figure(TEXT_TWICE, "40 soldiers died", "40", 40)
    report = run(gold, figures=[elsewhere])
    assert report["figures"]["matched"] == 0
    assert report["figures"]["precision"] == 0.0 and report["figures"]["predicted"] == 1


def test_figure_with_another_value_does_not_match():
    gold = article(TEXT_TWICE, figures=[gold_figure("40 people were killed in Kharkiv", 40)])
    wrong_value = figure(TEXT_TWICE, "40 people were killed in Kharkiv", "40", 400)
    assert run(gold, figures=[wrong_value])["figures"]["matched"] == 0


def test_gold_start_restricts_the_figure_to_that_occurrence():
    second = TEXT_TWICE.index("40 people were killed", 20)
    gold = article(TEXT_TWICE, figures=[gold_figure("40 people were killed", 40, start=second)])
    at_first = figure(TEXT_TWICE, "40 people were killed", "40", 40, at=0)
    at_second = figure(TEXT_TWICE, "40 people were killed", "40", 40, at=1)
    assert run(gold, figures=[at_first])["figures"]["matched"] == 0
    assert run(gold, figures=[at_second])["figures"]["matched"] == 1


def test_gold_without_start_matches_any_occurrence():
    gold = article(TEXT_TWICE, figures=[gold_figure("40 people were killed", 40)])
    at_second = figure(TEXT_TWICE, "40 people were killed", "40", 40, at=1)
    assert run(gold, figures=[at_second])["figures"]["matched"] == 1


def test_figure_matching_is_one_to_one():
    gold = article(TEXT_TWICE, figures=[gold_figure("40 people were killed", 40)])
    twice = [figure(TEXT_TWICE, "40 people were killed", "40", 40, at=i) for i in (0, 1)]
    report = run(gold, figures=twice)["figures"]
    assert (report["matched"], report["precision"], report["recall"]) == (1, 0.5, 1.0)


def test_one_to_one_matching_pairs_as_many_items_as_possible():
    # Both gold quotes occur twice; prediction A could match either gold item, B only the second.
    text = "Reports say 5 tanks were destroyed near Kyiv; 5 tanks were destroyed."
    gold = article(text, figures=[gold_figure("5 tanks were destroyed", 5), gold_figure("5 tanks were destroyed near Kyiv", 5)])
    a = figure(text, "5 tanks were destroyed", "5", 5, at=0)
    b = figure(text, "5 tanks were destroyed", "5", 5, at=1)
    assert run(gold, figures=[a, b])["figures"]["matched"] == 2


def test_figure_attributes_are_scored_on_matches():
    gold = article(
        TEXT_TWICE,
        figures=[gold_figure("40 people were killed in Kharkiv", 40, qualifier="exact", metric="killed",
                             side="ukrainian", as_of="2022-03-03", claimant="Officials")],
    )
    predicted = figure(TEXT_TWICE, "40 people were killed in Kharkiv", "40", 40, qualifier="about",
                       metric="killed", side=None, as_of="2022-03-03", claimant="officials")
    report = run(gold, figures=[predicted])["figures"]
    assert (report["metric"], report["qualifier"], report["side"], report["as_of"], report["claimant"]) == (
        1.0, 0.0, 0.0, 1.0, 1.0,
    )


def test_null_claimant_matches_only_null():
    gold = article(TEXT_TWICE, figures=[gold_figure("40 people were killed in Kharkiv", 40, claimant=None)])
    named = figure(TEXT_TWICE, "40 people were killed in Kharkiv", "40", 40, claimant="Officials")
    unnamed = figure(TEXT_TWICE, "40 people were killed in Kharkiv", "40", 40, claimant=None)
    assert run(gold, figures=[named])["figures"]["claimant"] == 0.0
    assert run(gold, figures=[unnamed])["figures"]["claimant"] == 1.0


# --- names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicted", "gold", "aliases", "expected"),
    [
        ("Sergei Lavrov", "Sergei Lavrov", (), True),
        ("Lavrov", "Sergei Lavrov", (), True),
        ("Mr. Lavrov", "Sergei Lavrov", (), True),
        ("Dr Craig Katz", "Craig Katz", (), True),
        ("the Kremlin", "Kremlin", (), True),
        ("The UN Refugee Agency", "UN Refugee Agency", (), True),
        ("Ukraine's Emergency Services", "Ukraine\u2019s Emergency Services", (), True),
        ("Ukraine\u2019s emergency services", "Ukraine's Emergency Services", (), True),
        ("Emergency Services", "Ukraine\u2019s Emergency Services", (), True),
        ("U.N.", "UN", (), True),
        ("UNHCR", "UN Refugee Agency", ("UNHCR",), True),
        ("Zelenskyy", "Volodymyr Zelensky", ("Zelenskyy", "Zelenskiy"), True),
        ("Sergey Lavrov", "Sergei Lavrov", (), False),  # a spelling variant counts only as a listed alias
        ("Sergey Lavrov", "Sergei Lavrov", ("Sergey Lavrov", "Lavrov"), True),
        ("Sergey Shoigu", "Sergei Lavrov", (), False),
        ("he", "Sergei Lavrov", ("Lavrov",), False),
        ("the Russian diplomat", "Sergei Lavrov", ("Lavrov",), False),
        ("Moscow", "Kremlin", (), False),
        ("Mr.", "Sergei Lavrov", (), False),
        (None, None, (), True),
        (None, "Kremlin", (), False),
        ("Kremlin", None, (), False),
    ],
)
def test_name_rule(predicted, gold, aliases, expected):
    assert names_match(predicted, gold, aliases) is expected


def test_name_containment_is_word_wise_not_within_words():
    assert not names_match("Ukraine", "Ukrainian officials")
    assert not names_match("an", "Ukraine")


# --- quotes --------------------------------------------------------------------

QUOTE_TEXT = 'Lavrov said talks would continue. "We will not give up our land to anyone," Zelensky said.'


def quote_gold(**extra) -> object:
    return article(
        QUOTE_TEXT,
        quotes=[
            {"kind": "indirect", "content": "talks would continue", "speaker": "Sergei Lavrov", "cue": "said",
             "speaker_aliases": ["Lavrov"]},
            {"kind": "direct", "content": "We will not give up our land to anyone,", "speaker": "Volodymyr Zelensky",
             "cue": "said", "speaker_aliases": ["Zelenskyy"]},
        ],
        **extra,
    )


def test_quote_matches_at_token_overlap_half_and_not_below():
    gold = article("x", quotes=[{"kind": "direct", "content": "one two three four", "speaker": None}])
    # 2 shared tokens of 4 + 4: F1 0.5
    assert run(gold, quotes=[quote("direct", "one two five six")])["quotes"]["recall"] == 1.0
    # 2 shared tokens of 4 + 5: F1 0.44
    assert run(gold, quotes=[quote("direct", "one two five six seven")])["quotes"]["recall"] == 0.0


def test_quote_overlap_ignores_case_and_punctuation():
    gold = article("x", quotes=[{"kind": "direct", "content": "We will not give up our land,", "speaker": None}])
    assert run(gold, quotes=[quote("direct", "we will not give up our land.")])["quotes"]["f1"] == 1.0


def test_quote_of_the_other_kind_does_not_match():
    report = run(quote_gold(), quotes=[quote("direct", "talks would continue", "Lavrov")])["quotes"]
    assert report["recall"] == 0.0
    assert report["direct"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_quotes_are_scored_per_kind():
    report = run(
        quote_gold(),
        quotes=[quote("indirect", "talks would continue", "Lavrov"), quote("indirect", "an invented clause here", None)],
    )["quotes"]
    assert report["indirect"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert report["direct"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert (report["precision"], report["recall"]) == (0.5, 0.5)


def test_quote_matching_prefers_the_best_overlap():
    gold = article(
        "x",
        quotes=[{"kind": "direct", "content": "alpha beta gamma delta", "speaker": "A"},
                {"kind": "direct", "content": "alpha beta gamma epsilon", "speaker": "B"}],
    )
    report = run(gold, quotes=[quote("direct", "alpha beta gamma epsilon", "B")])
    assert report["quotes"]["speaker"] == 1.0


def test_speaker_accuracy_uses_the_name_rule_and_aliases_but_not_pronouns():
    report = run(quote_gold(), quotes=[quote("indirect", "talks would continue", "Mr Lavrov"),
                                       quote("direct", "We will not give up our land to anyone", "he")])
    assert report["quotes"]["f1"] == 1.0
    assert report["quotes"]["speaker"] == 0.5


# --- timexes and events -----------------------------------------------------------

TIME_TEXT = "On Monday the talks began; by next week, on Monday again, they may end."


def test_timex_matches_when_spans_overlap_and_value_is_scored():
    gold = article(TIME_TEXT, timexes=[{"text": "next week", "value": "2022-W10"}])
    partial = timex(TIME_TEXT, "week", "2022-W11")
    report = run(gold, timexes=[partial])["timexes"]
    assert (report["f1"], report["value"]) == (1.0, 0.0)


def test_timex_without_overlap_does_not_match():
    gold = article(TIME_TEXT, timexes=[{"text": "next week", "value": "2022-W10"}])
    assert run(gold, timexes=[timex(TIME_TEXT, "talks", None)])["timexes"]["f1"] == 0.0


def test_timex_start_restricts_the_occurrence():
    second = TIME_TEXT.index("Monday", 10)
    gold = article(TIME_TEXT, timexes=[{"text": "Monday", "value": "2022-02-28", "start": second}])
    assert run(gold, timexes=[timex(TIME_TEXT, "Monday", "2022-02-28", at=0)])["timexes"]["f1"] == 0.0
    assert run(gold, timexes=[timex(TIME_TEXT, "Monday", "2022-02-28", at=1)])["timexes"]["f1"] == 1.0


def test_event_needs_the_same_type_and_overlapping_evidence():
    text = "Russian forces shelled Kharkiv on Tuesday. Talks were held in Belarus."
    gold = article(text, events=[{"type": "attack", "evidence": "Russian forces shelled Kharkiv", "date": "2022-03-01"}])
    start = text.index("shelled")
    same = Event(start=start, end=start + 7, type="attack", evidence="shelled", date="2022-03-02")
    other_type = Event(start=start, end=start + 7, type="statement", evidence="shelled")
    far = text.index("Talks")
    elsewhere = Event(start=far, end=far + 5, type="attack", evidence="Talks")
    assert run(gold, events=[same])["events"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "date": 0.0}
    assert run(gold, events=[other_type])["events"]["f1"] == 0.0
    assert run(gold, events=[elsewhere])["events"]["f1"] == 0.0


# --- articles given no date -----------------------------------------------------------

UNDATED = "More than 500,000 refugees have fled Ukraine, officials said on Monday. Today the crossings are crowded."
WINDOW = ["2022-02-28", "2022-03-01"]


def undated_gold() -> object:
    return article(
        UNDATED, published=None, window=WINDOW,
        figures=[gold_figure("More than 500,000 refugees have fled Ukraine", 500000, as_of="2022-03-01")],
        timexes=[{"text": "Monday", "value": "2022-02-28"}, {"text": "Today", "value": "2022-03-01"}],
    )


@pytest.mark.parametrize(("as_of", "right"), [("2022-02-28", True), ("2022-03-01", True), ("2022-03-02", False), (None, False)])
def test_undated_article_as_of_counts_when_both_fall_in_the_window(as_of, right):
    predicted = figure(UNDATED, "More than 500,000 refugees have fled Ukraine", "500,000", 500000, as_of=as_of)
    assert run(undated_gold(), figures=[predicted])["figures"]["as_of"] == (1.0 if right else 0.0)


def test_undated_article_timex_values_in_the_window_count_and_explicit_dates_must_be_equal():
    predicted = [timex(UNDATED, "Monday", "2022-02-28"), timex(UNDATED, "Today", "2022-02-28")]
    assert run(undated_gold(), timexes=predicted)["timexes"]["value"] == 1.0
    explicit = article(UNDATED, published=None, window=WINDOW, timexes=[{"text": "Monday", "value": "2022-02-21"}])
    assert run(explicit, timexes=[timex(UNDATED, "Monday", "2022-02-28")])["timexes"]["value"] == 0.0
    assert run(explicit, timexes=[timex(UNDATED, "Monday", "2022-02-21")])["timexes"]["value"] == 1.0


def test_window_rule_does_not_apply_to_dated_articles():
    dated = article(UNDATED, published="2022-03-01", timexes=[{"text": "Today", "value": "2022-03-01"}])
    assert run(dated, timexes=[timex(UNDATED, "Today", "2022-02-28")])["timexes"]["value"] == 0.0


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        ("2022-02-28", "2022-03-01", True),
        ("2022-02-27", "2022-03-01", False),
        ("2022-W09", "2022-W09", True),
        ("2022-W09", "2022-03-01", False),  # a week is not a day
        ("2022-03", "2022-02", True),  # both months overlap the window
        ("2022-04", "2022-03", False),
        ("not a date", "2022-03-01", False),
    ],
)
def test_values_agree_within_a_window(predicted, gold, expected):
    assert values_agree(predicted, gold, (date(2022, 2, 28), date(2022, 3, 1))) is expected


def test_published_block_is_inferred_date_accuracy_over_undated_articles_only():
    gold = [undated_gold(), parse_gold_article({"id": "t:2", "text": "A dated article.", "published": "2022-03-03"})]

    def inferred(day: date) -> dict:
        return {"published_inferred": PublishedInference(date=day, first=day, last=day, confidence=0.5, evidence="")}

    assert score(gold, {"t:1": inferred(date(2022, 3, 1))})["published"] == {"articles": 1, "accuracy": 1.0}
    assert score(gold, {"t:1": inferred(date(2022, 3, 2))})["published"] == {"articles": 1, "accuracy": 0.0}
    assert score(gold, {})["published"] == {"articles": 1, "accuracy": 0.0}


# --- layers ------------------------------------------------------------------------


def test_only_the_layers_an_article_annotates_are_scored():
    gold = load_gold(MINI)
    figures_only = next(g for g in gold if g.id == "mini:figures-only")
    stray = [quote("direct", "We will never surrender to anyone at all", "Zelensky")]
    report = score([figures_only], {figures_only.id: {"quotes": stray, "timexes": [timex(figures_only.text, "Tuesday", "2022-03-08")]}})
    assert report["quotes"]["precision"] == 0.0 and report["timexes"]["precision"] == 0.0
    with_dated = score(gold, {g.id: perfect(g) for g in gold} | {figures_only.id: {"quotes": stray}})
    assert with_dated["quotes"]["precision"] == 1.0  # the stray quote was ignored, not a false alarm


# --- gold file ----------------------------------------------------------------------


def test_gold_loader_reads_layers_spans_and_window():
    gold = {g.id: g for g in load_gold(MINI)}
    assert gold["mini:figures-only"].layers == frozenset({"figures"})
    assert gold["mini:dated"].annotates("events")
    assert gold["mini:undated"].dateless and gold["mini:undated"].published_window == (date(2022, 2, 28), date(2022, 3, 1))
    thursday = gold["mini:dated"].timexes[0]
    assert thursday.spans == ((3, 11),)


def test_malformed_gold_line_raises_gold_error_naming_the_line():
    with pytest.raises(GoldError, match=r"malformed\.jsonl:2: not valid JSON"):
        load_gold(FIXTURES / "malformed.jsonl")


@pytest.mark.parametrize(
    ("obj", "reason"),
    [
        ({"text": "x"}, "missing required field 'id'"),
        ({"id": "a", "text": "x", "layers": ["figures", "opinions"]}, "unknown layer"),
        ({"id": "a", "text": "x", "published": "3 March"}, "ISO date"),
        ({"id": "a", "text": "x", "published_window": ["2022-03-02", "2022-03-01"]}, "first <= last"),
        ({"id": "a", "text": "ab", "figures": [{"quote": "a", "value": "one"}]}, "'value' must be int"),
        ({"id": "a", "text": "ab", "quotes": [{"kind": "mixed", "content": "ab"}]}, "'kind' must be one of"),
        (["not", "an", "object"], "expected a JSON object"),
    ],
)
def test_gold_checks_name_the_reason(obj, reason, tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": "fine"}) + "\n\n" + json.dumps(obj) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"gold\.jsonl:3") as caught:
        load_gold(path)
    assert reason in str(caught.value)


def test_duplicate_article_ids_are_rejected(tmp_path):
    path = tmp_path / "gold.jsonl"
    line = json.dumps({"id": "same", "text": "x"})
    path.write_text(line + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="duplicate article id"):
        load_gold(path)


# --- details, table, command line -------------------------------------------------------


def test_details_list_misses_false_alarms_and_wrong_attributes():
    gold = load_gold(MINI)
    dated = next(g for g in gold if g.id == "mini:dated")
    good = perfect(dated)
    wrong_value = Timex(start=good.timexes[1].start, end=good.timexes[1].end, text="next week", value="2022-W11")
    invented = Timex(start=0, end=2, text="On", value="2022-01-01")
    predictions = {dated.id: {"figures": [], "timexes": [good.timexes[0], wrong_value, invented]}}
    report = score([dated], predictions, details=True)
    entry = report["details"][0]
    assert entry["id"] == "mini:dated"
    assert [m["quote"] for m in entry["figures"]["misses"]] == ["more than 2,000 civilians have been killed"]
    assert [m["text"] for m in entry["timexes"]["misses"]] == ["Wednesday"]
    assert [f["text"] for f in entry["timexes"]["false_alarms"]] == ["On"]
    assert entry["timexes"]["wrong"][0]["fields"] == ["value"]
    assert entry["timexes"]["wrong"][0]["gold"]["value"] == "2022-W10"
    json.dumps(report)  # the details are JSON-able
    table = format_table(report)
    assert "timexes miss" in table and "'Wednesday'" in table and "wrong value" in table


def test_details_are_only_given_for_annotated_layers():
    gold = [g for g in load_gold(MINI) if g.id == "mini:figures-only"]
    entry = score(gold, {}, details=True)["details"][0]
    assert set(entry) == {"id", "figures"}


def test_table_shows_every_layer():
    table = format_table(score(load_gold(MINI), {}))
    for word in ("figures", "quotes", "direct", "indirect", "timexes", "events", "published"):
        assert word in table


def test_command_line_reports_a_malformed_gold_file(capsys):
    assert main([str(FIXTURES / "malformed.jsonl")]) == 2
    assert "malformed.jsonl:2" in capsys.readouterr().err


# --- the real pipeline ---------------------------------------------------------------


@pytest.mark.model
def test_evaluate_on_dev_gold_gives_the_spec_report(nlp, gold_dev):
    report = evaluate(GOLD_DEV, nlp=nlp)
    assert set(report) == set(REPORT_KEYS)
    for key, subkeys in REPORT_KEYS.items():
        if subkeys:
            assert set(report[key]) == subkeys
    assert report["articles"] == len(gold_dev)
    assert report["figures"]["gold"] == sum(len(a["figures"]) for a in gold_dev)
    assert report["published"]["articles"] == sum(1 for a in gold_dev if a["published"] is None and a["published_window"])


def test_gold_text_missing_from_the_article_is_a_warned_miss_not_a_crash(tmp_path):
    path = tmp_path / "gold.jsonl"
    article = {"id": "a", "text": "ab  cd ab", "figures": [{"quote": "zz", "value": 1}],
               "timexes": [{"text": "ab", "value": None, "start": 1}, {"text": "ab cd", "value": None}]}
    path.write_text(json.dumps(article) + "\n", encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        [gold] = load_gold(path)
    assert any("does not occur" in str(w.message) for w in caught)
    assert any("start=1" in str(w.message) for w in caught)
    assert gold.figures[0].spans == ()
    assert gold.timexes[0].spans == ((0, 2), (7, 9))  # a wrong start falls back to every occurrence
    assert gold.timexes[1].spans == ((0, 6),)  # whitespace differences still match
