"""The production settings (grassroots/settings/production.py), each run in a fresh Python process: the test
process is already configured with the test settings."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ID_KEY = "dGVzdC1vbmx5LWlkLWtleS1ub3QtZm9yLXByb2R1Y3Q="


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("GRASSROOTS_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="grassroots.settings.production",
        GRASSROOTS_DATA_DIR=str(tmp_path),
        GRASSROOTS_SECRET_KEY=secrets.token_urlsafe(50),
        GRASSROOTS_ID_KEY=ID_KEY,
        GRASSROOTS_AUDIT_KEY=secrets.token_urlsafe(32),
        GRASSROOTS_ALLOWED_HOSTS="dj.example.org",
        GRASSROOTS_CSRF_TRUSTED_ORIGINS="https://dj.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_reports_no_warning_with_the_production_settings(tmp_path):
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_silences_only_the_choices_turned_off_on_purpose(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; import json; "
        "print(json.dumps([s.SILENCED_SYSTEM_CHECKS, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.DEBUG, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_TRUSTED_ORIGINS, s.ALLOWED_HOSTS, s.SECURE_PROXY_SSL_HEADER]))"
    )
    default = json.loads(run(["-c", code], production_env(tmp_path, GRASSROOTS_DEBUG="1")).stdout)
    assert default == [
        ["security.W021"],  # HSTS preload is off by default (an intranet host is on no preload list)
        31536000,
        True,
        True,
        False,
        False,  # GRASSROOTS_DEBUG=1 does not turn debugging on in production
        True,
        True,
        True,
        True,
        "Lax",
        ["https://dj.example.org"],
        ["dj.example.org"],
        None,
    ]
    proxied = production_env(
        tmp_path,
        GRASSROOTS_SSL_REDIRECT="0",
        GRASSROOTS_BEHIND_TLS_PROXY="1",
        GRASSROOTS_HSTS_PRELOAD="1",
        GRASSROOTS_HSTS_SECONDS="600",
    )
    values = json.loads(run(["-c", code], proxied).stdout)
    assert values[0] == ["security.W008"] and values[1] == 600 and values[2] is False and values[4] is True
    assert values[-1] == ["HTTP_X_FORWARDED_PROTO", "https"]
    done = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], proxied)
    assert done.returncode == 0, done.stderr


def test_check_deploy_warns_when_hsts_is_turned_off(tmp_path):
    """The check is live: HSTS off is reported (the test above could not pass by silencing everything)."""
    done = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, GRASSROOTS_HSTS_SECONDS="0"),
    )
    assert done.returncode != 0 and "security.W004" in done.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts(tmp_path):
    env = production_env(tmp_path)
    del env["GRASSROOTS_ALLOWED_HOSTS"]
    done = run(["manage.py", "check"], env)
    assert done.returncode != 0 and "GRASSROOTS_ALLOWED_HOSTS is not set" in done.stderr


SERVE = r"""
import io, json, sys
from wsgiref.util import setup_testing_defaults
from grassroots.wsgi import application
from django.templatetags.static import static

def get(path, scheme="https", encoding=None):
    environ = {"PATH_INFO": path, "HTTP_HOST": "dj.example.org", "wsgi.url_scheme": scheme,
               "SERVER_NAME": "dj.example.org", "SERVER_PORT": "443" if scheme == "https" else "80"}
    if encoding:
        environ["HTTP_ACCEPT_ENCODING"] = encoding
    setup_testing_defaults(environ)
    seen = {}
    def start_response(status, headers, exc_info=None):
        seen["status"] = int(status.split()[0])
        seen["headers"] = {k.lower(): v for k, v in headers}
    body = b"".join(application(environ, start_response))
    return {**seen, "length": len(body), "text": body[:4000].decode("utf-8", "replace")}

