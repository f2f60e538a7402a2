"""Dutch PII redaction for everything the service stores.

Built on spaCy's Dutch tokenizer with a Matcher for the token patterns (names
after "ik heet", postcode plus house number, dates with month names) and
validators where a pattern alone would over-redact: a BSN must pass the
elfproef, an IBAN the mod-97 check. Replacements name the kind, so a
transcript stays readable for staff: "Bel mij op [TELEFOON]".
"""

from __future__ import annotations

import importlib.util
import logging
import re
import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from bot.lexicon import lexicon
from contract.paths import content_dir

log = logging.getLogger(__name__)

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
    "jan",
    "feb",
    "mrt",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "okt",
    "nov",
    "dec",
]
RELATIVES = [
    "moeder",
    "vader",
    "man",
    "vrouw",
    "partner",
    "zus",
    "broer",
    "oma",
    "opa",
    "zoon",
    "dochter",
    "tante",
    "oom",
    "buurvrouw",
    "buurman",
    "schoonmoeder",
    "schoonvader",
    "vriendin",
    "vriend",
    "kleinzoon",
    "kleindochter",
    "mama",
    "papa",
    "moeke",
    "pa",
    "ma",
]
NAME_TRIGGERS = [
    ["ik", "heet"],
    ["mijn", "naam", "is"],
    ["ik", "ben"],
    ["naam", ":"],
    ["naam"],
    ["zij", "heet"],
    ["hij", "heet"],
    ["ze", "heet"],
    ["heet"],
    *[["mijn", relative, "heet"] for relative in RELATIVES],
]
# "mijn moeder Jannie de Vries woont ...": a capitalised word right after a relative is a name
RELATIVE_NAME = [["mijn", relative] for relative in RELATIVES]
POSSESSIVES = {"zijn", "haar", "hun", "mijn", "m'n", "ons", "onze", "jouw", "je", "uw", "hem", "u"}
# after these a listed first name in lower case is a name ("tante jet", "mijn zus roos", "heet cor")
RELATIVE_WORDS = {
    *RELATIVES,
    "schoonzoon",
    "schoondochter",
    "schoonzus",
    "zwager",
    "neef",
    "nicht",
    "kleinkind",
    "echtgenoot",
    "echtgenote",
    "zusje",
    "broertje",
    "zoontje",
    "dochtertje",
    "stiefmoeder",
    "stiefvader",
    "heet",
    "mn",
    "m'n",
}
# after "<someone> heet" or "naam is" the next word is the name, even a word or a stop word
# ("mijn vader heet ben", "mijn naam is wil"), except these
NOT_NAMES_AFTER_HEET = {
    "u",
    "je",
    "jullie",
    "hem",
    "haar",
    "niet",
    "eigenlijk",
    "officieel",
    "voluit",
    "ook",
    "nu",
    "dus",
    "gewoon",
    "toch",
    "wel",
    "echt",
    "zo",
    "het",
    "de",
    "een",
    "van",
    "voor",
    "in",
    "met",
    "anders",
    "hetzelfde",
    "dat",
    "die",
    "als",
    "nog",
    "al",
    "bij",
    "op",
}
HEET_SUBJECTS = {"ik", "ze", "zij", "hij", *RELATIVES, *RELATIVE_WORDS} - {"heet", "mn", "m'n"}
# closings of a message: what follows is the writer's name ("Met vriendelijke groet, Karin Smit")
CLOSING = re.compile(
    r"\b(?:met\s+vriendelijke\s+groet(?:en)?|vriendelijke\s+groet(?:en)?|mvg|groet(?:jes|en)?|"
    r"hartelijke\s+groet(?:en)?|liefs|grtjs|grtz|grts|gr\.?)\s*[,:]?\s+((?:[A-Za-zÀ-ÿ'-]+\.?\s*){1,4})"
    r"(?:\([^)]*\)\s*)?$",
    re.IGNORECASE,
)
CLOSING_NOT_NAMES = {
    "een",
    "en",
    "namens",
    "uw",
    "je",
    "jullie",
    "ons",
    "onze",
    "mijn",
    "m'n",
    "allemaal",
    "iedereen",
    "team",
    "alvast",
    "nog",
}


ORGANISATION_SIGNATURES = (
    "raad",
    "bv",
    "b.v",
    "stichting",
    "bewindvoering",
    "vereniging",
    "zorgkantoor",
    "afdeling",
    "secretariaat",
    "redactie",
)


def _closing_names_someone(words: str) -> bool:
    """What follows a closing holds a name: a capitalised word, a listed first name or surname,
    or a word no Dutch word list knows."""
    parts = words.split()
    if not parts or parts[0].lower() in CLOSING_NOT_NAMES:
        return False
    # "Hartelijke groet, Cliëntenraad", "Met vriendelijke groet, Bewindvoering Noord BV"
    if any(p.lower().strip(".").endswith(ORGANISATION_SIGNATURES) for p in parts):
        return False
    lists = name_lists()
    # "de kinderen": a particle alone is no evidence ("De" is a listed surname)
    return any(
        w[:1].isupper()
        or w.strip(".").title() in lists.first
        or w.strip(".").title() in lists.surnames
        or re.fullmatch(r"(?:[a-z]\.)+", w)
        or _unknown_word(w.lower())
        for w in parts
        if w.lower() not in PARTICLES
    )


# "ik ben" is followed by names but also by "ik ben blij": only take a capitalised word
# tussenvoegsels in Dutch surnames: "Jan de Vries", "Anne van der Berg"
PARTICLES = [
    "de",
    "van",
    "der",
    "den",
    "ter",
    "ten",
    "te",
    "het",
    "'t",
    "in",
    "op",
    "la",
    "le",
    "du",
    "el",
]
NOT_NAMES = {
    "het",
    "de",
    "een",
    "niet",
    "wel",
    "al",
    "nog",
    "ook",
    "welkom",
    "blij",
    "bang",
    "moe",
    "ziek",
    "mantelzorger",
    "mantelzorgster",
    "budgethouder",
    "cliënt",
    "client",
    "dochter",
    "zoon",
    "moeder",
    "vader",
    "partner",
    "weduwe",
    "weduwnaar",
    "gepensioneerd",
    "alleenstaand",
    "verpleegkundige",
    "verzorgende",
    "vrijwilliger",
    "christen",
    "moslim",
    "katholiek",
    "protestant",
    "joods",
    "hindoe",
    "boos",
    "verdrietig",
    "benieuwd",
    "bezorgd",
    "ongerust",
    "dankbaar",
    "op",
    "er",
    "daar",
    "hier",
    "zelf",
    "nu",
    "bijna",
    "pas",
    "sinds",
    "zo",
    "heel",
    "erg",
    "echt",
    "ook",
    "bezig",
    "klaar",
}
# nationalities and origins: "ik ben Marokkaans" is not a name
NOT_NAME_ENDINGS = (
    "aans",
    "aanse",
    "ees",
    "eese",
    "isch",
    "ische",
    "iaan",
    "iaanse",
    "ands",
    "andse",
    "ks",
    "kse",
    "aams",
    "aamse",
    "ools",
    "oolse",
    "eens",
    "eense",
    "aars",
    "aarse",
    "ts",
    "tse",
    "ers",
    "erse",
    "ws",
    "wse",
    "ngs",
    "ngse",
)

