"""flask commands: seed-demo, users create, caseload assign, retention run, skills sync,
outbox send, reindex, link-educations, worker."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from taskboerse.models import Role
from taskboerse.services import accounts, assignments, consent
from taskboerse.services.errors import DomainError

users_cli = AppGroup("users", help="Manage user accounts.")
skills_cli = AppGroup("skills", help="Manage the skill vocabulary.")
outbox_cli = AppGroup("outbox", help="Send waiting emails.")
caseload_cli = AppGroup("caseload", help="Assign graduates to caseworkers.")
retention_cli = AppGroup("retention", help="Apply the retention rule to unused accounts.")


@users_cli.command("create")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--name", required=True)
def create_user_command(role: str, email: str, password: str, name: str) -> None:
    """Create a user with any role (caseworkers and admins are created this way or by an admin)."""
    try:
        user = accounts.create_user(
            accounts.NewUser(email=email, name=name, role=Role(role), password=password)
        )
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


@caseload_cli.command("assign")
@click.option("--caseworker", "caseworker_email", required=True, help="The caseworker's email.")
@click.option("--jobseeker", "jobseeker_email", required=True, help="The graduate's email.")
def assign_command(caseworker_email: str, jobseeker_email: str) -> None:
    """Make a caseworker follow a graduate (they see the data only while the graduate consents)."""
    try:
        assignment = assignments.assign_caseworker(None, caseworker_email, jobseeker_email)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    consents = consent.shares_with_jobcentre(assignment.jobseeker)
    click.echo(
        f"Assigned {assignment.jobseeker.email} to {assignment.caseworker.email}"
        + ("." if consents else " (the graduate does not share their activity yet).")
    )


@retention_cli.command("run")
def retention_command() -> None:
    """Warn accounts unused for the retention period (less the notice), and anonymise those
    still unused when the notice has run out. Safe to run daily; a rerun changes nothing."""
    from taskboerse.services.privacy import retention_run
    from taskboerse.services.security import security_event

    result = retention_run()
    security_event("retention_run", warned=result.warned, anonymised=result.anonymised)
    click.echo(f"Warned {result.warned} account(s); anonymised {result.anonymised}.")


@skills_cli.command("sync")
def sync_skills_command() -> None:
    """Load the curated skill vocabulary into the database."""
    from taskboerse.services.skills import sync_vocabulary

    click.echo(f"Added {sync_vocabulary()} skills.")


@outbox_cli.command("send")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10_000))
def send_outbox_command(limit: int) -> None:
    """Send waiting emails with the configured backend."""
    from taskboerse.services.notifications import deliver_outbox

    sent, failed = deliver_outbox(limit=limit)
    click.echo(f"Sent {sent}, failed {failed}.")


@click.command("reindex")
def reindex_command() -> None:
    """Compute every missing or stale vector (text or model changed), with a progress bar."""
    from sqlalchemy import func, select

    from taskboerse.extensions import db
    from taskboerse.models import (
        JobseekerProfile,
        MentorNeed,
        MentorProfile,
        NeedStatus,
        Task,
        TaskStatus,
    )
    from taskboerse.services import search
    from taskboerse.web.matching import matching_index

    total = (
        db.session.execute(
            select(func.count(Task.id)).where(Task.status == TaskStatus.OPEN)
        ).scalar_one()
        + db.session.execute(select(func.count(JobseekerProfile.id))).scalar_one()
        + db.session.execute(
            select(func.count(MentorNeed.id)).where(MentorNeed.status == NeedStatus.OPEN)
        ).scalar_one()
        + db.session.execute(select(func.count(MentorProfile.id))).scalar_one()
    )
    index = matching_index()
    model = index.model
    with click.progressbar(length=total, label=f"Encoding with {model}", file=None) as bar:
        counts = index.refresh_vectors(progress=bar.update)
    skills = index.refresh_skill_vectors()
    state = index.sync(force=True)
    documents = search.reindex_all()
    _checked, linked = link_educations()
    encoded = counts["task"] + counts["profile"] + counts["need"] + counts["mentor"]
    click.echo(
        f"Reindexed {counts['task']} tasks, {counts['profile']} profiles, {counts['need']} "
        f"mentor needs and {counts['mentor']} mentors ({counts['checked'] - encoded} were up "
        f"to date) with {model}; {len(state.catalogs.tasks)} open tasks, "
        f"{len(state.catalogs.profiles)} profiles, {len(state.mentoring.tasks)} open needs "
        f"and {len(state.mentoring.profiles)} mentors indexed; {skills} skill vectors and "
        f"{documents} search documents refreshed; {linked} educations linked."
    )


def link_educations(relink: bool = False) -> tuple[int, int]:
    """Link the profiles' typed fields of study to the education vocabulary."""
    from taskboerse.services.profiles import link_educations as link

    return link(relink=relink)


@click.command("link-educations")
@click.option(
    "--all",
    "relink",
    is_flag=True,
    help="Link every profile again, not only those without a code (after the vocabulary changed).",
)
def link_educations_command(relink: bool) -> None:
    """Link the fields of study graduates typed to the education vocabulary (idempotent)."""
    checked, changed = link_educations(relink)
    click.echo(f"Checked {checked} profile(s); linked or changed {changed}.")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create fictitious demo data (idempotent)."""
    from taskboerse.services.demo import DEMO_PASSWORD, seed_demo
    from taskboerse.web.matching import matching_index

    counts = seed_demo(matching_index())
    click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))
    click.echo(f"All demo accounts use the password {DEMO_PASSWORD!r}.")


@click.command("worker")
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads running jobs in this process.",
)
@click.option(
    "--once",
    is_flag=True,
    help="Run the jobs queued now (and the periodic ones once) in this thread, then exit.",
)
@click.option(
    "--no-periodic",
    is_flag=True,
    help="Leave the periodic jobs to the other workers (running them in several is safe; "
    "this only saves work).",
)
def worker_command(workers: int, once: bool, no_periodic: bool) -> None:
    """Run the background worker: email delivery, alerts, digests, reminders, housekeeping.
    Runs until stopped (Ctrl-C or SIGTERM finishes the jobs under way)."""
    from flask import current_app

    from taskboerse import worker
    from taskboerse.worker import jobs

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    worker.bind(app)
    queue = worker.huey
    if once:
        ran = worker.run_pending()
        periodic = (
            []
            if no_periodic
            else [
                jobs.deliver_outbox,
                jobs.instant_alerts,
                jobs.scheduled_work,
                jobs.housekeeping,
            ]
        )
        for job in periodic:
            job.call_local()
        click.echo(f"Ran {ran} queued job(s) and {len(periodic)} periodic job(s).")
        return
    click.echo(
        f"Worker on {type(queue.storage).__name__} with {workers} thread(s)"
        + ("" if no_periodic else " and the periodic jobs")
        + "."
    )
    consumer = queue.create_consumer(
        workers=workers, worker_type="thread", periodic=not no_periodic, check_worker_health=True
    )
    consumer.run()


def register(app: Flask) -> None:
    """Attach the commands to the app."""
    app.cli.add_command(worker_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(skills_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(caseload_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(reindex_command)
    app.cli.add_command(link_educations_command)
