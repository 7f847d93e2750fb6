"""Settings for the test suite: a throw-away data directory, a fast hasher, tasks run inline."""

import os
import tempfile

os.environ.setdefault("VANPHONG_DATA_DIR", tempfile.mkdtemp(prefix="vanphong-test-"))

from vanphong.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405 (whitenoise expects it; collectstatic is not run in tests)
DEMO_HISTORY = 150  # `vanphong demo` in the tests: a tiny previous year (the default is tens of thousands)
