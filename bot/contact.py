"""The zorgkantoor's contact details: content/settings.yml with a beheerder's changes."""

from __future__ import annotations

from typing import Any, Mapping

# said to the citizen when the adviser who took over the chat has gone (bot/store/chat.py)
TAKEOVER_EXPIRED = (
    "De medewerker is niet meer in het gesprek. De digitale assistent helpt u weer. Wilt u "
    "toch een mens spreken? Vraag dan opnieuw om een medewerker."
)


def contact_details(settings: Mapping[str, Any]) -> dict[str, str]:
    office = settings.get("zorgkantoor") or {}
    return {
        "naam": str(office.get("naam", "het zorgkantoor")),
        "telefoon": str(office.get("telefoon", "")),
        "email": str(office.get("email", "")),
    }


def unavailable_message(settings: Mapping[str, Any]) -> str:
    details = contact_details(settings)
    text = (
        "De digitale assistent is even niet bereikbaar. Probeer het over een paar minuten opnieuw."
    )
    if details["telefoon"]:
        text += f" Of bel {details['naam']}: {details['telefoon']}."
    return text


def no_answer_message(settings: Mapping[str, Any]) -> str:
    details = contact_details(settings)
    text = (
        "Sorry, ik kan u nu even geen antwoord geven. Er is niets misgegaan met uw gegevens. "
        "Probeer het over een paar minuten opnieuw."
    )
    if details["telefoon"]:
        text += f" Liever meteen iemand spreken? Bel {details['naam']}: {details['telefoon']}."
    return text
