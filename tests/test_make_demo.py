"""`make demo` on the embedded SQLite default: sets up, serves, and a second run reuses what exists.

Runs the real Makefile targets (`make setup` then `make serve`) against a throwaway data directory. The
virtual environment and npm packages are already installed by `make test`, so this measures the demo's own
steps: migrate, seed the county, create the demo users.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    "DATABASE_URL" in os.environ,
    reason="the demo runs on the embedded SQLite default; covered by the SQLite run",
)


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.pop("GRASSROOTS_SECRET_KEY", None)
    env.pop("GRASSROOTS_ID_KEY", None)
    env.pop("GRASSROOTS_AUDIT_KEY", None)
    env["GRASSROOTS_DATA_DIR"] = str(data_dir)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_demo_sets_up_serves_and_reuses_when_run_twice(tmp_path):
    data_dir = tmp_path / "var"
    env = _env(data_dir)
    started = time.monotonic()
    first = subprocess.run(
        ["make", "-s", "setup", f"DATA_DIR={data_dir}"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    first_seconds = time.monotonic() - started
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert (data_dir / "secrets.env").exists() and (data_dir / "grassroots.sqlite3").exists()
    secrets_before = (data_dir / "secrets.env").read_text()
    assert "GRASSROOTS_AUDIT_KEY=" in secrets_before
    assert "org_admin" in first.stdout and "secretary" in first.stdout

    started = time.monotonic()
    second = subprocess.run(
        ["make", "-s", "setup", f"DATA_DIR={data_dir}"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    second_seconds = time.monotonic() - started
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert (data_dir / "secrets.env").read_text() == secrets_before
    # The same demo users and passwords are printed again; nothing is seeded twice.
    assert first.stdout.splitlines()[-6:] == second.stdout.splitlines()[-6:]
    assert second_seconds < first_seconds
    print(f"make setup: first {first_seconds:.1f}s, second {second_seconds:.1f}s")

    port = _free_port()
    server = subprocess.Popen(
        ["make", "-s", "serve", f"DATA_DIR={data_dir}", f"HOST=127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        body = ""
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as resp:
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "登录" in body
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=10)