css = static("grassroots/app.css")
print(json.dumps({
    "login": get("/accounts/login/"),
    "plain_http": get("/accounts/login/", scheme="http"),
    "css_url": css,
    "css": get(css),
    "css_gzip": get(css, encoding="gzip"),
}))
"""


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> dict[str, str]:
    """A production deployment on SQLite: migrated, static files collected (hashed and compressed)."""
    tmp_path = tmp_path_factory.mktemp("deployed")
    env = production_env(tmp_path, GRASSROOTS_LOG_LEVEL="ERROR")
    for args in (
        ["manage.py", "migrate", "--noinput", "-v0"],
        ["manage.py", "collectstatic", "--noinput", "-v0"],
    ):
        done = run(args, env)
        assert done.returncode == 0, done.stderr
    return env


def test_production_wsgi_app_serves_a_page_and_hashed_static_files_through_whitenoise(deployed):
    env = deployed
    done = run(["-c", SERVE], env)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    login = seen["login"]
    assert login["status"] == 200 and "<form" in login["text"]
    assert login["headers"]["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "default-src 'self'" in login["headers"]["content-security-policy"]
    assert "no-store" in login["headers"]["cache-control"]
    assert "secure" in login["headers"]["set-cookie"].lower()
    # HTTP is sent to HTTPS
    assert seen["plain_http"]["status"] == 301
    assert seen["plain_http"]["headers"]["location"] == "https://dj.example.org/accounts/login/"
    # static files: content-hashed names, compressed copies, cached for long, no no-store
    assert (
        seen["css_url"].startswith("/static/grassroots/app.")
        and seen["css_url"] != "/static/grassroots/app.css"
    )
    css = seen["css"]
    assert css["status"] == 200 and "max-age=315360000" in css["headers"]["cache-control"]
    assert "no-store" not in css["headers"]["cache-control"]
    assert seen["css_gzip"]["headers"].get("content-encoding") == "gzip"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_the_production_app_and_logs_no_query_string(deployed, tmp_path):
    """`make serve-prod`'s server: gunicorn with grassroots/gunicorn_conf.py behind a TLS proxy (simulated by
    X-Forwarded-Proto); a search by ID number in the query string does not reach the access log."""
    port = free_port()
    env = {
        **deployed,
        "GRASSROOTS_BIND": f"127.0.0.1:{port}",
        "GRASSROOTS_WORKERS": "1",
        "GRASSROOTS_BEHIND_TLS_PROXY": "1",
        "GRASSROOTS_ACCESS_LOG": str(tmp_path / "access.log"),
        "GRASSROOTS_ERROR_LOG": str(tmp_path / "error.log"),
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:grassroots.gunicorn_conf"],
        cwd=ROOT,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/accounts/login/?next=/members/%3Fq%3D110101199003070011"
        request = urllib.request.Request(
            url, headers={"Host": "dj.example.org", "X-Forwarded-Proto": "https"}
        )
        deadline = time.monotonic() + 120  # the worker starts Django first (slow on a busy machine)
        while True:
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    status, headers = response.status, response.headers
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not answer: " + (tmp_path / "error.log").read_text())
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert status == 200
    assert "no-store" in headers["Cache-Control"] and headers["Strict-Transport-Security"]
    log = (tmp_path / "access.log").read_text()
    assert '"GET /accounts/login/ HTTP/1.1" 200' in log
    assert "110101199003070011" not in log and "next=" not in log


def test_production_log_lines_show_no_whole_id_number(tmp_path):
    """The production logging keeps the redaction filter of base.py: an ID number logged is masked."""
    code = (
        "import django, logging; django.setup(); from grassroots.core import id_number; import datetime as dt; "
        "n = id_number.make('110101', dt.date(1990, 5, 6), 123); "
        "logging.getLogger('django.request').error('Not Found: /members/?q=%s', n); print(n)"
    )
    done = run(["-c", code], production_env(tmp_path))
    number = done.stdout.strip()
    assert len(number) == 18, done.stderr
    assert "Not Found" in done.stderr and number not in done.stderr
