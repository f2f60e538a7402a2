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
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.matcher import Matcher

log = logging.getLogger(__name__)

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december", "jan", "feb", "mrt", "apr", "jun",
          "jul", "aug", "sep", "sept", "okt", "nov", "dec"]
RELATIVES = ["moeder", "vader", "man", "vrouw", "partner", "zus", "broer", "oma", "opa", "zoon", "dochter",
             "tante", "oom", "buurvrouw", "buurman", "schoonmoeder", "schoonvader", "vriendin", "vriend",
             "kleinzoon", "kleindochter", "mama", "papa", "moeke", "pa", "ma"]
NAME_TRIGGERS = [["ik", "heet"], ["mijn", "naam", "is"], ["ik", "ben"], ["naam", ":"], ["naam"],
                 ["zij", "heet"], ["hij", "heet"], ["ze", "heet"],
                 *[["mijn", relative, "heet"] for relative in RELATIVES]]
# "mijn moeder Jannie de Vries woont ...": a capitalised word right after a relative is a name
RELATIVE_NAME = [["mijn", relative] for relative in RELATIVES]
# closings of a message: what follows is the writer's name ("Met vriendelijke groet, Karin Smit")
CLOSING = re.compile(r"\b(?:met\s+vriendelijke\s+groet(?:en)?|vriendelijke\s+groet(?:en)?|mvg|groet(?:jes|en)?|"
                     r"hartelijke\s+groet(?:en)?|liefs|gr\.?)\s*[,:]?\s+((?:[A-Za-zÀ-ÿ'-]+\.?\s*){1,4})$",
                     re.IGNORECASE)
# "ik ben" is followed by names but also by "ik ben blij": only take a capitalised word
# tussenvoegsels in Dutch surnames: "Jan de Vries", "Anne van der Berg"
PARTICLES = ["de", "van", "der", "den", "ter", "ten", "te", "het", "'t", "in", "op", "la", "le", "du"]
NOT_NAMES = {"het", "de", "een", "niet", "wel", "al", "nog", "ook", "welkom", "blij", "bang", "moe", "ziek",
             "mantelzorger", "mantelzorgster", "budgethouder", "cliënt", "client", "dochter", "zoon", "moeder",
             "vader", "partner", "weduwe", "weduwnaar", "gepensioneerd", "alleenstaand", "verpleegkundige",
             "verzorgende", "vrijwilliger", "christen", "moslim", "katholiek", "protestant", "joods", "hindoe",
             "boos", "verdrietig", "benieuwd", "bezorgd", "ongerust", "dankbaar", "op", "er", "daar", "hier",
             "zelf", "nu", "bijna", "pas", "sinds", "zo", "heel", "erg", "echt", "ook", "bezig", "klaar"}
# nationalities and origins: "ik ben Marokkaans" is not a name
NOT_NAME_ENDINGS = ("aans", "aanse", "ees", "eese", "isch", "ische", "iaan", "iaanse", "ands", "andse", "ks", "kse")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# a separator between digit groups: a space, a dot or a dash, with spaces around it ("06 - 12345678")
_SEP = r"(?:\s*[.-]\s*|\s)?"
PHONE = re.compile(rf"(?<![\w+])(?:(?:\+31|0031)(?:{_SEP}\(0\))?|0|\(0(?=\d{{1,3}}\)))(?:{_SEP}\)?{_SEP}\d){{9,10}}(?!\d)")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[\s-]?[A-Z0-9]{4}){2,7}(?:[\s-]?[A-Z0-9]{1,3})?\b", re.IGNORECASE)
# postcode plus house number; the letters may not be an everyday word ("2023 al 5 jaar")
COMMON_PAIRS = "al|en|of|is|te|in|op|ik|je|we|ze|na|om|nu|ja|de|er|at|an|el|he|hé|ok|zo|nl"
POSTCODE_HOUSE = re.compile(rf"\b[1-9]\d{{3}}\s?(?!(?:{COMMON_PAIRS})(?![A-Za-z]))[A-Za-z]{{2}}(?![A-Za-z])\s*,?\s*\d{{1,5}}(?:\s?[a-zA-Z]\b)?")
# a postcode alone narrows a home down to a street: redacted too, as long as the letters are no word
POSTCODE = re.compile(rf"\b[1-9]\d{{3}}\s?(?!(?:{COMMON_PAIRS})\b)[A-Z]{{2}}\b|\b[1-9]\d{{3}}(?!(?:{COMMON_PAIRS})\b)[a-z]{{2}}\b")
# a street with a house number: "Dorpsstraat 12", "kerkweg 3a", "Laan van Meerdervoort 101-B"
STREET_WORDS = ("straat|weg|laan|plein|singel|gracht|kade|dreef|hof|dijk|pad|steeg|park|plantsoen|markt|"
                "ring|baan|allee|wal|erf|veld|straatweg|boulevard|hoek|haven|burg|wijk|akker|gaarde|zijde")
