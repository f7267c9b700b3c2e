"""Settings. Production differs from the demo only by environment variables (GRASSROOTS_*, DATABASE_URL).

Secrets never live in the repository: GRASSROOTS_SECRET_KEY, GRASSROOTS_ID_KEY and GRASSROOTS_AUDIT_KEY come from
the environment, or from `secrets.env` in the data directory (the demo writes one there once, see `make demo`).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("GRASSROOTS_DATA_DIR", BASE_DIR / "var"))


def _load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines into the environment without overriding what is already set."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip())


_load_env_file(DATA_DIR / "secrets.env")


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"{name} is not set (see docs/operations.md)")
    return value


DEBUG = env("GRASSROOTS_DEBUG", "0") == "1"
SECRET_KEY = env("GRASSROOTS_SECRET_KEY")
# Fernet key (urlsafe base64, 32 bytes) that encrypts ID numbers at rest and keys their search hash.
ID_NUMBER_KEY = env("GRASSROOTS_ID_KEY")
# The audit trail's keys (HMAC-SHA256 over every stored field of an event, and over each checkpoint). The current
# key signs (GRASSROOTS_AUDIT_KEY, named GRASSROOTS_AUDIT_KEY_ID); retired keys stay listed so that older events
# still verify: GRASSROOTS_AUDIT_RETIRED_KEYS="id=secret,id=secret" (docs/operations.md, "Audit trail keys").
GRASSROOTS_AUDIT_KEY_ID = env("GRASSROOTS_AUDIT_KEY_ID", "k1")
GRASSROOTS_AUDIT_KEYS = {
    key_id.strip(): secret.strip()
    for key_id, secret in (
        item.split("=", 1) for item in env("GRASSROOTS_AUDIT_RETIRED_KEYS", "").split(",") if "=" in item
    )
}
GRASSROOTS_AUDIT_KEYS[GRASSROOTS_AUDIT_KEY_ID] = env("GRASSROOTS_AUDIT_KEY")
# Signed checkpoints of the head of the trail, kept outside the database (beside the backups); empty: under
# DATA_DIR/audit-checkpoints. GRASSROOTS_AUDIT_CHECKPOINT_EVERY > 0 also writes one after every that many events.
GRASSROOTS_AUDIT_CHECKPOINT_DIR = env("GRASSROOTS_AUDIT_CHECKPOINT_DIR", "")
GRASSROOTS_AUDIT_CHECKPOINT_EVERY = int(env("GRASSROOTS_AUDIT_CHECKPOINT_EVERY", "0"))
ALLOWED_HOSTS = [h for h in env("GRASSROOTS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("GRASSROOTS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "csp",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "template_partials",
    "django_filters",
    "treebeard",
    "ninja",
    "grassroots.core",
    "grassroots.accounts",
    "grassroots.audit",
    "grassroots.orgs",
    "grassroots.workcalendar",
    "grassroots.members",
    "grassroots.documents",
    "grassroots.meetings",
    "grassroots.recruitment",
    "grassroots.reports",
    "grassroots.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files get neither (they carry no personal data and are cached for long).
    "csp.middleware.CSPMiddleware",
    "grassroots.core.security.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "grassroots.core.locale.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "grassroots.accounts.middleware.ScopeMiddleware",
    # After the scope: a signed-in user who owes a two-factor enrolment or a password change reaches only that.
    "grassroots.accounts.middleware.SignInPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Paths and query strings with control characters or numbers beyond 64 bits refused (core/hygiene.py).
    "grassroots.core.middleware.InputHygieneMiddleware",
    # Last, so it is the first to see a view's exception: NotFound → 404, RuleViolation → 422 page.
    "grassroots.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "grassroots.urls"
WSGI_APPLICATION = "grassroots.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "grassroots" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "grassroots.accounts.context_processors.scope",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'grassroots.sqlite3'}"),
        conn_max_age=int(env("GRASSROOTS_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login lockout (django-axes): 5 failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(env("GRASSROOTS_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(env("GRASSROOTS_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Counts a failure even when the body's form fields cannot be parsed (grassroots.accounts.lockout).
AXES_HANDLER = "grassroots.accounts.lockout.LockoutHandler"
# Masked in the form fields axes keeps with a failure (the password always is): two-factor codes too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token", "otp"]

# Two-factor sign-in (django-otp, TOTP). Users holding one of these roles on any org must enrol a device
# before they can do anything else (comma-separated role names; empty turns the policy off).
GRASSROOTS_2FA_REQUIRED_ROLES = tuple(
    r.strip() for r in env("GRASSROOTS_2FA_REQUIRED_ROLES", "org_admin").split(",") if r.strip()
)
OTP_TOTP_ISSUER = env("GRASSROOTS_OTP_ISSUER", "Grassroots")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "grassroots" / "locale"]
TIME_ZONE = env("GRASSROOTS_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
# Front-end packages come from the npm registry at setup (package.json) and are served locally.
STATICFILES_DIRS = [
    BASE_DIR / "grassroots" / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
WHITENOISE_USE_FINDERS = True

# Uploaded documents (材料) live in their own directory, outside the web root; back it up with the database.
DOCUMENTS_DIR = Path(env("GRASSROOTS_DOCUMENTS_DIR", str(DATA_DIR / "documents")))
# The size limit of one uploaded document, in MB (rule DOC-SIZE).
DOCUMENT_MAX_MB = float(env("GRASSROOTS_DOCUMENT_MAX_MB", "20"))
# A request body over this is refused (413 INPUT-SIZE) before it is read: the largest document and the form
# around it (core.middleware.InputHygieneMiddleware). Other bodies keep Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
REQUEST_MAX_BYTES = int((DOCUMENT_MAX_MB + 1) * 1024 * 1024)
# Where `grassroots backup` writes (docs/operations.md, "Backups and restore"); left out of the backups.
BACKUP_DIR = Path(env("GRASSROOTS_BACKUP_DIR", str(DATA_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(DOCUMENTS_DIR),
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    },
}
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env("GRASSROOTS_SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# Minutes after which an API token is no longer accepted (0 = until revoked).
API_TOKEN_TTL_HOURS = int(env("GRASSROOTS_API_TOKEN_TTL_HOURS", "720"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("GRASSROOTS_LOG_LEVEL", "WARNING")},
}

# No whole ID number in a log line (core.log_redaction), on every handler and on runserver's request log.
LOGGING.setdefault("filters", {})["id_numbers"] = {"()": "grassroots.core.log_redaction.RedactIdNumbers"}
for _handler in LOGGING["handlers"].values():
    _handler.setdefault("filters", []).append("id_numbers")
LOGGING.setdefault("loggers", {}).setdefault(
    "django.server", {"handlers": ["console"], "level": "INFO", "propagate": False}
)
# Content-Security-Policy on every page (django-csp): scripts, styles, fonts and fetches from this server only.
# No inline script, no inline event handler, no style="" attribute (templates use classes of app.css), no eval
# (htmx runs with allowEval false, set in base.html). Bootstrap's stylesheet draws some icons with data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
