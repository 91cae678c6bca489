"""Users for the load benchmark (scripts/loadtest.py): graduates who log in and browse, and
anonymous visitors; CeilingUser only asks /healthz."""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

GRADUATES = int(os.environ.get("LOADTEST_GRADUATES", "10000"))
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "belastningstest-kode")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TASK_LINK = re.compile(r'href="/tasks/(\d+)"')
# Pause between a user's pages, in seconds ("min,max"); loadtest.py --think sets it.
THINK = tuple(float(x) for x in os.environ.get("LOADTEST_THINK", "2,5").split(","))
WORDS = ["analyse", "Excel", "markedsføring", "hjemmeside", "budget", "kommunikation"]


class Visitor(HttpUser):
    """Browses without logging in."""

    abstract = True
    wait_time = between(*THINK)
    task_ids: list[str]

    def on_start(self) -> None:
        self.task_ids = []

    def browse_tasks(self) -> None:
        query = random.choice(["", f"?q={random.choice(WORDS)}", "?sort=deadline", "?page=3"])
        with self.client.get(f"/tasks{query}", name="/tasks?…", catch_response=True) as r:
            found = TASK_LINK.findall(r.text)
            if found:
                self.task_ids = found
            r.success() if r.status_code == 200 else r.failure(str(r.status_code))

    def open_task(self) -> None:
        if not self.task_ids:
            self.browse_tasks()
        if self.task_ids:
            self.client.get(f"/tasks/{random.choice(self.task_ids)}", name="/tasks/[id]")


class AnonymousUser(Visitor):
    """A visitor from the street."""

    weight = 1

    @task(2)
    def front(self) -> None:
        self.client.get("/", name="/")

    @task(4)
    def task_list(self) -> None:
        self.browse_tasks()

    @task(3)
    def detail(self) -> None:
        self.open_task()


class GraduateUser(Visitor):
    """A graduate: logs in, looks at recommendations, tasks and notifications."""

    weight = 4

    def on_start(self) -> None:
        super().on_start()
        email = f"load-grad-{random.randrange(GRADUATES)}@example.com"
        page = self.client.get("/auth/login", name="/auth/login")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/auth/login",
            data={"csrf_token": token, "email": email, "password": PASSWORD},
            name="/auth/login (POST)",
        )

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/jobseeker/", name="/jobseeker/ (recommendations)")

    @task(3)
    def task_list(self) -> None:
        self.browse_tasks()

    @task(3)
    def detail(self) -> None:
        self.open_task()

    @task(1)
    def notifications(self) -> None:
        self.client.get("/notifications", name="/notifications")

    @task(1)
    def profile(self) -> None:
        self.client.get("/jobseeker/profile", name="/jobseeker/profile")


class CeilingUser(HttpUser):
    """The ceiling: a route that touches neither the database nor a template."""

    wait_time = between(*THINK)

    @task
    def health(self) -> None:
        self.client.get("/healthz", name="/healthz")
