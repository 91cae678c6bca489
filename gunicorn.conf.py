"""gunicorn settings (production and the load benchmark).

The app is loaded once in the master (``preload_app``), which also fills the matching index
from the database before forking: every worker starts with it in (copy-on-write) memory
instead of spending its first request loading tens of thousands of rows.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
preload_app = True
timeout = 60
# Longer than a user's pause between pages, so a reused connection is not closed under them.
keepalive = 15
wsgi_app = "taskboerse.app:create_app()"
# The access log names the path without its query string: searches hold names and emails.
access_log_format = '%(h)s - - %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss'


def when_ready(server) -> None:
    """Warm the matching index in the master, then close its database connections."""
    from taskboerse.extensions import db
    from taskboerse.services import recommendations

    app = server.app.wsgi()
    with app.app_context():
        try:
            recommendations.sync(force=True)
            server.log.info("matching index warmed in the master")
        except Exception as error:  # noqa: BLE001 - a cold start is slower, not broken
            server.log.warning("could not warm the matching index: %s", error)
        finally:
            db.session.remove()
            db.engine.dispose()
