"""Production settings refuse to start without what they need."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "tintuc.example.vn",
    "SITE_URL": "https://tintuc.example.vn",
    "DATABASE_URL": "postgres://portal@db.example.vn:5432/portal",
}


def import_settings(code="print(s.DATABASES['default']['HOST'])", **overrides):
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    env["DEBUG"] = "0"  # explicit: a checkout's .env turns DEBUG on otherwise
    env.update({k: v for k, v in (PRODUCTION | overrides).items() if v is not None})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import portal.settings as s; {code}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_load_when_everything_is_given():
    result = import_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "db.example.vn"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL"])
def test_production_settings_fail_loudly_when_a_value_is_missing(missing):
    result = import_settings(**{missing: None})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} is not set" in result.stderr


def test_the_media_storage_is_chosen_by_the_environment():
    result = import_settings(
        code="print(s.STORAGES['default'])",
        MEDIA_STORAGE="storages.backends.s3.S3Storage",
        MEDIA_STORAGE_OPTIONS='{"bucket_name": "cong-tin-tuc"}',
    )
    assert result.returncode == 0, result.stderr
    assert "S3Storage" in result.stdout and "'bucket_name': 'cong-tin-tuc'" in result.stdout
    broken = import_settings(MEDIA_STORAGE_OPTIONS="{bucket: nope}")
    assert broken.returncode != 0 and "MEDIA_STORAGE_OPTIONS is not valid JSON" in broken.stderr


def test_deploy_checks_report_nothing_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    env.update(PRODUCTION, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50))
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests, never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_https_production_turns_on_hsts_secure_cookies_and_the_redirect():
    result = import_settings(
        code=(
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT,"
            " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
            " s.SESSION_COOKIE_SAMESITE, s.SESSION_COOKIE_AGE)"
        ),
        SESSION_IDLE_MINUTES="30",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "1800",
    ]
