"""KINDRED_ENV=production refuses unsafe settings, and passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "p" * 20 + "roduction-secret-key-with-enough-characters-1234567"
GOOD_KEYS = "k1:" + "A" * 43 + "="


def _manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "KINDRED_"))
    }
    environment.update({"KINDRED_ENV": "production", "ALLOWED_HOSTS": "kindred.example", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = _manage("check", SECRET_KEY="kindred-development-only-not-a-secret")
    assert result.returncode != 0


def test_production_refuses_to_start_without_encryption_keys():
    result = _manage("check", SECRET_KEY=GOOD_SECRET)
    assert result.returncode != 0
    assert "KINDRED_ENCRYPTION_KEYS" in result.stderr


def test_production_passes_the_deploy_checks_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_SECRET,
        KINDRED_ENCRYPTION_KEYS=GOOD_KEYS,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_has_no_demo_sign_in():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.KINDRED_DEMO_SIGN_IN)",
        SECRET_KEY=GOOD_SECRET,
        KINDRED_ENCRYPTION_KEYS=GOOD_KEYS,
        KINDRED_DEMO_SIGN_IN="true",
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
