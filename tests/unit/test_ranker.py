"""The two-way ranker: explanations, hard filters, weights, fairness inputs. No app needed."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import numpy as np
import pytest

from taskboerse.matching.index import VectorIndex
from taskboerse.matching.ranker import (
    ProfileCatalog,
    ProfileDoc,
    SkillRef,
    SkillSpace,
    TaskCatalog,
    TaskDoc,
    Weights,
    explain,
)

TODAY = date(2026, 3, 1)
EXCEL, PYTHON, STATS, NURSING = (
    SkillRef("Excel", 1),
    SkillRef("Python", 2),
    SkillRef("Statistik", 3),
    SkillRef("Sygepleje", 4),
)


def unit(*values: float) -> np.ndarray:
    v = np.zeros(8, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def task(i: int = 1, **kw) -> TaskDoc:
    base = dict(
        id=i,
        required=(PYTHON, STATS),
        nice=(EXCEL,),
        hours=20,
        deadline=TODAY + timedelta(days=30),
        remote=True,
        postcode="8000",
    )
    base.update(kw)
    return TaskDoc(**base)


def profile(i: int = 1, skills=(PYTHON, STATS), **kw) -> ProfileDoc:
    base = dict(id=i, skills=tuple(skills), hours_per_week=20, postcode="8200", remote_ok=True)
    base.update(kw)
    return ProfileDoc(**base)


def test_explanation_names_matched_and_missing_skills() -> None:
    e = explain(task(), profile(skills=(PYTHON,)), 0.5, Weights())
    assert [m.task_label for m in e.matched] == ["Python"]
    assert e.missing_required == ("Statistik",)
    assert e.required_matched == 1 and e.required_total == 2


def test_free_text_skills_match_fuzzily_with_certainty() -> None:
    t = task(required=(SkillRef("markedsanalyse"),), nice=())
    e = explain(t, profile(skills=(SkillRef("markedsanalyser"),)), 0.0, Weights())
    assert len(e.matched) == 1
    assert 0.85 <= e.matched[0].certainty < 1.0


def test_different_vocabulary_skills_never_match_fuzzily() -> None:
    t = task(required=(SkillRef("skill 2", 2),), nice=())
    e = explain(t, profile(skills=(SkillRef("skill 20", 20),)), 0.0, Weights())
    assert e.matched == ()


def test_endorsed_skills_count_more_than_declared() -> None:
    declared = explain(task(), profile(), 0.0, Weights())
    endorsed = explain(
        task(), profile(skills=(dataclasses.replace(PYTHON, endorsed=True), STATS)), 0.0, Weights()
    )
    assert endorsed.coverage > declared.coverage


def test_required_skills_weigh_more_than_nice() -> None:
    only_required = explain(task(), profile(skills=(PYTHON,)), 0.0, Weights())
    only_nice = explain(task(), profile(skills=(EXCEL,)), 0.0, Weights())
    assert only_required.coverage > only_nice.coverage


def catalog(*docs: TaskDoc) -> TaskCatalog:
    c = TaskCatalog(8)
    for d in docs:
        c.upsert(d, unit(1, 0.1 * d.id))
    return c


def test_skills_and_similarity_rank_tasks() -> None:
    c = TaskCatalog(8)
    c.upsert(task(1), unit(1, 0))
    c.upsert(task(2, required=(NURSING,), nice=()), unit(1, 0))
    ranked = c.rank_for(profile(), unit(1, 0), TODAY)
    assert [m.id for m in ranked] == [1, 2]
    assert ranked[0].score > ranked[1].score


@pytest.mark.parametrize(
    ("doc", "who"),
    [
        (task(is_open=False), profile()),
        (task(places_left=0), profile()),
        (task(deadline=TODAY - timedelta(days=1)), profile()),
        (task(hours=40, deadline=TODAY + timedelta(days=7)), profile(hours_per_week=10)),
        (task(remote=False, postcode="9000"), profile(postcode="2200")),
        (task(remote=True, postcode="9000"), profile(postcode="2200", remote_ok=False)),
    ],
)
def test_hard_filters(doc, who) -> None:
    assert catalog(doc).rank_for(who, unit(1), TODAY) == []


def test_place_fits_nearby_on_site_task() -> None:
    doc = task(remote=False, postcode="8000")
    assert [m.id for m in catalog(doc).rank_for(profile(postcode="8200"), unit(1), TODAY)] == [1]


def test_already_applied_tasks_are_excluded() -> None:
    assert catalog(task(1), task(2)).rank_for(profile(), unit(1), TODAY, exclude=[1])[0].id == 2


def test_removed_tasks_disappear_and_upsert_replaces() -> None:
    c = catalog(task(1), task(2))
    c.remove(1)
    c.upsert(task(2, is_open=False), unit(1))
    assert c.rank_for(profile(), unit(1), TODAY) == []


def test_newcomers_get_exposure_among_candidates() -> None:
    people = ProfileCatalog(8)
    people.upsert(profile(1, completed_tasks=2), unit(1))
    people.upsert(profile(2, completed_tasks=0), unit(1))
    ranked = people.rank_for(task(), unit(1), TODAY)
    assert ranked[0].id == 2 and ranked[0].explanation.newcomer


def test_candidates_respect_hours_and_place() -> None:
    people = ProfileCatalog(8)
    people.upsert(profile(1, hours_per_week=2), unit(1))
    people.upsert(profile(2, remote_ok=False, postcode="9000"), unit(1))
    people.upsert(profile(3, active=False), unit(1))
    people.upsert(profile(4), unit(1))
    assert [
        m.id
        for m in people.rank_for(
            task(hours=20, deadline=TODAY + timedelta(days=7), postcode="2200"), unit(1), TODAY
        )
    ] == [4]


def test_weights_are_arguments() -> None:
    c = TaskCatalog(8)
    c.upsert(task(1, required=(NURSING,), nice=()), unit(1, 0))
    c.upsert(task(2), unit(0, 1))
    semantic_only = Weights(semantic=1.0, skills=0.0)
    assert c.rank_for(profile(), unit(1, 0), TODAY, weights=semantic_only)[0].id == 1
    assert (
        c.rank_for(profile(), unit(1, 0), TODAY, weights=Weights(semantic=0, skills=1))[0].id == 2
    )


def test_no_protected_attributes_are_inputs() -> None:
    fields = {f.name for f in dataclasses.fields(ProfileDoc)}
    assert not fields & {
        "age",
        "birth_date",
        "gender",
        "sex",
        "nationality",
        "ethnicity",
        "name",
        "cpr",
        "religion",
        "disability",
    }


def test_vector_index_top_and_mask() -> None:
    index = VectorIndex(8, capacity=2)
    for i in range(5):
        index.upsert(i, unit(1, i))
    index.remove(0)
    rows = index.top(unit(1, 0), 3)
    assert [index.id_at(r) for r, _ in rows] == [1, 2, 3]
    mask = np.zeros(index.size, dtype=bool)
    mask[index.row_of(4)] = True
    assert [index.id_at(r) for r, _ in index.top(unit(1, 0), 3, mask)] == [4]
    with pytest.raises(ValueError):
        index.upsert(9, np.zeros(3, dtype=np.float32))


def test_removing_an_item_zeroes_its_vector() -> None:
    # An erased graduate's vector must not linger in a process's memory.
    import numpy as np

    from taskboerse.matching.index import VectorIndex

    index = VectorIndex(4)
    index.upsert("a", np.ones(4, dtype=np.float32))
    row = index.row_of("a")
    index.remove("a")
    assert not index._vectors[row].any()


def test_related_skills_count_partly_and_are_named() -> None:
    budgeting, control, welding = (
        SkillRef("Budgettering", 30),
        SkillRef("Økonomistyring", 31),
        (SkillRef("Svejsning", 32)),
    )
    vectors = np.array([unit(1, 0.1), unit(1, 0.15), unit(0, 1)])
    space = SkillSpace(["v30", "v31", "v32"], vectors, threshold=0.0, k=1)
    t = task(required=(budgeting,), nice=())
    related = explain(t, profile(skills=(control,)), 0.0, Weights(), space=space)
    unrelated = explain(t, profile(skills=(welding,)), 0.0, Weights(), space=space)
    exact = explain(t, profile(skills=(budgeting,)), 0.0, Weights(), space=space)
    assert [(m.task_label, m.profile_label, m.related) for m in related.matched] == [
        ("Budgettering", "Økonomistyring", True)
    ]
    assert related.missing_required == () and related.required_matched == 0
    assert unrelated.matched == () and unrelated.missing_required == ("Budgettering",)
    assert exact.coverage > related.coverage > unrelated.coverage == 0


def test_lists_hold_only_what_fits_and_say_what_was_held_back() -> None:
    c = TaskCatalog(8, weights=Weights(floor=0.3))
    c.upsert(task(1), unit(1, 0))  # fits: skills and text
    c.upsert(task(2, required=(NURSING,), nice=()), unit(0, 1))  # fits nothing: not padded in
    c.upsert(task(3, remote=False, postcode="9000"), unit(1, 0))  # fits, but far away
    # Task 1 can be done remotely (or in Aarhus); task 3 is in Aalborg: for someone in 2200
    # who works on site only, one is remote work and one is too far away.
    ranking = c.rank_for(profile(postcode="2200", remote_ok=False), unit(1, 0), TODAY)
    assert [m.id for m in ranking] == [] and ranking.held_back == {"remote": 1, "place": 1}
    ranking = c.rank_for(profile(postcode="2200"), unit(1, 0), TODAY)
    assert [m.id for m in ranking] == [1] and ranking.held_back == {"place": 1}
    assert ranking[0].explanation.remote


def test_newcomer_boost_orders_but_never_lifts_over_the_floor() -> None:
    w = Weights(semantic=1.0, skills=0.0, floor=0.5, newcomer_boost=0.2)
    people = ProfileCatalog(8, weights=w)
    people.upsert(profile(1, completed_tasks=0), unit(1, 1.2))  # cosine about 0.64
    people.upsert(profile(2, completed_tasks=0), unit(1, 2.5))  # cosine about 0.37
    assert [m.id for m in people.rank_for(task(), unit(1, 0), TODAY)] == [1]


def test_explanations_carry_the_distance() -> None:
    c = catalog(task(1, remote=False, postcode="1050"))
    [m] = c.rank_for(profile(postcode="2200", max_km=25), unit(1), TODAY)
    assert 0 < m.explanation.distance_km < 5 and not m.explanation.remote