STREET = re.compile(rf"\b(?:(?:laan|plein|kade|weg|hof)\s+(?:van|der|de|den|het|ter|ten|op)\s+(?:\w+\s+)?[A-Z]\w+|"
                    rf"[A-Za-zÀ-ÿ'-]+(?:{STREET_WORDS}))\s+\d{{1,5}}(?:\s?-?\s?[a-zA-Z](?![A-Za-z])|\s?-\s?\d{{1,3}})?",
                    re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:\d{4}|\d{2})\b")
ISO_DATE = re.compile(r"\b(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])\b")
# ddmmyyyy, as typed in forms: "12031945"
COMPACT_DATE = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d{2}(?!\d)")
_MONTHS = "|".join(sorted(MONTHS, key=len, reverse=True))
# not after "per", "sinds", "vanaf", "tot": that is when a rule changed, not someone's birthday
WORD_DATE = re.compile(rf"(?<!\bper )(?<!\bsinds )(?<!\bvanaf )(?<!\btot )\b(?:0?[1-9]|[12]\d|3[01])\s+(?:{_MONTHS})\.?\s+(?:19|20)?\d{{2}}\b", re.IGNORECASE)
# a month and a year long ago is a birth month ("maart 1945"); "in maart 2025" is just when
MONTH_YEAR = re.compile(rf"\b(?:{_MONTHS})\.?\s+(?:19\d{{2}}|200\d)\b", re.IGNORECASE)
# a BSN named as such, also with eight digits (older numbers) or a failing check
NAMED_BSN = re.compile(r"\b(?:bsn|burgerservicenummer|sofinummer)\s*(?:nummer|nr\.?)?\s*[:=]?\s*(\d(?:[\s.-]?\d){7,8})(?!\d)",
                       re.IGNORECASE)
NINE_DIGITS = re.compile(r"(?<![\d-])(\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .-]\d{3}[ .-]\d{3})(?![\d-])")


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
    common: frozenset[str]   # lowercase words that are no name where they stand ("wil", "roos")


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
        log.warning("deduce's name lists are not installed: names are found after trigger words only")
        return NameLists(frozenset(), frozenset(), frozenset())
    source = Path(spec.submodule_search_locations[0]) / "data" / "lookup" / "src"

    def read(*parts: str) -> set[str]:
        folder = source.joinpath(*parts)
        items = set((folder / "items.txt").read_text(encoding="utf-8").split("\n"))
        exceptions = folder / "exceptions.txt"
        if exceptions.exists():
            items -= set(exceptions.read_text(encoding="utf-8").split("\n"))
        return {item.strip() for item in items if item.strip()}

    common = {w.lower() for w in read("whitelist", "lst_common_word") | read("whitelist", "lst_stop_word")
              | read("whitelist", "lst_eponymous_disease")}
    return NameLists(frozenset(read("names", "lst_first_name")), frozenset(read("names", "lst_surname")),
                     frozenset(common))


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@lru_cache(maxsize=1)
def _nlp() -> tuple[spacy.Language, Matcher]:
    nlp = spacy.blank("nl")
    matcher = Matcher(nlp.vocab)
    not_name = sorted(NOT_NAMES | nlp.Defaults.stop_words)
    for trigger in NAME_TRIGGERS:
        # trigger words, then one to three capitalised words: the name
        pattern = [{"LOWER": word} for word in trigger]
        pattern.append({"IS_TITLE": True, "LOWER": {"NOT_IN": sorted(NOT_NAMES)}})
        pattern.append({"IS_TITLE": True, "OP": "?"})
        with_particles = pattern + [{"LOWER": {"IN": PARTICLES}, "OP": "+"}, {"IS_TITLE": True}]
        pattern.append({"IS_TITLE": True, "OP": "?"})
        matcher.add("NAAM_" + "_".join(trigger), [pattern, with_particles])
        # lowercase typing of names after the strongest triggers ("ik heet jan de vries")
        if trigger in (["ik", "heet"], ["mijn", "naam", "is"], ["naam", ":"]):
            lower = [{"LOWER": word} for word in trigger] + [{"IS_ALPHA": True, "LOWER": {"NOT_IN": sorted(NOT_NAMES)}}]
            matcher.add("NAAM_LC_" + "_".join(trigger), [
                lower, lower + [{"LOWER": {"IN": PARTICLES[:6]}, "OP": "+"}, {"IS_ALPHA": True}],
                lower + [{"IS_ALPHA": True, "LOWER": {"NOT_IN": not_name}}]])  # "naam: karin smit"
    # "mijn moeder Jannie de Vries woont": a capitalised name right after a relative
    for trigger in RELATIVE_NAME:
        pattern = [{"LOWER": word} for word in trigger] + [{"IS_TITLE": True, "LOWER": {"NOT_IN": not_name}}]
        matcher.add("NAAM_" + "_".join(trigger), [
            pattern + [{"IS_TITLE": True, "OP": "?"}],
            pattern + [{"LOWER": {"IN": PARTICLES}, "OP": "+"}, {"IS_TITLE": True}]])
    # "ik ben piet jansen": two lowercase words that are no common Dutch words, ending the clause
    lower_pair = [{"LOWER": "ik"}, {"LOWER": "ben"},
                  {"IS_ALPHA": True, "IS_LOWER": True, "LOWER": {"NOT_IN": not_name}},
                  {"IS_ALPHA": True, "IS_LOWER": True, "LOWER": {"NOT_IN": not_name}}]
    matcher.add("NAAMEND_ik_ben", [lower_pair])
    return nlp, matcher


