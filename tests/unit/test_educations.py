"""The education vocabulary and its linker: no app, no database."""

from __future__ import annotations

import pytest

from taskboerse.matching.educations import (
    GROUPS,
    LEVELS,
    Education,
    EducationVocabulary,
    link_education,
    load_educations,
    normalise_education,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Danish, as graduates write it
        ("Cand.merc. i finansiering", "cand-merc-fir"),
        ("Cand.merc. i marketing", "cand-merc-marketing"),
        ("Cand.merc.(kom.)", "cand-merc-kom"),
        ("Cand.merc.aud. fra SDU", "cand-merc-aud"),
        ("cand merc", "cand-merc"),
        ("Cand.merc. i supply chain", "cand-merc"),  # an unknown line: the degree itself
        ("HA", "ha"),
        ("HA(it.)", "ha-it"),
        ("HA i erhvervsøkonomi", "ha"),
        ("HD i finansiering", "hd"),  # the degree says more than the subject here
        ("Cand.polit. (økonomi)", "economics"),
        ("Cand. oecon", "economics"),
        ("kandidat i statskundskab", "political-science"),
        ("Cand.scient.pol. fra Aarhus Universitet", "political-science"),
        ("Kandidat i jura fra Københavns Universitet", "law"),
        ("Cand.psych", "psychology"),
        ("Cand.mag. i tysk og engelsk", "german"),
        ("Cand.mag.", "cand-mag"),
        ("Cand.scient. i data science", "data-science"),
        ("datamatikeruddannelsen", "datamatiker"),
        ("Datamatiker fra KEA", "datamatiker"),
        ("It-teknolog", "it-teknolog"),
        ("Uddannet lærer", "teacher"),
        ("Pædagog", "pedagogue"),
        ("Professionsbachelor i sygepleje", "nursing"),
        ("Markedsføringsøkonom (AP)", "markedsfoeringsoekonom"),
        ("Finansøkonom", "finansoekonom"),
        ("Diplomingeniør i bygningsdesign", "civil-engineering"),
        ("Civilingeniør i maskinteknik, DTU", "mechanical-engineering"),
        ("Civilingeniør, DTU", "engineer"),
        ("Ph.d. i energiteknik", "energy-engineering"),
        ("Bachelor i kemi", "chemistry"),
        # English
        ("MSc Economics", "economics"),
        ("MSc in Economics and Business Administration", "cand-merc"),
        ("BSc Political Science", "political-science"),
        ("Master of Arts in English", "english"),
        ("B.Sc. in Biology", "biology"),
        ("MSc in Software Engineering", "software-engineering"),
        ("Master's in Public Health", "public-health"),
        ("Nurse", "nursing"),
        # typos, caught by the fuzzy step
        ("Sygeplejeske", "nursing"),
        ("Cand. merk.", "cand-merc"),
    ],
)
def test_links_what_graduates_write(text: str, code: str) -> None:
    assert link_education(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Ingen uddannelse",
        "Gymnasiet",
        "STX",
        "Tømrer",
        "Frisør",
        "Ledelse",
        "Erhvervsøkonomi",  # HA or cand.merc.? Unsure, so not linked.
        "Business Administration",
        "Master of disaster",
        "asdfgh",
        "Ph.d.",
        "msc",
        # not higher educations, or not educations at all
        "Gymnasielærer",  # a cand.mag. or cand.scient. with teaching subjects: which?
        "Underviser",
        "Pædagogisk assistent",
        "Omsorgsmedhjælper",
        "Ernæringsassistent",
        "IT-supporter",
        "VVS",
        "VVS-installatør",
        "Sundhedsadministrativ koordinator",
        "Regulering",
        "Vejledning",
        "Produktion",
        "Organisation",
        "Vand",
        "Energi",
        "Lean",
        "Layout",
        "Kunst",
        # near misses that are other words or other educations
        "Billedkunstner",  # one word, three letters from "billedkunst"
        "Cand.merc.aut.",  # not cand.merc.aud.: abbreviations one letter apart differ
        "Cand.merc.kon.",  # not cand.merc.kom.
    ],
)
def test_returns_none_rather_than_guess(text: str) -> None:
    assert link_education(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a broad degree keeps a subject only from its own group
        ("Cand.merc. i HRM", "cand-merc"),
        ("Cand.merc. i human resource management", "cand-merc"),
        ("Cand.merc. i psykologi", "cand-merc"),
        ("Cand.merc. i filosofi", "cand-merc"),
        ("Cand.merc. i data science", "cand-merc"),
        ("Cand.merc. i politisk kommunikation", "cand-merc"),
        ("Cand.merc. (psykologi)", "cand-merc"),
        ("civilingeniør i fysik", "engineer"),
        ("Civilingeniør i matematisk modellering", "engineer"),
        ("Civilingeniør i fysik og kemi", "engineer"),  # both science, not engineering
        ("Cand.mag. i dansk og psykologi", "cand-mag"),  # two groups: neither
        ("Civilingeniør i medicin og teknologi", "health-technology"),  # the whole name
        ("Cand.mag. i tysk og engelsk", "german"),  # both humanities
        ("Cand.scient. i fysik", "physics"),
        ("Cand.soc. i organisation", "cand-soc"),
        # the specialisation in brackets or after a comma
        ("Cand. Merc. (Finance and Investment)", "cand-merc-fir"),
        ("Cand.merc. (revision)", "cand-merc-aud"),
        ("Cand.merc. i Finance & Investments", "cand-merc-fir"),
        ("Civilingeniør, byggeri", "civil-engineering"),
        ("Diplomingeniør (elektronik)", "electrical-engineering"),
        ("Cand.mag. (engelsk)", "english"),
        ("Cand.merc., revision, CBS 2019", "cand-merc-aud"),
        ("Cand.merc. i finansiring", "cand-merc-fir"),  # a slip in the subject
        # professional bachelors and degrees of their own
        ("Jordemoder", "midwifery"),
        ("Radiograf", "radiography"),
        ("Bioanalytiker", "biomedical-laboratory-science"),
        ("Tandlæge", "dentistry"),
        ("Cand.odont.", "dentistry"),
        ("Dyrlæge", "veterinary-medicine"),
        ("Cand.med.vet.", "veterinary-medicine"),
        ("Cand.merc.fil.", "cand-merc"),
        ("Diplomingeniør i VVS", "civil-engineering"),
    ],
)
def test_broad_degrees_subjects_and_specialisations(text: str, code: str) -> None:
    assert link_education(text) == code


