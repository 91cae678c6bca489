"""The education vocabulary and its linker: no app, no database."""

from __future__ import annotations

import pytest

from taskboerse.matching.educations import (
    GROUPS,
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
    ],
)
def test_returns_none_rather_than_guess(text: str) -> None:
    assert link_education(text) is None


def test_exact_links_say_so_and_fuzzy_ones_carry_their_score() -> None:
    vocabulary = load_educations()
    exact = vocabulary.link("Cand.jur.")
    assert (exact.code, exact.method, exact.score) == ("law", "exact", 100.0)
    fuzzy = vocabulary.link("Sygeplejeske")
    assert fuzzy.method == "fuzzy" and 88 <= fuzzy.score < 100


def test_normalisation_drops_punctuation_case_and_the_word_uddannelse() -> None:
    assert normalise_education("Cand.Merc.(Kom.)") == "cand merc kom"
    assert normalise_education("Læreruddannelsen") == "lærer"
    assert normalise_education("Design & Innovation") == "design og innovation"


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
