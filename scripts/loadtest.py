"""Load benchmark: 10,000 graduates and 20,000 tasks on PostgreSQL, gunicorn, 50 users.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python scripts/loadtest.py [--database-url URL] [--users 50] [--seconds 60]

Creates (or reuses) the database, migrates and seeds it in bulk, computes the vectors, serves
the app with gunicorn (gunicorn.conf.py: the master warms the matching index before
forking), runs a short warm-up, then drives the main pages with locust and
prints requests per second, p50/p95/p99 per page and the error count — and the same for
/healthz, a route that touches nothing, as the ceiling of this server on this machine.
Exit status 1 when any request failed or a page's p95 is above --p95-target (200 ms).

The vectors come from the hashing embedder so that seeding takes seconds rather than the
minutes the sentence model needs for 30,000 texts; ranking costs the same either way
(vectors are precomputed; pages only compare them).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "belastningstest-kode"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/taskboerse_load"
PAGES = ["GraduateUser", "AnonymousUser"]


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        ).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def valid_cvrs(count: int) -> list[str]:
    """``count`` CVR numbers with a valid check digit."""
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    found, number = [], 40_000_000
    while len(found) < count:
        digits = str(number)
        if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0:
            found.append(digits)
        number += 1
    return found


def seed(env: dict, graduates: int, tasks: int) -> None:
    """Bulk-insert the load data (idempotent: skipped when it is already there)."""
    os.environ.update(env)
    from sqlalchemy import func, insert, select

    from taskboerse.app import create_app
    from taskboerse.extensions import db
    from taskboerse.models import (
        Application,
        Company,
        JobseekerProfile,
        ProfileSkill,
        Role,
        Skill,
        Task,
        TaskSkill,
        TaskStatus,
        User,
    )
    from taskboerse.services.passwords import hash_password
    from taskboerse.services.skills import sync_vocabulary

    app = create_app()
    with app.app_context():
        have = db.session.execute(
            select(func.count(User.id)).where(User.email.like("load-grad-%"))
        ).scalar_one()
        if have >= graduates:
            print(f"seed: {have} graduates already there")
            return
        sync_vocabulary()
        skills = db.session.execute(select(Skill.id, Skill.label_da)).all()
        rng = random.Random(7)
        now = datetime.now(UTC)
        hashed = hash_password(PASSWORD)
        owners = 200
        base = db.session.execute(select(func.coalesce(func.max(User.id), 0))).scalar_one()
        users = [
            {
                "id": base + 1 + i,
                "email": f"load-grad-{i}@example.com",
                "name": f"Dimittend {i}",
                "password_hash": hashed,
                "role": Role.JOBSEEKER,
                "locale": "da",
                "is_disabled": False,
                "created_at": now - timedelta(days=i % 300),
            }
            for i in range(graduates)
        ] + [
            {
                "id": base + 1 + graduates + i,
                "email": f"load-owner-{i}@example.com",
                "name": f"Iværksætter {i}",
                "password_hash": hashed,
                "role": Role.ENTREPRENEUR,
                "locale": "da",
                "is_disabled": False,
                "created_at": now - timedelta(days=400),
            }
            for i in range(owners)
        ]
        db.session.execute(insert(User), users)
        grad_ids = [u["id"] for u in users[:graduates]]
        owner_ids = [u["id"] for u in users[graduates:]]
        cvrs = valid_cvrs(owners)
        cbase = db.session.execute(select(func.coalesce(func.max(Company.id), 0))).scalar_one()
        db.session.execute(
            insert(Company),
            [
                {"id": cbase + 1 + i, "owner_id": oid, "name": f"Firma {i} ApS", "cvr": cvrs[i]}
                for i, oid in enumerate(owner_ids)
            ],
        )
        pbase = db.session.execute(
            select(func.coalesce(func.max(JobseekerProfile.id), 0))
        ).scalar_one()
        db.session.execute(
            insert(JobseekerProfile),
            [
                {
                    "id": pbase + 1 + i,
                    "user_id": uid,
                    "field": rng.choice(["Cand.merc.", "Cand.it.", "Cand.comm.", "Cand.polit."]),
                    "institution": "Aarhus Universitet",
                    "languages": ["Dansk", "Engelsk"],
                    "hours_per_week": rng.choice([10, 20, 30]),
                    "postcode": rng.choice(["8000", "2200", "5000", "9000"]),
                    "remote_ok": True,
                    "about": "Nyuddannet og klar til konkrete opgaver.",
                    "updated_at": now,
                }
                for i, uid in enumerate(grad_ids)
            ],
        )
        db.session.execute(
            insert(ProfileSkill),
            [
                {"profile_id": pbase + 1 + i, "skill_id": sid, "label": label}
                for i in range(graduates)
                for sid, label in rng.sample(skills, 3)
            ],
        )
        tbase = db.session.execute(select(func.coalesce(func.max(Task.id), 0))).scalar_one()
        db.session.execute(
            insert(Task),
            [
                {
                    "id": tbase + 1 + i,
                    "company_id": cbase + 1 + i % owners,
                    "title": f"Opgave {i}: {rng.choice(skills)[1]}",
                    "description": "En konkret opgave for en lokal virksomhed.",
                    "learning": "",
                    "hours": rng.choice([10, 20, 30]),
                    "deadline": date.today() + timedelta(days=30 + i % 60),
                    "postcode": None,
                    "remote": True,
                    "capacity": 2,
                    "status": TaskStatus.OPEN,
                    "created_at": now,
                    "published_at": now - timedelta(minutes=i),
                    "updated_at": now,
                }
                for i in range(tasks)
            ],
        )
        db.session.execute(
            insert(TaskSkill),
            [
                {"task_id": tbase + 1 + i, "skill_id": sid, "label": label, "required": True}
                for i in range(tasks)
                for sid, label in rng.sample(skills, 2)
            ],
        )
        db.session.execute(
            insert(Application),
            [
                {
                    "task_id": tbase + 1 + (i * 7 + k) % tasks,
                    "jobseeker_id": uid,
                    "motivation": "Jeg vil gerne.",
                    "status": "pending",
                    "created_at": now,
                }
                for i, uid in enumerate(grad_ids)
                for k in range(2)
            ],
        )
        db.session.commit()
        for table in ("users", "companies", "jobseeker_profiles", "tasks"):
            db.session.execute(
                db.text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
            )
        db.session.commit()
        print(f"seed: {graduates} graduates, {owners} companies, {tasks} tasks")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def run_locust(
    host: str, users: int, seconds: int, classes: list[str], prefix: Path, spawn_rate: float = 5
) -> list[dict]:
    """Run locust headless and return its per-page statistics."""
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "scripts" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    result = subprocess.run(command, check=False, cwd=ROOT, capture_output=True, text=True)
    if not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"locust failed:\n{result.stderr[-3000:]}")
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def report(title: str, rows: list[dict]) -> tuple[int, float]:
    """Print one table; return the error count and the worst p95 of the pages."""
    print(f"\n{title}")
    print(
        f"{'page':32} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'errors':>7}"
    )
    errors, worst = 0, 0.0
    for row in rows:
        name = row["Name"]
        p95 = float(row["95%"] or 0)
        print(
            f"{name:32} {row['Request Count']:>9} {float(row['Requests/s']):>8.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {row['Failure Count']:>7}"
        )
        if name != "Aggregated":
            errors += int(row["Failure Count"])
            worst = max(worst, p95)
    return errors, worst


def main(argv: list[str] | None = None) -> int:
    """Seed, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_URL)
    )
    parser.add_argument("--graduates", type=int, default=10_000)
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--p95-target", type=float, default=200.0)
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=2.0,
        help="users arriving per second (default 2: all 50 are in after 25 s)",
    )
    parser.add_argument(
        "--think",
        default="2,5",
        help="each user's pause between pages, seconds min,max (default 2,5)",
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        parser.error("the load test runs on PostgreSQL (--database-url postgresql+psycopg://…)")

    env = {
        "TASKBOERSE_ENV": "development",
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": "load-test-only",
        "TASKBOERSE_EMBEDDER": "hashing",
        "TASKBOERSE_MAIL_BACKEND": "log",
        # Fifty users log in from one address within seconds: lift the brute-force limits.
        "TASKBOERSE_LOGIN_RATE_LIMIT": "100000 per minute",
        "TASKBOERSE_LOGIN_ACCOUNT_RATE_LIMIT": "100000 per minute",
        "LOADTEST_GRADUATES": str(args.graduates),
        "LOADTEST_PASSWORD": PASSWORD,
        "LOADTEST_THINK": args.think,
    }
    full_env = {**os.environ, **env}
    ensure_database(args.database_url)
    flask = [sys.executable, "-m", "flask", "--app", "taskboerse.app"]
    subprocess.run(
        flask + ["db", "upgrade"], env=full_env, cwd=ROOT, check=True, capture_output=True
    )
    started = time.monotonic()
    seed(env, args.graduates, args.tasks)
    subprocess.run(flask + ["reindex"], env=full_env, cwd=ROOT, check=True, capture_output=True)
    print(f"seed + reindex: {time.monotonic() - started:.0f} s")

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=full_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(host + "/healthz", timeout=180)  # the master warms the index first
        # A short run first, so connection pools and caches are warm before measuring.
        run_locust(host, 10, 10, PAGES, Path("/tmp/taskboerse-warmup"))
        out = Path("/tmp/taskboerse-load")
        pages = run_locust(host, args.users, args.seconds, PAGES, out, args.spawn_rate)
        ceiling = run_locust(host, args.users, 20, ["CeilingUser"], Path("/tmp/taskboerse-ceiling"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\n{args.users} users (arriving {args.spawn_rate:g}/s) pausing {args.think} s between "
        f"pages, {args.seconds} s, "
        f"gunicorn {args.workers} workers × "
        f"{args.threads} threads, {os.cpu_count()} CPUs"
    )
    errors, worst = report("Main pages", pages)
    ceiling_errors, _ = report("Ceiling: /healthz (no database, no templates)", ceiling)
    ok = errors == 0 and ceiling_errors == 0 and worst <= args.p95_target
    print(
        f"\nerrors: {errors}; worst page p95: {worst:.0f} ms (target {args.p95_target:.0f} ms)"
        f" -> {'OK' if ok else 'TARGET MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
