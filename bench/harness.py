"""What the benchmarks share: one worker process per engine, each on its own database.

A benchmark script runs itself again with `--worker` once per engine (settings are per process), on a
throwaway database — a file in a temp dir for SQLite; `<prefix>_<pid>` on the server named by DATABASE_URL for
PostgreSQL, dropped afterwards — or on a database it is told to reuse (and keep). The worker prints one line
`RESULT <json>`, which is what the orchestrator collects.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def start_worker():
    """Inside a worker: set Django up on the database of this process's DATABASE_URL, migrate it (so new
    indexes apply to a reused database) and return the worker's `log(msg)` (stderr, prefixed by the engine)."""
    import time

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    def log(msg: str) -> None:
        print(f"[{connection.vendor}] {msg}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"migrated in {time.perf_counter() - started:.1f}s")
    return log


def _pg_admin(url: str):
    import psycopg

    parsed = urlparse(url)
    return psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname=parsed.path.lstrip("/") or "postgres",
        autocommit=True,
    )


def _run_worker(script: str, argv: list[str], env: dict[str, str]) -> dict:
    cmd = [sys.executable, str(Path(script).resolve()), "--worker", *argv]
    proc = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark worker failed ({proc.returncode})")
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def run_workers(
    *,
    script: str,
    argv: list[str],
    engines: list[str],
    prefix: str,
    sqlite: str | None = None,
    postgresql: str | None = None,
) -> list[dict]:
    """Run `script --worker argv…` on SQLite and on PostgreSQL (when asked and DATABASE_URL names a server, or
    `postgresql` names the database to reuse); return the workers' results in that order.

    Throwaway databases get throwaway keys; a reused one keeps the keys of its data directory
    (GRASSROOTS_DATA_DIR), which the ID-number search needs."""
    base_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    base_env["DJANGO_SETTINGS_MODULE"] = "grassroots.settings.base"
    if not ((sqlite or postgresql) and "GRASSROOTS_DATA_DIR" in base_env):
        base_env.setdefault("GRASSROOTS_SECRET_KEY", secrets.token_urlsafe(50))
        base_env.setdefault("GRASSROOTS_ID_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        base_env.setdefault("GRASSROOTS_AUDIT_KEY", secrets.token_urlsafe(48))
    results = []
    with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as tmp:
        base_env.setdefault("GRASSROOTS_DATA_DIR", tmp)
        if "sqlite" in engines:
            path = Path(sqlite).resolve() if sqlite else Path(tmp) / f"{prefix}.sqlite3"
            results.append(_run_worker(script, argv, dict(base_env, DATABASE_URL=f"sqlite:///{path}")))
        server = os.environ.get("DATABASE_URL", "")
        if "postgresql" in engines and postgresql:
            results.append(_run_worker(script, argv, dict(base_env, DATABASE_URL=postgresql)))
        elif "postgresql" in engines and server.startswith(("postgres://", "postgresql://")):
            name = f"{prefix.replace('-', '_')}_{os.getpid()}"
            with _pg_admin(server) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            try:
                url = urlunparse(urlparse(server)._replace(path=f"/{name}"))
                results.append(_run_worker(script, argv, dict(base_env, DATABASE_URL=url)))
            finally:
                with _pg_admin(server) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        elif "postgresql" in engines:
            print("DATABASE_URL does not name a PostgreSQL server: PostgreSQL skipped", file=sys.stderr)
    return results
