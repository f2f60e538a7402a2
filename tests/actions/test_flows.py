"""The guided-flow engine and its conclusions, branch by branch, without Rasa."""

from __future__ import annotations

import pytest

from actions.content import Reply
from actions.flows import engine
from actions.flows.engine import Turn, advance, flow, prompt, start
from actions.flows.results import advise, checklist, finish, signals_from


def say(state, text, intent=None, confidence=0.0, side=None):
    return advance(state, Turn(text, intent, confidence), side)


def run(name, *texts):
    state = start(name)
    for text in texts:
        state = say(state, text).state
    return state


def all_text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


# -- the stappenplan -----------------------------------------------------------------
def test_route_guide_walks_forward_and_back_and_shows_progress():
    state = start("route_guide")
    assert all_text(prompt(state)).startswith("Stap 1 van 5: Vóór de Wlz")
    state = say(state, "volgende stap").state
    assert state["index"] == 1 and "Stap 2 van 5" in all_text(prompt(state))
    state = say(state, "/go_back", "go_back", 1.0).state
    assert state["index"] == 0
    outcome = say(state, "terug")
    assert outcome.state["index"] == 0 and "eerste stap" in all_text(outcome.messages)


def test_route_guide_ends_after_the_last_step_with_next_buttons():
    state = run("route_guide", *["volgende"] * 5)
    assert state["phase"] == "done"
    result = finish(state)
    assert "laatste stap" in result.messages[0].text
    assert [b.payload for b in result.messages[0].buttons] == [
        "/start_choice_aid",
        "/start_personal_plan",
        "/request_human",
    ]


def test_where_was_i_repeats_the_current_step_without_moving():
    state = run("route_guide", "volgende", "volgende")
    outcome = say(state, "waar was ik?", "where_was_i", 0.9)
    assert outcome.state["index"] == 2 and "gebleven" in all_text(outcome.messages)


def test_unclear_input_on_a_step_asks_for_a_button():
    outcome = say(start("route_guide"), "blablabla", "out_of_scope", 0.4)
    assert outcome.state["index"] == 0 and "knoppen" in all_text(outcome.messages)


# -- side questions and stopping -------------------------------------------------------
def test_side_question_is_answered_and_the_flow_resumes():
    state = run("choice_aid", "ja")
    answer = Reply("Een pgb is een budget.")
    outcome = say(
        state, "wat is een pgb eigenlijk?", "ask_pgb_what", 0.95, side=lambda turn: answer
    )
    assert outcome.messages[0] is answer
    assert "Zullen we verdergaan met de keuzehulp?" in outcome.messages[1].text
    assert outcome.state == state


def test_a_plan_answer_that_resembles_a_topic_is_kept_as_an_answer():
    state = run("personal_plan", "voor mijzelf")
    outcome = say(
        state,
        "ik wil graag thuis blijven wonen",
        "ask_care_at_home_allowed",
        0.9,
        side=lambda turn: Reply("side"),
    )
    assert outcome.state["answers"]["belangrijk"] == "ik wil graag thuis blijven wonen"
    assert not outcome.messages


@pytest.mark.parametrize(
    "for_whom,expected",
    [
        ("voor mijn moeder Ans", "Wat is belangrijk in het leven van uw moeder?"),
        ("mijn vader", "Wat is belangrijk in het leven van uw vader?"),
        ("voor mijn man", "Wat is belangrijk in het leven van uw partner?"),
        ("voor mijzelf", "Wat is belangrijk in uw leven?"),
        ("Ans", "Wat is belangrijk in uw leven?"),  # no relation named: ask plainly
    ],
)
def test_plan_questions_speak_about_the_person_the_plan_is_for(for_whom, expected):
    state = run("personal_plan", for_whom)
    assert expected in all_text(prompt(state))


def test_plan_for_a_relative_keeps_that_wording_after_going_back():
    state = run("personal_plan", "voor mijn moeder", "haar kleinkinderen", "terug")
    assert "het leven van uw moeder" in all_text(prompt(state))


def test_stop_asks_for_confirmation_then_cancels():
    state = run("personal_plan", "voor mijn vader")
    asked = say(state, "stop", "stop", 0.9).state
    assert asked["phase"] == "confirm_stop" and "stoppen" in all_text(prompt(asked))
    cancelled = say(asked, "/affirm", "affirm", 1.0)
    assert cancelled.done and cancelled.state == {"flow": "personal_plan", "phase": "cancelled"}
    assert finish(cancelled.state).cancelled


