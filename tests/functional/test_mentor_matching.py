"""Mentors for a need and needs for a mentor: ranked by the same ranker and fit rule as tasks
and graduates, explained, and only mentors entrepreneurs may ask."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from taskboerse.extensions import db
from taskboerse.matching.ranker import explain, fits
from taskboerse.models import (
    MentorProfile,
    MentorRequest,
    Mentorship,
    MentorshipStatus,
    NeedStatus,
    RequestStatus,
)
from taskboerse.models.types import utcnow
from taskboerse.services import mentor_docs
from taskboerse.services.mentor_matching import mentors_for_need, needs_for_mentor
from taskboerse.web.matching import matching_index
from tests.factories import CompanyFactory, MentorFactory, mentor_need

FINANCE = ["Finansiering", "Forretningsplan"]
EXPORT = ["Eksport og internationalisering"]


@pytest.fixture
def entrepreneur(app):
    return CompanyFactory(sector="finance").owner


def ranked(need, locale="da"):
    with force_locale(locale):
        return mentors_for_need(matching_index(), need)


def test_a_mentor_with_the_expertise_is_ranked_with_reasons(entrepreneur) -> None:
    finance = MentorFactory(name="Finn Finans", profile__skills=FINANCE)
    MentorFactory(name="Eva Eksport", profile__skills=EXPORT, profile__sectors=["trade"])
    need = mentor_need(entrepreneur, "financing")
    ranking = ranked(need)
    names = [m.mentor.user.name for m in ranking]
    assert names[0] == "Finn Finans"
    top = ranking.matches[0]
    assert "Erfaring med: Finansiering, Forretningsplan." in top.reasons
    assert "Kender din branche: Finans og forsikring." in top.reasons
    assert "Plads til 2 mentees mere." in top.reasons
    assert top.capacity_left == 2 and top.mentor.user_id == finance.id
    english = ranked(need, "en").matches[0]
    assert "Experience with: Business financing, Business planning." in english.reasons
    assert "Knows your sector: Finance and insurance." in english.reasons


@pytest.mark.parametrize(
    "kwargs",
    [
        {"profile__approved": False},
        {"profile__paused": True},
        {"profile__capacity": 1, "full": True},
    ],
    ids=["not approved", "paused", "full"],
)
def test_mentors_entrepreneurs_may_not_ask_are_not_listed(entrepreneur, kwargs) -> None:
    full = kwargs.pop("full", False)
    mentor = MentorFactory(profile__skills=FINANCE, **kwargs)
    need = mentor_need(entrepreneur, "financing")
    if full:
        other = mentor_need(CompanyFactory().owner, "financing")
        request = MentorRequest(
            need_id=other.id,
            mentor_id=mentor.id,
            message="Hej",
            status=RequestStatus.ACCEPTED,
            expires_at=utcnow(),
        )
        db.session.add(request)
        db.session.flush()
        db.session.add(
            Mentorship(
                request_id=request.id,
                need_id=other.id,
                mentor_id=mentor.id,
                entrepreneur_id=other.entrepreneur_id,
                start_on=date.today(),
                end_on=date.today() + timedelta(weeks=12),
            )
        )
        db.session.commit()
    assert mentor.id not in [m.mentor.user_id for m in ranked(need)]


def test_place_and_online_follow_the_task_rule(entrepreneur) -> None:
    # Skagen is far from Aarhus: only the online mentor fits an online need.
    far_online = MentorFactory(profile__skills=FINANCE, profile__postcode="9990")
    far_offline = MentorFactory(
        profile__skills=FINANCE, profile__postcode="9990", profile__online=False
    )
    need = mentor_need(entrepreneur, "financing", online=True)
    ids = [m.mentor.user_id for m in ranked(need)]
    assert far_online.id in ids and far_offline.id not in ids
    assert "Kan mødes online." in ranked(need).matches[0].reasons

    in_person = mentor_need(entrepreneur, "financing", online=False)
    ranking = ranked(in_person)
    assert not ranking
    assert "tick “online”" in ranked(in_person, "en").notice


def test_a_mentor_already_asked_gives_way_to_the_next(entrepreneur) -> None:
    first = MentorFactory(profile__skills=FINANCE)
    second = MentorFactory(profile__skills=["Finansiering"])
    need = mentor_need(entrepreneur, "financing")
    assert [m.mentor.user_id for m in ranked(need)][:2] == [first.id, second.id]
    db.session.add(
        MentorRequest(
            need_id=need.id,
            mentor_id=first.id,
            message="Hej",
            status=RequestStatus.EXPIRED,
            expires_at=utcnow(),
        )
    )
    db.session.commit()
    assert [m.mentor.user_id for m in ranked(need)] == [second.id]


def test_the_score_is_the_rankers_own(entrepreneur) -> None:
    mentor = MentorFactory(profile__skills=FINANCE)
    need = mentor_need(entrepreneur, "financing")
    match = ranked(need).matches[0]
    index = matching_index()
    profile = db.session.get(MentorProfile, match.mentor.id)
    need_doc = mentor_docs.need_doc(need)
    mentor_doc = mentor_docs.mentor_docs([profile])[mentor.id]
    assert fits(need_doc, mentor_doc, date.today())
    catalog = index.mentoring.profiles
    similarity = catalog.index.similarity_at(
        catalog.index.row_of(mentor.id), index.mentoring.tasks.index.vector(need.id)
    )
    explanation = explain(need_doc, mentor_doc, similarity, catalog.weights)
    assert explanation.required_matched == 2


def test_needs_for_a_mentor(entrepreneur) -> None:
    mentor = MentorFactory(profile__skills=EXPORT)
    export = mentor_need(entrepreneur, "export", description="Vi vil sælge til Tyskland.")
    mentor_need(entrepreneur, "financing")
    matched = mentor_need(entrepreneur, "export", status=NeedStatus.MATCHED)
    with force_locale("da"):
        needs = needs_for_mentor(matching_index(), mentor)
    ids = [n.need.id for n in needs]
    assert ids[0] == export.id and matched.id not in ids
    assert "De har brug for din erfaring med: Eksport og internationalisering." in needs[0].reasons


def test_a_mentorship_ending_frees_the_place(entrepreneur) -> None:
    mentor = MentorFactory(profile__skills=FINANCE, profile__capacity=1)
    other = mentor_need(CompanyFactory().owner, "financing")
    request = MentorRequest(
        need_id=other.id,
        mentor_id=mentor.id,
        message="Hej",
        status=RequestStatus.ACCEPTED,
        expires_at=utcnow(),
    )
    db.session.add(request)
    db.session.flush()
    ship = Mentorship(
        request_id=request.id,
        need_id=other.id,
        mentor_id=mentor.id,
        entrepreneur_id=other.entrepreneur_id,
        start_on=date.today(),
        end_on=date.today() + timedelta(weeks=4),
    )
    db.session.add(ship)
    db.session.commit()
    need = mentor_need(entrepreneur, "financing")
    assert not ranked(need)
    ship.status = MentorshipStatus.COMPLETED
    ship.ended_at = utcnow()
    db.session.commit()
    matching_index().sync(force=True)
    assert [m.mentor.user_id for m in ranked(need)] == [mentor.id]
