"""Production settings: base.py hardened for HTTPS. `manage.py check --deploy` reports nothing with them.

Use with DJANGO_SETTINGS_MODULE=grassroots.settings.production (docs/operations.md, "Production deployment").
Every value comes from the environment (or `secrets.env` in the data directory, as base.py reads it); the
ones that have no safe default — the secret keys and the host names — are required.
"""

from .base import *  # noqa: F403
from .base import STORAGES, env


def _flag(name: str, default: str) -> bool:
    return env(name, default) == "1"


DEBUG = False
# No default: the server answers only for the host names it is deployed under.
ALLOWED_HOSTS = [h.strip() for h in env("GRASSROOTS_ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("GRASSROOTS_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# HTTPS. When TLS ends at a reverse proxy, the proxy must set X-Forwarded-Proto and this flag tells Django to
# trust it (never turn it on without a proxy that overwrites the header: a client could fake HTTPS).
if _flag("GRASSROOTS_BEHIND_TLS_PROXY", "0"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _flag("GRASSROOTS_SSL_REDIRECT", "1")
SECURE_HSTS_SECONDS = int(env("GRASSROOTS_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("GRASSROOTS_HSTS_INCLUDE_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = _flag("GRASSROOTS_HSTS_PRELOAD", "0")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Cookies: HTTPS only, out of reach of scripts (htmx takes the CSRF token from the page, not the cookie),
# not sent on cross-site requests.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env("GRASSROOTS_SESSION_HOURS", "12")) * 3600
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static files: collected once (`grassroots collectstatic`) with content hashes in their names and
# compressed copies; WhiteNoise serves them with far-future cache headers.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# Deliberate choices an operator makes in the environment are not warnings. Each check below is silenced only
# when its setting was turned off on purpose:
# - W008: TLS ends at a proxy that redirects HTTP itself (GRASSROOTS_SSL_REDIRECT=0);
# - W005: other hosts of the same domain are not all on HTTPS (GRASSROOTS_HSTS_INCLUDE_SUBDOMAINS=0);
# - W021: HSTS preload lists serve public domains; an intranet host gains nothing from them, and leaving a
#   preload list takes months (GRASSROOTS_HSTS_PRELOAD=0, the default).
SILENCED_SYSTEM_CHECKS = [
    check
    for check, on in (
        ("security.W008", SECURE_SSL_REDIRECT),
        ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", SECURE_HSTS_PRELOAD),
    )
    if not on
]

# Logs: one line per event on stderr (journald or the process manager keeps them). Django's loggers name
# the path of a failed request, never its query string, body or headers; gunicorn's access log is set up
# without query strings in grassroots/gunicorn_conf.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No whole ID number in a log line (core.log_redaction), as in base.py.
    "filters": {"id_numbers": {"()": "grassroots.core.log_redaction.RedactIdNumbers"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["id_numbers"]}
    },
    "root": {"handlers": ["console"], "level": env("GRASSROOTS_LOG_LEVEL", "WARNING")},
    "loggers": {
        # A disallowed Host header is noise from scanners, not an incident.
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}
