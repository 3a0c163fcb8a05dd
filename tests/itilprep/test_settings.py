"""Production settings: `check --deploy` is clean, and a missing secret key fails clearly."""

import os
import subprocess
import sys

from tests.conftest import ROOT

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "itilprep.settings",
    "DJANGO_SECRET_KEY": "a-long-production-like-secret-key-9f8e7d6c5b4a3928171605f4e3d2c1b0",
    "DJANGO_ALLOWED_HOSTS": "itilprep.example.com",
    "EMAIL_HOST": "smtp.example.com",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_is_a_clear_error_outside_debug():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = run_manage(
        "check", env={"DJANGO_SETTINGS_MODULE": "itilprep.settings", "DJANGO_DEBUG": "true"}
    )
    assert result.returncode == 0, result.stderr


def test_security_switches_can_be_turned_off_for_plain_http_staging():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    env = {
        **PRODUCTION,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
    }
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == ["False", "False", "0"], result.stderr
    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.stdout.split() == ["True", "True", "31536000"], result.stderr


def test_a_bad_boolean_is_refused():
    result = run_manage("check", env={**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "maybe"})
    assert result.returncode != 0
    assert "DJANGO_SECURE_SSL_REDIRECT must be true or false" in result.stderr


def test_production_without_an_smtp_host_is_flagged_by_the_deploy_check():
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_HOST"}
    result = run_manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "mail.E001" in result.stderr
