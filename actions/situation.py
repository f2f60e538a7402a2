"""Where the person stands on the route to Wlz care, read from what they write.

A phone adviser asks this in the first minute; the assistant listens for it in every message
("mijn vader heeft al een indicatie", "ze staat op de wachtlijst") and keeps it in the slot
`stage` for the rest of the conversation (forgotten at its end, like every slot). "Wat is de
volgende stap?" is then answered from there, not with the general first steps.

Stages, in route order: applying (the CIZ application runs), indicated (an indication, no care
chosen yet), waiting (on a waiting list), in_care (care has started). Nothing found: orienting.
"""

from __future__ import annotations

import re

from nlp.vocabulary import fold

# the later stage wins when a message names two ("heeft een indicatie en staat op de wachtlijst")
# what may stand between the verb and its object: "heeft nu al een", "woont sinds maart in"
_SOFT = (
    r"(?:(?:nu|al|sinds|sinds kort|net|zelf|inmiddels|eindelijk|ook|gisteren|vandaag|vorige week|"
    r"vanochtend) )*"
)
_SINCE = (
    r"(?:(?:nu|al|in|sinds|vanaf|ruim|bijna|een|half|halfjaar|jaar|maand|maanden|weken|week|kort|vorig|vorige|"
    r"dit|deze|de|het|afgelopen|paar|voorjaar|zomer|najaar|winter|"
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    r"\d+) )*"
)
_HOME = (
    r"(?:verpleeghuis|instelling|zorginstelling|woonvorm|woongroep|zorgcentrum|verzorgingshuis|"
    r"wooncentrum|woonzorgcentrum|kleinschalige woonvorm|groepswonen|gesloten afdeling)"
)
_CODE = r"(?:vv|vg|lg|lvg|zgaud|zgvis|ggz-?[bw]|\d ?ggz-?[bw]|\d ?(?:vv|vg|lg|lvg)) ?-?\d*"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (stage, re.compile(pattern))
    for stage, pattern in [
        (
            "in_care",
            rf"\b(woont|woon|wonen|zit|zitten|verblijft|verblijven) {_SINCE}"
            rf"in (een |het |de )?(\w+ )?{_HOME}\b"
            rf"|\b(is|zijn) {_SINCE}(verhuisd|gegaan|verhuist) "
            rf"naar (een |het |de )?(\w+ )?{_HOME}\b"
            rf"|\b(heeft|hebben|heb|krijgt|krijgen|krijg) {_SINCE}(het )?(pgb|vpt|mpt)\b"
            r"|\bis (al )?opgenomen\b|\bde zorg is (begonnen|gestart)\b",
        ),
        (
            "waiting",
            r"\b(staat|staan|sta) (nu |al )*(\w+ ){0,5}op (de |een )?(wacht)?lijst"
            r"|\bwacht(en|t)? (nu |al )*(\w+ ){0,3}op (een )?(plek|plaats|opname|kamer)\b"
            r"|\b(wachtstatus|actief wachtend|wacht uit voorzorg)\b",
        ),
        (
            "indicated",
            rf"\b(heeft|hebben|heb|kreeg|kregen|krijgt|gekregen) {_SOFT}"
            r"(een |de |het )?(wlz[- ]?)?(indicatie|zorgprofiel|indicatiebesluit)\b"
            # "we hebben vorige week een indicatie aangevraagd" is an application, not a decision
            r"(?!(?: \w+){0,4} (?:aangevraag[dt]|aanvragen|ingediend|opgestuurd|verstuurd|"
            r"aan te vragen|aan het aanvragen))"
            r"|\bindicatie (is )?(binnen|rond|toegekend|gekregen)\b"
            rf"|\b(heeft|hebben|heb|kreeg|kregen|krijgt|gekregen|gegeven|toegekend)\b(\s\w+){{0,5}}\s{_CODE}\b"
            rf"|\b{_CODE}\b(\s\w+){{0,3}}\s(gekregen|toegekend|gegeven)\b"
            r"|\b(brief|besluit|beschikking) (van het ciz )?(gekregen|ontvangen|binnen)\b"
            r"|\bkrijgt (\w+ )?wlz\b|\b(is|zijn|ben) (\w+ ){0,4}geindiceerd\b"
            rf"|\bzorgprofiel {_CODE}\b",
        ),
        (
            "applying",
            r"\b(indicatie|wlz|ciz)\b.*\b(aangevraag[dt]|ingediend|loopt|opgestuurd|verstuurd)\b"
            r"|\b(aangevraag[dt]|ingediend|opgestuurd|verstuurd)\b.*\b(indicatie|ciz|wlz)\b"
            r"|\baanvraag (\w+ ){0,6}(ingediend|gedaan|verstuurd|opgestuurd|loopt)\b"
            r"|\bloopt (nu |al )*(een |de )?(wlz[- ]?)?aanvraag\b"
            r"|\bciz (komt|belt|heeft gebeld|is geweest|was hier|komt langs)\b"
            # waiting for the CIZ's decision, or its assessor's visit: the application runs
            r"|\bwacht(en|ten)? (nog |nu |al )*op (het |de |een )?"
            r"(besluit|uitslag|antwoord|beslissing|brief)"
            r" (van|uit) het ciz\b|\b(iemand|een medewerker|een arts|een adviseur) van het ciz\b",
        ),
    ]
]
ORDER = ["applying", "indicated", "waiting", "in_care"]
# "als ze een indicatie heeft, ...", "wat als": a hypothesis says nothing about where they stand
HYPOTHETICAL = re.compile(r"\b(als|wanneer|zodra|stel dat|hoe)\b")


