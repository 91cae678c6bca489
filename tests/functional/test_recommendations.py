"""Recommendations through the app: explained lists, invitations, vectors that follow the data."""

from __future__ import annotations

from sqlalchemy import event, inspect, select

from taskboerse.app import create_app
from taskboerse.config import TestingConfig
from taskboerse.extensions import db
from taskboerse.models import Embedding, Invitation, JobseekerProfile, ProfileSkill, Skill, Task
from taskboerse.services import recommendations
from taskboerse.web.matching import matching_index
from tests.conftest import _clean
from tests.factories import CompanyFactory, JobseekerFactory, TaskFactory


def vocab(slug: str) -> Skill:
    return db.session.execute(select(Skill).where(Skill.slug == slug)).scalar_one()


def graduate(skills: list[str], about: str):
    user = JobseekerFactory()
    profile = db.session.execute(
        select(JobseekerProfile).where(JobseekerProfile.user_id == user.id)
    ).scalar_one()
    profile.skills = [ProfileSkill(skill_id=vocab(s).id, label=vocab(s).label_da) for s in skills]
    profile.about = about
    db.session.commit()
    return user


def data_task(**kw) -> Task:
    task = TaskFactory(
        title="Dataanalyse af salgstal",
        description="Rens salgsdata i Python og lav statistik for ledelsen.",
        remote=True,
        skills=[],
        **kw,
    )
    from taskboerse.models import TaskSkill

    task.skills = [
        TaskSkill(skill_id=vocab("python").id, label="Python", required=True),
        TaskSkill(skill_id=vocab("statistics").id, label="Statistik", required=True),
        TaskSkill(skill_id=vocab("excel").id, label="Excel", required=False),
    ]
    db.session.commit()
    return task


def test_dashboard_shows_recommended_tasks_with_reasons(login_as) -> None:
    task = data_task()
    TaskFactory(
        title="Sygeplejeopgave", description="Pleje af patienter", skills=["Sygepleje"], remote=True
    )
    user = graduate(["python", "statistics"], "Data science og statistik")
    page = login_as(user).get("/jobseeker/").get_data(as_text=True)
    assert "Anbefalede opgaver" in page
    assert task.title in page
    assert "Du har 2 af 2 krævede kompetencer: Python, Statistik." in page
    assert "Hvorfor dette match?" in page
    # Honest lists: a task that fits neither skills nor text is not shown to fill the list.
    assert "Sygeplejeopgave" not in page


def test_applied_tasks_are_not_recommended(login_as) -> None:
    task = data_task()
    user = graduate(["python"], "Python")
    client = login_as(user)
    client.post(f"/tasks/{task.id}/apply", data={"motivation": "Jeg vil"})
    recommended = recommendations.recommend_tasks(
        matching_index(), db.session.get(type(user), user.id)
    )
    assert task.id not in [r.task.id for r in recommended]


def test_candidates_with_invite_button_and_invitation(login_as) -> None:
    task = data_task()
    good = graduate(["python", "statistics"], "Dataanalyse")
    weak = graduate(["gdpr"], "Jura")
    owner = login_as(task.company.owner)
    page = owner.get(f"/entrepreneur/tasks/{task.id}").get_data(as_text=True)
    assert "Mulige kandidater" in page
    assert good.name in page and weak.name not in page
    assert "Har 2 af 2 krævede kompetencer: Python, Statistik." in page
    # The card opens the profile first; the invitation is sent from there, with a message.
    profile_url = f"/entrepreneur/tasks/{task.id}/candidates/{good.id}"
    assert f'href="{profile_url}"' in page and "Se profilen og invitér" in page
    profile = owner.get(profile_url).get_data(as_text=True)
    assert f"Invitér {good.name} til at søge" in profile and "Dataanalyse" in profile
    assert good.email not in profile  # contact details only after acceptance
    assert owner.get(f"/entrepreneur/tasks/{task.id}/candidates/{weak.id}").status_code == 404
    response = owner.post(
        f"/entrepreneur/tasks/{task.id}/invite/{good.id}", data={"message": "Du passer godt!"}
    )
    assert response.status_code == 302
    invitation = db.session.execute(select(Invitation)).scalar_one()
    assert invitation.jobseeker_id == good.id and invitation.message == "Du passer godt!"
    again = owner.get(f"/entrepreneur/tasks/{task.id}").get_data(as_text=True)
    assert "Se profilen og invitér" not in again and "Inviteret" in again
    notes = login_as(good).get("/notifications").get_data(as_text=True)
    assert "Du er inviteret til at søge" in notes


def test_another_owner_cannot_see_or_invite_candidates(login_as) -> None:
    task = data_task()
    user = graduate(["python"], "Python")
    other = login_as(CompanyFactory().owner)
    assert other.get(f"/entrepreneur/tasks/{task.id}").status_code == 403
    assert other.post(f"/entrepreneur/tasks/{task.id}/invite/{user.id}").status_code == 403
    assert db.session.execute(select(Invitation)).first() is None