def test_denying_the_stop_continues_where_it_was():
    state = run("personal_plan", "voor mijn vader")
    resumed = say(say(state, "stoppen").state, "nee", "deny", 0.9).state
    assert resumed["phase"] == "questions" and resumed["index"] == 1
    assert resumed["answers"] == {"voor_wie": "voor mijn vader"}


def test_the_message_that_started_the_flow_is_no_answer():
    state = start("choice_aid")
    outcome = say(state, "/start_choice_aid", "start_choice_aid", 1.0)
    assert outcome.state == state and not outcome.messages


def test_starting_another_flow_mid_flow_keeps_the_current_one():
    state = run("pgb_check", "Ja, dat weet ik")
    outcome = say(state, "ik wil een persoonlijk plan maken", "start_personal_plan", 0.9)
    assert outcome.state == state and "pgb-check" in all_text(outcome.messages)


# -- choices ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "typed,intent,expected",
    [
        ("Nee, liever in een instelling", None, "nee"),
        ("2", None, "nee"),
        ("ja", "affirm", "ja"),
        ("nee hoor", "deny", "nee"),
        ("weet ik niet", "skip", "weet_niet"),
        ("ik wil eigenlijk liever in een instelling", None, "nee"),
    ],
)
def test_choice_by_button_number_or_words(typed, intent, expected):
    state = say(start("choice_aid"), typed, intent, 0.9).state
    assert state["answers"]["thuis"] == expected


def test_typed_words_inside_one_option_title_choose_it():
    state = run("choice_aid", "ja", "ja", "ja", "nee", "nee")
    assert state["answers"] == {
        "thuis": "ja",
        "toezicht": "ja",
        "netwerk": "ja",
        "zelf_regelen": "nee",
        "aanbieder": "nee",
    }
    assert say(state, "ik wacht al heel lang").state["answers"]["wachten"] == "lang"
    state = say(state, "wacht al lang").state
    assert state["answers"]["wachten"] == "lang" and state["phase"] == "done"


def test_follow_up_question_only_when_it_applies_and_forgotten_when_not():
    with_provider = run("choice_aid", "ja", "ja", "ja", "nee", "ja")
    assert engine.current(with_provider).id == "aanbieder_kan"
    assert engine.progress(with_provider) == (6, 7)
    answered = say(with_provider, "Nee, dat kan niet").state
    back = say(say(answered, "terug").state, "terug").state
    assert engine.current(back).id == "aanbieder"
    changed = say(back, "nee").state
    assert "aanbieder_kan" not in changed["answers"] and engine.current(changed).id == "wachten"


def test_unparseable_choice_is_asked_again_kindly():
    outcome = say(start("choice_aid"), "misschien volgend jaar", None, 0.2)
    assert "thuis" not in outcome.state["answers"] and "knoppen" in all_text(outcome.messages)


# -- free text -------------------------------------------------------------------------
def test_text_answers_skip_empty_and_too_long():
    state = start("personal_plan")
    assert "Vraag 1 van 9" in all_text(prompt(state))
    skipped = say(state, "sla over", "skip", 0.9).state
    assert skipped["answers"] == {"voor_wie": None} and skipped["index"] == 1
    empty = say(skipped, "   ")
    assert empty.state == skipped and "geen antwoord" in all_text(empty.messages)
    long = say(skipped, "a" * (engine.MAX_TEXT_LENGTH + 1))
    assert long.state == skipped and "te lang" in all_text(long.messages)


def test_plan_summary_edit_and_consent():
    answers = [f"antwoord {n}" for n in range(1, 10)]
    state = run("personal_plan", *answers)
    assert state["phase"] == "summary"
    summary = all_text(prompt(state))
    assert (
        "1. Voor wie: antwoord 1" in summary
        and "9. Wat zorgverleners moeten weten: antwoord 9" in summary
    )
    editing = say(state, "wijzig 3").state
    assert editing["phase"] == "questions" and engine.current(editing).id == "dag"
    edited = say(editing, "koffie en de krant")
    assert (
        edited.state["phase"] == "summary"
        and edited.state["answers"]["dag"] == "koffie en de krant"
    )
    consent = say(edited.state, "klopt", "affirm", 0.9).state
    assert consent["phase"] == "consent"
    saved = say(consent, "ja graag", "affirm", 0.9)
    assert saved.done and finish(saved.state).save_plan
    result = finish(saved.state)
    assert (
        result.plan["answers"]["dag"] == "koffie en de krant"
        and result.plan["labels"]["dag"] == "Een gewone dag"
    )


