"""Which reply the assistant picks for a question, and how it is phrased."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.answers import (
    choose_reply,
    entities_from,
    fallback_reply,
    follow_up_choice,
)
from actions.content import Content, content, intent_payload

ROOT = Path(__file__).resolve().parents[2]
RULES = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))["rules"]
# the intents a rule answers with action_answer (one intent, or several under "or")
REGISTRY_INTENTS = sorted(
    step["intent"]
    for rule in RULES
    if rule["steps"][-1].get("action") == "action_answer"
    for step in rule["steps"][-2].get("or", [rule["steps"][-2]])
    if "intent" in step
)


@pytest.mark.parametrize("intent", REGISTRY_INTENTS)
def test_each_intent_gets_its_own_text(intent: str) -> None:
    """Never answer a topic with another topic's text (or the no-answer text)."""
    reply = choose_reply(intent, {}, None)
    assert reply.text.strip()
    assert reply.text != content().dialogue_text("no_answer")
    others = {choose_reply(i, {}, None).text for i in REGISTRY_INTENTS if i != intent}
    if intent not in {"inform_for_whom", "ask_term_meaning"}:
        assert reply.text not in others


@pytest.mark.parametrize("form", ["verblijf", "vpt", "mpt", "pgb"])
def test_delivery_form_entity_picks_that_forms_answer(form: str) -> None:
    general = choose_reply("ask_delivery_forms", {}, None)
    specific = choose_reply(
        "ask_delivery_forms",
        entities_from({"entities": [{"entity": "leveringsvorm", "value": form}]}),
        None,
    )
    assert specific.text != general.text
    assert (
        specific.answer_id
        == content().answer_item("ask_delivery_forms", {"leveringsvorm": form})["id"]
    )


@pytest.mark.parametrize(
    "entity",
    [
        {"entity": "begrip", "value": "onafhankelijke cliëntondersteuning"},
        {"entity": "organisatie", "value": "Zorgbelang"},
        {"entity": "organisatie", "value": "MEE"},
    ],
)
def test_client_support_naming_an_independent_organisation_gets_that_answer(entity: dict) -> None:
    reply = choose_reply("ask_client_support", entities_from({"entities": [entity]}), None)
    assert reply.answer_id == content().answer_item("ask_independent_support")["id"]
    assert choose_reply("ask_client_support", {}, None).answer_id != reply.answer_id


@pytest.mark.parametrize("phrase", ["onafhankelijks", "niet van het zorgkantoor"])
def test_client_support_asking_for_someone_independent_gets_that_answer(phrase: str) -> None:
    # the spaCy pipeline tags these phrases as the glossary term OCO (tests/nlp/test_pipeline.py)
    reply = choose_reply(
        "ask_client_support",
        entities_from({"entities": [{"entity": "begrip", "value": phrase}]}),
        None,
    )
    assert reply.answer_id == content().answer_item("ask_independent_support")["id"]
    assert choose_reply("ask_client_support", {}, None).answer_id != reply.answer_id


def test_relative_phrasing_names_the_relative() -> None:
    item = next(i for i in content().answers if i.get("text_relative"))
    about_mother = choose_reply(item["intent"], dict(item.get("entity") or {}), "mama")
    about_self = choose_reply(item["intent"], dict(item.get("entity") or {}), None)
    assert "uw moeder" in about_mother.text
    assert about_mother.text != about_self.text


def test_a_relative_opening_a_sentence_is_capitalised_and_nowhere_else() -> None:
    reply = choose_reply("ask_care_at_home_allowed", {}, "moeder")
    assert reply.text.startswith("Uw moeder mag kiezen")
    assert (
        content().render("Verblijf: {naaste} woont daar. {naaste} kiest.", "moeder")
        == "Verblijf: uw moeder woont daar. Uw moeder kiest."
    )


def test_parents_are_named_so_that_singular_verbs_fit() -> None:
    # Answers are written "{naaste} woont"; "uw ouders woont" would be wrong Dutch.
    assert content().render("{naaste} woont thuis.", "ouders") == "Uw vader of moeder woont thuis."
    assert (
        content().render("{naaste} woont thuis.", "schoonouders")
        == "Uw vader of moeder woont thuis."
    )


def test_telling_who_it_is_about_is_acknowledged() -> None:
    assert "uw vader" in choose_reply("inform_for_whom", {"relatie": "vader"}, "vader").text
    assert choose_reply("inform_for_whom", {"relatie": "zelf"}, "mezelf").text.startswith(
        "Dank u. Ik vertel het zo dat het over u zelf gaat."
    )


def test_term_meaning_uses_glossary_even_when_tagged_as_delivery_form() -> None:
    # "wat betekent pgb": the ruler labels "pgb" a delivery form; it is a glossary term too
    entities = entities_from({"entities": [{"entity": "leveringsvorm", "value": "Pgb"}]})
    reply = choose_reply("ask_term_meaning", entities, None)
    assert reply.answer_id == "term:pgb"
    assert reply.text.startswith("Een pgb is een persoonsgebonden budget.")


def test_term_explanation_offers_the_topics_longer_answer() -> None:
    reply = choose_reply("ask_term_meaning", {"begrip": "zorg_in_natura"}, None)
    assert [b.payload for b in reply.buttons] == ["/ask_in_kind"]
    assert reply.text != choose_reply("ask_in_kind", {}, None).text


def test_unknown_term_asks_again() -> None:
    reply = choose_reply("ask_term_meaning", {}, None)
    assert reply.text.startswith("Dat woord ken ik niet.")