def test_vectors_are_stored_with_model_and_hash_and_follow_edits(app) -> None:
    task = data_task()
    matching_index().sync(force=True)
    row = db.session.execute(
        select(Embedding).where(Embedding.kind == "task", Embedding.owner_id == task.id)
    ).scalar_one()
    assert row.model == "hashing-v1" and len(row.text_hash) == 64 and row.dim == 256
    first_hash = row.text_hash
    task.description = "Noget helt andet: budget i Excel."
    db.session.commit()
    matching_index().sync(force=True)
    db.session.refresh(row)
    assert row.text_hash != first_hash


def test_a_read_never_commits_nor_expires_what_the_caller_loaded(app) -> None:
    """Recommending computes the missing vectors and stores them in a transaction of its own:
    the caller's session is never committed, and the objects it loaded stay loaded."""
    task = data_task()
    user = graduate(["python", "statistics"], "Data")
    db.session.expire_all()
    user = db.session.get(type(user), user.id)
    commits = []
    event.listen(db.session(), "after_commit", lambda session: commits.append(session))
    found = recommendations.recommend_tasks(matching_index(), user)
    assert [r.task.id for r in found] == [task.id]
    assert commits == []
    assert not inspect(user).expired_attributes
    stored = db.session.execute(select(Embedding.kind, Embedding.owner_id)).all()
    assert ("task", task.id) in stored and ("profile", user.profile.id) in stored


def test_each_changed_set_is_loaded_once_per_sync(app) -> None:
    task = data_task()
    graduate(["python"], "Python")
    index = matching_index()
    index.sync(force=True)
    task_loads = []

    def count(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM tasks" in statement:
            task_loads.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        task.description = "Ny tekst om statistik i Python."
        db.session.commit()
        index.sync(force=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    loads = [s for s in task_loads if "tasks.updated_at >" in s]
    assert len(loads) == 1, loads


def test_model_change_makes_vectors_stale(app) -> None:
    task = data_task()
    matching_index().sync(force=True)
    row = db.session.execute(
        select(Embedding).where(Embedding.kind == "task", Embedding.owner_id == task.id)
    ).scalar_one()
    row.model = "an-older-model"
    db.session.commit()
    counts = matching_index().refresh_vectors()
    assert counts["task"] == 1
    db.session.refresh(row)
    assert row.model == "hashing-v1"


def test_two_processes_follow_one_database(_migrated) -> None:
    """A task published through app A is recommended by app B without a restart."""
    a = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=_migrated)
    b = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=_migrated, MATCHING_SYNC_SECONDS=0.0)
    try:
        with b.app_context():
            user = graduate(["python", "statistics"], "Data")
            user_id = user.id
            assert (
                list(recommendations.recommend_tasks(matching_index(), user)) == []
            )  # B has built its index
        with a.app_context():
            task = data_task()
            task_id = task.id
        with b.app_context():
            user = db.session.get(type(user), user_id)
            assert task_id in [
                r.task.id for r in recommendations.recommend_tasks(matching_index(), user)
            ]
        with a.app_context():
            db.session.get(Task, task_id).status = "cancelled"
            db.session.commit()
        with b.app_context():
            user = db.session.get(type(user), user_id)
            assert task_id not in [
                r.task.id for r in recommendations.recommend_tasks(matching_index(), user)
            ]
    finally:
        with b.app_context():
            db.session.remove()
            db.engine.dispose()
        _clean(a)  # one database: cleaning through A empties it for both


def test_reindex_command(runner) -> None:
    from tests.factories import MentorFactory, mentor_need

    task = data_task()
    graduate(["python"], "Python")
    MentorFactory()
    mentor_need(task.company.owner)
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert (
        "Reindexed 1 tasks, 1 profiles, 1 mentor needs and 1 mentors (0 were up to date) "
        "with hashing-v1" in result.output
    )
    assert "1 open needs and 1 mentors indexed" in result.output
    again = runner.invoke(args=["reindex"])
    assert (
        "Reindexed 0 tasks, 0 profiles, 0 mentor needs and 0 mentors (4 were up to date)"
        in again.output
    )


def test_skills_suggested_from_description(client) -> None:
    data = client.get(
        "/skills/from-text",
        query_string={"text": "Vi har brug for en markedsanalyse og et budget i Excel."},
    ).get_json()
    labels = [d["label"] for d in data]
    assert labels[:3] == ["Markedsanalyse", "Budgettering", "Excel"]


def test_model_is_warmed_up_in_the_background(_migrated) -> None:
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=_migrated, MATCHING_WARM_UP=True)
    try:
        assert "taskboerse_warm_up" not in app.extensions  # the factory only wires
        app.test_client().get("/tasks")
        thread = app.extensions["taskboerse_warm_up"]
        thread.join(timeout=30)
        assert not thread.is_alive()
        app.test_client().get("/tasks")
        assert app.extensions["taskboerse_warm_up"] is thread  # started once
    finally:
        with app.app_context():
            db.engine.dispose()
