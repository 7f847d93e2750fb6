"""The `vanphong` command: one program, one help page, one-line errors, meaningful exit codes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest


def vanphong(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("VANPHONG_")}
    environment.update({"VANPHONG_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "vanphong.settings", **env})
    return subprocess.run([sys.executable, "-m", "vanphong", *args], env=environment, capture_output=True, text=True)


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = vanphong(tmp_path, "--help")
    assert result.returncode == 0
    for name in ["serve", "migrate", "demo", "createadmin", "backup", "restore", "check", "audit", "elections", "jobs"]:
        assert f"  {name} " in result.stdout


@pytest.mark.parametrize("command", ["serve", "demo", "createadmin", "backup", "restore", "check", "audit", "jobs"])
def test_each_command_has_help(tmp_path: Path, command: str) -> None:
    result = vanphong(tmp_path, command, "--help")
    assert result.returncode == 0
    assert f"vanphong {command}" in result.stdout


def test_jobs_run_on_a_migrated_database(tmp_path: Path) -> None:
    assert vanphong(tmp_path, "migrate", "--no-input", "-v", "0").returncode == 0
    result = vanphong(tmp_path, "jobs", "run", "--all")
    assert result.returncode == 0, result.stderr
    assert "notices.digest: e-mail is not configured" in result.stdout


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = vanphong(tmp_path, "xoa-het")
    assert result.returncode == 2
    assert result.stderr.startswith("vanphong: unknown command 'xoa-het'")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("VANPHONG_DEBUG", "maybe", "VANPHONG_DEBUG='maybe' is not a boolean"),
        ("VANPHONG_LOCKOUT_ATTEMPTS", "năm", "VANPHONG_LOCKOUT_ATTEMPTS='năm' is not a whole number"),
        ("VANPHONG_SECRET_KEY", "short", "VANPHONG_SECRET_KEY is too short"),
        ("VANPHONG_DATABASE_URL", "mysql://x/y", "VANPHONG_DATABASE_URL must start with sqlite:// or postgres://"),
    ],
)
def test_bad_configuration_stops_with_one_line_naming_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = vanphong(tmp_path, "check", **{variable: value})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"vanphong: configuration error: {result.stderr.split(': ', 2)[2].strip()}"
    ]
    assert message in result.stderr


def test_check_fails_on_an_unmigrated_database_and_passes_after_migrate(tmp_path: Path) -> None:
    result = vanphong(tmp_path, "check", "--skip-worker")
    assert result.returncode == 1
    assert "FAIL  migrations" in result.stdout
    assert vanphong(tmp_path, "migrate", "-v", "0").returncode == 0
    result = vanphong(tmp_path, "check", "--skip-worker")
    assert result.returncode == 0, result.stdout
    assert "ok    data directory" in result.stdout


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    vanphong(tmp_path, "check", "--skip-worker")
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    vanphong(tmp_path, "check", "--skip-worker")
    assert key_file.read_text() == first and len(first) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