def test_place_lookup_names_region_and_both_years() -> None:
    reply = choose_reply("ask_which_care_office", {"plaats": "hoofddorp"}, None)
    assert reply.text == (
        "Hoofddorp hoort bij de zorgkantoorregio Amstelland en De Meerlanden. Zo deelt "
        "het CBS de regio's in (2025). In 2016 deed Stichting Wlz-uitvoerder Zorg en "
        "Zekerheid daar het werk van het zorgkantoor. Dat kan veranderd zijn. Uw "
        "zorgverzekeraar weet het zeker."
    )


def test_every_gemeente_is_in_exactly_one_region() -> None:
    gemeenten = [g for region in content().regions for g in region["gemeenten"]]
    assert len(gemeenten) == 342 and len(set(gemeenten)) == 342
    assert len(content().regions) == 31


@pytest.mark.parametrize(
    "text, place, region",
    [
        ("welk zorgkantoor hoort bij Zeist", "zeist", "Utrecht"),
        ("ik woon in Den Haag", "den haag", "Haaglanden"),
        ("mijn moeder woont in 's-Hertogenbosch", "'s-hertogenbosch", "Noordoost-Brabant"),
        ("zorgkantoor voor Súdwest-Fryslân?", "sudwest-fryslan", "Friesland"),
        ("wij wonen in almere", "almere", "'t Gooi"),
    ],
)
def test_any_gemeente_in_a_message_is_found(text: str, place: str, region: str) -> None:
    assert content().find_place(text) == place
    assert [r["name"] for r in content().regions_for(place)] == [region]


def test_a_name_in_two_regions_shows_both() -> None:
    reply = content().which_care_office("Bergen")
    assert reply.text.startswith("Er zijn meer plaatsen die Bergen heten.")
    assert "zorgkantoorregio Noord- en Midden-Limburg" in reply.text
    assert "zorgkantoorregio Noord-Holland Noord" in reply.text


def test_a_zorgkantoor_sets_the_current_organisation_per_region() -> None:
    from actions.content import Content

    registry = Content()
    registry.apply_settings(
        {"zorgkantoren_per_regio": {"jaar": 2026, "namen": {"Utrecht": "Zorgkantoor Utrecht"}}}
    )
    assert (
        "In 2026 deed Zorgkantoor Utrecht daar het werk" in registry.which_care_office("Zeist").text
    )
    assert "In 2016 deed" in registry.which_care_office("Delft").text


def test_unknown_place_refers_to_insurer() -> None:
    reply = content().which_care_office("Nergenshuizen")
    assert "Nergenshuizen" in reply.text and "zorgverzekeraar" in reply.text


def test_no_place_gives_general_answer() -> None:
    general = content().answer("ask_which_care_office")
    assert choose_reply("ask_which_care_office", {}, None).text == general.text


def test_tell_more_gives_the_follow_up_of_the_last_answer() -> None:
    first = content().answer("ask_first_steps")
    assert first.buttons[0].payload == "/tell_more"
    more = content().more("first_steps")
    assert more.answer_id == "first_steps" and more.text != first.text
    assert more.text.startswith("U hoeft het niet alleen uit te zoeken.")
    assert "/tell_more" not in [b.payload for b in more.buttons]


def test_tell_more_about_a_relative_names_the_relative() -> None:
    about_mother, about_self = content().more("objection", "moeder"), content().more("objection")
    assert "moeder" in about_mother.text.lower() and about_mother.text != about_self.text
    assert about_self.text.startswith("Daarna kunt u soms nog in beroep gaan bij de rechter.")


def test_tell_more_without_context_offers_menu() -> None:
    reply = content().more(None)
    assert reply.text.startswith("Meer kan ik hier niet over vertellen.") and reply.buttons


RANKING = [
    {"name": "nlu_fallback", "confidence": 0.9},
    {"name": "ask_pgb_what", "confidence": 0.4},
    {"name": "ask_pgb_duties", "confidence": 0.3},
    {"name": "greet", "confidence": 0.2},  # no topic title: never suggested
    {"name": "ask_waiting", "confidence": 0.06},
    {"name": "ask_route", "confidence": 0.05},
]


def test_first_fallback_suggests_three_likeliest_topics() -> None:
    reply = fallback_reply(1, RANKING)
    assert [b.payload for b in reply.buttons] == [
        "/ask_pgb_what",
        "/ask_pgb_duties",
        "/ask_waiting",
    ]


def test_first_fallback_without_candidates_asks_to_rephrase() -> None:
    reply = fallback_reply(1, [{"name": "nlu_fallback", "confidence": 1.0}])
    assert reply.text == content().dialogue_text("fallback_rephrase")
    assert reply.buttons == content().menu_buttons()


def test_second_fallback_offers_a_person_first() -> None:
    reply = fallback_reply(2, RANKING)
    assert reply.buttons[0].payload == "/request_human"
    assert reply.text == content().dialogue_text("fallback_second")


def test_payload_with_entities_is_rasa_syntax() -> None:
    assert (
        intent_payload("ask_delivery_forms", {"leveringsvorm": "vpt"})
        == '/ask_delivery_forms{"leveringsvorm":"vpt"}'
    )


def test_opening_hours_are_summarised_from_settings(tmp_path) -> None:
    (tmp_path / "settings.yml").write_text(
        yaml.safe_dump(
            {
                "openingstijden": {
                    "maandag": "09:00-17:00",
                    "dinsdag": "09:00-17:00",
                    "zaterdag": None,
                }
            }
        )
    )
    assert Content(tmp_path).opening_hours_text() == "maandag tot en met dinsdag, 09:00-17:00 uur"
    (tmp_path / "settings.yml").write_text(
        yaml.safe_dump({"openingstijden": {"maandag": "09:00-17:00", "vrijdag": "09:00-12:00"}})
    )
    assert (
        Content(tmp_path).opening_hours_text() == "maandag 09:00-17:00 uur, vrijdag 09:00-12:00 uur"
    )


