"""Worker benchmark: how many emails a second the background worker delivers.

    .venv/bin/python scripts/bench_worker.py [--emails 2000] [--threads 1 2 4]
                                             [--database-url URL] [--queue memory|sqlite|redis]

Migrates a fresh database (a temporary SQLite file unless --database-url names one, e.g.
PostgreSQL; that database is emptied of outbox messages first), writes N outbox messages,
enqueues one delivery job per thread on the chosen queue and lets that many worker threads
(each dequeuing and executing like a Huey consumer's worker) deliver them to the memory mail
backend — the cost measured is the worker's own: queue, claim (one UPDATE and commit per
message), build the email, mark it sent (one commit). It prints emails per second per
thread count (the median of --runs runs) and checks that every message went out exactly once.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status 1 when a message was lost or sent twice."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--emails", type=int, default=2000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--queue", choices=("memory", "sqlite", "redis"), default="memory")
    args = parser.parse_args(argv)
    if args.emails < 1 or args.runs < 1 or min(args.threads) < 1:
        parser.error("--emails, --runs and --threads must be at least 1")

    tmp = tempfile.mkdtemp(prefix="bench-worker-")
    os.environ["TASKBOERSE_QUEUE"] = args.queue
    os.environ.setdefault("TASKBOERSE_QUEUE_PATH", str(Path(tmp) / "queue.sqlite"))
    url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"

    from flask_migrate import upgrade
    from sqlalchemy import delete, func, insert, select

    from taskboerse import worker
    from taskboerse.app import create_app
    from taskboerse.config import TestingConfig
    from taskboerse.extensions import db
    from taskboerse.models import OutboxMessage
    from taskboerse.services import notifications
    from taskboerse.worker import jobs

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, MAIL_BACKEND="memory")
    worker.bind(app)
    queue = worker.huey
    ok = True
    with app.app_context():
        upgrade()
        print(f"database: {db.engine.dialect.name}, queue: {type(queue.storage).__name__}")
        print(f"{'threads':>7}  {'emails':>6}  {'seconds':>7}  {'emails/s':>8}  (median of runs)")
        for threads in args.threads:
            rates, seconds = [], []
            for _ in range(args.runs):
                db.session.execute(delete(OutboxMessage))
                db.session.execute(
                    insert(OutboxMessage),
                    [
                        {"to_email": f"p{n}@example.com", "subject": "Hej", "body": "B" * 400}
                        for n in range(args.emails)
                    ],
                )
                db.session.commit()
                queue.flush()
                backend = notifications.mail_backend()
                backend.sent.clear()
                for _ in range(threads):
                    jobs.deliver_outbox()

                def consume() -> None:
                    while (task := queue.dequeue()) is not None:
                        queue.execute(task)

                pool = [threading.Thread(target=consume) for _ in range(threads)]
                start = time.perf_counter()
                for thread in pool:
                    thread.start()
                for thread in pool:
                    thread.join()
                elapsed = time.perf_counter() - start
                unsent = db.session.execute(
                    select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
                ).scalar_one()
                addresses = [to for to, *_ in backend.sent]
                if unsent or not len(addresses) == len(set(addresses)) == args.emails:
                    print(f"  ERROR: {unsent} unsent, {len(addresses)} sent for {args.emails}")
                    ok = False
                rates.append(args.emails / elapsed)
                seconds.append(elapsed)
            print(
                f"{threads:>7}  {args.emails:>6}  {statistics.median(seconds):>7.2f}  "
                f"{statistics.median(rates):>8.0f}"
            )
        queue.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
