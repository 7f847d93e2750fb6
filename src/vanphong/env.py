"""Typed readers for the VANPHONG_* environment variables.

Every setting an operator can change is read here, once, at start-up. A malformed value stops the
process with a message that names the variable, instead of surfacing later as an odd behaviour.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PREFIX = "VANPHONG_"


class ConfigError(Exception):
    """A VANPHONG_* variable holds a value Vanphong cannot use."""


def _raw(name: str) -> str | None:
    value = os.environ.get(PREFIX + name)
    return value.strip() if value is not None else None


def get_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def get_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{PREFIX}{name}={value!r} is not a boolean (use true or false)")


def get_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name}={value!r} is not a whole number") from None
    if number < minimum:
        raise ConfigError(f"{PREFIX}{name}={number} is below the minimum of {minimum}")
    return number


def get_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _raw(name)
    if value is None or value == "":
        return default
    if value not in choices:
        raise ConfigError(f"{PREFIX}{name}={value!r} is not one of: {', '.join(choices)}")
    return value


def get_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def get_path(name: str, default: Path) -> Path:
    value = _raw(name)
    path = Path(value).expanduser() if value else default
    return path.resolve()


def data_dir() -> Path:
    """The directory that holds the SQLite database, stored files and the generated secret key."""
    default = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "vanphong"
    path = get_path("DATA_DIR", default)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"{PREFIX}DATA_DIR={path} cannot be created: {error.strerror}") from None
    return path


def secret_key(directory: Path) -> str:
    """VANPHONG_SECRET_KEY, or a key generated once into the data directory (mode 0600)."""
    value = _raw("SECRET_KEY")
    if value:
        if len(value) < 32:
            raise ConfigError(f"{PREFIX}SECRET_KEY is too short: use at least 32 characters")
        return value
    key_file = directory / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def database(directory: Path) -> dict[str, object]:
    """Django's DATABASES['default'] from VANPHONG_DATABASE_URL (default: SQLite in the data dir)."""
    import dj_database_url

    url = get_str("DATABASE_URL", f"sqlite:///{directory / 'vanphong.sqlite3'}")
    if not url.startswith(("sqlite:", "postgres:", "postgresql:")):
        raise ConfigError(f"{PREFIX}DATABASE_URL must start with sqlite:// or postgres:// (got {url.split(':')[0]}:)")
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    except ValueError as error:
        raise ConfigError(f"{PREFIX}DATABASE_URL is malformed: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so two
        # writers queue on the busy timeout instead of failing half-way with "database is locked".
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    return config