def test_opening_hours_with_gaps_are_listed_per_day(tmp_path) -> None:
    (tmp_path / "settings.yml").write_text(
        yaml.safe_dump({"openingstijden": {"maandag": "09:00-17:00", "woensdag": "09:00-17:00"}})
    )
    assert (
        Content(tmp_path).opening_hours_text()
        == "maandag 09:00-17:00 uur, woensdag 09:00-17:00 uur"
    )


def test_answer_remembers_for_whom_the_question_is():
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionAnswer

    message = {
        "intent": {"name": "ask_wlz_who"},
        "text": "is de wlz iets voor mijn moeder",
        "entities": [{"entity": "relatie", "value": "moeder"}],
    }
    tracker = Tracker("c", {"relatie": None}, message, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    events = ActionAnswer().run(dispatcher, tracker, {})
    assert {"event": "slot", "timestamp": None, "name": "relatie", "value": "moeder"} in events
    assert "Heeft uw moeder dat nodig?" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[-1]["custom"] == {"topic": "ask_wlz_who"}


def test_contact_details_changed_by_a_beheerder_replace_the_file_values():
    from actions.content import Content

    registry = Content()
    original = registry.values()["zorgkantoor_telefoon"]
    registry.apply_settings(
        {"zorgkantoor": {"telefoon": "0800-1234567"}, "openingstijden": {"zaterdag": "10:00-12:00"}}
    )
    assert registry.values()["zorgkantoor_telefoon"] == "0800-1234567" != original
    assert registry.values()["zorgkantoor_naam"] == registry.file_settings["zorgkantoor"]["naam"]
    assert "zaterdag 10:00-12:00" in registry.opening_hours_text()


def fallback_run(intent: str, text: str, entities: list[dict], slots: dict | None = None):
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionFallbackSuggest

    message = {
        "intent": {"name": intent},
        "text": text,
        "entities": entities,
        "intent_ranking": [{"name": intent, "confidence": 0.5}, *RANKING],
    }
    tracker = Tracker("c", {"fallback_count": 0, **(slots or {})}, message, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    return ActionFallbackSuggest().run(dispatcher, tracker, {}), dispatcher.messages


def test_a_town_name_alone_gets_its_zorgkantoor_not_a_fallback():
    events, messages = fallback_run(
        "inform", "Tilburg", [{"entity": "plaats", "value": "Tilburg"}], {"fallback_count": 1}
    )
    assert messages[0]["text"].startswith("Tilburg hoort bij de zorgkantoorregio Midden-Brabant.")
    assert {"event": "slot", "timestamp": None, "name": "fallback_count", "value": 0} in events
    assert messages[-1]["custom"] == {"topic": "ask_which_care_office"}


def test_any_gemeente_answers_the_question_for_a_place_but_not_out_of_the_blue():
    asked = fallback_run("inform", "Zeist", [], {"last_answer": "which_care_office"})[1]
    assert asked[0]["text"].startswith("Zeist hoort bij de zorgkantoorregio Utrecht.")
    unasked = fallback_run("inform", "ik doe mijn best", [])[1]
    assert "hoort bij de zorgkantoorregio" not in unasked[0]["text"]


def test_a_form_answer_outside_a_form_gets_topic_suggestions():
    events, messages = fallback_run("inform", "hij wil per se thuis blijven", [])
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "/ask_pgb_what",
        "/ask_pgb_duties",
        "/ask_waiting",
    ]
    assert {"event": "slot", "timestamp": None, "name": "fallback_count", "value": 1} in events


def test_a_sure_statement_about_the_situation_is_thanked_not_misunderstood():
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionFallbackSuggest

    message = {
        "intent": {"name": "inform", "confidence": 0.97},
        "text": "ze woont nog alleen in haar flat",
        "entities": [],
        "intent_ranking": [{"name": "inform", "confidence": 0.97}, *RANKING],
    }
    dispatcher = CollectingDispatcher()
    events = ActionFallbackSuggest().run(
        dispatcher, Tracker("c", {"fallback_count": 1}, message, [], False, None, {}, ""), {}
    )
    assert dispatcher.messages[0]["text"] == (
        "Dank u, dat is goed om te weten. Wat wilt u weten? Stel uw vraag, of kies een onderwerp."
    )
    assert "Sorry" not in dispatcher.messages[0]["text"] and dispatcher.messages[0]["buttons"]
    assert {"event": "slot", "timestamp": None, "name": "fallback_count", "value": 0} in events
    # a question with a phone number in it is still a question, not news to thank for
    message = {**message, "text": "mag ik het bezwaar mailen? mijn nummer is 06-12345678"}
    dispatcher = CollectingDispatcher()
    ActionFallbackSuggest().run(
        dispatcher, Tracker("c", {"fallback_count": 0}, message, [], False, None, {}, ""), {}
    )
    assert not dispatcher.messages[0]["text"].startswith("Dank u")


# "wat doet het CIZ?" was just answered; the classifier reads "hoe lang duurt dat" as the
# waiting list, with the CIZ second (as our model ranks it).
CIZ_FOLLOW_UP = [
    {"name": "ask_waiting", "confidence": 0.64},
    {"name": "ask_indication_process", "confidence": 0.25},
]


def test_a_follow_up_pointing_back_lets_the_person_choose_the_topic():
    reply = follow_up_choice(
        "Hoe lang duurt dat?", "ask_waiting", {}, "ask_indication_process", CIZ_FOLLOW_UP
    )
    assert reply is not None
    assert [b.payload for b in reply.buttons] == ["/ask_indication_process", "/ask_waiting"]
    assert reply.text == content().dialogue_text("follow_up_which")


def test_a_where_question_read_as_where_was_i_is_about_the_topic_of_just_now():
    ranking = [{"name": "where_was_i", "confidence": 0.7}]
    reply = follow_up_choice(
        "waar moet ik dat indienen?", "where_was_i", {}, "ask_objection", ranking
    )
    assert reply is not None and reply.text == content().dialogue_text("follow_up_which")
    assert [b.payload for b in reply.buttons] == [
        "/ask_objection",
        content().human_button().payload,
    ]
    # "waar was ik?" itself, or nothing answered yet, stays navigation
    assert (
        follow_up_choice("waar was ik ook alweer", "where_was_i", {}, "ask_objection", ranking)
        is None
    )
    assert follow_up_choice("waar moet ik dat indienen?", "where_was_i", {}, None, ranking) is None


@pytest.mark.parametrize(
    "text, entities, previous",
    [
        ("hoe lang duurt dat", {}, "ask_waiting"),  # the same topic: just answer
        ("hoe lang duurt dat", {}, None),  # nothing answered yet
        ("hoe lang duurt de wachtlijst", {}, "ask_indication_process"),  # names its own topic
        ("hoe lang duurt dat met een pgb", {"leveringsvorm": "pgb"}, "ask_indication_process"),
        (
            "mijn moeder is dement en we staan al maanden op een lijst, hoe lang duurt dat nog",
            {},
            "ask_indication_process",
        ),  # a whole new question, not a follow-up
    ],
)
def test_other_questions_are_answered_directly(text, entities, previous):
    assert follow_up_choice(text, "ask_waiting", entities, previous, CIZ_FOLLOW_UP) is None


def test_an_unlikely_earlier_topic_is_not_offered():
    ranking = [
        {"name": "ask_waiting", "confidence": 0.9},
        {"name": "ask_indication_process", "confidence": 0.02},
    ]
    assert (
        follow_up_choice("hoe lang duurt dat", "ask_waiting", {}, "ask_indication_process", ranking)
        is None
    )


def test_the_earlier_topic_is_read_from_the_last_answer_or_glossary_term():
    assert content().topic_of("indication_process") == "ask_indication_process"
    assert content().topic_of("term:zorg_in_natura") == "ask_in_kind"
    assert content().topic_of("term:mantelzorger") is None
    assert content().topic_of(None) is None


def test_answer_action_asks_instead_of_answering_another_topic():
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionAnswer

    message = {
        "intent": {"name": "ask_waiting"},
        "text": "hoe lang duurt dat voor mijn vader",
        "entities": [{"entity": "relatie", "value": "vader"}],
        "intent_ranking": CIZ_FOLLOW_UP,
    }
    tracker = Tracker("c", {"last_answer": "indication_process"}, message, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    # nothing is lost: who it is about is kept; the last answer stays the CIZ's
    assert ActionAnswer().run(dispatcher, tracker, {}) == [
        {"event": "slot", "timestamp": None, "name": "relatie", "value": "vader"},
        {"event": "slot", "timestamp": None, "name": "offered_human", "value": False},
    ]
    assert dispatcher.messages[0]["text"] == content().dialogue_text("follow_up_which")
    assert choose_reply("ask_waiting", {}, None).text not in [
        m.get("text") for m in dispatcher.messages
    ]


@pytest.mark.parametrize(
    "intent, offered",
    [
        ("bot_challenge", True),
        ("insult", True),
        ("report_death", True),
        ("ask_pgb_what", False),
        ("affirm", False),
    ],
)
def test_an_answer_that_offers_a_person_lets_yes_start_the_handoff(intent, offered):
    """data/handoff.yml starts the handoff on "ja" while offered_human is true."""
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionAnswer

    message = {"intent": {"name": intent}, "text": "...", "entities": []}
    tracker = Tracker("c", {"offered_human": not offered}, message, [], False, None, {}, "")
    events = ActionAnswer().run(CollectingDispatcher(), tracker, {})
    assert {"event": "slot", "timestamp": None, "name": "offered_human", "value": offered} in events


def test_offering_a_person_is_said_in_the_text():
    """The flag and the words go together: an answer with offers_human asks about a person."""
    for item in content().answers:
        if item.get("offers_human"):
            assert "medewerker" in item["text"] and "?" in item["text"], item["id"]


def test_condolences_come_first_and_name_the_relative():
    reply = choose_reply("report_death", {"relatie": "vader"}, "vader")
    assert reply.text.startswith("Gecondoleerd met het overlijden van uw vader.")
    # a person first; first steps for whoever now needs care themselves (a carer who died)
    assert [b.payload for b in reply.buttons] == [
        "/request_human",
        "/request_callback",
        "/ask_first_steps",
    ]


def test_tell_more_after_a_short_answer_offers_its_own_follow_ups_and_a_person() -> None:
    item = next(
        i
        for i in content().answers
        if not i.get("more") and i.get("buttons") and i["intent"].startswith("ask_")
    )
    reply = content().more(item["id"])
    assert reply.text == content().dialogue_text("no_more_related")
    payloads = [b.payload for b in reply.buttons]
    assert payloads[:-1] == [b.payload for b in content().answer(item["intent"]).buttons]
    assert payloads[-1] == "/request_human" and payloads.count("/request_human") == 1


def test_a_budget_holder_for_a_relative_is_asked_what_about_not_sent_into_the_pgb_check() -> None:
    reply = choose_reply("inform_pgb_holder", {"relatie": "vader"}, "vader")
    assert "Uw vader heeft dus al een pgb." in reply.text
    assert "/start_pgb_check" not in [b.payload for b in reply.buttons]
    assert {"/ask_pgb_duties", "/ask_pgb_change", "/request_human"} <= {
        b.payload for b in reply.buttons
    }


def answer_turn(message: dict, *turns: list[str], slots: dict | None = None):
    """Run action_answer after earlier turns (what the bot said in each); its messages and
    events."""
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionAnswer

    events = [
        event
        for said in turns
        for event in (
            {"event": "user", "text": "eerdere vraag"},
            *({"event": "bot", "text": t} for t in said),
        )
    ]
    events.append({"event": "user", "text": message["text"]})
    tracker = Tracker("c", {"relatie": None, **(slots or {})}, message, events, False, None, {}, "")
    dispatcher = CollectingDispatcher()
    returned = ActionAnswer().run(dispatcher, tracker, {})
    return [m for m in dispatcher.messages if m.get("text")], returned


def test_a_second_question_naming_a_term_gets_the_term_not_the_same_answer_again():
    duties = choose_reply("ask_pgb_duties", {}, None)
    message = {
        "intent": {"name": "ask_pgb_duties"},
        "text": "wat doet de svb precies",
        "entities": [{"entity": "organisatie", "value": "svb"}],
    }
    sent, events = answer_turn(message, [duties.text], slots={"last_answer": duties.answer_id})
    assert [m["text"] for m in sent] == [content().explain_term("svb").text]
    assert {
        "event": "slot",
        "timestamp": None,
        "name": "last_answer",
        "value": "term:svb",
    } in events


def test_the_same_answer_twice_in_a_row_gives_its_longer_text_instead():
    item = next(i for i in content().answers if i.get("more") and not i.get("entity"))
    first = choose_reply(item["intent"], {}, None)
    message = {"intent": {"name": item["intent"]}, "text": "en hoe zit dat dan", "entities": []}
    sent, _ = answer_turn(message, [first.text], slots={"last_answer": first.answer_id})
    assert [m["text"] for m in sent] == [
        content().dialogue_text("answer_repeated_more"),
        content().more(first.answer_id).text,
    ]


def test_an_answer_without_more_text_is_not_repeated_but_offers_a_person():
    item = next(
        i
        for i in content().answers
        if not i.get("more") and not i.get("entity") and i.get("intent", "").startswith("ask_")
    )
    first = choose_reply(item["intent"], {}, None)
    message = {"intent": {"name": item["intent"]}, "text": "nog een vraag daarover", "entities": []}
    sent, _ = answer_turn(message, [first.text], slots={"last_answer": first.answer_id})
    assert [m["text"] for m in sent] == [content().dialogue_text("answer_repeated")]
    assert content().human_button().payload in [b["payload"] for b in sent[0]["buttons"]]


def test_an_answer_given_earlier_but_not_in_the_last_turn_is_given_again():
    duties = choose_reply("ask_pgb_duties", {}, None)
    other = choose_reply("ask_waiting", {}, None)
    message = {
        "intent": {"name": "ask_pgb_duties"},
        "text": "wat moet een budgethouder doen",
        "entities": [],
    }
    sent, _ = answer_turn(
        message, [duties.text], [other.text], slots={"last_answer": other.answer_id}
    )
    assert [m["text"] for m in sent] == [duties.text]


# -- where the person stands (issue 22) ---------------------------------------------------
@pytest.mark.parametrize(
    "text, stage",
    [
        ("mijn vader heeft al een indicatie VV6", "indicated"),
        ("mijn moeder staat al een half jaar op de wachtlijst", "waiting"),
        ("ze woont sinds kort in het verpleeghuis", "in_care"),
        ("de indicatie is aangevraagd bij het ciz", "applying"),
        ("ze heeft net een indicatie gekregen en staat nu op de wachtlijst", "waiting"),
        ("wat is een indicatie", None),
        ("als mijn moeder een indicatie heeft, wat dan?", None),
        # more ways to say it (December 2026)
        ("opa woont sinds vorig jaar oktober in een zorgcentrum", "in_care"),
        ("mijn tante is vorige maand verhuisd naar een woongroep", "in_care"),
        ("het ciz heeft hem een lg4 toegekend", "indicated"),
        ("ik ben in oktober geïndiceerd", "indicated"),
        ("ze staat bij drie huizen op de lijst", "waiting"),
        ("de aanvraag is vorige week verstuurd", "applying"),
        ("we hebben nog geen indicatie", None),
        ("oma heeft sinds gisteren een wlz indicatie", "indicated"),
        ("er loopt nu een aanvraag bij het ciz", "applying"),
        # an indication asked for is an application, not a decision (a worried daughter)
        ("we hebben vorige week een indicatie aangevraagd bij het ciz", "applying"),
        ("we hebben een indicatie voor haar aangevraagd", "applying"),
    ],
)
def test_the_stage_is_read_from_what_people_write(text: str, stage) -> None:
    from actions.situation import stage_of

    assert stage_of(text) == stage


def test_the_next_step_follows_the_stage_and_is_remembered() -> None:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionAnswer

    def run(text: str, intent: str, slots: dict):
        message = {
            "intent": {"name": intent, "confidence": 0.99},
            "text": text,
            "entities": [],
            "intent_ranking": [{"name": intent, "confidence": 0.99}],
        }
        dispatcher = CollectingDispatcher()
        events = ActionAnswer().run(
            dispatcher, Tracker("c", slots, message, [], False, None, {}, ""), {}
        )
        return events, dispatcher.messages

    events, _ = run("mijn moeder staat al een half jaar op de wachtlijst", "ask_waiting", {})
    assert {"event": "slot", "timestamp": None, "name": "stage", "value": "waiting"} in events
    _, messages = run("wat is de volgende stap", "next_step", {"stage": "waiting"})
    assert messages[0]["text"].startswith(
        "U wacht op een plek. Vraag de zorgaanbieder welke wachtstatus"
    )
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "/ask_waiting",
        "/ask_bridging_care",
        "/ask_mediation",
    ]
    _, messages = run("wat moet ik nu doen", "ask_first_steps", {"stage": "indicated"})
    assert messages[0]["text"].startswith("Er is een indicatie. Nu kiest u de vorm van zorg")
    # nothing known yet (and no flow to resume): the next step from the start of the route
    _, messages = run("wat is de volgende stap", "next_step", {})
    assert messages[0]["text"].startswith("U zoekt uit of de Wlz past. Praat eerst met de huisarts")
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "/start_route_guide",
        "/ask_indication_apply",
        "/ask_client_support",
    ]
    # going back or skipping outside a flow still says there is nothing to go back to
    _, messages = run("terug", "go_back", {})
    assert messages[0]["text"].startswith("U was nog niet bezig met een stappenplan")