# service numbers of organisations are no personal data ("0800-2000", "0900-1234567"); 088 is
# the range for companies and agencies ("CIZ: 088 789 10 00"), checked in _organisation_number
# free and paid service lines, and a gemeente's "14 + area code" number ("14 030")
SERVICE_NUMBER = re.compile(r"^\(?0(?:800|900|906|909)|^14\s?0\d{2,3}$")
COMPANY_NUMBER = re.compile(r"^(?:(?:\+31|0031)\s*)?\(?0?\)?\s*88")
MOBILE = re.compile(r"^(?:\(?0\)?\s*6|\+31\s*(?:\(0\))?\s*6|0031\s*6)")
# a number right after an organisation is that organisation's ("de SVB gebeld op 030 264 82 00"),
# unless the writer says it is theirs ("bel mij", "mijn nummer")
ORGANISATION = re.compile(
    r"\b(?:svb|ciz|cak|per\s+saldo|zorgkantoor|helpdesk|klantenservice|mantelzorglijn|"
    r"veilig\s+thuis|sociale\s+verzekeringsbank|huisartsenpost|zorgverzekeraar|"
    r"algemene\s+nummer|gemeente|ziekenhuis|afdeling|receptie|verpleeghuis|instelling|"
    r"zorgaanbieder|bureau|centrale|huisarts)\b",
    re.IGNORECASE,
)
PERSONAL = re.compile(
    r"\b(?:mij|me|mijn|m'n|mn|ons|onze|haar|hem|zijn|zij|hij|thuis|privé|prive|mobiel|"
    r"terugbellen)\b",
    re.IGNORECASE,
)
# a date is personal data as a date of birth; "geldig tot 31-12-2027" or "de brief van
# 12-02-2026" is not. Recent and future dates count only with a word for birth before them.
# children are in the Wlz too: "ons zoontje, 14 mei 2025 geboren" is a date of birth
BIRTH_CUE = re.compile(
    r"\b(?:geb|geboren|geboorte\w*|verjaardag|jarig|dob|zoontje|dochtertje|baby|kindje|"
    r"kleinkind\w*|pasgeboren\w*|van\s+\d\s+(?:jaar|maanden))\b",
    re.IGNORECASE,
)
# dates from two years ago on are usually letters, decisions and appointments, not birthdays
RECENT_YEAR = date.today().year - 2

# an organisation's mailbox, not a person's: "info@ciz.nl", "klantenservice@svb.nl"
ROLE_MAILBOXES = {
    "info",
    "contact",
    "klantenservice",
    "secretariaat",
    "administratie",
    "servicedesk",
    "helpdesk",
    "receptie",
    "klachten",
    "noreply",
    "no-reply",
    "algemeen",
}

# the domains of the organisations a citizen writes to about the Wlz
ORGANISATION_DOMAINS = {
    "ciz",
    "svb",
    "hetcak",
    "cak",
    "pgb",
    "persaldo",
    "rijksoverheid",
    "zorginstituutnederland",
    "menziszorgkantoor",
    "vgz-zorgkantoren",
    "zilverenkruis",
    "cz",
    "dsw",
    "zorgenzekerheid",
    "veiligthuis",
    "mee",
    "zorgbelang",
    "113",
}


def _role_mailbox(address: str) -> bool:
    """ "info@ciz.nl", "klantenservice [at] svb.nl": a known organisation's mailbox; "info@" at any
    other domain may be a family's own ("info@jansen.nl" names the family)."""
    local = re.match(r"[\w.+-]+", address)
    domain = re.search(r"(?:@|\bat\b|apenstaartje)\W*([\w-]+)", address, re.IGNORECASE)
    if not local or local.group().lower() not in ROLE_MAILBOXES or not domain:
        return False
    label = domain.group(1).lower()
    return label in ORGANISATION_DOMAINS or label.startswith(("gemeente", "zorgkantoor"))


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# an address written against spam or said aloud: "jan [at] ziggo.nl", "r.mulder (at) home punt
# nl", "karel apenstaartje hotmail punt com", "petra . smeets @ gmail . com", "ziggo,nl"; it must
# end in a known top-level domain, so "ik ben at home" or "@ 10 uur" is none
_AT = (
    r"(?:\s*(?:@+|[\[({<]\s*(?:at|apenstaartje)\s*[\])}>])\s*"
    r"|\s+(?:at|apenstaartje|apestaartje|apenstaart|met\s+het\s+at[\s-]teken)\s+)"
)
_DOT = r"(?:\s*(?:\.+|,|[\[({<]\s*(?:dot|punt)\s*[\])}>])\s*|\s+(?:dot|punt)\s+)"
_TLD = r"(?:nl|com|be|org|net|eu|info|frl|amsterdam|de|nu|biz|online|email|me|io|uk|fr)"
WRITTEN_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*(?:{_DOT}|\s+){_TLD}\b",
    re.IGNORECASE,
)
# a separator between digit groups: a space, a dot or a dash, with spaces around it
# ("06 - 12345678")
_SEP = r"(?:\s*[./\\_=·–—-]\s*|,|\s)?"  # also "06_41...", "06–38...", "06,23,45,..."
# a number glued to a word for it counts too: "bel0612345678", "tel:0612345678", "nr.06..."
_PHONE_START = r"(?:(?<![\w+])|(?<=bel)|(?<=tel)|(?<=gsm)|(?<=nr))"
PHONE = re.compile(
    rf"{_PHONE_START}(?:(?:\+\+?31|0031)(?:{_SEP}\(0\))?|0|\(0(?=\d{{1,3}}\)))"
    rf"(?:{_SEP}\)?{_SEP}\d){{9,10}}(?!\d)"
    # a mobile number a digit short or long is still the one the writer meant: "062837194"
    rf"|{_PHONE_START}0{_SEP}6(?:{_SEP}\d){{7}}(?!\d)|{_PHONE_START}0{_SEP}6(?:{_SEP}\d){{10}}(?!\d)"
)
# family abroad: "+32 478 29 16 53", "0049 171 4829163"
FOREIGN_PHONE = re.compile(
    rf"(?<![\w+])(?:\+|00)(?!31)[1-9]\d{{1,2}}(?:{_SEP}\(0\))?(?:{_SEP}\(?\)?{_SEP}\d){{7,12}}(?!\d)"
)
# numbers said aloud (speech-to-text) or typed in words: "nul zes 38 29 17 46", "06 twaalf 43 56
# 09", "nul zes dubbel vier twee ...": a run of digits and Dutch number words, from a nul or a 0
_UNIT_WORDS = "nul|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen"
_TENS_WORDS = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
_TWO_DIGIT_WORDS = re.compile(
    rf"(?:tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien"
    rf"|(?:(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën))?(?:{_TENS_WORDS}))",
    re.IGNORECASE,
)
_NUMBER_TOKEN = re.compile(r"\d+|[a-zA-ZÀ-ÿ]+")
_GLUE = re.compile(r"[\s.,·\-–—]*")  # what may stand between the parts of a number said aloud


def _spoken_phones(text: str) -> list[Span]:
    spans = []
    tokens = list(_NUMBER_TOKEN.finditer(text))
    index = 0
    while index < len(tokens):
        first = tokens[index].group().lower()
        if not (first == "nul" or first.startswith("0")):
            index += 1
            continue
        digits, words, end, last = 0, 0, index, tokens[index].end()
        while end < len(tokens):
            token, word = tokens[end], tokens[end].group().lower()
            if end > index and not _GLUE.fullmatch(text[last : token.start()]):
                break
            if word.isdigit():
                digits += len(word)
            elif re.fullmatch(_UNIT_WORDS, word):
                digits, words = digits + 1, words + 1
            elif _TWO_DIGIT_WORDS.fullmatch(word):
                digits, words = digits + 2, words + 1
            elif word in ("dubbel", "streepje"):  # "dubbel vier" is 44
                digits += word == "dubbel"
            else:
                break
            last, end = token.end(), end + 1
        if words and 9 <= digits <= 11:
            spans.append(Span(tokens[index].start(), last, "TELEFOON"))
            index = end
        else:
            index += 1
    return spans


