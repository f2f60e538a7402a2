"""The redactor: what it must hide, and what it must leave alone."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.redaction import elfproef, iban_valid, redact


@pytest.mark.parametrize(
    "text,expected",
    [
        # BSN: only nine digits that pass the elfproef
        ("mijn bsn is 111222333", "mijn bsn is [BSN]"),
        ("BSN 1112.22.333 graag", "BSN [BSN] graag"),
        ("bestelnummer 123456789", "bestelnummer 123456789"),  # fails the elfproef
        # phone numbers
        ("bel me op 06-12345678", "bel me op [TELEFOON]"),
        ("mijn nummer: +31 6 1234 5678.", "mijn nummer: [TELEFOON]."),
        ("vast 020-1234567 overdag", "vast [TELEFOON] overdag"),
        ("0031 6 12345678", "[TELEFOON]"),
        ("zorgprofiel vv4 sinds 2019", "zorgprofiel vv4 sinds 2019"),
        # e-mail
        ("mail naar jan.de.vries@example.nl aub", "mail naar [E-MAIL] aub"),
        ("mijn e-mail werkt niet", "mijn e-mail werkt niet"),
        # a known organisation's mailbox is no personal data; "info@" at a family's domain is
        ("mail ik naar info@ciz.nl?", "mail ik naar info@ciz.nl?"),
        ("ons adres is info@jansen.nl", "ons adres is [E-MAIL]"),
        # an organisation's RSIN passes the elfproef like a BSN
        ("het RSIN van de stichting is 111222333", "het RSIN van de stichting is 111222333"),
        # a signature of an organisation, not of a person
        (
            "Met vriendelijke groet,\nCliëntenraad De Linde",
            "Met vriendelijke groet,\nCliëntenraad De Linde",
        ),
        # IBAN: any valid one, and a Dutch one even with a typo (it still points to the account)
        ("rekening NL91 ABNA 0417 1643 00", "rekening [IBAN]"),
        ("NL91ABNA0417164301 klopt niet", "[IBAN] klopt niet"),
        ("DE89370400440532013000 klopt niet", "[IBAN] klopt niet"),
        ("DE89370400440532013001 klopt niet", "DE89370400440532013001 klopt niet"),
        # postcode with house number
        ("ik woon op 1234 AB 12", "ik woon op [ADRES]"),
        ("postcode 3511AB, 7a", "postcode [ADRES]"),
        ("wij wachten 2023 al", "wij wachten 2023 al"),
        # dates of birth
        ("geboren 12-03-1948", "geboren [DATUM]"),
        ("ze is geboren op 3 maart 1950", "ze is geboren op [DATUM]"),
        ("in maart kreeg ze een indicatie", "in maart kreeg ze een indicatie"),
        # names after a trigger
        ("Ik heet Jan de Vries en ik heb een vraag", "Ik heet [NAAM] en ik heb een vraag"),
        ("mijn naam is anne van der berg", "mijn naam is [NAAM]"),
        ("Ik ben Piet van Dam.", "Ik ben [NAAM]."),
        ("ik heet jan en ik woon in Zwolle", "ik heet [NAAM] en ik woon in Zwolle"),
        ("mijn naam is Petra Jansen", "mijn naam is [NAAM]"),
        ("ik heet jan", "ik heet [NAAM]"),
        ("mijn moeder heet Annie", "mijn moeder heet [NAAM]"),
        ("ik heet het welkom", "ik heet het welkom"),
        ("ik ben blij met de uitleg", "ik ben blij met de uitleg"),
    ],
)
def test_redaction(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_several_kinds_in_one_message() -> None:
    text = "Ik heet Karin, bel 0612345678 of mail karin@voorbeeld.nl, bsn 111222333"
    assert redact(text) == "Ik heet [NAAM], bel [TELEFOON] of mail [E-MAIL], bsn [BSN]"


def test_checks() -> None:
    assert elfproef("111222333") and not elfproef("123456789") and not elfproef("000000000")
    assert iban_valid("NL91ABNA0417164300") and not iban_valid("NL91ABNA0417164301")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_redaction_never_crashes_and_is_stable(text: str) -> None:
    once = redact(text)
    assert redact(once) == once  # idempotent: redacted text holds nothing left to find


PII = [
    "111222333",
    "0612345678",
    "+31 6 1234 5678",
    "jan.de.vries@example.nl",
    "NL91 ABNA 0417 1643 00",
    "NL91ABNA0417164300",
]
LANDLINE = "020-1234567"
# A landline right after an organisation's name is that organisation's ("de SVB gebeld op
# 030 264 82 00", tested above), so it may stay. Written out here as the product promises it,
# not read from the redactor; Hypothesis mines string constants from the code under test and
# will try these words.
ORGANISATION_WORDS = (
    "svb", "ciz", "cak", "per saldo", "zorgkantoor", "helpdesk", "klantenservice",
    "mantelzorglijn", "veilig thuis", "sociale verzekeringsbank", "huisartsenpost",
    "zorgverzekeraar", "algemene nummer", "gemeente", "ziekenhuis", "afdeling", "receptie",
    "verpleeghuis", "instelling", "zorgaanbieder", "bureau", "centrale", "huisarts",
)  # fmt: skip
SURROUNDINGS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


def _hidden(pii: str, redacted: str) -> bool:
    return pii not in redacted and pii.replace(" ", "") not in redacted.replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(SURROUNDINGS, st.sampled_from(PII), SURROUNDINGS)
def test_personal_data_anywhere_in_a_message_is_hidden(before: str, pii: str, after: str) -> None:
    """Whatever surrounds it, a mobile number, e-mail address, BSN or IBAN does not survive."""
    assert _hidden(pii, redact(f"{before} {pii} {after}"))


@settings(max_examples=200, deadline=None)
@given(SURROUNDINGS, SURROUNDINGS)
def test_a_landline_is_hidden_unless_an_organisation_is_named_before_it(
    before: str, after: str
) -> None:
    """Anywhere else, a landline does not survive either."""
    assume(not any(word in before.casefold() for word in ORGANISATION_WORDS))
    assert _hidden(LANDLINE, redact(f"{before} {LANDLINE} {after}"))


def test_a_landline_right_after_an_organisation_is_that_organisations() -> None:
    # the example Hypothesis found in CI: a number after a bare name, with nothing personal
    assert redact("ZORGKANTOOR 020-1234567") == "ZORGKANTOOR 020-1234567"
    assert redact("zorgkantoor, bel mij op 020-1234567") == "zorgkantoor, bel mij op [TELEFOON]"


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"06[0-9]{8}", fullmatch=True), st.text(alphabet="abc ", max_size=20))
def test_any_mobile_number_is_hidden(number: str, noise: str) -> None:
    assert number not in redact(f"{noise} {number} {noise}")


def test_a_postcode_is_hidden_but_no_everyday_word_after_a_year() -> None:
    assert redact("wij wachten 2023 al 5 maanden") == "wij wachten 2023 al 5 maanden"
    assert redact("3511 ab 7") == "[ADRES]"
    # a postcode alone narrows a home down to one street
    assert redact("postcode 3511 AB") == "postcode [POSTCODE]"


@pytest.mark.parametrize(
    "text,expected",
    [
        # the review's misses (security review, Medium 7), written here as literal cases
        ("bel (06) 12345678", "bel [TELEFOON]"),
        ("bel 06 - 12345678 na vijven", "bel [TELEFOON] na vijven"),
        ("vast nummer 020 - 123 45 67", "vast nummer [TELEFOON]"),
        ("mijn bsn is 111-222-333", "mijn bsn is [BSN]"),
        ("bsn 12345672", "bsn [BSN]"),
        ("we wonen op 1234AB12", "we wonen op [ADRES]"),
        ("ze woont op Dorpsstraat 12 in Ede", "ze woont op [ADRES] in Ede"),
        ("Laan van Meerdervoort 101-B", "[ADRES]"),
        ("geboren 1945-03-12", "geboren [DATUM]"),
        ("geboortedatum 12031945", "geboortedatum [DATUM]"),
        ("ze is van 12 mrt. 1945", "ze is van [DATUM]"),
        ("geboren in maart 1945", "geboren in [DATUM]"),
        ("ik ben piet jansen", "ik ben [NAAM]"),
        ("naam: karin smit", "naam: [NAAM]"),
        ("mijn man heet Henk", "mijn man heet [NAAM]"),
        ("mijn oma heet Truus", "mijn oma heet [NAAM]"),
        ("Mijn moeder Jannie de Vries woont alleen", "Mijn moeder [NAAM] woont alleen"),
        ("rekening NL91-ABNA-0417-1643-00", "rekening [IBAN]"),
        (
            "Alvast bedankt. Met vriendelijke groet, Karin Smit",
            "Alvast bedankt. Met vriendelijke groet, [NAAM]",
        ),
        # and what must stay
        ("ik ben Marokkaans", "ik ben Marokkaans"),
        ("ik ben Mantelzorger", "ik ben Mantelzorger"),
        ("ik ben gisteren gevallen en nu", "ik ben gisteren gevallen en nu"),
        ("in maart 2025 kreeg ze een indicatie", "in maart 2025 kreeg ze een indicatie"),
        ("per 1 juli 2024 is het anders", "per 1 juli 2024 is het anders"),
        ("bel Veilig Thuis op 0800-2000 of 113", "bel Veilig Thuis op 0800-2000 of 113"),
        (
            "mijn moeder woont op de Dorpsstraat in Utrecht",
            "mijn moeder woont op de Dorpsstraat in Utrecht",
        ),
        # December 2026: records, lower-case names, numbers near "bsn", addresses without a
        # street word
        ("haar cliëntnummer bij Vivium is 30094", "haar cliëntnummer bij Vivium is [DOSSIER]"),
        ("patiëntnr. 5567123 van het Rijnstate", "patiëntnr. [DOSSIER] van het Rijnstate"),
        ("ik heb uw brief met dossier 2026-WLZ-00871", "ik heb uw brief met dossier [DOSSIER]"),
        ("hoi ik ben anouk, mijn opa is 90", "hoi ik ben [NAAM], mijn opa is 90"),
        ("mijn man gerrit heeft parkinson", "mijn man [NAAM] heeft parkinson"),
        ("ik ben sophie de jong en ik zorg", "ik ben [NAAM] en ik zorg"),
        ("t.n.v. B. Verbeek", "t.n.v. [NAAM]"),
        ("51832264 is het bsn van mijn vader", "[BSN] is het bsn van mijn vader"),
        ("is 212 655 497 een geldig bsn?", "is [BSN] een geldig bsn?"),
        ("postcode 3511 LK huisnummer 7", "postcode [ADRES]"),
        ("ze woont op Achter de Kerk 2 in Zierikzee", "ze woont op [ADRES] in Zierikzee"),
        ("Burgemeester de Withstraat 101 bis", "[ADRES]"),
        ("geb 14-6-'44", "geb [DATUM]"),
        # and what stays: numbers of organisations, dates that are no birthday, care homes, origins
        ("ik heb de SVB gebeld op 030 264 82 00", "ik heb de SVB gebeld op 030 264 82 00"),
        ("wat is het nummer? is het 0900-1234567?", "wat is het nummer? is het 0900-1234567?"),
        ("de indicatie is geldig tot 31-12-2027", "de indicatie is geldig tot 31-12-2027"),
        ("de beslissing is gedateerd 2026-01-19", "de beslissing is gedateerd 2026-01-19"),
        ("Het Anker of De Linde, welk verpleeghuis?", "Het Anker of De Linde, welk verpleeghuis?"),
        ("ik ben Pools en werk als zorgverlener", "ik ben Pools en werk als zorgverlener"),
        ("ik heet u graag welkom", "ik heet u graag welkom"),
        ("woont sinds 2019 in Emmen", "woont sinds 2019 in Emmen"),
        # lower-case names anywhere, surnames after a title, other groupings
        (
            "hoi met fatima, mijn moeder heeft een indicatie",
            "hoi met [NAAM], mijn moeder heeft een indicatie",
        ),
        ("mijn oma heet agnieszka kowalska", "mijn oma heet [NAAM]"),
        (
            "hoe gaat het met de aanvraag van mw. hendriks?",
            "hoe gaat het met de aanvraag van mw. [NAAM]?",
        ),
        (
            "ik ben mentor van een mevrouw in een verpleeghuis",
            "ik ben mentor van een mevrouw in een verpleeghuis",
        ),
        ("niet jan en alleman hoeft dat te weten", "niet jan en alleman hoeft dat te weten"),
        ("ik ben overdag thuis", "ik ben overdag thuis"),
        ("het sofi nummer van oma is 569-37-37-73", "het sofi nummer van oma is [BSN]"),
        ("terugstorten op NL38.RABO.7103.7791.42", "terugstorten op [IBAN]"),
        ("adres volgens de brief: 3572-KL-118", "adres volgens de brief: [ADRES]"),
        ("Ons kenmerk bij het CIZ is CIZ/2026/55120", "Ons kenmerk bij het CIZ is [DOSSIER]"),
        (
            "KvK-nummer van de zorgaanbieder is 41234567",
            "KvK-nummer van de zorgaanbieder is 41234567",
        ),
        ("het CIZ is bereikbaar op 088 789 10 00", "het CIZ is bereikbaar op 088 789 10 00"),
        ("groetjes van een bezorgde dochter", "groetjes van een bezorgde dochter"),
        # found in review: a mobile number is always someone's, surnames with particles close a
        # message too, a child's recent date of birth, and what no address or record number is
        (
            "Mijn vader ligt in het ziekenhuis, bel 0612345678",
            "Mijn vader ligt in het ziekenhuis, bel [TELEFOON]",
        ),
        (
            "de huisarts zei: bel 06-12345678 als het erger wordt",
            "de huisarts zei: bel [TELEFOON] als het erger wordt",
        ),
        ("mvg, Van Dijk", "mvg, [NAAM]"),
        ("ons zoontje, 14 mei 2025 geboren", "ons zoontje, [DATUM] geboren"),
        ("12-03-2024 is haar geboortedatum", "[DATUM] is haar geboortedatum"),
        (
            "ze woont in een verpleeghuis met 120 bewoners",
            "ze woont in een verpleeghuis met 120 bewoners",
        ),
        ("Mijn moeder woont in Utrecht en is 88", "Mijn moeder woont in Utrecht en is 88"),
        (
            "welk nummer moet ik bellen, het kost 2500 euro",
            "welk nummer moet ik bellen, het kost 2500 euro",
        ),
    ],
)
def test_real_dutch_phrasings(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_the_name_lists_are_installed() -> None:
    """Without deduce's lists the redactor silently finds far fewer names: make that a failure."""
    from bot.redaction import name_lists

    lists = name_lists()
    assert len(lists.first) > 10_000 and len(lists.surnames) > 5_000 and "wil" in lists.common


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Henk belde gisteren over de zorg", "[NAAM] belde gisteren over de zorg"),
        ("mevr. de Boer woont alleen", "mevr. [NAAM] woont alleen"),
        ("Vera en Kees komen zondag", "[NAAM] en [NAAM] komen zondag"),
        ("Wil u mij terugbellen?", "Wil u mij terugbellen?"),
        ("mijn moeder heeft de ziekte van Parkinson", "mijn moeder heeft de ziekte van Parkinson"),
        ("Het CIZ en Zilveren Kruis zijn gebeld", "Het CIZ en Zilveren Kruis zijn gebeld"),
    ],
)
def test_listed_first_names_and_titles(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a postcode typed in lower case with a space; units and everyday words are no postcode
        ("welk zorgkantoor hoort bij 2611 kb", "welk zorgkantoor hoort bij [POSTCODE]"),
        ("ze woont in 8011-xz zwolle", "ze woont in [POSTCODE] zwolle"),
        ("ze krijgt 1000 mg per dag", "ze krijgt 1000 mg per dag"),
        ("het is 2500 km rijden", "het is 2500 km rijden"),
        # a lower-case name ends at its surname; the address after it is one of its own
        (
            "mijn oom kees de wit woont op de molenweg 8b in Ede",
            "mijn oom [NAAM] woont op [ADRES] in Ede",
        ),
        # after a relative or a title, a listed name that is also a word
        ("mijn zus roos belt u morgen", "mijn zus [NAAM] belt u morgen"),
        ("mijn man wil niet naar het verpleeghuis", "mijn man wil niet naar het verpleeghuis"),
        ("ik sprak meneer bakker van het wijkteam", "ik sprak meneer [NAAM] van het wijkteam"),
        ("de pgb van mevrouw van dongen loopt af", "de pgb van mevrouw [NAAM] loopt af"),
        ("meneer van de receptie zei dat het kon", "meneer van de receptie zei dat het kon"),
        # a care home or a place named after a person is no name; nor is an eye's iris
        ("is er plek in zorgcentrum margriet", "is er plek in zorgcentrum margriet"),
        (
            "hij heeft een ontsteking aan de iris van zijn oog",
            "hij heeft een ontsteking aan de iris van zijn oog",
        ),
        # hyphenated names and signatures with a note after them
        ("hallo met anne-marie van dijk, ik heb een vraag", "hallo met [NAAM], ik heb een vraag"),
        ("bedankt! grtjs hanneke", "bedankt! grtjs [NAAM]"),
        ("groet, sanne (dochter van mevr. de graaf)", "groet, [NAAM] (dochter van mevr. [NAAM])"),
    ],
)
def test_lower_case_names_postcodes_and_where_they_meet(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a capitalised word after a title is a surname, also where it is a word too
        ("ik bel namens meneer Visser", "ik bel namens meneer [NAAM]"),
        ("mevrouw Smid heeft vv6", "mevrouw [NAAM] heeft vv6"),
        # initials, particles and a surname that is a word ("meer"), and double-barrelled names
        ("t.n.v. A. de Groot graag", "t.n.v. [NAAM] graag"),
        ("mijn opa Gerrit van der Meer heeft vv5", "mijn opa [NAAM] heeft vv5"),
        ("ze heet aaltje mulder-van dijk", "ze heet [NAAM]"),
        ("mijn tante heet Wilma Haverkamp-de Jong", "mijn tante heet [NAAM]"),
        # care providers and homes are no people; a name after a relative still is one
        (
            "staat u al op de wachtlijst bij Laurens of Aafje?",
            "staat u al op de wachtlijst bij Laurens of Aafje?",
        ),
        ("mijn zoon Laurens helpt mij", "mijn zoon [NAAM] helpt mij"),
        (
            "woonzorgcentrum Prinses Margriet heeft plek",
            "woonzorgcentrum Prinses Margriet heeft plek",
        ),
        ("is Maria Oord een verpleeghuis", "is Maria Oord een verpleeghuis"),
        # an agency's 088 number is no personal data; someone's own work number is
        ("het CIZ heeft nummer 088 789 10 00", "het CIZ heeft nummer 088 789 10 00"),
        (
            "u kunt mij bellen op mijn werk: 088-2468135",
            "u kunt mij bellen op mijn werk: [TELEFOON]",
        ),
        # every word capitalised says nothing about names
        (
            "Mijn Vader Heeft Hulp Nodig Bij Het Wassen",
            "Mijn Vader Heeft Hulp Nodig Bij Het Wassen",
        ),
        ("groeten, de buren", "groeten, de buren"),
    ],
)
def test_surnames_providers_and_company_numbers(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_the_dutch_word_list_is_built() -> None:
    """Without it no rare name is found after a relative or a greeting: make that a failure."""
    from bot.lexicon import lexicon

    words = lexicon()
    assert words is not None
    assert words.lookup("dementeert") == (0.0, True)  # a form only spaCy's table knows
    assert words.lookup("wiktoria") is None
    assert "mantelzorg" not in words.common() and "moeder" in words.common()


@pytest.mark.parametrize(
    "text,expected",
    [
        # a word no Dutch word list knows, after a relative, a greeting or a closing, is a name
        ("mijn schoonzus wiktoria helpt elke dag", "mijn schoonzus [NAAM] helpt elke dag"),
        ("hallo, met oluwaseun. ik bel voor mijn oom", "hallo, met [NAAM]. ik bel voor mijn oom"),
        ("dit is thandeka, de buurvrouw van mevrouw", "dit is [NAAM], de buurvrouw van mevrouw"),
        ("kan het sneller? groet, przemek", "kan het sneller? groet, [NAAM]"),
        ("mijn opa sadikin wirjosentono is 88", "mijn opa [NAAM] is 88"),
        ("ze is de dochter van mevrouw el ouazzani", "ze is de dochter van mevrouw [NAAM]"),
        # but a Dutch word form, a typo of a common word or a compound is none
        ("mijn moeder dementeert snel", "mijn moeder dementeert snel"),
        ("mijn vader revalideert nu", "mijn vader revalideert nu"),
        ("mijn zus mantelzorgt al jaren", "mijn zus mantelzorgt al jaren"),
        ("mijn man wl niet meer eten", "mijn man wl niet meer eten"),
        ("mijn moedr woont alleen", "mijn moedr woont alleen"),
        ("groet, een thuiszorgmedewerkster", "groet, een thuiszorgmedewerkster"),
        ("namens zorgbemiddelingsbureau west", "namens zorgbemiddelingsbureau west"),
    ],
)
def test_rare_names_after_relatives_greetings_and_closings(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_a_zorgkantoor_s_own_care_providers_list_is_read_from_content_dir(
    tmp_path, monkeypatch
) -> None:
    """CONTENT_DIR moves the content for every process, the redactor's list included."""
    from bot.redaction import care_providers

    waiting = "Anton heeft plek voor mijn moeder"
    assert redact(waiting) == "[NAAM] heeft plek voor mijn moeder"  # a first name
    (tmp_path / "care_providers.yml").write_text("aanbieders: [Anton]\n", encoding="utf-8")
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path))
    care_providers.cache_clear()
    try:
        assert redact(waiting) == waiting  # this zorgkantoor's care provider
        assert redact("mijn zoon Anton helpt") == "mijn zoon [NAAM] helpt"
    finally:
        monkeypatch.delenv("CONTENT_DIR")
        care_providers.cache_clear()


