"""Both screens in a real browser: a citizen asks for a person, an adviser takes over and hands
back."""

from __future__ import annotations

import re

import pytest
from helpers import AXE, STAFF, axe_violations, screenshot

TIMEOUT = 30_000  # ms; the first answers wait for Rasa to warm up on 2 cores
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def bot_says(page, text: str) -> None:
    page.locator(".wlz-from-bot .wlz-text", has_text=text).last.wait_for(timeout=TIMEOUT)


def type_message(page, text: str) -> None:
    page.fill("#wlz-input", text)
    page.keyboard.press("Enter")


def click_choice(page, title: str) -> None:
    page.locator(".wlz-choice", has_text=title).last.click()


def signed_in_adviser(browser, stack):
    """A browser context with the adviser signed in to the portal, and its page."""
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    page.goto(stack.base + "/staff")
    page.fill("#username", STAFF["username"])
    page.fill("#password", STAFF["password"])
    page.get_by_role("button", name="Inloggen").click()
    return context, page


@pytest.fixture
def citizen(browser, stack):
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    page.goto(stack.base + "/")
    yield page
    context.close()


def test_citizen_and_adviser_end_to_end(browser, stack, citizen) -> None:
    # The citizen reads the privacy notice, starts, and begins a persoonlijk plan.
    assert "geen mens" in citizen.locator(".wlz-privacy").inner_text()
    citizen.get_by_role("button", name="Gesprek beginnen").click()
    bot_says(citizen, "Ik ben geen mens")
    type_message(citizen, "Ik wil een persoonlijk plan maken voor mijn moeder")
    bot_says(citizen, "Vraag 1 van 9")
    type_message(citizen, "Voor mijn moeder")
    bot_says(citizen, "Vraag 2 van 9")
    type_message(citizen, "Dat ze thuis kan blijven wonen bij haar kat")
    bot_says(citizen, "Vraag 3 van 9")

    # Then asks for a person with the always-visible button, and consents.
    citizen.locator(".wlz-human").click()
    bot_says(citizen, "U mag zelf kiezen met wie")
    click_choice(citizen, "Adviseur zorgkantoor")
    bot_says(citizen, "gebeld worden")
    click_choice(citizen, "Bel mij terug")
    bot_says(citizen, "Op welk telefoonnummer")
    # answered choices are history: they can no longer be clicked, the newest ones can
    assert citizen.locator(".wlz-choice", has_text="Adviseur zorgkantoor").last.is_disabled()
    assert citizen.locator(".wlz-choice", has_text="Bel mij terug").last.is_disabled()
    type_message(citizen, "06 12 34 56 78")
    click_choice(citizen, "Middags")
    bot_says(citizen, "Mag ik dit delen?")
    click_choice(citizen, "Ja, dat mag")
    bot_says(citizen, "referentienummer")
    confirmation = citizen.locator(".wlz-from-bot .wlz-text").last.inner_text()
    reference = re.search(r"WLZ-[A-Z0-9]{4}-[A-Z0-9]{2}", confirmation).group()
    screenshot(citizen, "chat-desktop")

    # The adviser signs in, finds the handoff and reads the redacted transcript.
    staff_context, staff = signed_in_adviser(browser, stack)
    staff.get_by_role("link", name=reference).click()
    staff.locator("#h-transcript").wait_for()
    transcript = staff.locator(".transcript").inner_text()
    assert "[TELEFOON]" in transcript and "06 12 34 56 78" not in transcript
    assert "Dat ze thuis kan blijven" not in transcript  # plan answers are not kept without consent
    assert (
        "/greet" not in transcript and "(opende de chat)" in transcript
    )  # button payloads read as words
    assert "Persoonlijk plan maken" in staff.locator("#h-summary").locator("..").inner_text()
    screenshot(staff, "portal-handoff-desktop")

    # Live takeover: both sides see who is talking, messages cross in real time.
    staff.get_by_role("button", name="Neem gesprek over").click()
    staff.locator("#live-text").wait_for()
    citizen.locator(".wlz-from-system .wlz-text", has_text="Een medewerker").wait_for(
        timeout=TIMEOUT
    )
    assert citizen.locator("#wlz-status").inner_text() == "U praat nu met een medewerker."
    staff.fill("#live-text", "Goedemiddag, u spreekt met Anne.")
    staff.get_by_role("button", name="Verstuur").click()
    staff_bubble = citizen.locator(".wlz-from-staff", has_text="u spreekt met Anne")
    staff_bubble.wait_for(timeout=TIMEOUT)
    assert "Medewerker (mens)" in staff_bubble.inner_text()
    type_message(citizen, "Dank u, mijn moeder wacht al lang")
    staff.locator(".live-log", has_text="mijn moeder wacht al lang").wait_for(timeout=TIMEOUT)
    screenshot(citizen, "chat-live-desktop")
    screenshot(staff, "portal-live-desktop")

    staff.get_by_role("button", name="Geef terug aan de assistent").click()
    citizen.locator(
        ".wlz-from-system .wlz-text", has_text="weer met de digitale assistent"
    ).wait_for(timeout=TIMEOUT)
    assert citizen.locator("#wlz-status").inner_text() == "U praat met de digitale assistent."
    type_message(citizen, "wat is een pgb")
    bot_says(citizen, "persoonsgebonden budget")

    citizen.set_viewport_size(PHONE)
    screenshot(citizen, "chat-phone")
    staff.set_viewport_size(PHONE)
    screenshot(staff, "portal-handoff-phone")
    staff_context.close()