def test_professions_of_their_own_are_shown_under_their_own_name() -> None:
    vocabulary = load_educations()
    for text, label in [
        ("Jordemoder", "Jordemoder"),
        ("Radiograf", "Radiograf"),
        ("Bioanalytiker", "Bioanalytiker"),
        ("Tandlæge", "Tandlæge (cand.odont.)"),
        ("Dyrlæge", "Dyrlæge (cand.med.vet.)"),
    ]:
        found = vocabulary.link(text)
        assert vocabulary.label(found.code, "da") == label
        assert vocabulary.group_of(found.code) == "health"


def test_exact_links_say_so_and_fuzzy_ones_carry_their_score() -> None:
    vocabulary = load_educations()
    exact = vocabulary.link("Cand.jur.")
    assert (exact.code, exact.method, exact.score) == ("law", "exact", 100.0)
    fuzzy = vocabulary.link("Sygeplejeske")
    assert fuzzy.method == "fuzzy" and 88 <= fuzzy.score < 100


def test_normalisation_drops_punctuation_and_case() -> None:
    assert normalise_education("Cand.Merc.(Kom.)") == "cand merc kom"
    assert normalise_education("Design & Innovation") == "design og innovation"
    # "uddannelse" stays: it is dropped only where what remains is a known education.
    assert normalise_education("Ungdomsuddannelse") == "ungdomsuddannelse"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Læreruddannelsen", "teacher"),
        ("Datamatiker-uddannelsen", "datamatiker"),
        ("Pædagoguddannelse", "pedagogue"),
        ("Sygeplejerskeuddannelsen", "nursing"),
        ("Ungdomsuddannelse", None),  # "ungdoms" is no education
        ("Ungdomsuddannelse (STX)", None),
        ("Voksenuddannelse", None),
        ("Ingen uddannelse", None),
    ],
)
def test_the_word_uddannelse_is_dropped_only_before_a_known_education(
    text: str, code: str | None
) -> None:
    assert link_education(text) == code


