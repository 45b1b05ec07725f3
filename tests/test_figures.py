"""Figures (SPEC section 2): the claims ledger of tolls, movements of people, forces, materiel and aid."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from newsledger.models import Timex
from newsledger.nlp.figures import find_figures
from newsledger.nlp.numbers import find_numbers, parse_number_text, reason_not_count

PUBLISHED = date(2022, 3, 3)  # a Thursday
GOLD_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev.jsonl"


def figures_of(nlp, text: str, published: date | None = PUBLISHED):
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)._.figures


def only(figures, value: int):
    found = [f for f in figures if f.value == value]
    assert len(found) == 1, figures
    return found[0]


# number forms (no model needed) -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("2,000", 2000),
        ("5,20,000", 520000),  # Indian digit grouping
        ("1.5 million", 1500000),
        ("4.1 million", 4100000),  # 4.1 * 10**6 is 4099999.999... in floating point
        ("8.2 billion", 8200000000),
        ("4.1-8.2 million", 4100000),
        ("a million", 1000000),
        ("half a million", 500000),
        ("two", 2),
        ("twenty-five", 25),
        ("Four thousand", 4000),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("a thousand", 1000),
    ],
)
def test_number_forms_read_as_integers(text, value):
    assert parse_number_text(text) == value


@pytest.mark.parametrize(
    "text, value",
    [("dozens", 12), ("hundreds", 100), ("thousands", 1000), ("tens of thousands", 10000), ("hundreds of thousands", 100000), ("millions", 1000000)],
)
def test_vague_counts_read_as_their_floor_and_are_marked_vague(text, value):
    mention = find_numbers(spacy.blank("en")(text))[0]
    assert (mention.value, mention.vague) == (value, True)


@pytest.mark.parametrize("text", ["between 2,000 and 4,000 people", "2,000-4,000 people", "2,000 to 4,000 people"])
def test_ranges_keep_low_and_high_with_the_low_bound_as_value(text):
    mention = find_numbers(spacy.blank("en")(text))[0]
    assert (mention.value, mention.low, mention.high) == (2000, 2000, 4000)


def test_a_scale_on_the_high_bound_applies_to_the_low_one():
    mention = find_numbers(spacy.blank("en")("2 to 3 million refugees"))[0]
    assert (mention.low, mention.high) == (2000000, 3000000)
    mention = find_numbers(spacy.blank("en")("40-50,000 soldiers"))[0]
    assert (mention.value, mention.low, mention.high) == (40000, 40000, 50000)


@pytest.mark.parametrize(
    "text",
    ["on March 24 the", "in 2022 the", "25 March", "the 40-year-old man", "for five hours", "some 90 percent", "the AH-64 helicopter", "one of the soldiers"],
)
def test_dates_years_ages_durations_percentages_model_names_are_not_counts(text):
    doc = spacy.blank("en")(text)
    assert all(reason_not_count(doc, m) is not None for m in find_numbers(doc))


def test_huge_and_odd_numbers_do_not_crash():
    doc = spacy.blank("en")("99999999999999999999999 9.9.9 ,,, 1,2,3 - -- a an half a")
    find_numbers(doc)


def test_empty_and_unsentenced_docs_give_no_figures():
    assert find_figures(spacy.blank("en")("")) == []
    assert find_figures(spacy.blank("en")("more than 2,000 civilians have been killed in the war"), reference=PUBLISHED) == []


# metric from the clause -----------------------------------------------------------------------


@pytest.mark.model
def test_lost_their_lives_is_killed_with_soldiers_and_side(nlp):
    figure = only(figures_of(nlp, "A report says 7,000 Russian soldiers have lost their lives in the war."), 7000)
    assert (figure.metric, figure.population, figure.side) == ("killed", "soldiers", "russian")


@pytest.mark.model
def test_refugees_who_fled_are_fled_with_the_country_as_place(nlp):
    figure = only(figures_of(nlp, "More than 500,000 refugees have fled Ukraine since the invasion."), 500000)
    assert (figure.metric, figure.qualifier, figure.place) == ("fled", "more_than", "Ukraine")


@pytest.mark.model
def test_fleeing_home_with_no_border_named_is_displaced(nlp):
    figure = only(figures_of(nlp, "About 40,000 people fled their homes in Mariupol on Tuesday, officials said."), 40000)
    assert (figure.metric, figure.place) == ("displaced", "Mariupol")


@pytest.mark.model
def test_people_who_returned_are_not_a_toll_but_returning_soldiers_killed_are(nlp):
    assert figures_of(nlp, "Some 200,000 refugees have returned to Ukraine, the border guard said.") == []
    assert figures_of(nlp, "An estimated 870,000 people who fled the war had returned to Ukraine by mid-April.") == []
    figure = only(figures_of(nlp, "At least 1,000 soldiers who returned from the front were killed."), 1000)
    assert figure.metric == "killed"


@pytest.mark.model
def test_elided_noun_is_displaced_people(nlp):
    text = "The war goes on, and at least 160,000 have become internally displaced in Ukraine."
    figure = only(figures_of(nlp, text), 160000)
    assert (figure.metric, figure.population, figure.qualifier) == ("displaced", "people", "at_least")


@pytest.mark.model
def test_toll_noun_split_from_its_number(nlp):
    figure = only(figures_of(nlp, "After the Russian shelling of Kharkiv, the death toll rose to 352."), 352)
    assert figure.metric == "killed"


@pytest.mark.model
def test_killed_and_wounded_together_are_casualties(nlp):
    figure = only(figures_of(nlp, "Russian strikes that killed and wounded dozens in Kharkiv hit the city centre."), 12)
    assert (figure.metric, figure.qualifier) == ("casualties", "vague")


@pytest.mark.model
def test_materiel_destroyed_and_troops_sent(nlp):
    figures = figures_of(nlp, "Ukrainian forces downed dozens of aircraft. Russia sent tens of thousands of soldiers into Ukraine.")
    assert only(figures, 12).metric == "materiel"
    sent = only(figures, 10000)
    assert (sent.metric, sent.side, sent.place) == ("deployed", "russian", "Ukraine")


@pytest.mark.model
def test_people_trapped_without_water_are_affected(nlp):
    figures = figures_of(nlp, "In the besieged city of Mariupol, hundreds of thousands of people are trapped without water after Russian shelling.")
    assert only(figures, 100000).metric == "affected"


@pytest.mark.model
def test_numbers_with_no_conflict_meaning_are_not_figures(nlp):
    text = (
        "The war in Ukraine has reached its second week. The mother of two was arrested by Russian police. "
        "About 430,000 people lived in Mariupol before the war. Russian troops fired at the city for five hours. "
        "A 40-year-old soldier said 90% of the city was destroyed on 24 February 2022."
    )
    assert figures_of(nlp, text) == []


@pytest.mark.model
def test_a_number_in_a_quoted_question_is_not_a_figure(nlp):
    assert figures_of(nlp, 'The Russian general asked: "Were 300 soldiers killed in the war?"') == []


@pytest.mark.model
def test_a_repeated_statement_is_one_record_with_the_named_claimant(nlp):
    text = (
        "Rocket strikes on Kharkiv have killed at least 21 people. "
        "Elsewhere, rocket strikes on the centre of Kharkiv killed at least 21 people, regional governor Oleg Synegubov said."
    )
    figures = figures_of(nlp, text)
    assert len(figures) == 1
    assert figures[0].claimant == "regional governor Oleg Synegubov"


@pytest.mark.model
def test_article_about_something_else_gives_no_figures(nlp):
    text = (
        "A tourist bus collided with a truck in Egypt, killing at least 10 people. "
        "The crash happened south of Luxor. At least 14 others were injured. Tourism has fallen. "
        "Hotels are empty. The season was poor. Flights were cut."
    )
    assert figures_of(nlp, text) == []


@pytest.mark.model
def test_second_count_of_a_coordination_takes_its_own_participle(nlp):
    figures = figures_of(nlp, "The Russian strike on the market left 25 killed and 102 wounded, officials said.")
    assert (only(figures, 25).metric, only(figures, 102).metric) == ("killed", "injured")
    figures = figures_of(nlp, "At least 12 people were killed and 40 injured in Russian shelling of the town.")
    assert (only(figures, 12).metric, only(figures, 40).metric) == ("killed", "injured")


@pytest.mark.model
@pytest.mark.parametrize(
    "text, value",
    [
        ("Since the invasion, over 1.2 million Ukrainians have sought refuge in Hungary.", 1200000),
        ("Nearly 90,000 people have entered Slovakia since the Russian invasion began.", 90000),
        ("Some 40,000 people crossed into Romania after the Russian attack.", 40000),
    ],
)
def test_refugee_movements_beyond_fled(nlp, text, value):
    assert only(figures_of(nlp, text), value).metric == "fled"


@pytest.mark.model
def test_refuge_in_a_shelter_is_affected_not_fled(nlp):
    text = "Thousands of Ukrainians took refuge in basements as Russian shelling continued."
    assert only(figures_of(nlp, text), 1000).metric == "affected"


@pytest.mark.model
def test_a_verbs_plain_object_does_not_stop_the_search_for_a_source(nlp):
    text = "Images posted online show one soldier who was said to have been killed by Ukrainian forces near Kharkiv."
    assert only(figures_of(nlp, text), 1).claimant is None


@pytest.mark.model
def test_money_in_aid_is_aid_counted_in_its_currency(nlp):
    figures = figures_of(nlp, "Washington unveiled $350 million in military aid for Ukraine after the Russian invasion.")
    figure = only(figures, 350000000)
    assert (figure.metric, figure.population) == ("aid", "dollars")
    assert figure.quote.startswith("$350 million")


@pytest.mark.model
def test_people_at_risk_are_affected(nlp):
    text = "Three million people are at grave risk in Ukraine because of the Russian invasion, the agency said."
    figure = only(figures_of(nlp, text), 3000000)
    assert (figure.metric, figure.claimant) == ("affected", "the agency")


@pytest.mark.model
def test_left_without_power_is_affected_not_fled(nlp):
    text = "After the Russian shelling, thousands have been left without heating in Kharkiv."
    assert only(figures_of(nlp, text), 1000).metric == "affected"


@pytest.mark.model
def test_buses_in_an_evacuation_are_evacuated(nlp):
    figures = figures_of(nlp, "Officials said 60 buses were used to evacuate civilians from Sumy. A convoy of 15 buses left Mariupol after Russian shelling.")
    assert (only(figures, 60).metric, only(figures, 60).population) == ("evacuated", "buses")
    assert only(figures, 15).metric == "evacuated"


@pytest.mark.model
def test_model_names_with_numbers_are_not_counts(nlp):
    text = "The Russian army fielded T-80 tanks and Su-34 jets, while a Falcon 9 rocket lifted off. Ukraine says it downed 12 Su-34s in the war."
    figures = figures_of(nlp, text)
    assert [f.value for f in figures] == [12]
    assert figures[0].metric == "materiel"


def test_a_capitalised_name_before_a_small_number_is_a_model():
    words = ["The", "launch", "used", "a", "Falcon", "9", "rocket", "and", "Su", "-", "25", "jets", "."]
    spaces = [True, True, True, True, True, True, True, True, False, False, True, False, False]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces)
    doc[4].pos_ = "PROPN"  # a hand-built doc has no tags; the rule reads the tag
    reasons = [reason_not_count(doc, m) for m in find_numbers(doc)]
    assert reasons == ["model name", "model name"]


# qualifiers --------------------------------------------------------------------------------------


@pytest.mark.model
@pytest.mark.parametrize(
    "words, qualifier",
    [
        ("more than", "more_than"),
        ("over", "more_than"),
        ("upwards of", "more_than"),
        ("at least", "at_least"),
        ("about", "about"),
        ("some", "about"),
        ("roughly", "about"),
        ("an estimated", "about"),
        ("nearly", "nearly"),
        ("almost", "nearly"),
        ("close to", "nearly"),
        ("up to", "up_to"),
        ("as many as", "up_to"),
        ("fewer than", "less_than"),
        ("", "exact"),
    ],
)
def test_qualifier_from_the_words_before_the_number(nlp, words, qualifier):
    text = f"Ukrainian officials said {words} 2,000 civilians have been killed in the war.".replace("  ", " ")
    assert only(figures_of(nlp, text), 2000).qualifier == qualifier


@pytest.mark.model
def test_surpassing_a_million_is_more_than(nlp):
    text = "The war triggered an exodus into Europe with the number of refugees now surpassing a million."
    figure = only(figures_of(nlp, text), 1000000)
    assert (figure.metric, figure.qualifier) == ("fled", "more_than")


@pytest.mark.model
def test_forecast_by_a_named_claimant_is_up_to(nlp):
    text = "The UN refugee agency said the number of refugees fleeing the war in Ukraine could reach four million."
    figures = figures_of(nlp, text)
    figure = only(figures, 4000000)
    assert (figure.qualifier, figure.forecast) == ("up_to", True)


@pytest.mark.model
@pytest.mark.parametrize(
    "text, value, metric, claimant",
    [
        ("The UN refugee agency said 1.5 million people had fled the war in Ukraine and the number could rise to 5 million by summer.", 5000000, "fled", "The UN refugee agency"),
        ("The number of refugees leaving Ukraine is expected to reach 3 million by Friday, the agency said.", 3000000, "fled", "the agency"),
        ("Officials in Kyiv fear the death toll from the Russian shelling may hit 500.", 500, "killed", "Officials in Kyiv"),
        ("The refugee total is projected to top 6 million this year, the UN estimates.", 6000000, "fled", "the UN"),
        ("Poland predicted the refugee number could reach as high as 7 million before the war ends.", 7000000, "fled", "Poland"),
        ("As many as 8 million people could flee Ukraine, the European Union said.", 8000000, "fled", "the European Union"),
        ("The UN refugee agency projects up to 8.3 million people will have to flee the country by year-end.", 8300000, "fled", "The UN refugee agency"),
    ],
)
def test_forecast_cues_give_an_up_to_forecast_by_the_claimant(nlp, text, value, metric, claimant):
    figure = only(figures_of(nlp, text), value)
    assert (figure.metric, figure.qualifier, figure.forecast, figure.claimant) == (metric, "up_to", True, claimant)


@pytest.mark.model
def test_a_forecast_after_a_count_is_quoted_on_its_own_words(nlp):
    text = "The UN refugee agency briefed donors on Tuesday that there were 3 million refugees from the war - and the number could rise to 4 million."
    figures = figures_of(nlp, text)
    now, later = only(figures, 3000000), only(figures, 4000000)
    assert (now.forecast, now.qualifier) == (False, "exact")
    assert (later.metric, later.forecast, later.qualifier) == ("fled", True, "up_to")
    assert later.quote == "the number could rise to 4 million"


@pytest.mark.model
def test_a_forecast_with_no_named_source_is_not_a_figure(nlp):
    assert not [f for f in figures_of(nlp, "The number of refugees fleeing the war in Ukraine could rise to 5 million.") if f.value == 5000000]


@pytest.mark.model
def test_a_future_pledge_of_materiel_is_not_a_forecast(nlp):
    figure = only(figures_of(nlp, "The United States will send 100 tanks to Ukraine, the Pentagon said."), 100)
    assert figure.forecast is False


@pytest.mark.model
def test_a_count_inside_a_hoped_for_clause_is_not_a_forecast(nlp):
    text = "There is hope that more of the 20,000 civilians trapped in Mariupol by Russian shelling would be evacuated."
    figure = only(figures_of(nlp, text), 20000)
    assert (figure.metric, figure.forecast) == ("affected", False)


@pytest.mark.model
def test_a_conjoined_clause_with_its_own_subject_takes_its_own_metric_and_words(nlp):
    text = "Over 2 million people have left Ukraine since the invasion, and 12 million residents have been affected by the fighting, the agency said."
    figures = figures_of(nlp, text)
    assert only(figures, 2000000).metric == "fled"
    affected = only(figures, 12000000)
    assert affected.metric == "affected"
    assert affected.quote == "12 million residents have been affected by the fighting"


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Shelling of the city by Russian forces has continued for a week as thousands wait for buses at the railway station.",
        "Hundreds of people were at the hospital when the Russian shelling began, as patients were being evacuated to Lviv.",
    ],
)
def test_a_vague_count_whose_own_clause_names_no_metric_is_not_a_figure(nlp, text):
    assert not [f for f in figures_of(nlp, text) if f.qualifier == "vague"]


@pytest.mark.model
def test_a_vague_count_takes_the_metric_of_its_own_clause(nlp):
    figure = only(figures_of(nlp, "Russian shelling of Mariupol continues and thousands are trapped in basements."), 1000)
    assert (figure.metric, figure.qualifier) == ("affected", "vague")


@pytest.mark.model
def test_figures_standing_for_estimates_before_them_take_their_metric(nlp):
    text = "Estimates of Ukrainian military deaths differ, but even the lowest figures are in the hundreds."
    figure = only(figures_of(nlp, text), 100)
    assert (figure.metric, figure.side) == ("killed", "ukrainian")


@pytest.mark.model
def test_an_including_aside_before_the_participle(nlp):
    figure = only(figures_of(nlp, "Russian shelling hit the clinic and at least 14 - including three nurses - were wounded."), 14)
    assert (figure.metric, figure.qualifier) == ("injured", "at_least")


@pytest.mark.model
def test_people_pouring_into_a_country_fled_and_troops_pouring_in_are_deployed(nlp):
    people = only(figures_of(nlp, "Since the Russian invasion, hundreds of thousands have been pouring into Moldova and Romania."), 100000)
    troops = only(figures_of(nlp, "Thousands of Russian troops poured into the Donbas."), 1000)
    assert (people.metric, troops.metric) == ("fled", "deployed")


@pytest.mark.model
def test_to_be_made_refugees_is_fled(nlp):
    text = "If the war spreads, tens of thousands of civilians could die and up to 5 million could be made refugees, according to one estimate."
    figure = only(figures_of(nlp, text), 5000000)
    assert (figure.metric, figure.forecast) == ("fled", True)


@pytest.mark.model
def test_range_keeps_bounds_on_the_figure(nlp):
    figure = only(figures_of(nlp, "Western leaders believe that between 7,000 and 15,000 Russian soldiers have been killed."), 7000)
    assert (figure.low, figure.high, figure.claimant, figure.side) == (7000, 15000, "Western leaders", "russian")


# claimants ---------------------------------------------------------------------------------------


@pytest.mark.model
def test_according_to_after_the_figure(nlp):
    text = "More than 500,000 refugees have fled Ukraine, according to the UN Refugee Agency."
    assert only(figures_of(nlp, text), 500000).claimant == "the UN Refugee Agency"


@pytest.mark.model
def test_according_to_before_the_figure(nlp):
    text = "According to Ukraine’s Emergency Services, more than 2,000 civilians have been killed in the war."
    assert only(figures_of(nlp, text), 2000).claimant == "Ukraine’s Emergency Services"


@pytest.mark.model
def test_x_said_and_x_recorded(nlp):
    figures = figures_of(nlp, "Ukraine said 139 children had been killed in the war. The U.N. has recorded 406 civilian deaths in Ukraine.")
    assert only(figures, 139).claimant == "Ukraine"
    assert only(figures, 406).claimant == "The U.N."


@pytest.mark.model
def test_unnamed_report_is_a_claimant(nlp):
    text = "The Russian army is struggling, and a discreet report says 7,000 Russian soldiers have lost their lives."
    assert only(figures_of(nlp, text), 7000).claimant == "a discreet report"


@pytest.mark.model
def test_attribution_closing_the_previous_sentence_carries_over(nlp):
    text = (
        "Russia's initial attack included three main axes of assault, according to the defense official. "
        "The initial attack included more than 100 Russian-launched missiles."
    )
    figure = only(figures_of(nlp, text), 100)
    assert (figure.metric, figure.claimant, figure.side) == ("materiel", "the defense official", "russian")


@pytest.mark.model
def test_pronoun_source_resolves_to_the_claimant_before(nlp):
    text = "The U.N. has confirmed 902 civilian deaths in the war. It says nearly 3.4 million people have fled Ukraine."
    assert only(figures_of(nlp, text), 3400000).claimant == "The U.N."


@pytest.mark.model
def test_the_outlet_stating_a_figure_has_no_claimant(nlp):
    text = "Russia began its invasion of Ukraine last month. Nearly 5.5 million refugees have fled Ukraine since then."
    assert only(figures_of(nlp, text), 5500000).claimant is None


@pytest.mark.model
def test_said_to_have_died_names_no_source(nlp):
    text = "Russia has suffered heavy losses in the war, with as many as 19,000 soldiers said to have died."
    figure = only(figures_of(nlp, text), 19000)
    assert (figure.claimant, figure.qualifier, figure.metric) == (None, "up_to", "killed")


@pytest.mark.model
def test_reports_of_a_number_name_reports_as_claimant(nlp):
    text = "In the Russian shelling of the town there were reports of 30 civilians killed."
    assert only(figures_of(nlp, text), 30).claimant == "reports"


@pytest.mark.model
def test_named_source_above_a_passive_hedge_is_the_claimant(nlp):
    text = "Mr Zelensky said that tens of thousands of Russian troops are believed to have massed near Izium."
    assert only(figures_of(nlp, text), 10000).claimant == "Mr Zelensky"


@pytest.mark.model
def test_named_source_closing_the_sentence_covers_a_reported_toll(nlp):
    text = (
        "Russian troops shelled Kharkiv. At least 25 civilian deaths were reported, with at least 102 civilians "
        "said to have been injured, the United Nations human rights office said."
    )
    figures = figures_of(nlp, text)
    assert only(figures, 25).claimant == "the United Nations human rights office"
    assert only(figures, 102).claimant == "the United Nations human rights office"


@pytest.mark.model
def test_clause_joined_to_a_correspondents_report_has_no_claimant(nlp):
    text = "Our correspondent reported heavy shelling overnight, and at least 25 civilians were killed in the city."
    assert only(figures_of(nlp, text), 25).claimant is None


@pytest.mark.model
def test_relative_pronoun_source_is_the_person_it_stands_for(nlp):
    text = "The Russian attack came on March 11, said Haidai, who added that 15 other residents of the care home had been abducted."
    assert only(figures_of(nlp, text), 15).claimant == "Haidai"


@pytest.mark.model
def test_number_as_the_plain_object_of_a_verb_is_not_a_report(nlp):
    text = "After the Russian invasion, the plan is to admit 100,000 of the refugees who have fled Ukraine."
    assert all(f.claimant is None for f in figures_of(nlp, text))


# as-of dates -------------------------------------------------------------------------------------


@pytest.mark.model
def test_explicit_date_is_the_as_of(nlp):
    text = "On 25 March, Russia's Ministry of Defence said 1,351 of its soldiers had been killed in combat."
    figure = only(figures_of(nlp, text, published=date(2022, 4, 8)), 1351)
    assert (figure.as_of, figure.side, figure.metric) == ("2022-03-25", "russian", "killed")


@pytest.mark.model
def test_relative_weekday_is_resolved_against_the_publication_date(nlp):
    text = "A humanitarian corridor in Ukraine was opened briefly on Sunday, allowing the evacuation of just over 500 people from Mariupol."
    figure = only(figures_of(nlp, text, published=date(2022, 3, 28)), 500)
    assert (figure.metric, figure.qualifier, figure.as_of, figure.place) == ("evacuated", "more_than", "2022-03-27", "Mariupol")


@pytest.mark.model
def test_a_past_year_in_the_clause_dates_the_figure(nlp):
    text = "In 2015, about 1.5 million people were displaced by the war in eastern Ukraine."
    assert only(figures_of(nlp, text), 1500000).as_of == "2015"


@pytest.mark.model
def test_a_year_naming_a_war_does_not_date_the_figure(nlp):
    text = "The 2014 war in Donbas displaced 1.5 million people in eastern Ukraine."
    assert only(figures_of(nlp, text, published=date(2022, 3, 22)), 1500000).as_of == "2022-03-22"


@pytest.mark.model
def test_this_month_resolves_to_the_month(nlp):
    text = "More than 2 million refugees have fled Ukraine this month, the UN said."
    assert only(figures_of(nlp, text, published=date(2022, 3, 22)), 2000000).as_of == "2022-03"


@pytest.mark.model
def test_yesterday_inside_a_quote_resolves_against_publication(nlp):
    text = '"Yesterday 40 civilians were killed in the Russian shelling," the mayor of Kharkiv said on Tuesday.'
    assert only(figures_of(nlp, text, published=date(2022, 3, 17)), 40).as_of == "2022-03-16"


@pytest.mark.model
def test_as_of_comes_from_the_timex_component_when_it_ran(nlp):
    text = "Ukraine said 139 children had been killed in the war at the weekend."
    doc = nlp.make_doc(text)
    doc._.published = date(2022, 3, 28)
    for name, component in nlp.pipeline:
        if name != "newsledger_figures":
            doc = component(doc)
    start = text.index("at the weekend")
    doc._.timexes = [Timex(start, start + len("at the weekend"), "at the weekend", "2022-03-26")]
    assert only(find_figures(doc), 139).as_of == "2022-03-26"


@pytest.mark.model
def test_publication_date_is_the_fallback_and_since_is_kept(nlp):
    text = "More than 3 million refugees have fled Ukraine since Feb. 24, the war's first day."
    figure = only(figures_of(nlp, text, published=date(2022, 3, 22)), 3000000)
    assert (figure.as_of, figure.since) == ("2022-03-22", "2022-02-24")


@pytest.mark.model
def test_unknown_date_gives_no_as_of(nlp):
    doc = nlp.make_doc("More than 2,000 civilians have been killed in the war in Ukraine.")
    for name, component in nlp.pipeline:
        if name != "newsledger_figures":
            doc = component(doc)
    doc._.published, doc._.published_inferred, doc._.timexes = None, None, []
    assert only(find_figures(doc), 2000).as_of is None


@pytest.mark.model
def test_figures_are_spans_too(nlp):
    doc = nlp.make_doc("At least 136 people have been killed in Ukraine, a UN report showed on Tuesday.")
    doc._.published = PUBLISHED
    doc = nlp(doc)
    figure = only(doc._.figures, 136)
    assert doc.text[figure.number_start : figure.number_end] == "136"
    assert doc.text[figure.start : figure.end] == figure.quote
    assert [s.label_ for s in doc.spans["figures"]] == ["killed"]
    assert (figure.claimant, figure.as_of) == ("a UN report", "2022-03-01")


# accuracy floor on the gold dev set --------------------------------------------------------------

FLOORS = {"f1": 0.95, "metric": 0.99, "qualifier": 0.99, "as_of": 0.91, "side": 0.88, "claimant": 0.88}


@pytest.fixture(scope="module")
def gold_figure_scores(nlp):
    from newsledger.evaluation.run import evaluate

    return evaluate(GOLD_DEV, nlp=nlp)["figures"]


@pytest.mark.model
@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_gold_dev_accuracy_floor(gold_figure_scores, measure):
    assert gold_figure_scores[measure] >= FLOORS[measure], gold_figure_scores


def test_figures_are_spans_carrying_their_record_in_any_pipeline(nlp):
    import datetime

    doc = nlp.make_doc("More than 500,000 refugees have fled Ukraine, according to the UN Refugee Agency.")
    doc._.published = datetime.date(2022, 3, 1)
    doc = nlp(doc)
    [span] = doc.spans["figures"]
    assert span.label_ == "fled"
    assert span._.figure.value == 500000
    assert span._.figure.claimant == "the UN Refugee Agency"
    assert span.text == span._.figure.quote


# sources, places and days that a figure series needs ------------------------------------------


@pytest.mark.model
@pytest.mark.parametrize(
    "case, text, value, fields, expected",
    [
        ("per names a source", "The exodus of more than 1 million refugees, per UNHCR data released Wednesday, has led "
         "to chaos at the border.", 1000000, ("claimant",), ("UNHCR data",)),
        ("per day is a rate, no source", "Up to 100,000 people per day have fled Ukraine.", 100000, ("claimant",), (None,)),
        ("a part of the last count carries its source and day", "The UN said on Monday it had recorded the arrival of "
         "835,928 refugees from Ukraine. Of those, more than 450,000 have entered Poland.", 450000,
         ("claimant", "as_of", "place"), ("UN", "2022-02-28", "Poland")),
        ("the country that took refugees in is their place", "The war in Ukraine goes on. Romania has taken in 600,000 "
         "refugees.", 600000, ("metric", "place"), ("fled", "Romania")),
        ("which received", "The war in Ukraine goes on. Poland, which received 2.1 million refugees, asks for help.",
         2100000, ("place",), ("Poland",)),
        ("a bare count a country takes in", "The war in Ukraine goes on. Moldova hosts 350,000.", 350000,
         ("metric", "place"), ("fled", "Moldova")),
        ("a conjoined count takes its own participle", "The United Nations reported that roughly 5 million Ukrainians "
         "fled the war-torn country and an additional 7 million were internally displaced.", 7000000, ("metric",),
         ("displaced",)),
        ("leaving one's home in Ukraine is displacement", "More than 11 million people are believed to have fled their "
         "homes in Ukraine since the conflict began, according to the United Nations.", 11000000,
         ("metric", "claimant"), ("displaced", "the United Nations")),
        ("the scale letter is no population", "An estimated 3m people have fled Ukraine since the invasion on "
         "February 24.", 3000000, ("population",), ("people",)),
        ("a lower-case month with day and year", "Nearly 875,000 people have fled Ukraine in total, the refugee agency "
         "said on march 2, 2022.", 875000, ("as_of", "claimant"), ("2022-03-02", "the refugee agency")),
        ("a range of days is true as of its last", "Between Feb. 24 and midnight on Sunday, the U.N. recorded 1,085 "
         "civilian casualties in Ukraine, including 351 killed and 707 injured.", 351, ("as_of", "since", "claimant"),
         ("2022-02-27", "2022-02-24", "the U.N.")),
        ("could still be is no forecast", "About 100,000 people could still be stuck in Mariupol, officials said.",
         100000, ("metric", "forecast"), ("affected", False)),
        ("the agency estimated, parsed as a reduced relative", "The United Nations’ refugee agency estimated on Sunday "
         "that 368,000 had fled the nation.", 368000, ("claimant",), ("The United Nations’ refugee agency",)),
        ("with the UN saying", "A crisis is unfolding in Ukraine with the United Nations now saying that more than one "
         "million refugees have fled the country.", 1000000, ("claimant",), ("the United Nations",)),
        ("an attribution closing the sentence, parsed as a clause", "Meanwhile, 2,316,002 people have fled the nation "
         "since Feb. 24, with the majority – an estimated 1,412,503, escaping to Poland – the U.N. High Commissioner "
         "for Refugees reported Thursday.", 2316002, ("claimant",), ("the U.N. High Commissioner for Refugees",)),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 60 else None,
)
def test_what_a_series_needs_of_a_figure(nlp, case, text, value, fields, expected):
    figure = only(figures_of(nlp, text), value)
    assert tuple(getattr(figure, f) for f in fields) == expected, case


# general forms of counts read from the clause ---------------------------------------------------


@pytest.mark.parametrize("text, value", [("several thousand troops", 1000), ("a couple of thousand people", 2000), ("a few hundred soldiers", 100)])
def test_several_and_a_few_before_a_scale_are_vague_counts_of_that_scale(text, value):
    mention = find_numbers(spacy.blank("en")(text))[0]
    assert (mention.value, mention.vague) == (value, True)


@pytest.mark.model
@pytest.mark.parametrize(
    "text, value, metric, side",
    [
        # a modal "may" is no month
        ("Officials in the city fear tens of thousands may have died in the siege.", 10000, "killed", None),
        ("The Home Office said 40,900 visas for Ukrainians have now been issued.", 40900, "fled", None),
        ("Moscow says more than 1,000 Ukrainian marines have surrendered in Mariupol.", 1000, "captured", "ukrainian"),
        ("At least six people were rushed to hospital after the strike on Lviv.", 6, "injured", None),
        ("At least 20 children have been among the dead in the Kharkiv region, officials said.", 20, "killed", None),
        ("Ministers said about a third of the 60,000 Ukrainians issued visas had arrived since the invasion.", 60000, "fled", "ukrainian"),
        ("The war has forced millions to flee, the agency said.", 1000000, "fled", None),
        ("Border guards counted 90,000 people fleeing the war, including 7,000 who have entered since Saturday.", 7000, "fled", None),
        ("The Pentagon said Russia has several thousand naval infantry troops off the coast of Odesa.", 1000, "deployed", "russian"),
        ("More than 100,000 people remain in the besieged city of Mariupol, officials said.", 100000, "affected", None),
        ("Russia's war goes on, and a further 50 soldiers are missing in action, the ministry said.", 50, "missing", "russian"),
        ("Russia's military build-up continues: nearly 200,000 currently surround the country.", 200000, "deployed", None),
        # a list of any length takes its verb
        ("Ukraine's General Staff said Russia has lost 838 battle tanks, 2,162 armoured vehicles, 397 artillery systems, "
         "138 rocket systems, 69 anti-aircraft systems, 176 warplanes, 153 helicopters, 1,523 vehicles, 8 vessels and "
         "76 fuel tank trucks.", 76, "materiel", "russian"),
        ("The UN said the number of people who have fled the country since Russia invaded has reached 1.45 million.",
         1450000, "fled", None),
        ("Police held more than 900 demonstrators at anti-war rallies across Russia on Sunday.", 900, "detained", None),
        ("Russian forces struck 12 military sites overnight, the ministry said.", 12, "materiel", "russian"),
        ("A Mariupol official said up to 1,000 civilians are taking cover in the steel plant as Russian forces storm it.",
         1000, "affected", None),
        ("Kuleba said more than 20,000 volunteers from over 50 countries have joined up to fight against Russia.",
         20000, "deployed", None),
        ("This means that millions of people need help in Mariupol after the Russian siege.", 1000000, "affected", None),
        ("The mayor said Ukrainian forces killed six Russian saboteurs in the capital on Saturday night.", 6, "killed", "russian"),
        ("There are still more than 150,000 residents left inside Mariupol as Russian tanks pound the city.",
         150000, "affected", None),
        ("Denisova said some 400 Ukrainians are being held by Russian forces in the war.", 400, "captured", "ukrainian"),
        ("More than 3.7 million have fled Ukraine since the war began, with more than 2.2 million crossing into Poland.",
         2200000, "fled", None),
        ("Corridors opened to evacuate some of the city's 130,000 remaining residents amid Russian attacks.",
         130000, "affected", None),
        ("The agency estimated that the war has directly impacted over 10 million people.", 10000000, "affected", None),
        ("Ukrainian officials said four buses with civilians managed to escape from the city after Russian shelling.",
         4, "evacuated", None),
        # what befell a force outweighs where it was stationed, and the side is the one it was done to
        ("Russian warships fired and wiped out the 13 soldiers stationed there.", 13, "killed", "ukrainian"),
        # a comparison with an earlier war keeps the count
        ("More than 2 million refugees have fled Ukraine, the fastest exodus in Europe since World War II.",
         2000000, "fled", None),
        # people who will need aid are affected, not aid
        ("The UN estimates that 12 million people in Ukraine will need humanitarian aid because of the war.",
         12000000, "affected", None),
        # aid goes to the side it is for
        ("Congress approved $13.6 billion for Ukraine on Thursday.", 13600000000, "aid", "ukrainian"),
        ("President Biden authorized $800 million more in military aid last week.", 800000000, "aid", None),
        # forces and materiel take the one side the sentence names, never a place's or a third country's
        ("Ukraine's General Staff said 93 warplanes had been shot down since the invasion began.", 93, "materiel", "ukrainian"),
        ("One soldier was killed by Ukrainian forces near the village.", 1, "killed", "russian"),
        ("Nine Chinese aircraft entered the air defence zone as Russia's drills went on.", 9, "deployed", None),
    ],
)
def test_general_forms_of_a_count_and_its_side(nlp, text, value, metric, side):
    figure = only(figures_of(nlp, text), value)
    assert (figure.metric, figure.side) == (metric, side)


@pytest.mark.model
def test_money_that_is_no_aid_is_never_a_toll(nlp):
    text = "Ukraine's economic losses from the war range from $543 billion to $600 billion, the ministry said."
    assert [f for f in figures_of(nlp, text) if f.metric != "aid"] == []


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        # a toll of an earlier war, by the war's name or its year
        "Missiles hit near the memorial to the site where Nazis killed thousands of Jews during the Second World War.",
        "The shelled memorial marks where more than 33,000 people were killed over two days in September 1941.",
        # a covid toll in a country at war is not the war's
        "Ukraine has reported 106,985 COVID-19-related deaths during the pandemic.",
        # ages after names
        "Killed by Russian shelling, he leaves a wife, daughter Adelina, 9, son Kirill, 3.",
        # the count that did it, not the one it befell
        "Russian officers attended the funeral of the soldier killed in Ukraine, with one holding his picture.",
        # only custody holds people: a stadium holds no one captive
        "Their football stadium holds 110,000 people, Hannity said of the rally for the war.",
        # an age, and people who pour their hearts into a company
        "On the Ukrainian side, children as young as six have been killed by Russian shelling.",
        "In Russia, we employ 62,000 people who have poured their hearts into our restaurants, the company said of the war.",
        # someone's own family
        "Her two adult children remain in the Ukrainian capital as the Russian shelling goes on.",
        # a handful of soldiers or a crowd in a story is no force
        "Two soldiers stood at the checkpoint as the Russian invasion went on.",
        "Dozens of protesters gathered outside the Russian embassy to denounce the war.",
    ],
)
def test_counts_that_are_not_this_wars_figures(nlp, text):
    assert [(f.value, f.metric) for f in figures_of(nlp, text)] == []


@pytest.mark.model
@pytest.mark.parametrize(
    "text, expected",
    [
        # a sum in brackets is the same sum in another currency
        ("Ireland has provided €20m (£16.6m) in humanitarian aid to Ukraine since the invasion.", [(20000000, "aid")]),
        # a clause with its own count gives its metric to that count only
        ("Russia's assault on Ukraine has forced a quarter of Ukraine's 44 million people from their homes as well as "
         "killing thousands.", [(1000, "killed")]),
    ],
)
def test_exactly_these_figures(nlp, text, expected):
    assert [(f.value, f.metric) for f in figures_of(nlp, text)] == expected


@pytest.mark.model
def test_a_conflict_that_claimed_lives_is_no_claimant(nlp):
    text = "Russia is massing troops near an eight-year conflict that has claimed more than 14,000 lives in the east."
    figure = only(figures_of(nlp, text), 14000)
    assert (figure.metric, figure.claimant) == ("killed", None)