IBAN = re.compile(
    r"\b[A-Z]{2}\d{2}(?:[\s-]?[A-Z0-9]{4}){2,7}(?:[\s-]?[A-Z0-9]{1,3})?\b", re.IGNORECASE
)
# a Dutch IBAN's own shape (bank code of four letters, ten digits) is hidden even when the check
# fails: a mistyped account number still points to the account
DUTCH_IBAN = re.compile(r"\bNL[\s.-]?\d{2}[\s.-]?[A-Z]{4}(?:[\s.-]?\d){9,11}\b", re.IGNORECASE)
# postcode plus house number; the letters may not be an everyday word ("2023 al 5 jaar")
COMMON_PAIRS = "al|en|of|is|te|in|op|ik|je|we|ze|na|om|nu|ja|de|er|at|an|el|he|hé|ok|zo|nl"
HOUSE_NUMBER = (
    r"\d{1,5}(?:\s?-\s?(?:[A-Za-z]{1,3}|\d{1,3})\b"
    r"|\s(?:bis|hs|huis|rood|zw|bg|boven|beneden)\b|\s?[a-zA-Z]\b)?"
    # a floor ("18 II", "287 1-hoog") or a Belgian box ("112 bus 3")
    r"(?:\s(?:I{1,3}|IV)\b|\s\d-?hoog\b|\s(?:bus)\s?\d{1,3}\b)?"
)
POSTCODE_HOUSE = re.compile(
    rf"\b[1-9]\d{{3}}[\s-]?(?!(?:{COMMON_PAIRS})(?![A-Za-z]))[A-Za-z]{{2}}(?![A-Za-z])\s*[,/-]?\s*"
    rf"(?:en\s+)?(?:(?:huisnummer|huisnr|hnr|nummer|nr)\.?:?\s*)?{HOUSE_NUMBER}"
)
# a postcode alone narrows a home down to a street: redacted too, as long as the letters are no word
# in lower case ("1011 ab") the letters may not be a unit either ("1000 mg", "2500 km")
UNITS = "mg|ml|km|kg|cm|mm|gr|cl|dl|kw|pp|st|ct|eu|pm|am|uu"
POSTCODE = re.compile(
    rf"\b[1-9]\d{{3}}[\s-]?(?!(?:{COMMON_PAIRS})\b)[A-Z]{{2}}\b"
    rf"|\b[1-9]\d{{3}}[\s-]?(?!(?:{COMMON_PAIRS}|{UNITS})\b)[a-z]{{2}}\b"
)
# a street with a house number: "Dorpsstraat 12", "kerkweg 3a", "Laan van Meerdervoort 101-B"
STREET_WORDS = (
    "straat|weg|laan|plein|singel|gracht|kade|dreef|hof|dijk|pad|steeg|park|plantsoen|markt|"
    "ring|baan|allee|wal|erf|veld|straatweg|boulevard|hoek|haven|burg|wijk|akker|gaarde|zijde|"
    # abbreviated ("Stationsstr. 4", "Emmapln 4"), German, Flemish, and "Oosteinde 188"
    r"str\.?|ln\.?|pln\.?|straße|lei|einde"
)
# words that may come before a street name: "Burgemeester de Withstraat", "2e Oosterparkstraat",
# "J.P. Coenstraat", "Koningin Julianalaan" (capitalised words, ordinals, initials, particles)
STREET_PREFIX = (
    r"(?:(?:[A-Z][\w'-]*\.?|(?:[A-Z]\.)+|\d{1,2}e|van|v\.|de|der|den|het|ter|ten|aan"
    r"|(?i:burgemeester|burg\.|dokter|dr\.|professor|prof\.|koningin|prinses|prins|sint|st\.))\s+"
    r"){0,3}"
)
STREET = re.compile(
    rf"\b(?:(?:laan|plein|kade|weg|hof)\s+(?:van|der|de|den|het|ter|ten|op)\s+(?:[\w-]+\s+)?[A-Z][\w-]+|"
    rf"(?-i:{STREET_PREFIX})[A-Za-zÀ-ÿ'-]+(?:{STREET_WORDS}))\s+(?:(?:nr\.?|nummer)\s*)?"
    rf"{HOUSE_NUMBER}",
    re.IGNORECASE,
)
# "woont op de Heuvel 22", "adres: Achter de Kerk 2": after a word for living somewhere, words
# up to a house number are a street, also without a street word
NOT_STREET = (
    "op|aan|in|de|het|te|bij|nog|sinds|al|nu|er|daar|hier|alleen|zelfstandig|samen|thuis|met|"
    "vanaf|per|nummer|nr|huisnummer|postcode|is|was|ongeveer|bijna|ruim"
)
LIVES_AT = re.compile(
    rf"\b(?:woon\w*|adres(?:\s+is)?:?|verhuisd\s+naar)\s+(?:(?:nog|al|nu|zelfstandig|alleen)\s+){{0,2}}"
    rf"(?:(?:op|aan|in)\s+)?(?:(?:de|het)\s+)?((?!(?:{NOT_STREET})\b)"
    rf"(?:(?:\d{{1,2}}e|[A-Za-zÀ-ÿ'-]+)\s+){{1,3}}"
    rf"{HOUSE_NUMBER})(?=[\s,.!?)]|$)(?-i:(?!\s?[A-Z]{{2}}\b))",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(
    r"\b(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:\d{4}\b|\d{2}\b|'\d{2}\b)"
)
ISO_DATE = re.compile(r"\b(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])\b")
# ddmmyyyy, as typed in forms: "12031945"
COMPACT_DATE = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d{2}(?!\d)")
_MONTHS = "|".join(sorted(MONTHS, key=len, reverse=True))
# not after "per", "sinds", "vanaf", "tot": that is when a rule changed, not someone's birthday
WORD_DATE = re.compile(
    rf"(?<!\bper )(?<!\bsinds )(?<!\bvanaf )(?<!\btot )\b(?:0?[1-9]|[12]\d|3[01])\s+"
    rf"(?:{_MONTHS})\.?\s+(?:(?:19|20)?\d{{2}}|'\d{{2}})\b",
    re.IGNORECASE,
)
# a month and a year long ago is a birth month ("maart 1945"); "in maart 2025" is just when
MONTH_YEAR = re.compile(rf"\b(?:{_MONTHS})\.?\s+(?:19\d{{2}}|200\d)\b", re.IGNORECASE)
# a BSN named as such, also with eight digits (older numbers) or a failing check
NAMED_BSN = re.compile(
    r"\b(?:bsn|burgerservicenummer|sofinummer)\s*(?:nummer|nr\.?)?\s*[:=]?\s*(\d(?:[\s.-]?\d){7,8})(?!\d)",
    re.IGNORECASE,
)
# "51832264 is het bsn", "is 212 655 497 een geldig bsn?": the word may also follow the number
BSN_WORD = re.compile(r"\b(?:bsn|burgerservicenummer|sofinummer|sofi-nummer)\b", re.IGNORECASE)
# eight or nine digits in any grouping ("452 03 36 40", "569-37-37-73", "3150 84 741")
EIGHT_OR_NINE = re.compile(r"(?<![\w-])(\d(?:[ .-]?\d){7,8})(?![\w-])")
NINE_DIGITS = re.compile(r"(?<![\w-])(\d(?:[ .-]?\d){8})(?![\w-])")


# a reference to a health record: the number after a word for one ("cliëntnummer bij Vivium is
# 30094", "patiëntnr. 5567123", "dossier 2026-WLZ-00871", "polisnummer CZ 40028871")
RECORD_WORD = (
    r"(?:cli[eë]nt|pati[eë]nt|ziekenhuispati[eë]nt|dossier|ziekenhuis|registratie|polis|aanvraag|klant|"
    r"relatie|zorgverzekerings|verzekerings|zaak|budget|pgb-?|referentie|besluit)\s?"
    r"(?:nummer|nr\.?|nummers)|"
    r"dossier|kenmerk|referentie|ref|zaak|ciz-aanvraag|geregistreerd\s+onder|onder\s+nummer|"
    r"nummer|nr\.?|polsbandje|epd"
)
# the number or code itself: "30094", "2026-WLZ-00871", "CIZ/2026/55120", "cl-00912", "558.210.07"
RECORD_VALUE = (
    r"(?:[A-Z]{1,4}[/-])*\d(?:[\d./-]|\s(?=\d)){2,}\d(?:[/-][A-Z0-9]+)*"
    r"|(?:[A-Z]{1,4}[/-])+\d{3,}(?:[/-][A-Z0-9]+)*"
    # letters between digits: "25/ZK/0931", "2026-WLZ-0481"
    r"|\d{2,4}(?:[/-][A-Z]{1,4})+[/-]\d{3,}"
    # letters glued to the digits: "KL482913", "U26.04817"
    r"|[A-Z]{1,4}\d{4,}(?:[/-][A-Z0-9]+)*|[A-Z]{1,4}\d{2}\.\d{3,}"
)
# numbers of an organisation, not of a person's record: "KvK-nummer", "AGB-code", "btw-nummer"
ORGANISATION_ID = re.compile(r"\b(?:kvk|agb|btw|rsin|kamer\s+van\s+koophandel)", re.IGNORECASE)


def _organisation_id(before: str) -> bool:
    """Nine digits right after "RSIN" or "KvK", with no word for a BSN in between."""
    cue = list(ORGANISATION_ID.finditer(before))
    return bool(cue) and not BSN_WORD.search(before[cue[-1].end() :])


RECORD = re.compile(
    rf"\b(?:{RECORD_WORD})(?![^\W\d])[^.?!\n\d]{{0,45}}?(?<![\w/-])({RECORD_VALUE})(?![\w/-])",
    re.IGNORECASE,
)


def elfproef(digits: str) -> bool:
    """The Dutch BSN check: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def iban_valid(text: str) -> bool:
    iban = re.sub(r"[\s-]", "", text).upper()
    if not 15 <= len(iban) <= 34:
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


@dataclass(frozen=True)
class NameLists:
    first: frozenset[str]
    surnames: frozenset[str]
    common: frozenset[str]  # lowercase words that are no name where they stand ("wil", "roos")


@lru_cache(maxsize=1)
def name_lists() -> NameLists:
    """First names and surnames from the lookup lists of `deduce` (Dutch de-identification).

    Only its data is read, not its code: the full library keeps about 1.1 GB of lookup
    structures per process (measured, benchmarks/reports/redaction.md), and its code needs a
    newer `regex` than Rasa 3.6 allows. Without the package the redactor still works, with
    names found after trigger words only.
    """
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        log.warning(
            "deduce's name lists are not installed: names are found after trigger words only"
        )
        return NameLists(frozenset(), frozenset(), frozenset())
    source = Path(spec.submodule_search_locations[0]) / "data" / "lookup" / "src"

    def read(*parts: str) -> set[str]:
        folder = source.joinpath(*parts)
        items = set((folder / "items.txt").read_text(encoding="utf-8").split("\n"))
        exceptions = folder / "exceptions.txt"
        if exceptions.exists():
            items -= set(exceptions.read_text(encoding="utf-8").split("\n"))
        return {item.strip() for item in items if item.strip()}

    common = {
        w.lower()
        for w in read("whitelist", "lst_common_word")
        | read("whitelist", "lst_stop_word")
        | read("whitelist", "lst_eponymous_disease")
    }
    return NameLists(
        frozenset(read("names", "lst_first_name")),
        frozenset(read("names", "lst_surname")),
        frozenset(common),
    )


# A lower-case word at most this common in Dutch (Zipf scale: 3 is once per million words) is
# no everyday word; after a relative or a greeting it is read as a name ("mijn broer hüseyin")
RARE_ZIPF = 2.5
# after a relative even a more common word is a name when it is no Dutch word form ("opa cor")
UNCOMMON_ZIPF = 4.0
# a word made of two words at least this common is a compound ("budgethouderschap"), no name
COMPOUND_ZIPF = 3.0


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away.

    Written out, not symspellpy or rapidfuzz: the typo check only asks whether one of these few
    hundred strings is a common word (a set lookup), which needs no index of the word list."""
    letters = "abcdefghijklmnopqrstuvwxyzëéèïöüç"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in letters),
        *(a + c + b for a, b in splits for c in letters),
    }