def test_every_summary_of_plan_answers_is_marked_so_the_service_does_not_store_it():
    from rasa_sdk.executor import CollectingDispatcher

    from actions.flow_actions import send_all

    state = run("personal_plan", *["mama Jannie, bel 0612345678"] * 9)
    edited = say(say(state, "wijzig 2").state, "iets anders")  # the summary again, after an edit
    for replies in (prompt(state), prompt(edited.state)):
        dispatcher = CollectingDispatcher()
        send_all(dispatcher, replies)
        sent = dispatcher.messages
        with_answers = [i for i, m in enumerate(sent) if "Jannie" in (m.get("text") or "")]
        assert with_answers, "the summary repeats the answers"
        for index in with_answers:
            assert sent[index + 1]["custom"] == {"private_reply": True}


def test_plan_without_consent_is_not_saved_and_edit_button_asks_which():
    state = run("personal_plan", *["x"] * 9)
    which = say(state, "/go_back", "go_back", 1.0)
    assert which.state["phase"] == "summary" and "nummer" in all_text(which.messages)
    refused = say(say(state, "ja", "affirm", 0.9).state, "nee", "deny", 0.9)
    assert refused.done and not finish(refused.state).save_plan


# -- conclusions -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "answers,fits,less",
    [
        ({"thuis": "nee"}, ["verblijf_wish"], ["home_forms_not_wished"]),
        (
            {"thuis": "ja", "toezicht": "ja", "netwerk": "nee"},
            ["vpt_supervision", "verblijf_supervision"],
            ["verblijf_not_wished"],
        ),
        (
            {"thuis": "ja", "toezicht": "nee", "netwerk": "ja", "zelf_regelen": "ja"},
            ["mpt_network", "pgb_combination"],
            ["verblijf_not_wished"],
        ),
        (
            {"thuis": "ja", "toezicht": "ja", "netwerk": "ja", "zelf_regelen": "ja"},
            ["vpt_supervision", "pgb_self"],
            ["verblijf_not_wished"],
        ),
        (
            {"thuis": "ja", "toezicht": "nee", "netwerk": "nee", "zelf_regelen": "nee"},
            ["mpt_home"],
            ["verblijf_not_wished", "pgb_not_wished"],
        ),
        ({"thuis": "weet_niet", "zelf_regelen": "weet_niet"}, ["pgb_unsure"], []),
        ({"thuis": "weet_niet", "zelf_regelen": "ja"}, ["pgb_self"], []),
    ],
)
def test_advice_for_each_situation(answers, fits, less):
    advice = advise(answers)
    assert advice.fits == fits and advice.less == less


@pytest.mark.parametrize(
    "answers,expected",
    [
        ({"thuis": "weet_niet"}, ["weet_niet_welke_vorm"]),
        ({"toezicht": "weet_niet", "zelf_regelen": "weet_niet"}, ["weet_niet_welke_vorm"]),
        ({"aanbieder": "nee"}, ["geen_voorkeursaanbieder"]),
        ({"aanbieder": "ja", "aanbieder_kan": "nee"}, ["aanbieder_kan_niet"]),
        ({"wachten": "geen_plek"}, ["geen_plek_voorkeur"]),
        ({"wachten": "lang", "zelf_regelen": "ja"}, ["wacht_te_lang", "wens_pgb"]),
        ({"thuis": "ja", "wachten": "nee", "aanbieder": "ja", "aanbieder_kan": "ja"}, []),
    ],
)
def test_active_approach_signals(answers, expected):
    assert signals_from(answers) == expected


def test_signals_lead_to_a_kind_offer_of_help_never_a_decision():
    state = run("choice_aid", "weet ik niet", "weet ik niet", "ja", "weet ik niet", "nee", "nee")
    result = finish(state)
    text = all_text(result.messages)
    assert "veel tegelijk" in text and "cliëntondersteuner" in text
    assert "/request_human" in [b.payload for b in result.messages[-1].buttons]
    assert {"weet_niet_welke_vorm", "geen_voorkeursaanbieder"} <= set(result.signals)


def test_no_signals_means_you_decide():
    state = run("choice_aid", "nee", "ja", "ja", "nee", "ja", "ja", "nee")
    result = finish(state)
    assert "U beslist zelf" in result.messages[-1].text and result.signals == []


def test_pgb_checklist_sorts_each_answer():
    listed = checklist(
        {
            "kiezen": "helder",
            "afspraken": "regelen",
            "svb": "vragen",
            "verantwoorden": "helder",
            "vertegenwoordiger": "helder_iemand",
            "waarom": "alleen_pgb",
        }
    )
    assert listed.clear == ["kiezen", "verantwoorden", "vertegenwoordiger"]
    assert listed.arrange == ["afspraken", "waarom"]
    assert listed.ask == ["svb", "waarom"] and listed.only_pgb_provider


