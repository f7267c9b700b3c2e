"""Test settings: fixed throwaway keys; SQLite in memory unless DATABASE_URL names another engine."""

import os
import tempfile

os.environ.setdefault("GRASSROOTS_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("GRASSROOTS_ID_KEY", "dGVzdC1vbmx5LWlkLWtleS1ub3QtZm9yLXByb2R1Y3Q=")
os.environ.setdefault("GRASSROOTS_AUDIT_KEY", "test-only-audit-key-not-for-production-use-0123456789")
os.environ.setdefault("GRASSROOTS_DATA_DIR", "/nonexistent-grassroots-test-dir")

from .base import *  # noqa: F403
from .base import DATABASES

if "DATABASE_URL" not in os.environ:
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}

STATIC_ROOT = tempfile.mkdtemp(prefix="grassroots-static-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_FAILURE_LIMIT = 5
# The two-factor policy is off for the shared personas (signed in with force_login); its tests turn it on.
GRASSROOTS_2FA_REQUIRED_ROLES = ()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
OTP_TOTP_THROTTLE_FACTOR = 0