def _dutch_word(word: str) -> bool:
    """A Dutch word form, or a word more common than a rare name."""
    words = lexicon()
    found = words.lookup(word) if words is not None else None
    return found is not None and (found[1] or found[0] > RARE_ZIPF)


def _uncommon_word(word: str) -> bool:
    """After a relative: a word wordfreq counts, but less often than everyday words, that is no
    Dutch word form ("mijn oma wong", "opa cor"; not "mijn oma kan"), or an unknown word."""
    words = lexicon()
    found = words.lookup(word) if words is not None and word.isalpha() else None
    if word in ABBREVIATIONS:
        return False
    if (
        len(word) > 2
        and found is not None
        and not found[1]
        and RARE_ZIPF < found[0] < UNCOMMON_ZIPF
    ):
        return True
    return _unknown_word(word)


def _unknown_word(word: str) -> bool:
    """A lower-case word that is no Dutch word form, only a rare one, no typo of a known word
    and no compound of two: "gosia", "hüseyin", "kartodikromo", but not "dementeert", "moedr",
    "verpleeghuizn" or "thuiszorgmedewerker"."""
    words = lexicon()
    if words is None or len(word) < 3 or not word.isalpha():
        return False
    if _dutch_word(word):
        return False
    near = _one_edit(word)
    if words.any_common(near):
        return False
    # a long word one edit from a rarer word is a typo too, unless that word is a name as well
    # ("wiktoria", "viktoria"); short words are typos of common words only ("kasia", "kassa")
    lists = name_lists()
    if len(word) >= 8 and any(
        w.title() not in lists.first and w.title() not in lists.surnames
        for w in words.known(near, RARE_ZIPF)
    ):
        return False
    # a long word of two words is a compound ("thuiszorgmedewerker"); short ones are not
    # ("semhar" is no "sem" + "har")
    return len(word) < 8 or not any(
        words.known([word[i:]], COMPOUND_ZIPF)
        and words.known(
            [word[:i], word[: i - 1]] if word[i - 1] in "se" else [word[:i]], COMPOUND_ZIPF
        )
        for i in range(3, len(word) - 2)
    )


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@lru_cache(maxsize=1)
def _nlp() -> tuple[Language, Matcher]:
    nlp = spacy.blank("nl")
    matcher = Matcher(nlp.vocab)
    not_name = sorted(NOT_NAMES | nlp.Defaults.stop_words | name_lists().common)
    Pattern = list[dict[str, Any]]  # one token pattern of spaCy's Matcher
    for trigger in NAME_TRIGGERS:
        # trigger words, then one to three capitalised words: the name
        pattern: Pattern = [{"LOWER": word} for word in trigger]
        pattern.append({"IS_TITLE": True, "LOWER": {"NOT_IN": sorted(NOT_NAMES)}})
        pattern.append({"IS_TITLE": True, "OP": "?"})
        with_particles = pattern + [{"LOWER": {"IN": PARTICLES}, "OP": "+"}, {"IS_TITLE": True}]
        pattern.append({"IS_TITLE": True, "OP": "?"})
        matcher.add("NAAM_" + "_".join(trigger), [pattern, with_particles])
        # lowercase typing of names after the strongest triggers ("ik heet jan de vries")
        if trigger in (["ik", "heet"], ["mijn", "naam", "is"], ["naam", ":"]):
            lower: Pattern = [{"LOWER": word} for word in trigger] + [
                {"IS_ALPHA": True, "LOWER": {"NOT_IN": not_name}}
            ]
            matcher.add(
                "NAAM_LC_" + "_".join(trigger),
                [
                    lower,
                    lower + [{"LOWER": {"IN": PARTICLES[:6]}, "OP": "+"}, {"IS_ALPHA": True}],
                    lower + [{"IS_ALPHA": True, "LOWER": {"NOT_IN": not_name}}],
                ],
            )  # "naam: karin smit"
    # "mijn vader heet ben", "mijn naam is wil de boer": lower case, even a word
    after_heet: Pattern = [
        {"IS_ALPHA": True, "IS_LOWER": True, "LOWER": {"NOT_IN": sorted(NOT_NAMES_AFTER_HEET)}}
    ]
    surname: Pattern = [
        {"LOWER": {"IN": PARTICLES[:6]}, "OP": "+"},
        {"IS_ALPHA": True, "IS_LOWER": True},
    ]
    heet_triggers: list[tuple[str, Pattern]] = [
        ("NAAM_LC_wie_heet", [{"LOWER": {"IN": sorted(HEET_SUBJECTS)}}, {"LOWER": "heet"}]),
        ("NAAM_LC_naam_is", [{"LOWER": "naam"}, {"LOWER": "is"}]),
    ]
    for label, heet in heet_triggers:
        matcher.add(label, [heet + after_heet, heet + after_heet + surname])
    # "mijn moeder Jannie de Vries woont": a capitalised name right after a relative
    for trigger in RELATIVE_NAME:
        pattern = [{"LOWER": word} for word in trigger] + [
            {"IS_TITLE": True, "LOWER": {"NOT_IN": not_name}}
        ]
        matcher.add(
            "NAAM_" + "_".join(trigger),
            [
                pattern + [{"IS_TITLE": True, "OP": "?"}],
                pattern + [{"LOWER": {"IN": PARTICLES}, "OP": "+"}, {"IS_TITLE": True}],
            ],
        )
    # "ik ben piet jansen": two lowercase words that are no common Dutch words, ending the clause
    lower_pair: Pattern = [
        {"LOWER": "ik"},
        {"LOWER": "ben"},
        {"IS_ALPHA": True, "IS_LOWER": True, "LOWER": {"NOT_IN": not_name}},
        {"IS_ALPHA": True, "IS_LOWER": True, "LOWER": {"NOT_IN": not_name}},
    ]
    matcher.add("NAAMEND_ik_ben", [lower_pair])
    return nlp, matcher