def test_a_stage_stated_without_a_question_gets_the_next_step_and_the_care_receiver_stays() -> None:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionAnswer, ActionFallbackSuggest

    message = {
        "intent": {"name": "nlu_fallback", "confidence": 0.3},
        "entities": [],
        "text": "ze heeft vorige maand al een indicatie gekregen, vv5",
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}],
    }
    dispatcher = CollectingDispatcher()
    events = ActionFallbackSuggest().run(
        dispatcher, Tracker("c", {"relatie": "moeder"}, message, [], False, None, {}, ""), {}
    )
    assert dispatcher.messages[0]["text"].startswith(
        "Er is een indicatie. Nu kiest u de vorm van zorg"
    )
    assert {"event": "slot", "timestamp": None, "name": "stage", "value": "indicated"} in events

    message = {
        "intent": {"name": "ask_own_contribution", "confidence": 0.95},
        "text": "hoeveel moet ze dan zelf betalen, mijn vader woont nog thuis",
        "entities": [{"entity": "relatie", "value": "vader"}],
        "intent_ranking": [{"name": "ask_own_contribution", "confidence": 0.95}],
    }
    dispatcher = CollectingDispatcher()
    ActionAnswer().run(
        dispatcher, Tracker("c", {"relatie": "moeder"}, message, [], False, None, {}, ""), {}
    )
    assert (
        "uw moeder" in dispatcher.messages[0]["text"]
        and "uw vader" not in dispatcher.messages[0]["text"]
    )


