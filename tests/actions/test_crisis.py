"""The safety layer's reply (actions/crisis.py): the door first, only doors open now, a person."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from actions.content import content
from actions.crisis import crisis_check, crisis_reply

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TUESDAY_MORNING = datetime(2026, 12, 8, 10, 0, tzinfo=AMSTERDAM)  # zorgkantoor and huisarts open
SATURDAY_NIGHT = datetime(2026, 12, 12, 23, 30, tzinfo=AMSTERDAM)  # both closed
TUESDAY_EVENING = datetime(
    2026, 12, 8, 17, 15, tzinfo=AMSTERDAM
)  # zorgkantoor open, huisarts closed


@pytest.mark.parametrize(
    "category, first_number",
    [
        ("medical", "112"),
        ("suicide", "113"),
        ("abuse", "0800-2000"),
        ("danger_home", "112"),
        ("care_loss", "huisarts"),
        ("carer_exhaustion", "huisarts"),
    ],
)
def test_each_category_names_its_door_first(category: str, first_number: str) -> None:
    # the number in the first sentences; an exhausted carer is acknowledged first (three short ones)
    reply = crisis_reply(category, TUESDAY_MORNING, flow_paused=False, in_handoff=False)
    assert first_number in reply.door.text[:110]


def test_the_numbers_are_links_to_call() -> None:
    assert crisis_reply("medical", SATURDAY_NIGHT, flow_paused=False, in_handoff=False).calls == [
        {"title": "Bel 112", "number": "112"}
    ]
    assert crisis_reply("suicide", SATURDAY_NIGHT, flow_paused=False, in_handoff=False).calls == [
        {"title": "Bel 113 (gratis)", "number": "113"},
        {"title": "Bel 0800-0113 (gratis)", "number": "08000113"},
        {"title": "Bel 112", "number": "112"},
    ]
    assert {"title": "Bel Veilig Thuis 0800-2000", "number": "08002000"} in crisis_reply(
        "abuse", SATURDAY_NIGHT, flow_paused=False, in_handoff=False
    ).calls


def test_in_office_hours_the_zorgkantoor_and_the_huisarts_are_named() -> None:
    reply = crisis_reply("care_loss", TUESDAY_MORNING, flow_paused=False, in_handoff=False)
    assert "Bel dan nu uw huisarts." in reply.door.text
    assert "0800-0000000" in reply.door.text  # the zorgkantoor's number from settings.yml
    assert [b.payload for b in reply.closing.buttons] == ["/request_human"]


def test_outside_office_hours_only_open_doors_are_named() -> None:
    reply = crisis_reply("care_loss", SATURDAY_NIGHT, flow_paused=False, in_handoff=False)
    assert "Bel dan nu de huisartsenpost." in reply.door.text
    assert "uw huisarts" not in reply.door.text
    assert "0800-0000000" not in reply.door.text and "is nu gesloten" in reply.door.text
    # no chat now: a call on the next working day, said as such
    assert "is nu gesloten" in reply.closing.text
    assert [b.payload for b in reply.closing.buttons] == ["/request_callback"]


def test_after_five_the_huisartsenpost_while_the_office_is_still_open() -> None:
    reply = crisis_reply("danger_home", TUESDAY_EVENING, flow_paused=False, in_handoff=False)
    assert "Bel dan de huisartsenpost." in reply.door.text


def test_a_paused_flow_can_be_picked_up_again() -> None:
    reply = crisis_reply("medical", TUESDAY_MORNING, flow_paused=True, in_handoff=False)
    assert reply.closing.buttons[-1].payload == "/where_was_i"
    assert "verder waar u was" in reply.closing.text


def test_inside_the_handoff_form_the_form_goes_on() -> None:
    reply = crisis_reply("abuse", TUESDAY_MORNING, flow_paused=False, in_handoff=True)
    assert reply.closing is None
    assert reply.closing_text_only == "Daarna gaan we verder met de vragen voor een medewerker."


def test_no_reply_asks_for_personal_data_or_promises_tonight() -> None:
    registry = content()
    for category in registry.crisis["categories"]:
        for moment in (TUESDAY_MORNING, SATURDAY_NIGHT):
            reply = crisis_reply(category, moment, flow_paused=True, in_handoff=False)
            text = f"{reply.door.text} {reply.closing.text}".lower()
            for word in (
                "uw naam",
                "telefoonnummer",
                "bsn",
                "adres",
                "vannacht opgelost",
                "wij regelen",
            ):
                assert word not in text, (category, word)


def test_a_crisis_only_the_classifier_read_is_checked_with_the_door_first() -> None:
    reply, calls = crisis_check("medical", SATURDAY_NIGHT, "ask_waiting")
    assert reply.text.startswith(
        "Ik wil zeker weten dat het goed gaat. Is iemand nu ernstig ziek of in "
        "gevaar? Bel dan direct 112."
    )
    assert [b.payload for b in reply.buttons] == ["/crisis_medical", "/ask_waiting"]
    assert calls == [{"title": "Bel 112", "number": "112"}]


def test_the_check_offers_help_when_the_other_topic_has_no_title() -> None:
    reply, _ = crisis_check("care_loss", TUESDAY_MORNING, "nlu_fallback")
    assert "Bel dan uw huisarts." in reply.text
    assert reply.buttons[-1].payload == "/help"