def _regex_spans(text: str) -> list[Span]:
    spans = [
        Span(m.start(), m.end(), "E-MAIL")
        for m in EMAIL.finditer(text)
        if not _role_mailbox(m.group())
    ]
    spans += [
        Span(m.start(), m.end(), "E-MAIL")
        for m in WRITTEN_EMAIL.finditer(text)
        # "gestuurd naar @zorgkantoor.nl": a word before a lone "@" is no address
        if not re.fullmatch(r"(?i:naar|aan|via|op|met|van|mail|mailen)\s+@\S+", m.group())
        and not _role_mailbox(m.group())
    ]
    spans += [
        Span(m.start(), m.end(), "IBAN") for m in IBAN.finditer(text) if iban_valid(m.group())
    ]
    spans += [Span(m.start(), m.end(), "IBAN") for m in DUTCH_IBAN.finditer(text)]
    spans += [
        Span(m.start(), m.end(), "BSN")
        for m in NINE_DIGITS.finditer(text)
        if elfproef(re.sub(r"\D", "", m.group()))
        # an organisation's RSIN or KvK number passes the elfproef too ("ons RSIN is ...")
        and not _organisation_id(text[max(0, m.start() - 30) : m.start()])
    ]
    spans += [
        Span(m.start(), m.end(), "TELEFOON")
        for m in PHONE.finditer(text)
        if not _organisation_number(text, m)
    ]
    spans += [Span(m.start(), m.end(), "TELEFOON") for m in FOREIGN_PHONE.finditer(text)]
    spans += _spoken_phones(text)
    spans += [Span(m.start(1), m.end(1), "BSN") for m in NAMED_BSN.finditer(text)]
    if BSN_WORD.search(text):
        spans += [
            Span(m.start(1), m.end(1), "BSN")
            for m in EIGHT_OR_NINE.finditer(text)
            if _near(text, m.start(1), m.end(1), BSN_WORD, 60)
        ]
    spans += [
        Span(m.start(1), m.end(1), "DOSSIER")
        for m in RECORD.finditer(text)
        if _record_number(text, m)
    ]
    spans += [
        Span(m.start(1), m.end(1), "ADRES")
        for m in LIVES_AT.finditer(text)
        if not set(m.group(1).lower().split()) & NOT_IN_STREET
    ]
    spans += [Span(m.start(), m.end(), "ADRES") for m in POSTCODE_HOUSE.finditer(text)]
    spans += [Span(m.start(), m.end(), "POSTCODE") for m in POSTCODE.finditer(text)]
    spans += [Span(m.start(), m.end(), "ADRES") for m in STREET.finditer(text)]
    for pattern in (NUMERIC_DATE, ISO_DATE, COMPACT_DATE, WORD_DATE, MONTH_YEAR):
        spans += [
            Span(m.start(), m.end(), "DATUM")
            for m in pattern.finditer(text)
            if _birth_date(text, m)
        ]
    closing = CLOSING.search(text.rstrip(" .!"))
    # "groetjes van een bezorgde dochter", "met vriendelijke groet, de kinderen": no name; but
    # "mvg, Van Dijk" and "groet, kasia" are
    if closing and _closing_names_someone(closing.group(1)):
        spans.append(
            Span(closing.start(1), closing.start(1) + len(closing.group(1).rstrip()), "NAAM")
        )
    return spans


def _near(text: str, start: int, end: int, pattern: re.Pattern[str], distance: int) -> bool:
    return bool(
        pattern.search(text[max(0, start - distance) : start])
        or pattern.search(text[end : end + distance])
    )


# words that do not stand in a street name: "woont in een verpleeghuis met 120 bewoners",
# "woont in Utrecht en is 88", "woonachtig in Ede sinds 2019"
NOT_IN_STREET = {
    "een",
    "en",
    "is",
    "met",
    "sinds",
    "in",
    "op",
    "bij",
    "al",
    "nog",
    "ook",
    "was",
    "nu",
    "zo",
    "ongeveer",
    "bijna",
    "ruim",
    "dan",
    "of",
}


def _record_number(text: str, match: re.Match[str]) -> bool:
    """A record number, not a service number, a phone number, an organisation's id, an amount
    ("het kost 2500 euro") or a year; after the bare word "nummer" at least five digits or a
    code."""
    value = match.group(1)
    if (
        text[match.start(1) - 1 : match.start(1)] == "+"  # "+31 88 789 10 00": a phone number
        or SERVICE_NUMBER.match(value)
        # after the bare "nummer" a phone-shaped number is a phone; after "dossiernummer" or
        # "kenmerk" it is the record's ("CIZ dossiernummer 0000482719")
        or PHONE.fullmatch(value)
        and bool(re.match(r"(?:nummer|nr\.?)\b", match.group(0), re.IGNORECASE))
        or ORGANISATION_ID.search(text[max(0, match.start() - 12) : match.start(1)])
    ):
        return False
    if re.match(r"\s*(?:euro|eur|€|,-)", text[match.end(1) :], re.IGNORECASE) or re.fullmatch(
        r"(?:19|20)\d\d", value
    ):
        return False
    bare = re.match(r"(?:nummer|nr\.?)\b", match.group(0), re.IGNORECASE)
    return not bare or sum(c.isdigit() for c in value) >= 5 or any(c.isalpha() for c in value)


