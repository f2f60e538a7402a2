"""The Dutch spaCy pipeline Rasa uses: entities, normalised lemmas, typo repair."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from nlp.build_pipeline import build
from nlp.normalizer import SpellLexicon, build_frequencies, edit_distance
from nlp.vocabulary import canonical, fold


@pytest.fixture(scope="module")
def nlp(tmp_path_factory) -> spacy.Language:
    path: Path = tmp_path_factory.mktemp("nl_wlz")
    build(path)
    return spacy.load(path)  # load from disk, as Rasa does


def ents(nlp, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


def test_delivery_form_synonyms_are_one_entity_value(nlp) -> None:
    assert ents(nlp, "kan mijn vader naar een verpleeghuis") == [
        ("vader", "relatie", "vader"),
        ("verpleeghuis", "leveringsvorm", "verblijf"),
    ]
    assert ("Persoonsgebonden budget", "leveringsvorm", "pgb") in ents(
        nlp, "Persoonsgebonden budget aanvragen"
    )


def test_synonyms_share_a_lemma_for_the_classifier(nlp) -> None:
    lemmas = lambda text: [t.lemma_ for t in nlp(text)]  # noqa: E731
    assert lemmas("geen instelling") == lemmas("geen verpleeghuis") == ["geen", "verblijf"]


def test_diacritics_do_not_matter(nlp) -> None:
    assert [t.lemma_ for t in nlp("cliënt")] == [t.lemma_ for t in nlp("client")]
    with_diacritic = [(label, id_) for _, label, id_ in ents(nlp, "cliëntondersteuner")]
    assert [(label, id_) for _, label, id_ in ents(nlp, "clientondersteuner")] == with_diacritic
    assert with_diacritic == [("begrip", "clientondersteuner")]


def test_common_typos_are_repaired_to_domain_words(nlp) -> None:
    assert [t.lemma_ for t in nlp("zorgkntoor")] == ["zorgkantoor"]


def test_real_dutch_words_are_left_alone(nlp) -> None:
    # "moeder" is close to "modder" and "morgen" is in the Dutch lemma table: no "repair"
    assert [t.lemma_ for t in nlp("morgen")] == ["morgen"]


def test_edit_distance_counts_a_swap_as_one_edit() -> None:
    assert edit_distance("indicatei", "indicatie") == 1
    assert edit_distance("wachtlijst", "wachtlijst") == 0
    assert edit_distance("pgb", "svb") == 2


def test_lexicon_corrects_within_distance_and_prefers_frequent_words() -> None:
    lexicon = SpellLexicon({"indicatie": 10, "wachtlijst": 5, "wachtlijsten": 1})
    assert lexicon.correct("indicatei") == "indicatie"
    assert lexicon.correct("wachtlist") == "wachtlijst"
    assert lexicon.correct("indicatie") is None  # already known
    rare_typo = SpellLexicon({"zorgkantoor": 40, "zorgkntoor": 2, "wachtlijst": 5, "wachtlist": 2})
    assert rare_typo.correct("zorgkntoor") == "zorgkantoor"  # typos in the data yield
    assert rare_typo.correct("wachtlist") is None  # not dominant enough to overrule
    assert lexicon.correct("fiets") is None  # nothing near
    assert lexicon.correct("wacht") is None  # too far from every entry


def test_frequencies_keep_words_seen_twice_or_named_in_the_vocabulary() -> None:
    freqs = build_frequencies(
        ["de wachtlijst is lang", "wachtlijst?", "eenmalig woord"], ["Cliëntondersteuning"]
    )
    assert "wachtlijst" not in freqs  # "wachtlijst?" is not alphabetic after split
    assert freqs["clientondersteuning"] == 2
    assert "eenmalig" not in freqs


def test_canonical_values_for_what_people_type() -> None:
    assert canonical("relatie", "Mama") == "moeder"
    assert canonical("leveringsvorm", "volledig pakket thuis") == "vpt"
    assert canonical("leveringsvorm", "fiets") is None
    assert fold("Cliënt ") == "client"


def test_everyday_words_are_not_organisations(nlp) -> None:
    assert ents(nlp, "Waar kunt u mij mee helpen?") == []
    assert ents(nlp, "ik wil hulp van MEE") == [("MEE", "organisatie", "mee")]


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("is er iemand onafhankelijks die kan helpen", "onafhankelijks"),
        ("ik wil hulp van iemand niet van het zorgkantoor", "niet van het zorgkantoor"),
    ],
)
def test_asking_for_someone_independent_is_tagged_as_oco(nlp, text: str, phrase: str) -> None:
    assert (phrase, "begrip", "oco") in ents(nlp, text)
