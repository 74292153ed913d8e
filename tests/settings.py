"""Settings for the test suite: Steward's own, with a throw-away var/."""

import os
import tempfile

os.environ.setdefault("STEWARD_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("STEWARD_VAR", tempfile.mkdtemp(prefix="steward-test-"))

from steward.settings import *  # noqa: E402,F403

# Argon2 at full cost makes every sign-in slow; tests check behaviour.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