def _organisation_number(text: str, match: re.Match[str]) -> bool:
    """A service number, or a landline right after an organisation's name ("de SVB gebeld op
    030 264 82 00", "CIZ: 088 789 10 00"). A mobile number is always someone's: never exempt."""
    number = match.group().strip()
    if SERVICE_NUMBER.match(number):
        return True
    if MOBILE.match(number):
        return False
    before = text[max(0, match.start() - 30) : match.start()]
    if COMPANY_NUMBER.match(
        number
    ):  # an agency's, unless the writer says it is theirs ("mij op het werk")
        return not PERSONAL.search(before)
    found = list(ORGANISATION.finditer(before))
    return bool(found) and not PERSONAL.search(before[found[-1].end() :])


def _birth_date(text: str, match: re.Match[str]) -> bool:
    """A date that may be someone's date of birth: an old one, or any with a word for birth."""
    if _near(text, match.start(), match.end(), BIRTH_CUE, 30):
        return True
    years = re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", match.group()) or re.findall(
        r"'\d{2}\b|(?<=[-/.])\d{2}$|\b\d{2}$", match.group()
    )
    if not years:
        return True
    year = years[0].lstrip("'")
    year = (
        int(year)
        if len(year) == 4
        else 2000 + int(year)
        if int(year) <= RECENT_YEAR % 100 + 2
        else 1900 + int(year)
    )
    return year < RECENT_YEAR


# One message at a time through spaCy: its tokenizer and matcher keep caches that are not
# made for threads, and the web service calls this from its thread pool. Waiting on a lock
# also leaves the GIL to the event loop, where many threads tokenising at once would not.
_SPACY = threading.Lock()


def _token_spans(text: str) -> list[Span]:
    with _SPACY:
        nlp, matcher = _nlp()
        doc = nlp.make_doc(text)
        matches = matcher(doc)
    spans = _listed_names(doc) + _introduced_names(doc)
    words = [t for t in doc if t.is_alpha and len(t) > 2]
    title_case = len(words) >= 4 and sum(t.is_title for t in words) >= 0.7 * len(words)
    for match_id, start, end in matches:
        label = nlp.vocab.strings[match_id]
        # a name: keep the trigger words, redact what follows
        trigger_length = len(label.split("_")) - (2 if label.startswith("NAAM_LC_") else 1)
        first = doc[start + trigger_length]
        if label.startswith("NAAMEND_") and end < len(doc) and not doc[end].is_punct:
            # "ik ben gisteren gevallen en ...": only a pair that ends the clause is a name
            continue
        if end - start - trigger_length == 1 and first.lower_.endswith(NOT_NAME_ENDINGS):
            continue  # "ik ben Marokkaans"
        if label.startswith("NAAM_mijn_") and (
            not _could_be_name(first) or title_case and not _listed(first)
        ):
            # "Mijn Moeder Woont Thuis", "mijn tante Zit nu": a capitalised Dutch word is no name
            continue
        if "heet" in label and any(t.lower_ in ANIMALS for t in doc[max(0, start - 4) : start]):
            continue  # "de hond van mijn moeder heet Max": a pet
        spans.append(Span(first.idx, doc[end - 1].idx + len(doc[end - 1]), "NAAM"))
    return spans


TITLES = {
    "mevrouw",
    "mevr",
    "mw",
    "meneer",
    "mr",
    "dhr",
    "heer",
    "dokter",
    "dr",
    "drs",
    "zuster",
    "broeder",
}
# a capitalised word after these is the name of a care home or a place, not of a person
# ("verpleeghuis De Linde", "Sint Jozef")
PLACE_BEFORE = {
    "de",
    "het",
    "sint",
    "st",
    "verpleeghuis",
    "zorgcentrum",
    "woonzorgcentrum",
    "zorggroep",
    "locatie",
    "huize",
    "kliniek",
    "ziekenhuis",
    "stichting",
    "woongroep",
    # homes and streets named after royals ("woonzorgcentrum Prinses Beatrix")
    "prinses",
    "prins",
    "koningin",
    "koning",
    "graaf",
    "gravin",
    "hertog",
    "hertogin",
}
# words in the first-name list that people also type as words (English and Dutch), measured on
# the training data and the content: typed in lower case they are no name
WORDS_NOT_NAMES = {
    "can",
    "ken",
    "brand",
    "brandt",
    "skip",
    "hee",
    "erin",
    "hai",
    "has",
    "deny",
    "adem",
    "lei",
    "meta",
    "watte",
    "just",
    "take",
    "france",
    "frans",
    "ouwe",
    "line",
    "ran",
    "may",
    "done",
    "kader",
    "roos",
    "tan",
    "mee",
    "bes",
    "hoop",
    "lief",
    "rob",
    "tia",
    "jip",
    "joke",
    "will",
    "mag",
    "bart",
    "fleur",
    "bo",
    "ad",
    "el",
    "mo",
    "ben",
    "jet",
    "kim",
    "max",
    "mees",
    "hang",
}
# a first name followed by one of these names a home or a place: "Maria Oord", "Johannes Hospitium"
PLACE_AFTER = {
    "oord",
    "hospitium",
    "hospice",
    "hof",
    "huis",
    "stede",
    "hoeve",
    "hove",
    "borg",
    "heem",
    "state",
    "staete",
    "paviljoen",
    "kliniek",
    "kerk",
    "parochie",
    "school",
    "stichting",
}
# sayings with a first name in them: "jan en alleman", "jan modaal"
# after "meneer van de": a place or a role, not a surname
NOT_SURNAMES = {
    "balie",
    "administratie",
    "planning",
    "thuiszorg",
    "wijkteam",
    "dagbesteding",
    "zorg",
    "team",
    "organisatie",
    "bank",
    "politie",
    "woningcorporatie",
    "verzekering",
    "post",
    "telefoon",
    "buurt",
    "overkant",
    "kerk",
    "winkel",
    "apotheek",
    "fysio",
    "gang",
    "kamer",
    "groep",
    "dienst",
    "avond",
    "nacht",
    "dag",
    "ochtend",
    "middag",
    "week",
    "straat",
    "flat",
    "verdieping",
    "lift",
}
NAME_SAYINGS = re.compile(
    r"\bjan\s+(?:en\s+alleman|modaal|met\s+de\s+pet|rap|lul|snot|klaassen)\b|\bboven\s+jan\b"
    r"|\bmagere\s+hein\b|\bjoost\s+mag\s+weten\b|\bklaar\s+is\s+kees\b|\bjantje\s+(?:lacht|huilt)\b"
    r"|\bpiet\s+snot\b",
    re.IGNORECASE,
)
# after particles these are no surname: "bas in een bandje" (but "van der meer" is one)
NO_SURNAMES = {"een", "het", "de", "die", "dat", "deze", "dit", "er", "hier", "daar", "zo"}
# abbreviations people type after a relative: "moeder geb 3-4-1940" names nobody
ABBREVIATIONS = {
    "geb",
    "ivm",
    "mbt",
    "zsm",
    "evt",
    "ipv",
    "nav",
    "tav",
    "bijv",
    "dwz",
    "aub",
    "svp",
}
# after these a name is a provider or a place, and after an animal a pet (see _listed_names)
NOT_BEFORE_NAMES = {"bij", "in", "uit", "over"}
ANIMALS = {
    "hond",
    "hondje",
    "kat",
    "katje",
    "poes",
    "poesje",
    "kater",
    "parkiet",
    "konijn",
    "cavia",
    "vogel",
    "kip",
    "kippen",
    "pony",
    "paard",
    "labrador",
    "robotkat",
}
# a first name typed in lower case after these is a word or a place: "met een rietje", "geen
# joy", "woont in ans", "naar lisse" (after a relative it is still a name: "naar oma anna")
NOT_BEFORE_LOWER_NAMES = {"een", "geen", "in", "naar", "uit", "ik", "je", "jij", "u"}
INITIALS = re.compile(r"^(?:[A-Z]\.){1,4}$")