def test_a_plain_no_is_still_a_no() -> None:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionAnswer

    message = {
        "intent": {"name": "deny", "confidence": 0.99},
        "text": "nee hoor",
        "entities": [],
        "intent_ranking": [{"name": "deny", "confidence": 0.99}],
    }
    dispatcher = CollectingDispatcher()
    ActionAnswer().run(dispatcher, Tracker("c", {}, message, [], False, None, {}, ""), {})
    assert "bezwaar" not in dispatcher.messages[0]["text"].lower()


def test_a_relative_named_as_the_carer_does_not_replace_the_person_the_care_is_for() -> None:
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.answers import ActionAnswer

    message = {
        "intent": {"name": "ask_pgb_family_pay", "confidence": 0.99},
        "text": "mag ik mijn zus betalen uit het pgb",
        "entities": [{"entity": "relatie", "value": "zus", "start": 15, "end": 18}],
        "intent_ranking": [{"name": "ask_pgb_family_pay", "confidence": 0.99}],
    }
    dispatcher = CollectingDispatcher()
    events = ActionAnswer().run(
        dispatcher, Tracker("c", {"relatie": "schoonvader"}, message, [], False, None, {}, ""), {}
    )
    assert not any(e.get("name") == "relatie" and e.get("value") == "zus" for e in events)
    assert "uw zus" not in dispatcher.messages[0]["text"]