def stage_of(text: str) -> str | None:
    """The stage a message states, or None."""
    folded = fold(text)
    found = [stage for stage, pattern in PATTERNS if pattern.search(folded)]
    if not found or HYPOTHETICAL.search(folded.split(",")[0]) and "?" in text:
        return None
    return max(found, key=ORDER.index)


# a zorgprofiel code as people type it: "VV5", "vv 05", "5VV", "vg-7", "VV9b"
CODE = re.compile(r"\b(?:(vv|vg|lvg)\s?-?0?(\d{1,2}b?)|(\d{1,2}b?)\s?-?(vv|vg|lvg))\b")


def care_profile_code(text: str) -> str | None:
    """The first zorgprofiel code in a message, normalised ("vv5", "vg7", "vv9b"), or None."""
    found = CODE.search(fold(text))
    if not found:
        return None
    letters, number = (
        (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
    )
    return f"{letters}{number.lstrip('0')}"


# The writer's own worry, fear or tiredness ("ik ben zo bang", "we maken ons grote zorgen", "het
# valt me zwaar"). Only the first person: "mijn moeder is bang om te verhuizen" is about her, and
# an acknowledgement of the writer's fear would misread it. A crisis (113, 112, Veilig Thuis) is
# not this: the safety layer answers that before any action runs.
_INTENSE = (
    r"(?:allemaal |zo |erg |heel |echt |best |wel |nogal |ontzettend |enorm |vreselijk |zeer |"
    r"een beetje |ook |nu )*"
)
# the writer about themself: "ik ben", "we voelen ons"
_I_AM = r"\b(?:ik ben|ben ik|we zijn|wij zijn|zijn we|ik voel me|ik voel mij|we voelen ons) "
_HEAVY = rf"|\bhet (?:valt|wordt) (?:me|mij|ons) {_INTENSE}(?:te )?zwaar\b"
WORRY = re.compile(
    rf"{_I_AM}{_INTENSE}"
    r"(?:bang(?! dat\b)|angstig|ongerust|bezorgd|in paniek|radeloos|wanhopig|machteloos|"
    r"verdrietig|overstuur|moe|uitgeput|ten einde raad|de weg kwijt)\b"
    # "ik ben bang dat het te duur wordt" is a figure of speech; "zo bang dat" is not
    r"|\bik ben (?:zo|erg|heel|echt|ontzettend|vreselijk) bang dat\b|\bik ben doodsbang\b"
    rf"|\b(?:ik maak me|ik maak mij|we maken ons|wij maken ons|maak ik me|maken we ons) {_INTENSE}"
    r"(?:grote |veel |ernstig |echt )?zorgen\b"
    r"|\bik heb (?:zo |veel |grote )?zorgen\b"
    rf"{_HEAVY}"
    r"|\bik (?:weet|snap) (?:het )?niet (?:meer )?"
    r"(?:wat ik moet doen|waar ik moet beginnen|hoe het moet)\b"
    r"|\bik zie door de bomen het bos niet meer\b|\bik zit met de handen in het haar\b"
    r"|\b(?:ik schrok|ik ben geschrokken|we zijn geschrokken|ik moest huilen|ik zit te huilen)\b"
)


# of those, the writer's tiredness: they need rest as much as an answer
BURDEN = re.compile(rf"{_I_AM}{_INTENSE}(?:moe|uitgeput|ten einde raad)\b{_HEAVY}")


def expresses_worry(text: str) -> bool:
    """Whether the writer says they are worried, afraid or worn out themselves."""
    return bool(WORRY.search(fold(text)))


def expresses_burden(text: str) -> bool:
    """Whether the writer says they are worn out themselves ("het valt me zwaar")."""
    return bool(BURDEN.search(fold(text)))