def test_plan_page_prints_what_the_person_entered(browser, stack) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(stack.base + "/")
    page.get_by_role("button", name="Gesprek beginnen").click()
    bot_says(page, "Ik ben geen mens")
    type_message(page, "persoonlijk plan maken")
    bot_says(page, "Vraag 1 van 9")
    answers = [
        "Voor mijzelf",
        "Mijn tuin en mijn kleinkinderen",
        "Koffie, krant, wandelen",
        "Alleen in een flat",
        "Zelf eten",
        "Wassen en aankleden",
        "Mijn dochter",
        "Thuis blijven",
        "Ik hoor slecht",
    ]
    for number, answer in enumerate(answers, start=2):
        type_message(page, answer)
        bot_says(page, f"Vraag {number} van 9" if number <= 9 else "Dit is uw plan")
    click_choice(page, "Klopt, ga verder")
    bot_says(page, "Mag ik het plan bewaren?")
    click_choice(page, "Ja, bewaar mijn plan")
    bot_says(page, "Uw plan is bewaard")
    saved = page.locator(".wlz-from-bot .wlz-text", has_text="Uw plan is bewaard").inner_text()
    link = re.search(r"https?://\S+/plan/\S+", saved).group()
    page.goto(link)
    printed = page.locator("main").inner_text()
    for answer in answers:
        assert answer in printed
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print dit plan").is_visible()
    screenshot(page, "plan-print")
    page.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_accessibility_violations(browser, stack, viewport) -> None:
    # the portal forbids inline scripts; the axe script is injected for the scan only
    context = browser.new_context(viewport=viewport, bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    page.goto(stack.base + "/")
    assert axe_violations(page) == [], "chat page, privacy notice"
    page.get_by_role("button", name="Gesprek beginnen").click()
    bot_says(page, "Ik ben geen mens")
    assert axe_violations(page) == [], "chat page, conversation"
    page.goto(stack.base + "/staff")
    page.locator("#username").wait_for()
    assert axe_violations(page) == [], "portal login"
    page.fill("#username", STAFF["username"])
    page.fill("#password", STAFF["password"])
    page.get_by_role("button", name="Inloggen").click()
    page.locator("table").wait_for()
    assert axe_violations(page) == [], "portal queue"
    page.goto(stack.base + "/staff#/cijfers")
    page.locator("table").wait_for()
    assert axe_violations(page) == [], "portal figures"
    context.close()


def test_text_can_be_enlarged_to_200_percent_without_horizontal_scrolling(browser, stack) -> None:
    page = browser.new_page(viewport={"width": 640, "height": 800}, device_scale_factor=1)
    page.goto(stack.base + "/")
    page.add_style_tag(content="html { font-size: 200% !important; }")
    page.get_by_role("button", name="Gesprek beginnen").click()
    bot_says(page, "Ik ben geen mens")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    assert page.get_by_role("button", name="Praat met een medewerker").first.is_visible()
    page.close()


def test_a_crisis_typed_in_a_flow_gets_its_number_to_tap_and_an_urgent_handoff(
    browser, stack
) -> None:
    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    page.goto(stack.base + "/")
    page.get_by_role("button", name="Gesprek beginnen").click()
    bot_says(page, "Ik ben geen mens")
    type_message(page, "persoonlijk plan maken")
    bot_says(page, "Vraag 1 van 9")
    type_message(page, "wacht, mijn vader is net gevallen en hij bloedt aan zijn hoofd")
    bot_says(page, "Bel nu 112")
    call = page.locator("a.wlz-call", has_text="Bel 112").last
    assert call.get_attribute("href") == "tel:112"
    screenshot(page, "chat-crisis-phone")
    # the plan waits; "Verder waar ik was" picks it up at the same question
    click_choice(page, "Verder waar ik was")
    bot_says(page, "Vraag 1 van 9")
    # asking for a person now: the handoff is urgent, with its category, first in the queue
    page.locator(".wlz-human").click()
    bot_says(page, "U mag zelf kiezen met wie")
    click_choice(page, "Adviseur zorgkantoor")
    bot_says(page, "gebeld worden")
    click_choice(page, "Bel mij terug")
    bot_says(page, "Op welk telefoonnummer")
    type_message(page, "0612345678")
    click_choice(page, "Middags")
    bot_says(page, "Mag ik dit delen?")
    click_choice(page, "Ja, dat mag")
    bot_says(page, "referentienummer")
    reference = re.search(
        r"WLZ-[A-Z0-9]{4}-[A-Z0-9]{2}", page.locator(".wlz-from-bot .wlz-text").last.inner_text()
    ).group()
    context.close()

    staff_context, staff = signed_in_adviser(browser, stack)
    first_row = staff.locator("tbody tr").first
    first_row.wait_for()
    assert reference in first_row.inner_text() and "Spoed: Medisch spoed" in first_row.inner_text()
    screenshot(staff, "portal-urgent-desktop")
    staff_context.close()


def test_a_citizen_wipes_the_conversation_from_the_widget(browser, stack) -> None:
    import sqlite3

    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    page = context.new_page()
    page.goto(stack.base + "/")
    page.get_by_role("button", name="Gesprek beginnen").click()
    bot_says(page, "Ik ben geen mens")
    type_message(page, "wat is een pgb")
    bot_says(page, "persoonsgebonden budget")
    conversation = page.evaluate("() => sessionStorage.getItem('wlz-wegwijzer-conversation')") or ""
    page.once("dialog", lambda dialog: dialog.accept())  # "Wilt u dit gesprek wissen?"
    page.get_by_role("button", name="Wis dit gesprek").click()
    page.locator(".wlz-message", has_text="Uw gesprek is gewist.").wait_for()
    screenshot(page, "chat-erased-phone")
    context.close()
    with sqlite3.connect(
        stack.logs / "wlz.db"
    ) as db:  # the stack keeps its databases beside its logs
        left = db.execute(
            "SELECT count(*) FROM messages WHERE conversation_id = ?", (conversation,)
        ).fetchone()[0]
    assert conversation and left == 0