def _regex_spans(text: str) -> list[Span]:
    spans = [Span(m.start(), m.end(), "E-MAIL") for m in EMAIL.finditer(text)]
    spans += [Span(m.start(), m.end(), "IBAN") for m in IBAN.finditer(text) if iban_valid(m.group())]
    spans += [Span(m.start(), m.end(), "BSN") for m in NINE_DIGITS.finditer(text)
              if elfproef(re.sub(r"\D", "", m.group()))]
    spans += [Span(m.start(), m.end(), "TELEFOON") for m in PHONE.finditer(text)]
    spans += [Span(m.start(1), m.end(1), "BSN") for m in NAMED_BSN.finditer(text)]
    spans += [Span(m.start(), m.end(), "ADRES") for m in POSTCODE_HOUSE.finditer(text)]
    spans += [Span(m.start(), m.end(), "POSTCODE") for m in POSTCODE.finditer(text)]
    spans += [Span(m.start(), m.end(), "ADRES") for m in STREET.finditer(text)]
    for pattern in (NUMERIC_DATE, ISO_DATE, COMPACT_DATE, WORD_DATE, MONTH_YEAR):
        spans += [Span(m.start(), m.end(), "DATUM") for m in pattern.finditer(text)]
    closing = CLOSING.search(text.rstrip(" .!"))
    if closing:
        spans.append(Span(closing.start(1), closing.start(1) + len(closing.group(1).rstrip()), "NAAM"))
    return spans


# One message at a time through spaCy: its tokenizer and matcher keep caches that are not
# made for threads, and the web service calls this from its thread pool. Waiting on a lock
# also leaves the GIL to the event loop, where many threads tokenising at once would not.
_SPACY = threading.Lock()


def _token_spans(text: str) -> list[Span]:
    with _SPACY:
        nlp, matcher = _nlp()
        doc = nlp.make_doc(text)
        matches = matcher(doc)
    spans = _listed_names(doc)
    for match_id, start, end in matches:
        label = nlp.vocab.strings[match_id]
        # a name: keep the trigger words, redact what follows
        trigger_length = len(label.split("_")) - (2 if label.startswith("NAAM_LC_") else 1)
        first = doc[start + trigger_length]
        if label.startswith("NAAMEND_") and end < len(doc) and not doc[end].is_punct:
            continue  # "ik ben gisteren gevallen en ...": only a pair that ends the clause is a name
        if end - start - trigger_length == 1 and first.lower_.endswith(NOT_NAME_ENDINGS):
            continue  # "ik ben Marokkaans"
        spans.append(Span(first.idx, doc[end - 1].idx + len(doc[end - 1]), "NAAM"))
    return spans


TITLES = {"mevrouw", "mevr", "mw", "meneer", "mr", "dhr", "heer", "dokter", "dr", "zuster", "broeder"}


def _listed_names(doc) -> list[Span]:
    """Capitalised first names from the list, with what follows that looks like a surname
    ("Jannie de Vries"), and surnames after a title ("mevr. de Boer")."""
    lists = name_lists()
    if not lists.first:
        return []
    not_name = NOT_NAMES | lists.common | _nlp()[0].Defaults.stop_words
    spans = []
    index = 0
    while index < len(doc):
        token = doc[index]
        after_title = index > 0 and doc[index - 1].lower_.rstrip(".") in TITLES
        starts = token.is_title and token.lower_ not in not_name and (
            token.text in lists.first or (after_title and (token.text in lists.surnames or token.is_title)))
        if after_title and token.lower_ in PARTICLES:
            starts = any(t.is_title for t in doc[index + 1:index + 4])
        if not starts:
            index += 1
            continue
        end = index + 1
        while end < len(doc):  # the rest of the name: particles and capitalised words
            following = doc[end]
            if following.lower_ in PARTICLES and any(t.is_title for t in doc[end + 1:end + 4]):
                end += 1
            elif following.is_title and following.lower_ not in not_name:
                end += 1
            else:
                break
        while end > index + 1 and doc[end - 1].lower_ in PARTICLES:
            end -= 1
        spans.append(Span(token.idx, doc[end - 1].idx + len(doc[end - 1]), "NAAM"))
        index = end
    return spans


def find_pii(text: str) -> list[Span]:
    """Non-overlapping PII spans; the longest wins where kinds overlap."""
    candidates = sorted(_regex_spans(text) + _token_spans(text), key=lambda s: (s.start, -(s.end - s.start)))
    chosen: list[Span] = []
    for span in candidates:
        if chosen and span.start < chosen[-1].end:
            continue
        chosen.append(span)
    return chosen


def warm_up() -> None:
    """Build the pipeline and read the name lists now, not on the first citizen's message."""
    redact("Ik heet Jan de Vries.")


def redact(text: str) -> str:
    for span in reversed(find_pii(text)):
        text = text[:span.start] + f"[{span.kind}]" + text[span.end:]
    return text
