"""One fit rule for both directions: a property test that a task is eligible for a graduate
exactly when that graduate is eligible for the task, and the place rule in kilometres."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from taskboerse.matching.geo import postcodes
from taskboerse.matching.ranker import (
    ProfileCatalog,
    ProfileDoc,
    SkillRef,
    TaskCatalog,
    TaskDoc,
    Weights,
    distance_km,
    fits,
)

TODAY = date(2026, 3, 1)
# Places from across the country, an unknown code and none at all.
CODES = ["1050", "2200", "2900", "4000", "5000", "8000", "8200", "9000", "3700", "9999", None]
EVERYTHING = Weights(floor=-1e9, pool=10_000)
VECTOR = np.ones(4, dtype=np.float32) / 2

tasks = st.builds(
    TaskDoc,
    id=st.just(1),
    required=st.just((SkillRef("Excel", 1),)),
    nice=st.just(()),
    hours=st.integers(1, 160),
    deadline=st.integers(-3, 60).map(lambda d: TODAY + timedelta(days=d)),
    remote=st.booleans(),
    postcode=st.sampled_from(CODES),
    is_open=st.booleans(),
    places_left=st.integers(0, 3),
)
profiles = st.builds(
    ProfileDoc,
    id=st.just(1),
    skills=st.just((SkillRef("Excel", 1),)),
    hours_per_week=st.one_of(st.none(), st.integers(1, 60)),
    postcode=st.sampled_from(CODES),
    remote_ok=st.booleans(),
    max_km=st.sampled_from([1, 5, 10, 25, 50, 100, 500]),
    active=st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(task=tasks, profile=profiles)
def test_eligible_both_ways_or_neither(task: TaskDoc, profile: ProfileDoc) -> None:
    task_side = TaskCatalog(4, weights=EVERYTHING)
    task_side.upsert(task, VECTOR)
    people = ProfileCatalog(4, weights=EVERYTHING)
    people.upsert(profile, VECTOR)
    for_graduate = [m.id for m in task_side.rank_for(profile, VECTOR, TODAY)]
    for_task = [m.id for m in people.rank_for(task, VECTOR, TODAY)]
    assert (for_graduate == [task.id]) == (for_task == [profile.id]) == fits(task, profile, TODAY)


def test_distance_decides_on_site_work() -> None:
    task = TaskDoc(1, (), (), 10, TODAY + timedelta(days=30), False, "1050")
    near = ProfileDoc(1, (), None, "2900", False, max_km=25)  # Hellerup, about 7 km
    far = ProfileDoc(2, (), None, "8000", False, max_km=25)  # Aarhus, about 157 km
    assert fits(task, near, TODAY) and not fits(task, far, TODAY)
    assert fits(task, ProfileDoc(2, (), None, "8000", False, max_km=200), TODAY)
    assert 150 < distance_km(task, far) < 165


def test_first_digits_of_postcodes_mean_nothing() -> None:
    # 2200 (København N) and 1050 (København K) are neighbours; the old rule compared the
    # first digit and kept them apart.
    task = TaskDoc(1, (), (), 10, TODAY + timedelta(days=30), False, "1050")
    graduate = ProfileDoc(1, (), None, "2200", False)
    assert fits(task, graduate, TODAY)
    assert distance_km(task, graduate) < 5


def test_remote_task_without_postcode_needs_a_graduate_who_works_remotely() -> None:
    task = TaskDoc(1, (), (), 10, TODAY + timedelta(days=30), True, None)
    assert fits(task, ProfileDoc(1, (), None, "8000", True), TODAY)
    assert not fits(task, ProfileDoc(2, (), None, "8000", False), TODAY)


def test_a_graduate_without_postcode_sees_only_remote_work() -> None:
    on_site = TaskDoc(1, (), (), 10, TODAY + timedelta(days=30), False, "8000")
    assert not fits(on_site, ProfileDoc(1, (), None, None, True, max_km=500), TODAY)


def test_postcodes_are_places() -> None:
    table = postcodes()
    assert len(table) > 1100
    assert table.display("2900") == "2900 Hellerup"
    assert table.get("9999") is None and table.get("abcd") is None and table.get("0960") is None
    # An unlisted central Copenhagen street code falls back to the code below it.
    assert table.get("1051") is not None and table.get("1051").town == "København K"
