"""Production settings refuse to start without what they need."""

import os
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
            "import portal.settings as s; print(s.DATABASES['default']['HOST'])",
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
