"""The answer search and the second opinion: answer when sure or when both agree, else ask back."""

from __future__ import annotations

from actions.search import answer_search, second_opinion


def ranking(*pairs):
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_the_search_finds_the_topic_of_a_plain_question() -> None:
    assert (
        answer_search().rank("hoe werkt logeeropvang voor mantelzorgers")[0][0]
        == "ask_respite_stay"
    )
    assert (
        answer_search().rank("wat betaal ik zelf aan eigen bijdrage bij het CAK")[0][0]
        == "ask_own_contribution"
    )


def test_a_sure_classifier_is_answered() -> None:
    opinion = second_opinion(
        "wat is een pgb", ranking(("ask_pgb_what", 0.97), ("ask_pgb_duties", 0.01))
    )
    assert (opinion.kind, opinion.intents) == ("answer", ("ask_pgb_what",))


def test_an_unsure_classifier_that_the_search_confirms_is_answered() -> None:
    opinion = second_opinion(
        "hoe werkt logeeropvang voor mantelzorgers",
        ranking(("ask_respite_stay", 0.5), ("ask_combination", 0.3)),
    )
    assert opinion.kind == "answer"


def test_an_unsure_classifier_the_search_contradicts_asks_back_with_both() -> None:
    opinion = second_opinion(
        "wat betaal ik zelf aan eigen bijdrage bij het CAK",
        ranking(("ask_pgb_duties", 0.5), ("ask_waiting", 0.2)),
    )
    assert opinion.kind == "ask" and opinion.intents[0] == "ask_pgb_duties"
    assert "ask_own_contribution" in opinion.intents and len(opinion.intents) <= 3


def test_a_greeting_that_is_really_a_question_asks_back_a_short_one_is_a_greeting() -> None:
    question = second_opinion(
        "hallo ik zoek hulp bij het vinden van een verpleeghuis voor mijn moeder",
        ranking(("greet", 0.6), ("ask_mediation", 0.2)),
    )
    assert question.kind == "ask" and "ask_mediation" in question.intents
    assert second_opinion("hallo daar", ranking(("greet", 0.6))).kind == "answer"


def test_flows_navigation_and_words_to_explain_are_not_judged() -> None:
    for name in ("start_personal_plan", "next_step", "ask_term_meaning", "crisis_medical"):
        assert second_opinion("iets anders", ranking((name, 0.4))).kind == "answer"