@pytest.mark.parametrize(
    "text,expected",
    [
        # phone numbers: slashes, a word glued to them, family abroad, a digit short, said aloud
        ("privé 030/2468135 na zessen", "privé [TELEFOON] na zessen"),
        ("graag terugbellen: bel0687654321", "graag terugbellen: bel[TELEFOON]"),
        ("mijn zoon in Leuven: +32 471 55 66 77", "mijn zoon in Leuven: [TELEFOON]"),
        ("0049 160 9876543 is mijn duitse nummer", "[TELEFOON] is mijn duitse nummer"),
        ("mijn mobiel 06 1234 567 klopt wel", "mijn mobiel [TELEFOON] klopt wel"),
        ("tel nul zes 24 68 13 57 graag", "tel [TELEFOON] graag"),
        (
            "mijn nummer is nul zes twaalf vierendertig zesenvijftig achtenzeventig",
            "mijn nummer is [TELEFOON]",
        ),
        ("bel nul zes dubbel vier 12 34 56 7", "bel [TELEFOON]"),
        ("06_12_34_56_78 sorry toetsenbord", "[TELEFOON] sorry toetsenbord"),
        ("vast 030–2468135 overdag", "vast [TELEFOON] overdag"),
        ("familie in Izmir +90 (232) 123 45 67", "familie in Izmir [TELEFOON]"),
        (
            "nul zes is het begin van elk mobiel nummer",
            "nul zes is het begin van elk mobiel nummer",
        ),
        ("de gemeente heeft nummer 14 030", "de gemeente heeft nummer 14 030"),
        ("CIZ dossiernummer 0000123456 graag", "CIZ dossiernummer [DOSSIER] graag"),
        # an agency's number in international form is no personal data
        ("het CIZ is +31 88 789 10 00", "het CIZ is +31 88 789 10 00"),
        # addresses: abbreviated street words, a floor, a Belgian box, "nr." in between
        ("ze woont nu Wilhelminastr. 12 in Ede", "ze woont nu [ADRES] in Ede"),
        ("post naar Rozengracht 101 III", "post naar [ADRES]"),
        ("zijn flat is Dorpsstraat nr. 7", "zijn flat is [ADRES]"),
        ("in Mechelen, Hoogstraat 44 bus 2", "in Mechelen, [ADRES]"),
        ("ons huis: Burgemeester Visserlaan 3", "ons huis: [ADRES]"),
        # e-mail addresses written against spam, said aloud, or with spaces and typos
        ("mail: wim [at] kpnmail.nl", "mail: [E-MAIL]"),
        ("naar a.kaya apenstaartje gmail punt com", "naar [E-MAIL]"),
        ("adres: k.bos at hetnet dot nl graag", "adres: [E-MAIL] graag"),
        ("mijn mail is lies . vos @ ziggo . nl", "mijn mail is [E-MAIL]"),
        ("stuur naar t.smit@ziggo,nl aub", "stuur naar [E-MAIL] aub"),
        ("ik ben at home vandaag", "ik ben at home vandaag"),
        ("kom je @ 10 uur?", "kom je @ 10 uur?"),
        ("ik heb het naar @zorgkantoor.nl gestuurd", "ik heb het naar @zorgkantoor.nl gestuurd"),
        # record numbers glued to their word, or with letters glued to the digits
        ("dossiernr.2025-99881 is van mij", "dossiernr.[DOSSIER] is van mij"),
        ("mijn kenmerk is AB778899", "mijn kenmerk is [DOSSIER]"),
        ("zaak Z/26/004411 loopt nog", "zaak [DOSSIER] loopt nog"),
    ],
)
def test_numbers_and_addresses_as_people_type_them(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a provider or a place after "bij", "in", "over"; a pet; a saying; a building
        "staat ze al op de wachtlijst bij Pieter",
        "wij wonen in Ede en zoeken een verpleeghuis",
        "een klacht over Laurens, waar moet ik heen?",
        "mag onze hond Max mee naar het verpleeghuis?",
        "de kat van mijn vader heet Bobby",
        "klaar is kees, het formulier is weg",
        "joost mag weten waarom het zo lang duurt",
        "het dr. Sarphatihuis heeft plek",
        "hoe ver is het van Erica naar Emmen?",
        # a capitalised Dutch word after a relative, and a verb after "ik"
        "mijn tante Zit al drie weken in een crisisbed",
        "ik leen de rolstoel van de uitleen",
    ],
)
def test_near_misses_stay_as_they_are(text: str) -> None:
    assert redact(text) == text
