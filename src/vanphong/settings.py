"""Django settings. Everything an operator may change comes from VANPHONG_* variables (see env.py)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from vanphong import env

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env.data_dir()
FILES_DIR = DATA_DIR / "files"
FILES_DIR.mkdir(exist_ok=True)

SECRET_KEY = env.secret_key(DATA_DIR)
DEBUG = env.get_bool("DEBUG", False)
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves Swagger UI from its own static files, so the API docs work offline
    "vanphong.core",
    "vanphong.elections",
    "vanphong.documents",
    "vanphong.notices",
    "vanphong.directives",
    "vanphong.meetings",
    "vanphong.schedule",
    "vanphong.consultations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vanphong.core.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vanphong.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "vanphong.urls"
WSGI_APPLICATION = "vanphong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vanphong.core.context_processors.site",
                "vanphong.notices.context_processors.unread",
            ],
        },
    },
]

DATABASES = {"default": env.database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.Account"
AUTHENTICATION_BACKENDS = ["vanphong.core.auth.LockoutModelBackend"]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout: after this many wrong passwords in a row an account is locked for the given minutes.
LOCKOUT_ATTEMPTS = env.get_int("LOCKOUT_ATTEMPTS", 5, minimum=1)
LOCKOUT_MINUTES = env.get_int("LOCKOUT_MINUTES", 15, minimum=1)

# Sessions expire after a period without activity, and always when the browser closes.
SESSION_COOKIE_AGE = env.get_int("SESSION_MINUTES", 8 * 60, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE = env.get_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
if env.get_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# API tokens live this many days unless the holder asks for less.
API_TOKEN_DAYS = env.get_int("API_TOKEN_DAYS", 90, minimum=1)

LANGUAGE_CODE = env.get_str("LANGUAGE", "vi")
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
    ("ur", _("Urdu")),
    ("hi", _("Hindi")),
]
LANGUAGES_BIDI = ["ur"]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "vanphong_language"
TIME_ZONE = env.get_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": FILES_DIR}},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

TASKS = {"default": {"BACKEND": env.get_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # pyhanko and friends are chatty at INFO; Django's request log repeats the server's.
        "django.request": {"level": "ERROR"},
    },
}

SITE_NAME = env.get_str("SITE_NAME", "Vanphong")

# Documents. Files are stored by content (SHA-256) under the data directory; secret documents' files
# are encrypted at rest with keys kept beside them (back both up, separately).
DOCUMENT_FILES_DIR = env.get_path("DOCUMENT_FILES_DIR", DATA_DIR / "documents")
DOCUMENT_KEYS_DIR = env.get_path("DOCUMENT_KEYS_DIR", DATA_DIR / "document-keys")
DOCUMENT_MAX_UPLOAD_MB = env.get_int("DOCUMENT_MAX_UPLOAD_MB", 50, minimum=1)
# How this installation handles secret documents (Mật, Tối mật, Tuyệt mật). Under the 2025 secrets law
# (117/2025/QH15) their content belongs on an isolated deployment (an independent LAN):
#   "full"      - content stored, encrypted at rest; only for an installation on an independent LAN;
#   "metadata"  - the register records them (number, sender, trích yếu) but refuses their files;
#   "off"       - secret documents cannot be registered at all.
SECRET_DOCUMENTS = env.get_choice("SECRET_DOCUMENTS", "metadata", ("full", "metadata", "off"))
# edXML status messages back to senders, and our packages, carry this installation's identifier code.
EDXML_ORGAN_ID = env.get_str("EDXML_ORGAN_ID", "")
# edXML packages to send are written here for the hub connector; see docs/documents.md.
EDXML_OUTBOX_DIR = env.get_path("EDXML_OUTBOX_DIR", DATA_DIR / "edxml-outbox")
# Trusted roots for validating signatures on incoming PDFs and edXML packages (PEM files, one or more).
TRUSTED_ROOTS_DIR = env.get_path("TRUSTED_ROOTS_DIR", DATA_DIR / "trusted-roots")
# Printed registers (XLSX, PDF): a period holding more documents than this is prepared in the background
# ("My exports", with a notice when ready) instead of inside the request; those files are kept this many days.
REGISTER_EXPORT_INLINE_ROWS = env.get_int("EXPORT_INLINE_ROWS", 5000, minimum=0)
REGISTER_EXPORT_KEEP_DAYS = env.get_int("EXPORT_KEEP_DAYS", 7, minimum=1)
REGISTER_EXPORTS_DIR = env.get_path("EXPORTS_DIR", DATA_DIR / "exports")
# Weekly work schedule: also show published schedules without signing in (private events as a placeholder).
SCHEDULE_PUBLIC = env.get_bool("SCHEDULE_PUBLIC", False)

# E-mail: notices are batched into one message per person (the `notices.digest` job) when an SMTP
# server is configured; without VANPHONG_EMAIL_HOST notices stay in the application only.
EMAIL_HOST = env.get_str("EMAIL_HOST", "")
EMAIL_PORT = env.get_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env.get_str("EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env.get_bool("EMAIL_TLS", True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env.get_str("EMAIL_FROM", "vanphong@localhost")
NOTICES_EMAIL = bool(EMAIL_HOST)
# The address people use to reach this installation, for links in e-mails (e.g. https://vanphong.tinhuy.vn).
SITE_URL = env.get_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Tasks (directives): remind the lead unit this many working days before a deadline; tell the assigner
# once a task has been overdue this many days; a deadline within this many days reads "due soon".
TASK_REMIND_DAYS = env.get_int("TASK_REMIND_DAYS", 3, minimum=0)
TASK_ESCALATE_DAYS = env.get_int("TASK_ESCALATE_DAYS", 3, minimum=1)
TASK_DUE_SOON_DAYS = env.get_int("TASK_DUE_SOON_DAYS", 7, minimum=0)

# `vanphong demo`: documents of the previous year (2025) loaded in bulk into the demo office's registers
# (docs/demo-office.md); `vanphong demo --history N` overrides it for one load.
DEMO_HISTORY = env.get_int("DEMO_HISTORY", 20_000, minimum=0)
