"""The brute-force limit holds across gunicorn workers when the counters live in Redis."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TASKBOERSE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, body: dict) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.skipif(not _redis_up(), reason=f"Redis is not reachable at {REDIS_URL}")
def test_token_limit_is_shared_by_three_gunicorn_workers(tmp_path) -> None:
    import redis

    database = tmp_path / "limits.sqlite"
    prefix = f"taskboerse-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "TASKBOERSE_ENV": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "limits-test",
        "TASKBOERSE_EMBEDDER": "hashing",
        "TASKBOERSE_REDIS_URL": REDIS_URL,
        "TASKBOERSE_RATELIMIT_PREFIX": prefix,
    }
    flask = [sys.executable, "-m", "flask", "--app", "taskboerse.app"]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "taskboerse.app:create_app()",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(server.stdout.read().decode()[-2000:]) from None
                time.sleep(0.3)
        # Different accounts each time, so only the per-address limit (10 a minute) counts.
        codes = [
            _post(base + "/api/v1/tokens", {"email": f"x{i}@example.com", "password": "wrong!!!"})
            for i in range(24)
        ]
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert "Booting worker" in output and output.count("Booting worker") >= 3, output[-2000:]
    assert codes[:10] == [401] * 10, codes
    assert set(codes[10:]) == {429}, codes
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"*{prefix}/*"))
    assert keys, "the counters are in Redis"
    for key in keys:
        client.delete(key)