def test_in_laws_are_named_as_in_laws() -> None:
    assert content().render("{naaste} woont thuis.", "schoonvader") == "Uw schoonvader woont thuis."


def test_where_the_person_stands_is_kept_when_the_turn_asks_back() -> None:
    """A stage said in a message the bot was unsure about is still kept for "wat nu?" later."""
    message = {
        "intent": {"name": "ask_waiting", "confidence": 0.3},
        "text": "vader zit sinds maart in het verpleeghuis",
        "entities": [],
        "intent_ranking": [
            {"name": "ask_waiting", "confidence": 0.3},
            {"name": "ask_care_plan", "confidence": 0.29},
        ],
    }
    sent, events = answer_turn(message)
    assert "Bedoelt u" in sent[0]["text"]
    assert {"event": "slot", "name": "stage", "value": "in_care"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


@pytest.mark.parametrize(
    "text, code",
    [
        ("mijn vader heeft een indicatie VG6", "vg6"),
        ("wat is vv 05", "vv5"),
        ("ze heeft 5VV gekregen", "vv5"),
        ("VV9b", "vv9b"),
        ("wat is een pgb", None),
    ],
)
def test_a_zorgprofiel_code_is_read_as_typed(text: str, code) -> None:
    from actions.situation import care_profile_code

    assert care_profile_code(text) == code


def test_a_stated_code_is_explained_for_that_code() -> None:
    message = {
        "intent": {"name": "ask_care_profile", "confidence": 0.9},
        "text": "mijn vader heeft sinds kort vg6",
        "entities": [{"entity": "sector", "value": "ghz"}],
        "intent_ranking": [{"name": "ask_care_profile", "confidence": 0.9}],
    }
    sent, events = answer_turn(message)
    assert sent[0]["text"].startswith("VG6 is een zorgprofiel") and "gedrag" in sent[0]["text"]
    assert {"event": "slot", "name": "last_answer", "value": "term:zorgprofiel_vg6"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


# -- the writer's own worry (issue 21: a worried daughter's first message) -------------------
@pytest.mark.parametrize(
    "text, worried",
    [
        ("hij valt steeds vaker, ik ben zo bang", True),
        ("We maken ons echt zorgen om oma", True),
        ("het valt me allemaal zo zwaar", True),
        ("ik weet niet meer wat ik moet doen met mijn vader", True),
        ("ik ben zo bang dat ze weer valt", True),
        ("ik zie door de bomen het bos niet meer", True),
        # about someone else, or a figure of speech: no acknowledgement of the writer's fear
        ("mijn moeder is bang om te verhuizen", False),
        ("ik ben bang dat het te duur wordt", False),
        ("wat kost een verpleeghuis", False),
        ("ik zie er doorheen hoe het werkt", False),
    ],
)
def test_the_writers_own_worry_is_heard(text: str, worried: bool) -> None:
    from actions.situation import expresses_worry

    assert expresses_worry(text) is worried


ACKNOWLEDGEMENT = (
    "Wat naar dat u zich zo zorgen maakt. We zoeken het samen stap voor stap uit. Wilt u liever "
    "met een mens praten? Kies dan 'Praat met een medewerker'."
)


def test_a_worried_first_message_is_acknowledged_once_before_the_answer() -> None:
    first_steps = choose_reply("ask_first_steps", {}, None)
    message = {
        "intent": {"name": "ask_first_steps", "confidence": 0.95},
        "text": "hij valt steeds vaker, ik ben zo bang",
        "entities": [],
        "intent_ranking": [{"name": "ask_first_steps", "confidence": 0.95}],
    }
    sent, _ = answer_turn(message)
    assert [m["text"] for m in sent] == [ACKNOWLEDGEMENT, first_steps.text]
    assert sent[0]["buttons"] == [
        {"title": "Praat met een medewerker", "payload": "/request_human"}
    ]
    # said once: the next worried message gets the answer alone
    message = {
        "intent": {"name": "ask_waiting", "confidence": 0.95},
        "text": "ik maak me zorgen over de wachtlijst",
        "entities": [],
        "intent_ranking": [{"name": "ask_waiting", "confidence": 0.95}],
    }
    sent, _ = answer_turn(message, [ACKNOWLEDGEMENT, first_steps.text])
    assert [m["text"] for m in sent] == [choose_reply("ask_waiting", {}, None).text]


def test_a_worn_out_carer_is_offered_rest_as_well_as_a_person() -> None:
    message = {
        "intent": {"name": "ask_first_steps", "confidence": 0.95},
        "text": "het valt me allemaal zo zwaar met mijn moeder",
        "entities": [],
        "intent_ranking": [{"name": "ask_first_steps", "confidence": 0.95}],
    }
    sent, _ = answer_turn(message)
    assert sent[0]["text"] == (
        "Wat zwaar voor u. Goed dat u het zegt. We zoeken het samen stap voor stap uit. Heeft u "
        "zelf even rust nodig? Kies dan 'Logeeropvang'. Wilt u liever met een mens praten? Kies "
        "dan 'Praat met een medewerker'."
    )
    assert sent[0]["buttons"] == [
        {"title": "Logeeropvang", "payload": "/ask_respite_stay"},
        {"title": "Praat met een medewerker", "payload": "/request_human"},
    ]
    # once per conversation, whichever of the two was said
    said = [sent[0]["text"], sent[1]["text"]]
    sent, _ = answer_turn({**message, "text": "ik ben ook zo bang dat ze valt"}, said)
    assert sent and not any(m["text"] in (said[0], ACKNOWLEDGEMENT) for m in sent)


def test_a_worn_out_message_that_asks_nothing_gets_no_sorry() -> None:
    """ "het valt me zo zwaar": heard, then where to start; not "Sorry, dat begreep ik niet"."""
    events, messages = fallback_run("nlu_fallback", "het valt me allemaal zo zwaar", [])
    said = [m for m in messages if m.get("text")]
    assert said[0]["text"].startswith("Wat zwaar voor u.")
    assert said[1]["text"] == "Waar wilt u mee beginnen? Kies een onderwerp, of typ uw vraag."
    assert said[1]["buttons"] and len(said) == 2
    assert {"event": "slot", "name": "fallback_count", "value": 0} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_a_stage_with_a_zorgprofiel_gets_the_code_and_the_next_step_not_a_question() -> None:
    """A first message that says where they stand, with its code, is answered from there."""
    message = {
        "intent": {"name": "ask_indication_other_care", "confidence": 0.3},
        "text": "mijn moeder heeft sinds vorige maand een indicatie vv5",
        "entities": [],
        "intent_ranking": [
            {"name": "ask_indication_other_care", "confidence": 0.3},
            {"name": "ask_care_profile", "confidence": 0.28},
        ],
    }
    sent, events = answer_turn(message)
    texts = [m["text"] for m in sent if m.get("text")]
    assert texts[0].startswith("VV5 is een zorgprofiel")
    assert texts[1] == choose_reply("next_step", {}, "moeder", "indicated").text
    assert not any("Bedoelt u" in t for t in texts)
    assert {"event": "slot", "name": "stage", "value": "indicated"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


def test_a_zorgprofiel_about_a_relative_speaks_of_that_relative() -> None:
    reply = content().explain_term("zorgprofiel_vv5", "moeder")
    assert reply.text == (
        "VV5 is een zorgprofiel bij dementie. De naam is: beschermd wonen. Uw moeder woont dan in "
        "een huis met zorg. Er is veel hulp en toezicht."
    )
    assert "U woont" in content().explain_term("zorgprofiel_vv5").text


def _refusal_after(answer_id: str, text: str) -> tuple[str, str]:
    """What "en als ze nee zeggen?" gets right after an answer: the texts and the answer id."""
    earlier = content().answer(content().topic_of(answer_id) or "")
    assert earlier is not None
    message = {"intent": {"name": "ask_objection", "confidence": 1.0}, "text": text}
    sent, events = answer_turn(message, [earlier.text], slots={"last_answer": answer_id})
    answered = [e["value"] for e in events if e.get("name") == "last_answer"]
    return " ".join(m["text"] for m in sent), answered[-1]


def test_a_refusal_question_is_about_what_was_just_discussed():
    # a complaint the care home ignores: the complaint route goes on (geschilleninstantie)
    said, answered = _refusal_after("complaint", "en als ze er niks mee doen?")
    assert answered == "complaint" and "geschilleninstantie" in said
    # care that is not given as agreed, and they do not listen: a complaint
    said, answered = _refusal_after("unhappy_with_care", "en als ze niet luisteren?")
    assert answered == "complaint" and "klachtenfunctionaris" in said
    # the partner may not move in along: the zorgkantoor can help find a place
    said, answered = _refusal_after(
        "living_together", "en als de instelling zegt dat dat niet kan?"
    )
    assert answered == "mediation"


def test_a_refusal_question_after_other_answers_is_about_bezwaar():
    said, answered = _refusal_after("indication_apply", "en als het ciz nee zegt?")
    assert answered == "objection" and "bezwaar" in said


def test_what_to_do_right_after_a_crisis_reply_gets_the_door_again():
    # "mijn vader sloeg me net" got the huisarts's door; "wat moet ik doen" then got the first
    # steps towards a Wlz indication
    message = {"intent": {"name": "next_step", "confidence": 1.0}, "text": "wat moet ik doen"}
    sent, events = answer_turn(
        message, ["Bel dan 112."], slots={"last_answer": "crisis:danger_home"}
    )
    said = " ".join(m["text"] for m in sent)
    assert "112" in said and "huisarts" in said and "indicatie" not in said
    # asked once more, it is about the route: the door is not repeated for ever
    repeated = [e["value"] for e in events if e.get("name") == "last_answer"][-1]
    sent, _ = answer_turn(message, ["Bel dan 112."], slots={"last_answer": repeated})
    assert "112" not in " ".join(m["text"] for m in sent)
    # after another answer the same question is about the route again
    sent, _ = answer_turn(message, ["Een pgb is ..."], slots={"last_answer": "pgb_what"})
    assert "112" not in " ".join(m["text"] for m in sent)


def test_a_question_read_as_navigation_outside_a_flow_asks_which_topic():
    # "mag ik mijn zus daarvan betalen" was read as skip and got "U was nog niet bezig met..."
    message = {
        "intent": {"name": "skip", "confidence": 0.74},
        "intent_ranking": [
            {"name": "skip", "confidence": 0.74},
            {"name": "ask_pgb_family_pay", "confidence": 0.08},
            {"name": "ask_own_contribution", "confidence": 0.06},
        ],
        "text": "mag ik mijn zus daarvan betalen",
        "entities": [{"entity": "relatie", "value": "zus"}],
    }
    sent, events = answer_turn(message, ["Een pgb is ..."], slots={"relatie": "moeder"})
    buttons = [b["payload"] for m in sent for b in m.get("buttons", [])]
    assert "/ask_pgb_family_pay" in buttons and "/ask_own_contribution" in buttons
    # the sister is the carer here, not the one the care is for
    assert not any(e.get("name") == "relatie" and e.get("value") == "zus" for e in events)
    # a short "waar was ik" outside a flow still says there is nothing to resume
    message = {"intent": {"name": "where_was_i", "confidence": 0.9}, "text": "waar was ik"}
    sent, _ = answer_turn(message, ["Een pgb is ..."])
    assert sent[0]["text"] == content().dialogue_text("nothing_to_resume")


def test_what_to_do_after_exhaustion_is_the_next_step_of_the_route():
    message = {"intent": {"name": "next_step", "confidence": 1.0}, "text": "wat moet ik doen"}
    sent, _ = answer_turn(
        message, ["Wat zwaar voor u."], slots={"last_answer": "crisis:carer_exhaustion"}
    )
    assert sent[0]["text"] == content().dialogue_text("next_step_orienting")


def test_a_next_step_question_is_answered_from_the_stage_the_person_named():
    # "wat kan ik in de tussentijd doen" after "de aanvraag loopt" was read (sure) as care while
    # waiting for a place
    message = {
        "intent": {"name": "ask_bridging_care", "confidence": 0.9},
        "text": "wat kan ik in de tussentijd doen",
    }
    sent, _ = answer_turn(message, ["..."], slots={"stage": "applying"})
    assert sent[0]["text"] == content().dialogue_text("next_step_applying")
