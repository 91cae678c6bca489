"""The fuzzy skill normaliser, without an app."""

import subprocess
import sys

import pytest

from taskboerse.matching.skills import (
    SkillMatcher,
    VocabularyEntry,
    load_curated_vocabulary,
    normalise,
    split_skill_list,
)


@pytest.fixture(scope="module")
def matcher() -> SkillMatcher:
    vocab = load_curated_vocabulary()
    return SkillMatcher(
        VocabularyEntry(v.slug, (v.label_da, v.label_en, *v.synonyms)) for v in vocab
    )


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Excel", "excel"),
        ("excel", "excel"),
        ("Microsoft Excel", "excel"),
        ("markedsanalyser", "market-research"),  # Danish plural
        ("Market Research", "market-research"),  # English label
        ("markedsanalyse ", "market-research"),
        ("Markedsanalse", "market-research"),  # typo
        ("dataanalyse", "data-analysis"),
        ("SoMe", "social-media"),
        ("kommunikation", "communication"),
        ("Projektledelse", "project-management"),
        ("budgetter", "budgeting"),
    ],
)
def test_typed_skills_resolve_to_vocabulary(matcher: SkillMatcher, typed: str, slug: str) -> None:
    match = matcher.match(typed)
    assert match is not None, typed
    assert match.entry_id == slug


@pytest.mark.parametrize("typed", ["strikning af sokker", "kvantekromodynamik", "ab"])
def test_unknown_skills_stay_free_text(matcher: SkillMatcher, typed: str) -> None:
    assert matcher.match(typed) is None


def test_suggest_prefix(matcher: SkillMatcher) -> None:
    assert matcher.suggest("marked")[0] == "market-research"
    assert "excel" in matcher.suggest("exc")
    assert matcher.suggest("") == []


def test_split_skill_list_drops_blanks_and_duplicates() -> None:
    assert split_skill_list("Excel, excel,, Python\nSQL; ") == ["Excel", "Python", "SQL"]


def test_normalise() -> None:
    assert normalise("  C++ / Power-BI ") == "c++ power bi"


def test_curated_vocabulary_is_well_formed() -> None:
    vocab = load_curated_vocabulary()
    assert len(vocab) >= 60
    assert len({v.slug for v in vocab}) == len(vocab)
    assert all(v.label_da and v.label_en for v in vocab)


def test_matching_does_not_import_flask_or_sqlalchemy() -> None:
    code = (
        "import sys, taskboerse.matching, taskboerse.matching.skills;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_danish_stems_are_safe_across_threads() -> None:
    # A Snowball stemmer keeps state while it works; threads sharing one raised errors.
    from concurrent.futures import ThreadPoolExecutor

    from taskboerse.matching.skills import danish_stems

    words = "regnskaberne budgetterne markedsføringen virksomhedernes kundeservicen " * 40
    expected = danish_stems(words)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(danish_stems, [words] * 64))
    assert all(result == expected for result in results)