def test_pgb_check_ends_with_a_checklist_support_and_no_promise():
    state = run(
        "pgb_check",
        "Ja, dat weet ik",
        "nee",
        "ja",
        "Daar wil ik hulp bij",
        "Ja, er is iemand",
        "Mijn aanbieder werkt alleen met pgb",
    )
    assert state["phase"] == "done"
    text = all_text(finish(state).messages)
    assert "Dit is al duidelijk:\n- U weet wie de zorg geeft." in text
    assert "Zoek hulp bij het maken van afspraken." in text and "geen vrije keuze" in text
    assert "geen besluit" in text
    for promise in ("u krijgt een pgb", "u krijgt geen pgb"):
        assert promise not in text.lower()


def test_every_flow_question_has_a_source_and_fits_b1_length():
    for name in engine.FLOW_BY_INTENT.values():
        for question in flow(name).questions:
            assert question.sources, f"{name}.{question.id}"
            assert len(question.text.split()) <= 45, f"{name}.{question.id}"


def test_a_button_answer_that_nlu_reads_as_a_topic_is_still_an_answer():
    outcome = say(
        start("choice_aid"),
        "Ja, thuis blijven",
        "ask_care_at_home_allowed",
        0.88,
        side=lambda turn: Reply("side"),
    )
    assert outcome.state["answers"] == {"thuis": "ja"} and not outcome.messages


@pytest.mark.parametrize(
    "name, question_id, text, expected",
    [
        # typed answers that share words with one option
        ("choice_aid", "thuis", "liefst blijf ik gewoon thuis", "ja"),
        ("pgb_check", "afspraken", "lukt wel", "helder"),
        ("pgb_check", "afspraken", "hulp graag", "regelen"),
        ("pgb_check", "vertegenwoordiger", "dat doe ik zelf", "helder"),
        # a negation the option lacks, a question, or no shared word: asked again
        ("pgb_check", "afspraken", "dat lukt niet", None),
        ("pgb_check", "afspraken", "wat betekent trekkingsrecht nou eigenlijk?", None),
        ("choice_aid", "thuis", "ik wil echt niet thuis blijven", None),
        ("choice_aid", "toezicht", "s nachts is er niemand", None),
    ],
)
def test_a_typed_choice_is_read_by_the_words_it_shares(name, question_id, text, expected) -> None:
    from actions.flows.engine import parse_choice

    question = next(q for q in flow(name).questions if q.id == question_id)
    assert parse_choice(question, Turn(text)) == expected


@pytest.mark.parametrize(
    "name, question_id, text",
    [
        ("choice_aid", "thuis", "ik wil niet in een instelling"),  # a negation the option lacks
        ("choice_aid", "thuis", "ik ben blij met de thuiszorg"),  # a compound is no inflection
        ("choice_aid", "wachten", "ze staat op de wachtlijst"),
    ],
)
def test_a_typed_answer_that_only_looks_like_an_option_is_asked_again(
    name, question_id, text
) -> None:
    from actions.flows.engine import parse_choice

    question = next(q for q in flow(name).questions if q.id == question_id)
    assert parse_choice(question, Turn(text)) is None


def test_a_side_question_in_a_flow_becomes_the_answer_more_and_refusals_follow():
    """ "wat is een pgb eigenlijk?" inside the keuzehulp: answered, and remembered as the last
    answer, so "vertel meer" extends the pgb, not what came before the flow."""
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.flow_actions import ValidateFlowForm

    message = {
        "intent": {"name": "ask_pgb_what", "confidence": 0.95},
        "text": "wat is een pgb eigenlijk?",
        "entities": [],
    }
    state = start("choice_aid")
    tracker = Tracker(
        "c", {"flow_state": state, "last_answer": "waiting"}, message, [], False, None, {}, ""
    )
    dispatcher = CollectingDispatcher()
    slots = ValidateFlowForm().validate_flow_input("x", dispatcher, tracker, {})
    assert slots["last_answer"] == "pgb_what" and slots["flow_state"] == state
    # an ordinary answer to the flow's question leaves the last answer alone
    message = {"intent": {"name": "affirm", "confidence": 0.99}, "text": "ja", "entities": []}
    tracker = Tracker("c", {"flow_state": state}, message, [], False, None, {}, "")
    slots = ValidateFlowForm().validate_flow_input("ja", CollectingDispatcher(), tracker, {})
    assert "last_answer" not in slots