HYPHEN_PARTICLES = tuple(f"-{p}" for p in ("de", "van", "der", "den", "ter", "ten", "in", "op"))


@lru_cache(maxsize=1)
def care_providers() -> re.Pattern[str] | None:
    """The names in content/care_providers.yml, as one case-insensitive pattern."""
    path = content_dir() / "care_providers.yml"
    try:
        names = yaml.safe_load(path.read_text(encoding="utf-8")).get("aanbieders") or []
    except (OSError, yaml.YAMLError, AttributeError):
        log.warning(
            "content/care_providers.yml could not be read: care providers' names may be hidden"
        )
        return None
    if not names:
        return None
    alternatives = "|".join(re.escape(str(n)) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _listed(token: Token) -> bool:
    lists = name_lists()
    return token.text.title() in lists.first or token.text.title() in lists.surnames


def _capitalised(token: Token) -> bool:
    """A capitalised word, maybe hyphenated ("Oosterhuis-de", "Anne-Marie")."""
    return token.is_title or (
        token.text[:1].isupper() and token.text[1:2].islower() and _wordlike(token)
    )


def _wordlike(token: Token) -> bool:
    """Letters, and maybe hyphens between them ("anne-marie", "mulder-bos")."""
    return token.is_alpha or (
        token.text.replace("-", "").isalpha()
        and not token.text.startswith("-")
        and not token.text.endswith("-")
    )


def _lower_surname(doc: Doc, index: int, lists: NameLists) -> bool:
    """A surname typed in lower case after a title and its particles: "mevrouw van den berg",
    "dhr. van leeuwen)", but not "een mevrouw in een verpleeghuis" or "meneer van de receptie
    zei"."""
    end = index
    while end < len(doc) and doc[end].lower_ in (
        "van",
        "de",
        "der",
        "den",
        "ter",
        "ten",
        "'t",
        "el",
    ):
        end += 1
    if end == index or end >= len(doc) or not _wordlike(doc[end]):  # "van wijk-smit"
        return False
    word = doc[end]
    ends = end + 1 >= len(doc) or doc[end + 1].is_punct
    if word.text.title() in lists.surnames or (ends and word.lower_ not in lists.common):
        return True
    # "mevrouw van leeuwen via het pgb": the surname list holds few names with particles; after
    # a title and particles any word is one, but a place in an organisation ("meneer van de
    # receptie")
    return (
        word.is_lower
        and word.lower_ not in _nlp()[0].Defaults.stop_words
        and not ORGANISATION.fullmatch(word.text)
        and word.lower_ not in NOT_SURNAMES
    )


GREETINGS = {
    "hoi",
    "hallo",
    "hai",
    "hey",
    "hee",
    "goedemorgen",
    "goedemiddag",
    "goedenavond",
    "dag",
}


def _greeted(doc: Doc, index: int) -> bool:
    """The word after "hallo met", "dit is" or "namens": where a writer names themself or the
    person they write for."""
    words = [t.lower_ for t in doc[max(0, index - 3) : index] if not t.is_punct]
    return (
        bool(words)
        and (
            words[-1] == "namens"
            or index == 1
            and words == ["met"]  # "met kartosen, ik bel voor ..."
            or words[-2:] == ["dit", "is"]
            or len(words) >= 2
            and words[-1] == "met"
            and words[-2] in GREETINGS
        )
    )


def _could_be_name(token: Token) -> bool:
    """A lower-case word that is a listed name, or no Dutch word form: not "gisteren"."""
    lists = name_lists()
    if token.text.title() in lists.first or token.text.title() in lists.surnames:
        return True
    words = lexicon()
    found = words.lookup(token.lower_) if words is not None else None
    return found is None or not found[1]


def _pet_named(doc: Doc, index: int) -> bool:
    """ "de kat heet Max", "de hond van mijn moeder heet Bobby", "wij noemen hem Poes"."""
    before = [t.lower_ for t in doc[max(0, index - 6) : index]]
    named = before[-1:] == ["heet"] or before[-2:] == ["noemen", "hem"]
    return named and any(w.endswith(tuple(ANIMALS)) for w in before)


def _introduced_names(doc: Doc) -> list[Span]:
    """A writer who starts with who someone is: "yonas is mijn zoon van 12", "cor bos is mijn
    vader, ...", "sharlon hier, ...". Only at the start of the message or after a full stop, only
    lower-case words, and "is mijn <relative>" must end there ("gisteren is mijn vader gevallen"
    is no name)."""
    stop_words = _nlp()[0].Defaults.stop_words
    spans = []
    for index, token in enumerate(doc):
        after = doc[index + 1 : index + 4]
        introduced = (
            token.lower_ == "is"
            and len(after) >= 2
            and after[0].lower_ in ("mijn", "m'n", "onze")
            and after[1].lower_ in RELATIVE_WORDS | {"collega"}
            and (len(after) == 2 or after[2].is_punct or after[2].lower_ in ("van", "en", "die"))
        ) or (token.lower_ == "hier" and (index + 1 == len(doc) or doc[index + 1].is_punct))
        if not introduced:
            continue
        start = index
        while start > 0 and index - start < 4 and not doc[start - 1].is_punct:
            start -= 1
        if start > 0 and doc[start - 1].text not in ".!?":
            continue
        words = doc[start:index]
        if (
            len(words) >= 1
            and words[0].lower_ not in PARTICLES
            and words[0].lower_ not in GREETINGS
            and all(
                t.is_lower
                and _wordlike(t)
                and (
                    t.lower_ in PARTICLES
                    or t.lower_ not in stop_words
                    and t.lower_ not in NOT_NAMES
                    and _could_be_name(t)
                )
                for t in words
            )
        ):
            spans.append(Span(words[0].idx, words[-1].idx + len(words[-1]), "NAAM"))
    return spans


def _listed_names(doc: Doc) -> list[Span]:
    """Capitalised first names from the list, with what follows that looks like a surname
    ("Jannie de Vries"), and surnames after a title ("mevr. de Boer")."""
    lists = name_lists()
    if not lists.first:
        return []
    stop_words = _nlp()[0].Defaults.stop_words
    not_name = NOT_NAMES | lists.common | stop_words
    pattern = care_providers()
    providers = [m.span() for m in pattern.finditer(doc.text)] if pattern else []
    spans = []
    index = 0
    while index < len(doc):
        token = doc[index]
        before = doc[index - 1].lower_.rstrip(".") if index > 0 else ""
        title_at = index - 1
        if before == "" and index > 1:  # "mw. kuipers" split as "mw", ".", "kuipers"
            before, title_at = doc[index - 2].lower_.rstrip("."), index - 2
        after_title = before in TITLES
        # "het dr. leo kannerhuis", "'t Dr. Sarphatihuis": a building, not a doctor
        building = after_title and title_at > 0 and doc[title_at - 1].lower_ in ("het", "'t")
        # "van Erica naar Emmen": places on a trip, not people
        travel = before == "van" and index + 1 < len(doc) and doc[index + 1].lower_ == "naar"
        # "op de wachtlijst bij Aafje", "we wonen in Ens", "een klacht over Laurens": after these
        # a name is a care provider or a place (in the development corpora no person's name
        # followed them, a dozen organisations and places did); "hond Max": a pet
        elsewhere = before in NOT_BEFORE_NAMES or before in ANIMALS or _pet_named(doc, index)
        if building or travel or elsewhere:
            index += 1
            continue
        # a first name typed in lower case ("hoi met fatima", "mijn man gerrit"), or a surname
        # after a title ("mevrouw bouzid", "dhr. van leeuwen")
        # ("meneer kok": a listed surname after a title, also where it is a word too)
        wordlike = _wordlike(token)  # "anne-marie" is one token
        lower = (
            token.is_lower
            and wordlike
            and len(token) > 2
            and (
                token.lower_ not in not_name
                and token.lower_ not in WORDS_NOT_NAMES
                and (token.text.title() in lists.first or after_title)
                or after_title
                and token.text.title() in lists.surnames
                and token.lower_ not in stop_words
            )
            and before not in PLACE_BEFORE  # "zorgcentrum margriet", "de linde"
            and before not in NOT_BEFORE_LOWER_NAMES
        )
        # right after a relative or "heet" a listed first name is one, also where it is a word too
        # ("mijn zus roos", "tante jet", "schoonzoon mo"); not a stop word ("mijn man wil")
        if (
            (before in RELATIVE_WORDS or before == "ben" or _greeted(doc, index))
            and token.is_lower
            and wordlike
            and len(token) > 1
            and (
                before in RELATIVE_WORDS
                and (token.text.title() in lists.first or _uncommon_word(token.lower_))
                or _unknown_word(token.lower_)
                or before == "ben"  # "ik ben riet, 78 jaar": the clause ends after it
                and doc[index - 2].lower_ == "ik"
                and index + 1 < len(doc)
                and doc[index + 1].text in ",."
                and _could_be_name(token)
            )
            and token.lower_ not in stop_words
            and token.lower_ not in NOT_NAMES
        ):
            lower = True
        # "P. de Haan", "M. van Rijn": initials, maybe particles, then a capitalised surname
        initials = (
            bool(INITIALS.match(token.text))
            and index + 1 < len(doc)
            and (
                _capitalised(doc[index + 1])
                and doc[index + 1].lower_ not in not_name
                or doc[index + 1].lower_ in PARTICLES
                and any(_capitalised(t) for t in doc[index + 2 : index + 4])
            )
        )
        # after a title any capitalised word is a surname, also one that is a word ("meneer Bos",
        # "mevrouw Koning"); elsewhere a listed first name that is no common word
        starts = (
            lower
            or initials
            or _capitalised(token)
            and before not in PLACE_BEFORE
            and (after_title or token.lower_ not in not_name and token.text in lists.first)
        )
        # "op de wachtlijst bij Laurens", "het Dr. Sarphatihuis"; but "mijn zoon Laurens"
        provider = next((start for start, end in providers if start <= token.idx < end), None)
        if (
            starts
            and provider is not None
            and (provider < token.idx or not (after_title or before in RELATIVE_WORDS))
        ):
            starts = False
        if after_title and token.lower_ in PARTICLES:
            starts = any(t.is_title for t in doc[index + 1 : index + 4]) or _lower_surname(
                doc, index, lists
            )
            lower = starts and not any(t.is_title for t in doc[index + 1 : index + 4])
        if not starts:
            index += 1
            continue
        end = index + 1
        # a lower-case surname is one word: "henk de boer woont" stops at "boer"; after a title the
        # first word is the surname ("meneer bakker van het wijkteam")
        surname_done = (
            lower
            and after_title
            and token.lower_ not in PARTICLES
            and token.text.title() not in lists.first
        )
        # a first name that is also a word ("roos") takes only a listed surname after it
        # ("roos belt")
        word_name = token.lower_ in lists.common or token.lower_ in WORDS_NOT_NAMES
        while end < len(doc):  # the rest of the name: particles, capitalised words, listed surnames
            following = doc[end]
            surname = following.text.title() in lists.surnames or following.text in lists.first
            if (
                following.lower_ in PARTICLES
                and not surname_done
                and any(
                    t.is_title
                    or lower
                    and t.is_alpha
                    and t.lower_ not in PARTICLES
                    and t.lower_ not in NO_SURNAMES  # "bas in een bandje"
                    for t in doc[end + 1 : end + 4]
                )
            ):
                end += (
                    1  # "ilse van der meer": after particles a lower-case word is the surname too
                )
            elif (
                lower
                and doc[end - 1].lower_ in PARTICLES
                and following.is_alpha
                and not surname_done
                and following.lower_ not in POSSESSIVES
                and following.lower_ not in NO_SURNAMES
            ):  # "de iris van zijn oog"
                end += 1
                surname_done = True
            elif _capitalised(following) and (
                following.lower_ not in not_name or surname or doc[end - 1].lower_ in PARTICLES
            ):
                end += (
                    1  # after particles a capitalised word is the surname: "van der Meer", "de Wit"
                )
            elif doc[end - 1].text.lower().endswith(HYPHEN_PARTICLES) and following.is_alpha:
                end += 1  # "bakker-de ruiter", "Brouwer-van Vliet"
            elif (
                lower
                and not surname_done
                and following.is_lower
                and _wordlike(following)
                and following.lower_ not in WORDS_NOT_NAMES
                and following.lower_ not in stop_words
                and following.lower_ not in NOT_NAMES
                and (
                    surname
                    or following.lower_ not in lists.common
                    and not word_name
                    and not _dutch_word(following.lower_)  # "mijn man gerrit woont"
                )
            ):
                end += 1  # "agnieszka kowalska": a lower-case surname after a lower-case first name
                surname_done = True
            else:
                break
        while end > index + 1 and doc[end - 1].lower_ in PARTICLES:
            end -= 1
        # ("willem van 't hof" is a surname: after particles the word is one)
        if (
            doc[end - 1].lower_ in PLACE_AFTER
            and doc[end - 2].lower_ not in PARTICLES
            or end < len(doc)
            and doc[end].lower_ in PLACE_AFTER
        ):
            index = end
            continue
        span = Span(token.idx, doc[end - 1].idx + len(doc[end - 1]), "NAAM")
        if not any(m.start() <= span.start < m.end() for m in NAME_SAYINGS.finditer(doc.text)):
            spans.append(span)
        index = end
    return spans


def find_pii(text: str) -> list[Span]:
    """Non-overlapping PII spans. Where spans overlap, the one that starts first (the longest of
    those) names the kind, and the union is hidden: a name read too far must not uncover the
    house number of the address it ran into."""
    candidates = sorted(
        _regex_spans(text) + _token_spans(text), key=lambda s: (s.start, -(s.end - s.start))
    )
    chosen: list[Span] = []
    for span in candidates:
        if chosen and span.start < chosen[-1].end:
            if span.end > chosen[-1].end:
                chosen[-1] = Span(chosen[-1].start, span.end, chosen[-1].kind)
            continue
        chosen.append(span)
    return chosen


def warm_up() -> None:
    """Build the pipeline and read the name lists now, not on the first citizen's message."""
    redact("Ik heet Jan de Vries.")
    care_providers()
    words = lexicon()
    if words is not None:
        words.common()


def redact(text: str) -> str:
    for span in reversed(find_pii(text)):
        text = text[: span.start] + f"[{span.kind}]" + text[span.end :]
    return text