def test_the_vocabulary_covers_the_fields_and_every_label_links_to_itself() -> None:
    vocabulary = load_educations()
    assert 60 <= len(vocabulary) <= 120
    assert {e.group for e in vocabulary} == set(GROUPS)
    for education in vocabulary:
        assert education.code.isascii() and education.label_da and education.label_en
        assert link_education(education.label_da) == education.code, education.label_da
        assert link_education(education.label_en) == education.code, education.label_en


def test_labels_in_the_readers_language() -> None:
    vocabulary = load_educations()
    assert vocabulary.label("law", "da") == "Jura (cand.jur.)"
    assert vocabulary.label("law", "en") == "Law"
    assert vocabulary.label("retired-code", "da") is None
    assert "Law" in vocabulary.labels("en") and "Jura (cand.jur.)" in vocabulary.labels("da")


def test_a_synonym_naming_two_educations_is_refused() -> None:
    def entry(code: str, synonym: str) -> Education:
        return Education(code, "master", "business", code, code, (synonym,))

    with pytest.raises(ValueError, match="must name one education"):
        EducationVocabulary([entry("a", "økonomi"), entry("b", "Økonomi.")])


def _vocabulary(*entries: tuple[str, str]) -> EducationVocabulary:
    return EducationVocabulary(
        Education(code, "master", "business", code, code, (synonym,)) for code, synonym in entries
    )


def test_a_fuzzy_match_needs_a_margin_over_the_next_education() -> None:
    close = _vocabulary(("a", "kommunikationsteknologi"), ("b", "kommunikationsteknolog"))
    assert close.link("Komunikationsteknologi") is None  # 98 against 95: too close to call
    apart = _vocabulary(("a", "kommunikationsteknologi"), ("b", "kommunikationsvidenskab"))
    found = apart.link("Komunikationsteknologi")
    assert (found.code, found.method) == ("a", "fuzzy")
    # A close second of the same education is no rival.
    same = EducationVocabulary(
        [Education("a", "master", "business", "a", "a", ("analyse", "analytiker"))]
    )
    assert same.link("Analytikker").code == "a"


def test_no_fuzzy_match_on_abbreviations_one_letter_apart() -> None:
    vocabulary = _vocabulary(("fir", "cand.merc.fir."), ("pol", "cand.scient.pol."))
    assert vocabulary.link("Cand.merc.fil.") is None
    assert vocabulary.link("Cand.scient.pal.") is None
    assert vocabulary.link("Cand. merk. fir.").code == "fir"  # Danish k for Latin c
    assert vocabulary.link("Cand.scinet.pol.").code == "pol"  # a slip in a long word


def test_one_word_must_be_a_single_slip_from_the_synonym() -> None:
    vocabulary = _vocabulary(("art", "billedkunst"), ("nurse", "sygeplejerske"))
    assert vocabulary.link("Billedkunstner") is None
    assert vocabulary.link("Sygeplejeske").code == "nurse"
    assert vocabulary.link("Syegplejerske").code == "nurse"  # two letters swapped


def test_every_education_has_a_known_level_and_an_unknown_one_is_refused() -> None:
    assert {e.level for e in load_educations()} <= LEVELS
    with pytest.raises(ValueError, match="unknown level"):
        EducationVocabulary([Education("a", "kandidat", "business", "a", "a", ())])


def test_synonyms_are_whole_names_and_english_labels_are_english() -> None:
    for education in load_educations():
        assert not any(c in education.label_en for c in "æøåÆØÅ"), education.label_en
        for synonym in education.synonyms:  # no "og -ingeniør" missing its first half
            assert not any(w.startswith("-") for w in synonym.split()), synonym
            assert synonym not in ("økonomi- og it",), synonym
    assert load_educations().label("pedagogue", "en") == "Social educator"
